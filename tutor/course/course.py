"""A course: lesson folders in order, plus every problem, within and between lessons.

Folder order comes from ``order.txt`` (one lesson file name or lesson id per line, ``#``
comments); lessons it does not list follow, sorted by file name, so a new lesson shows up
before anyone remembers to list it.  Later folders (``--lessons DIR``) add lessons.
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from tutor.course.blocks import Lesson
from tutor.course.parse import load_lesson
from tutor.course.parity import glossary_problems, language_of, original_of, version_problems
from tutor.course.problems import WARNING, Problem, Sink, did_you_mean
from tutor.course.reading import special_kind
from tutor.course.validate import cross_check
from tutor.i18n import _

ORDER_FILE = "order.txt"


@dataclass
class Course:
    """The ordered lessons; ``problems`` holds all of them (folder, lesson and cross-lesson).

    Lesson ids are unique in ``lessons``: a later lesson with an id already taken is left out,
    kept in ``skipped``, and its "duplicate lesson id" error (naming both files) is in
    ``problems`` so the app can show it.
    """

    lessons: list[Lesson] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    dirs: list[Path] = field(default_factory=list)
    skipped: list[Lesson] = field(default_factory=list)

    @property
    def by_id(self) -> dict[str, Lesson]:
        """Lessons by id (unique: see ``skipped``)."""
        out: dict[str, Lesson] = {}
        for lesson in self.lessons:
            out.setdefault(lesson.id, lesson)
        return out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def get(self, lesson_id: str) -> Lesson | None:
        return self.by_id.get(lesson_id)

    def __iter__(self) -> Iterator[Lesson]:
        return iter(self.lessons)

    def __len__(self) -> int:
        return len(self.lessons)


def is_lesson_name(path: Path) -> bool:
    """``*.md`` names, except README.md and names starting with '_' or '.' (notes, drafts)."""
    return (path.suffix.lower() == ".md" and path.name.lower() != "readme.md"
            and not path.name.startswith(("_", ".")))


def is_lesson_file(path: Path) -> bool:
    """A lesson name that is a regular file (a FIFO named ``x.md`` would block a reader)."""
    return is_lesson_name(path) and path.is_file()


def _special_files(entries: list[Path]) -> list[Problem]:
    """Warnings for lesson-named entries that are not regular files (pipes, devices, links
    to nowhere): they are skipped, and nobody should wonder why."""
    found = []
    for path in entries:
        try:
            mode = path.stat().st_mode
            kind = "" if stat.S_ISDIR(mode) else special_kind(mode)
        except OSError:
            kind = _("a broken link")
        if kind:
            found.append(Problem(str(path), 0, _("skipped: {kind} is not a lesson file").format(kind=kind), WARNING))
    return found


def load_folder(folder: Path) -> tuple[list[Lesson], list[Problem]]:
    """The lessons of one folder in course order, and the folder's own problems."""
    sink = Sink(folder)
    if not folder.exists():
        sink.error(0, _("lesson folder not found"))
        return [], sink.problems
    if not folder.is_dir():
        sink.error(0, _("not a folder"))
        return [], sink.problems
    try:
        named = sorted((p for p in folder.iterdir() if is_lesson_name(p)), key=lambda p: p.name)
        files = [p for p in named if p.is_file()]
    except OSError as exc:
        sink.error(0, _("cannot list the folder: {error}").format(error=exc.strerror or exc))
        return [], sink.problems
    sink.problems.extend(_special_files([p for p in named if p not in files]))
    if not files:
        sink.warning(0, _("no lesson files (*.md) in this folder"))
    lessons = [load_lesson(p) for p in files]
    order_path = folder / ORDER_FILE
    if order_path.exists():
        lessons, order_problems = _apply_order(order_path, lessons)
        sink.problems.extend(order_problems)
    return lessons, sink.problems


def _apply_order(order_path: Path, lessons: list[Lesson]) -> tuple[list[Lesson], list[Problem]]:
    sink = Sink(order_path)
    try:
        text = order_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        sink.error(1, _("cannot read the order file: {error}").format(error=getattr(exc, "strerror", None) or exc))
        return lessons, sink.problems
    ordered: list[Lesson] = []
    listed_on: dict[int, int] = {}  # id(lesson) -> line
    for number, raw in enumerate(text.splitlines(), 1):
        entry = raw.split("#", 1)[0].strip()
        if not entry:
            continue
        match = next((l for l in lessons if entry in (l.path.name, l.path.stem, l.id)), None)
        if match is None:
            names = [n for l in lessons for n in (l.path.name, l.id)]
            sink.error(number, _("'{entry}' is not a lesson in this folder (no such file or id){hint}").format(
                entry=entry, hint=did_you_mean(entry, names)))
        elif id(match) in listed_on:
            sink.warning(number, _("'{entry}' is already listed on line {line}").format(
                entry=entry, line=listed_on[id(match)]))
        else:
            listed_on[id(match)] = number
            ordered.append(match)
    rest = [l for l in lessons if id(l) not in listed_on]  # already sorted by file name
    return ordered + rest, sink.problems


