"""Live reload: watch every lesson folder and tell the screens when the course changed.

The app runs :func:`lesson_changes` in a thread worker, re-reads the course there (it takes
a few hundred milliseconds, too long for the UI thread) and posts :class:`CourseChanged`;
the app swaps the course in and posts :class:`CourseReloaded` to every screen it holds, so
the home screen redraws its list and an open lesson redraws its step from the new file.
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Iterable, Iterator

from textual.message import Message

from tutor.course import Course
from tutor.course.course import ORDER_FILE

DEBOUNCE_MS = 300  # an editor's save is often several writes; reload once


class CourseChanged(Message):
    """Posted to the app from the watcher thread: the course as re-read after ``paths`` changed."""

    def __init__(self, course: Course, paths: frozenset[Path]) -> None:
        super().__init__()
        self.course = course
        self.paths = paths


class CourseReloaded(Message):
    """Posted to each screen once the app uses the new course; ``paths`` are the changed files."""

    def __init__(self, paths: frozenset[Path]) -> None:
        super().__init__()
        self.paths = paths


def _is_course_file(path: Path, folders: set[Path]) -> bool:
    # by name only: a deleted file no longer exists to be looked at
    in_folder = path.parent in folders
    return in_folder and (path.name == ORDER_FILE or (path.suffix.lower() == ".md" and path.name.lower() != "readme.md"
                                                      and not path.name.startswith(("_", "."))))


def lesson_changes(dirs: Iterable[Path], stop: threading.Event) -> Iterator[frozenset[Path]]:
    """Yield the set of changed lesson files (``*.md``, ``order.txt``) each time some change,
    until ``stop`` is set. Folders that do not exist are skipped (the course lists them)."""
    from watchfiles import watch

    folders = {Path(d).resolve() for d in dirs if Path(d).is_dir()}
    if not folders:
        return
    for changes in watch(*sorted(folders), stop_event=stop, debounce=DEBOUNCE_MS, recursive=False,
                         raise_interrupt=False):
        paths = frozenset(p for _, raw in changes if _is_course_file(p := Path(raw), folders))
        if paths:
            yield paths
