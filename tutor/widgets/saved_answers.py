"""What the learner already answered in a lesson, read back from the progress store.

The lesson player uses it to show earlier answers when a step is reopened, and to know which
graded exercises are still open when the learner finishes.  ``Saved`` maps an exercise id to
its blanks ("" for a quiz, "1" for a fill-mask guess) and each blank's latest answer.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tutor.course.blocks import Block, FillMaskBlock, Lesson


@dataclass(frozen=True)
class SavedAnswer:
    answer: str
    correct: bool
    hints_used: int


Saved = dict[str, dict[str, SavedAnswer]]


def latest_answers(store: Any, lesson_id: str) -> Saved:
    """The latest attempt per (exercise, blank) of this profile in ``lesson_id``.

    Reads through the store's sqlite-utils ``db`` (the store has no such query yet; the
    lead may move this into ``ProgressStore`` as a method)."""
    if store is None:
        return {}
    rows = store.db.execute(
        "SELECT exercise_id, blank, answer, correct, hints_used FROM attempts"
        " WHERE profile = ? AND lesson_id = ? ORDER BY id", (store.profile, lesson_id)).fetchall()
    saved: Saved = {}
    for exercise_id, blank, answer, correct, hints in rows:  # later rows overwrite earlier ones
        saved.setdefault(exercise_id, {})[blank] = SavedAnswer(answer or "", bool(correct), int(hints or 0))
    return saved


def graded_blocks(lesson: Lesson) -> list[Block]:
    """The exercises that grade the learner: clozes, quizzes and guess-first fill-masks with answers."""
    return [b for b in lesson.blocks()
            if b.graded or (isinstance(b, FillMaskBlock) and b.guess and b.answers)]


def unanswered(lesson: Lesson, saved: Saved) -> list[tuple[int, Block]]:
    """(1-based step, block) of each graded exercise without a saved answer."""
    out = []
    graded = set(map(id, graded_blocks(lesson)))
    for number, step in enumerate(lesson.steps, 1):
        out += [(number, b) for b in step.interactive if id(b) in graded and b.id not in saved]
    return out


def lesson_score(lesson: Lesson, saved: Saved) -> tuple[int, int]:
    """(right, graded items) over the latest answers to this lesson's graded exercises."""
    items = [a for b in graded_blocks(lesson) for a in saved.get(b.id, {}).values()]
    return sum(a.correct for a in items), len(items)