def _gather(dirs: Iterable[str | Path]) -> tuple[list[Lesson], list[Problem], list[Path]]:
    """Lessons of several folders, each folder once, each file once."""
    lessons: list[Lesson] = []
    problems: list[Problem] = []
    seen_dirs: set[Path] = set()
    seen_files: set[Path] = set()
    folders: list[Path] = []
    for folder in dirs:
        folder = Path(folder)
        key = _resolved(folder)
        if key in seen_dirs:
            continue
        seen_dirs.add(key)
        folders.append(folder)
        found, folder_problems = load_folder(folder)
        problems.extend(folder_problems)
        for lesson in found:
            if _resolved(lesson.path) not in seen_files:
                seen_files.add(_resolved(lesson.path))
                lessons.append(lesson)
    return lessons, problems, folders


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def load_course(dirs: Iterable[str | Path] | None = None) -> Course:
    """The course from ``dirs`` (default: the bundled lessons). Never raises."""
    if dirs is None:
        from tutor.paths import LESSONS_DIR
        dirs = [LESSONS_DIR]
    lessons, folder_problems, folders = _gather(dirs)
    cross_check(lessons, ordered=True)
    problems = folder_problems + [p for lesson in lessons for p in _by_line(lesson.problems)]
    kept: dict[str, Lesson] = {}
    for lesson in lessons:
        kept.setdefault(lesson.id, lesson)
    skipped = [l for l in lessons if kept[l.id] is not l]
    return Course(lessons=list(kept.values()), problems=problems, dirs=folders, skipped=skipped)


def check_paths(paths: Iterable[str | Path], context_dirs: Iterable[str | Path] = ()) -> list[Problem]:
    """Every problem in ``paths`` (lesson files and/or folders), cross-file checks included.

    ``context_dirs`` (e.g. the bundled lessons) are loaded too, so ``requires`` may point into
    them and ids may not clash with them; their own problems are not reported.
    """
    return load_paths(paths, context_dirs)[1]


def load_paths(paths: Iterable[str | Path],
               context_dirs: Iterable[str | Path] = ()) -> tuple[list[Lesson], list[Problem]]:
    """:func:`check_paths` that also returns the lessons it read (the CLI lints them again
    with the model)."""
    lessons: list[Lesson] = []
    problems: list[Problem] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found, folder_problems = load_folder(path)
            problems.extend(folder_problems)
        elif path.exists():
            found = [load_lesson(path)]
        else:
            problems.append(Problem(str(path), 0, _("no such file or folder")))
            continue
        for lesson in found:
            if _resolved(lesson.path) not in seen:
                seen.add(_resolved(lesson.path))
                lessons.append(lesson)
    context_lessons, _unused, _unused = _gather(_same_language(context_dirs, lessons))
    context = [l for l in context_lessons if _resolved(l.path) not in seen]
    cross_check(lessons, context)
    problems += [p for lesson in lessons for p in _by_line(lesson.problems)]
    return lessons, problems + _translation_problems(lessons)


def _same_language(context_dirs: Iterable[str | Path], lessons: list[Lesson]) -> list[Path]:
    """A translation is checked against its own language's course: ``lessons/zh/`` for zh
    files, since the English course holds the same ids on purpose."""
    languages = {language_of(l.path) for l in lessons if l.path is not None}
    dirs = [Path(d) for d in context_dirs]
    if len(languages) != 1 or None in languages:
        return dirs
    (lang,) = languages
    return [d if language_of(d) == lang else d / lang for d in dirs if (d / lang).is_dir() or language_of(d) == lang]


def _translation_problems(lessons: list[Lesson]) -> list[Problem]:
    """Drift from the original (ids, steps, answers, model inputs) and glossary words."""
    out: list[Problem] = []
    for lesson in lessons:
        if lesson.path is None or language_of(lesson.path) != "zh":
            continue
        original = original_of(Path(lesson.path))
        if original is not None:
            out += version_problems(load_lesson(original), lesson)
        try:
            out += glossary_problems(lesson, Path(lesson.path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):  # the lesson's own problems already say why
            pass
    return out


def _by_line(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: p.line)
