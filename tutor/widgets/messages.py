"""Messages widgets send up to their screen (which alone writes to the progress store)."""
from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class GradedItem:
    """One graded answer: a cloze blank, a quiz question or a fill-mask guess."""

    blank: str
    answer: str
    correct: bool
    key: str
    bert_choice: str | None = None
    bert_probability: float | None = None
    bert_correct: bool | None = None
    hints_used: int = 0
    seconds: float | None = None


class ExerciseGraded(Message):
    """An exercise was checked; ``items`` holds one entry per graded part."""

    def __init__(self, exercise_id: str, kind: str, items: list[GradedItem]) -> None:
        super().__init__()
        self.exercise_id = exercise_id
        self.kind = kind
        self.items = items

    @property
    def score(self) -> tuple[int, int]:
        return sum(i.correct for i in self.items), len(self.items)
