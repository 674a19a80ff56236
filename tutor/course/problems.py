"""Problems found in lesson files: where (file and 1-based line) and what, as editors expect.

Every check in ``tutor.course`` reports a :class:`Problem` instead of raising, so the CLI can
list them all at once (``file:line: message``) and the TUI can show a broken lesson with its
errors instead of crashing.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

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
        where = f"{self.path}:{self.line}" if self.line > 0 else str(self.path)
        tag = "warning: " if self.severity == WARNING else ""
        return f"{where}: {tag}{self.message}"

    def to_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "message": self.message,
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


def did_you_mean(word: str, candidates, max_distance: int = 2) -> str:
    """`` (did you mean 'quiz'?)`` for the closest candidate, or ``""`` when none is close."""
    best, best_d = None, max_distance + 1
    for cand in candidates:
        d = edit_distance(word.lower(), cand)
        if d < best_d:
            best, best_d = cand, d
    return f" (did you mean '{best}'?)" if best is not None else ""


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (short words only: block kinds and field names)."""
    if len(a) > 40 or len(b) > 40:
        return max(len(a), len(b))
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
