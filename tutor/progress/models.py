"""Plain records the store hands out; timestamps are ISO strings so they print and JSON as-is."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

NOT_STARTED = "not-started"
IN_PROGRESS = "in-progress"
DONE = "done"
STATUSES = (NOT_STARTED, IN_PROGRESS, DONE)  # in the order a lesson moves through them


@dataclass(frozen=True)
class LessonProgress:
    """How far one profile got in one lesson; ``score`` is a fraction 0..1 (best so far)."""

    lesson_id: str
    step: int
    steps_total: int
    status: str
    score: float | None
    started: str | None
    finished: str | None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ReviewItem:
    """One missed blank under SM-2 review; ``due`` is an ISO date (YYYY-MM-DD)."""

    lesson_id: str
    exercise_id: str
    blank: str
    ease: float
    interval_days: int
    repetitions: int
    due: str

    @property
    def key(self) -> tuple[str, str, str]:
        """What ``ProgressStore.review_result`` accepts in place of the item."""
        return (self.lesson_id, self.exercise_id, self.blank)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
