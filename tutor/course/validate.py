"""Checks that need more than one lesson: duplicate ids, ``requires`` that point nowhere, cycles.

A problem found here is also appended to the lesson it is about, so the TUI can show it next to
that lesson.  ``context`` lessons (e.g. the bundled course while an instructor checks their own
folder) resolve ``requires`` and clash on ids, but are not themselves reported on.
"""
from __future__ import annotations

from graphlib import CycleError, TopologicalSorter
from typing import Iterable

from tutor.course.blocks import Lesson
from tutor.course.problems import ERROR, WARNING, Problem, did_you_mean
from tutor.i18n import _


def cross_check(lessons: list[Lesson], context: Iterable[Lesson] = (), *,
                ordered: bool = False) -> list[Problem]:
    """Problems between ``lessons`` (and against ``context``); ``ordered``: a course's order."""
    context = list(context)
    found: list[Problem] = []

    def report(lesson: Lesson, line: int, message: str, severity: str = ERROR) -> None:
        problem = Problem(str(lesson.path), line, message, severity)
        lesson.problems.append(problem)
        found.append(problem)

    _duplicate_lessons(lessons, context, report)
    _duplicate_blocks(lessons, context, report)
    _requires(lessons, context, report, ordered)
    return found


def _where(lesson: Lesson, line: int) -> str:
    return f"{lesson.path}:{line}" if line else str(lesson.path)


def _id_line(lesson: Lesson) -> int:
    """The line of the lesson's 'id:' (1 when the id came from the file name)."""
    return lesson.meta_lines.get("id", 1)


def _duplicate_lessons(lessons, context, report) -> None:
    """One id, one lesson: the first (in folder order) is used, every later one is reported.

    Lessons whose id came from the file name (no valid 'id:') count too: the course can hold
    only one lesson per id, whatever gave it.
    """
    first: dict[str, Lesson] = {l.id: l for l in reversed(context)}
    for lesson in lessons:
        other = first.setdefault(lesson.id, lesson)
        if other is not lesson:
            message = (_("duplicate lesson id '{id}' (also in {where}); only the first one is used")
                       if "id" in lesson.meta_lines else
                       _("duplicate lesson id '{id}' (from the file name) (also in {where}); only the first one "
                         "is used"))
            report(lesson, _id_line(lesson), message.format(id=lesson.id, where=_where(other, _id_line(other))))


def _duplicate_blocks(lessons, context, report) -> None:
    """Written block ids are unique in the whole course (progress is stored by block id)."""
    first: dict[str, tuple[Lesson, int]] = {}
    for lesson in context:
        for block in lesson.blocks():
            if not block.auto_id:
                first.setdefault(block.id, (lesson, block.line))
    for lesson in lessons:
        for block in lesson.blocks():
            if block.auto_id:
                continue
            other, line = first.setdefault(block.id, (lesson, block.line))
            if other is not lesson:  # within one lesson the parser already reported it
                report(lesson, block.line, _("duplicate block id '{id}' (also in {where})").format(
                    id=block.id, where=_where(other, line)))


def _requires(lessons, context, report, ordered: bool) -> None:
    everyone = {l.id: l for l in list(context) + list(lessons)}
    position = {l.id: i for i, l in reversed(list(enumerate(lessons)))}
    for index, lesson in enumerate(lessons):
        for req in lesson.requires:
            line = lesson.meta_lines.get(f"requires:{req}", lesson.meta_lines.get("requires", 1))
            if req == lesson.id:
                report(lesson, line, _("lesson '{id}' requires itself").format(id=lesson.id))
            elif req not in everyone:
                report(lesson, line, _("requires unknown lesson '{id}'{hint}").format(
                    id=req, hint=did_you_mean(req, everyone)))
            elif ordered and position.get(req, -1) > index:
                report(lesson, line, _("requires '{id}', which comes later in the course").format(id=req), WARNING)
    for lesson, cycle in _cycles(lessons, everyone):
        line = lesson.meta_lines.get(f"requires:{cycle[1]}", 1)
        report(lesson, line, _("'requires' goes round in a circle: {cycle}").format(cycle=" → ".join(cycle)))


def _cycles(lessons, everyone: dict[str, Lesson]):
    """(lesson, [its id, what it requires, ..., its id]) for each lesson of ``lessons`` on a
    'requires' cycle (self-loops are reported on their own), found by graphlib."""
    graph = {l.id: {r for r in l.requires if r in everyone and r != l.id}
             for l in everyone.values()}
    mine = {l.id: l for l in reversed(lessons)}
    reported: set[str] = set()
    for _round in range(sum(len(reqs) for reqs in graph.values())):  # each round drops an edge
        try:
            TopologicalSorter(graph).prepare()
            return
        except CycleError as exc:
            # graphlib lists predecessors first: reversed, each id requires the next one
            cycle = list(reversed(exc.args[1]))[:-1]
        for i, lesson_id in enumerate(cycle):
            if lesson_id in mine and lesson_id not in reported:
                reported.add(lesson_id)
                turn = cycle[i:] + cycle[:i]
                yield mine[lesson_id], turn + [lesson_id]
        graph[cycle[0]].discard(cycle[1])
