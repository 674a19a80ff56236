"""Problems found in lesson files: where (file and 1-based line) and what, as editors expect.

Every check in ``tutor.course`` reports a :class:`Problem` instead of raising, so the CLI can
list them all at once (``file:line: message``) and the TUI can show a broken lesson with its
errors instead of crashing.
"""
from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from tutor.course.controls import show_controls
from tutor.i18n import _

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding. ``line`` is 1-based; 0 means the path as a whole (a folder, a missing file)."""

    path: str
    line: int
    message: str
    severity: str = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def __str__(self) -> str:
        """``path:line: [warning: ]message``, safe to print: control characters in a file
        name (or quoted in the message) are shown as visible stand-ins."""
        where = f"{self.path}:{self.line}" if self.line > 0 else str(self.path)
        if self.severity == WARNING:
            return show_controls(_("{where}: warning: {message}").format(where=where, message=self.message))
        return show_controls(f"{where}: {self.message}")

    def to_dict(self) -> dict:
        """For ``--json``: the path exactly as on disk (JSON escapes controls), the message
        made visible."""
        return {"path": self.path, "line": self.line, "message": show_controls(self.message),
                "severity": self.severity}


class Sink:
    """Collects the problems of one file, so checks can keep going after the first one."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self.problems: list[Problem] = []
        self.error_count = 0  # kept as we go: counting each time made big files quadratic

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, ERROR))
        self.error_count += 1

    def warning(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message, WARNING))


def did_you_mean(word: str, candidates, cutoff: float = 0.75) -> str:
    """`` (did you mean 'quiz'?)`` for the closest candidate, or ``""`` when none is close.

    Closeness is difflib's ratio (``cutoff`` 0..1): 'answers'/'answer', 'quizz'/'quiz'.
    """
    best = get_close_matches(word.lower(), list(candidates), n=1, cutoff=cutoff)
    return _(" (did you mean '{word}'?)").format(word=best[0]) if best else ""  # the space: CJK drops it
