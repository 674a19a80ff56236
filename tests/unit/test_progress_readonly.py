"""A progress.db that may not be written: said once at start, never once per answer.

Root ignores file modes, and CI runs as root, so the real-permission tests drop to the
'nobody' user in a forked child there; the first test needs no permissions at all.
"""
from __future__ import annotations

import hashlib
import json
import os
import select
import shutil
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from tutor.cli import cli
from tutor.progress import open_store, opening

NOBODY = 65534


def make_store(path: Path) -> None:
    with open_store(path, profile="ana") as store:
        store.record_attempt("l", "e", "", "x", True)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def walk_answers(path: Path) -> dict:
    """What the TUI does over a lesson: open, answer ten times, read the tally."""
    store = open_store(path, profile="ana")
    errors = []
    for n in range(10):
        try:
            store.record_attempt("l", "e", str(n), "y", True)
            store.set_lesson_progress("l", step=n, steps_total=10)
        except Exception as exc:  # noqa: BLE001 - counted: there must be none
            errors.append(str(exc))
    result = {"notice": store.notice, "in_memory": store.in_memory, "tally": list(store.tally()),
              "errors": errors, "messages": store.take_messages()}
    store.close()
    return result


def where_modes_apply(action):
    """Run ``action`` (returning JSON-able data) where file permissions are enforced."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return action()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop root for good, run, report, leave without cleanup
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            out = {"value": action()}
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            out = {"error": repr(exc)}
        os.write(write_end, json.dumps(out).encode())
        os._exit(0)
    os.close(write_end)
    data = b""
    deadline = time.monotonic() + 60  # a hang bound, not a timing claim
    try:
        while True:
            ready, _, _ = select.select([read_end], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                os.kill(pid, signal.SIGKILL)
                raise AssertionError("the unprivileged child hung")
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            data += chunk
    finally:
        os.close(read_end)
        os.waitpid(pid, 0)
    out = json.loads(data)
    assert "error" not in out, out["error"]
    return out["value"]


@pytest.fixture
def shared_dir():
    """A folder 'nobody' can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="bert-tutor-ro-"))
    folder.chmod(0o755)
    yield folder
    folder.chmod(0o755)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def read_only_from_now(monkeypatch):
    """From the call on, open files as SQLite does when it may not write them: ``mode=ro``."""
    return lambda: monkeypatch.setattr(opening, "_connect", lambda path: sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False))


def test_read_only_file_is_said_once_at_start(tmp_path, read_only_from_now):
    path = tmp_path / "progress.db"
    make_store(path)
    read_only_from_now()
    before = digest(path)
    walk = walk_answers(path)
    assert walk["notice"] == (f"cannot write {path} (the file is read-only); progress will not be "
                              "saved (showing what it holds)")
    assert walk["in_memory"] and walk["tally"] == [11, 0]
    assert walk["errors"] == [] and walk["messages"] == []
    assert digest(path) == before


def test_progress_command_says_it_once(tmp_path, read_only_from_now):
    path = tmp_path / "progress.db"
    make_store(path)
    read_only_from_now()
    result = CliRunner().invoke(cli, ["--db", str(path), "--profile", "ana", "progress", "--json"])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"bert-tutor: cannot write {path} (the file is read-only); "
                                          "progress will not be saved (showing what it holds)"]
    assert json.loads(result.stdout)["tally"] == {"you": 1, "bert": 0}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_file_without_write_permission(shared_dir):
    path = shared_dir / "progress.db"
    make_store(path)
    path.chmod(0o444)
    shared_dir.chmod(0o777)  # the folder is writable: only the file is not
    before = digest(path)
    walk = where_modes_apply(lambda: walk_answers(path))
    assert "(the file is read-only); progress will not be saved" in walk["notice"]
    assert walk["in_memory"] and walk["tally"] == [11, 0] and walk["errors"] == []
    assert digest(path) == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_read_only_folders_fall_back_to_memory(shared_dir):
    folder = shared_dir / "ro"
    folder.mkdir()
    make_store(folder / "progress.db")
    (folder / "progress.db").chmod(0o444)
    folder.chmod(0o555)

    def both() -> list:
        return [walk_answers(folder / "progress.db"), walk_answers(folder / "new.db")]

    try:
        seeded, new = where_modes_apply(both)
    finally:
        folder.chmod(0o755)
    assert seeded["in_memory"] and "not be saved" in seeded["notice"] and seeded["tally"] == [11, 0]
    assert new["in_memory"] and new["tally"] == [10, 0] and seeded["errors"] == new["errors"] == []
