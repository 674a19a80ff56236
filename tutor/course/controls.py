"""Control characters in lesson text and file names: found, reported, made visible.

ESC, BEL, DEL and the C1 range let a file drive the terminal (OSC 52 writes the clipboard,
``CSI 2J`` clears the screen, leaving the alternate screen breaks the TUI).  Nothing from a
lesson file may reach the terminal as a control: each one is replaced by a visible stand-in
(C0 by its Unicode "control picture", e.g. ESC by ␛; DEL by ␡; C1 by �), and ``lessons check``
says where it was.  Tab and newline are text.
"""
from __future__ import annotations

import re

from tutor.i18n import ngettext

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BS", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1B: "ESC",
          0x7F: "DEL", 0x85: "NEL", 0x9B: "CSI", 0x9D: "OSC"}
MAX_REPORTED = 20  # per file; a binary-ish file must not bury the other problems


def stand_in(char: str) -> str:
    """The visible character shown instead of the control ``char``."""
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


def name_of(char: str) -> str:
    """'U+001B (ESC)' — how a message names a control character."""
    code = ord(char)
    return f"U+{code:04X}" + (f" ({_NAMES[code]})" if code in _NAMES else "")


def show_controls(text: str) -> str:
    """``text`` with every control character replaced by its visible stand-in."""
    return CONTROL.sub(lambda m: stand_in(m.group()), text)


def controls_by_line(text: str) -> list[tuple[int, list[str]]]:
    """[(1-based line, the control characters on it)], in one linear pass."""
    found: dict[int, list[str]] = {}
    line, pos = 1, 0
    for match in CONTROL.finditer(text):
        line += text.count("\n", pos, match.start())
        pos = match.start()
        found.setdefault(line, []).append(match.group())
    return list(found.items())


def report_controls(text: str, sink) -> str:
    """Warn (with lines) about control characters in ``text``; return it made visible."""
    found = controls_by_line(text)
    for line, chars in found[:MAX_REPORTED]:
        names = ", ".join(dict.fromkeys(name_of(c) for c in chars))
        shown = "".join(dict.fromkeys(stand_in(c) for c in chars))
        sink.warning(line, ngettext("control character {names} in the text; shown as {shown} "
                                    "(terminal escape codes are never passed through)",
                                    "control characters {names} in the text; shown as {shown} "
                                    "(terminal escape codes are never passed through)",
                                    len(set(chars))).format(names=names, shown=shown))
    if len(found) > MAX_REPORTED:
        more = len(found) - MAX_REPORTED
        sink.warning(found[MAX_REPORTED][0], ngettext("control characters on {n} more line",
                                                      "control characters on {n} more lines", more).format(n=more))
    return show_controls(text) if found else text
