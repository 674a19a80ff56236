"""Read a lesson file's bytes safely: regular files only, size-capped, UTF-8, never blocking.

A FIFO or device named ``*.md`` would make a plain ``open().read()`` wait forever (``lessons
check`` and the TUI's start would hang), so the file is opened without blocking and checked
with ``fstat`` before a single byte is read.
"""
from __future__ import annotations

import os
import stat
from pathlib import Path

from tutor.course.problems import Sink
from tutor.i18n import _

MAX_BYTES = 2_000_000  # a lesson is prose; anything bigger is a mistake (or not a lesson)


def special_kind(mode: int) -> str:
    """What a non-regular file is, in words ('' for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return _("a folder")
    if stat.S_ISFIFO(mode):
        return _("a named pipe (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("a device")
    if stat.S_ISSOCK(mode):
        return _("a socket")
    return _("not a regular file")


def read_lesson_bytes(path: Path, sink: Sink) -> bytes | None:
    """The file's bytes, or None after reporting why it cannot be a lesson."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        sink.error(1, _("no such file"))
        return None
    except IsADirectoryError:
        sink.error(1, _("is a folder, not a lesson file"))
        return None
    except OSError as exc:
        sink.error(1, _("cannot read the file: {error}").format(error=exc.strerror or exc))
        return None
    try:
        info = os.fstat(fd)
        kind = special_kind(info.st_mode)
        if stat.S_ISDIR(info.st_mode):
            sink.error(1, _("is a folder, not a lesson file"))
            return None
        if kind:
            sink.error(1, _("is {kind}, not a lesson file; only regular files are read").format(kind=kind))
            return None
        if info.st_size > MAX_BYTES:
            sink.error(1, _("file too large for a lesson ({size} bytes)").format(size=f"{info.st_size:,}"))
            return None
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
    except OSError as exc:
        sink.error(1, _("cannot read the file: {error}").format(error=exc.strerror or exc))
        return None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:  # grew after fstat
        sink.error(1, _("file too large for a lesson (over {size} bytes)").format(size=f"{MAX_BYTES:,}"))
        return None
    return data


def read_lesson_text(path: Path, sink: Sink) -> str | None:
    """The file as text with ``\\n`` line ends, or None after reporting why it is unusable."""
    data = read_lesson_bytes(path, sink)
    if data is None:
        return None
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        sink.error(line, _("binary file (contains NUL bytes), not a Markdown lesson"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        sink.error(line, _("not UTF-8 text (byte {byte}); save the file as UTF-8").format(
            byte=f"0x{data[exc.start]:02x}"))
        return None
    if not text.strip():
        sink.error(1, _("empty file"))
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")
