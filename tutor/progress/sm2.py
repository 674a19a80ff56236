"""The SM-2 review scheduler as pure functions, so the store and the tests share one rule.

A missed item comes back after 1 day; each success stretches the gap (1, 6, then
interval * ease days) and each failure starts it over. Quality is derived from the answer
instead of asking the learner to grade themselves: a clean correct answer is 5, a correct
answer that needed hints is 3 (a pass, but ease drops), a wrong answer is 1.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

START_EASE = 2.5
MIN_EASE = 1.3
FAIL_EASE_STEP = 0.2

QUALITY_CLEAN = 5
QUALITY_HINTED = 3
QUALITY_WRONG = 1
PASS_QUALITY = 3


def quality(correct: bool, hints_used: int = 0) -> int:
    """Map an answer to an SM-2 quality grade (0-5)."""
    if not correct:
        return QUALITY_WRONG
    return QUALITY_CLEAN if hints_used <= 0 else QUALITY_HINTED


@dataclass(frozen=True)
class Schedule:
    """The SM-2 state of one review item."""

    ease: float = START_EASE
    repetitions: int = 0
    interval_days: int = 0


def missed(previous: Schedule | None) -> Schedule:
    """State after a wrong answer: a new item starts at ease 2.5, a known one loses 0.2.

    Either way it is due again in 1 day with the repetition count back at 0.
    """
    if previous is None:
        return Schedule(START_EASE, 0, 1)
    return Schedule(_clamp(previous.ease - FAIL_EASE_STEP), 0, 1)


def next_schedule(previous: Schedule, grade: int) -> Schedule:
    """Classic SM-2 step (Wozniak 1990), except that a failure costs a flat 0.2 of ease.

    The interval uses the ease from before this answer; the ease is then adjusted by
    0.1 - (5-q)(0.08 + (5-q)0.02): +0.1 for q=5, -0.14 for q=3.
    """
    if grade < PASS_QUALITY:
        return missed(previous)
    repetitions = previous.repetitions + 1
    if repetitions == 1:
        interval = 1
    elif repetitions == 2:
        interval = 6
    else:
        interval = max(1, round(max(previous.interval_days, 1) * previous.ease))
    slack = 5 - grade
    ease = _clamp(previous.ease + 0.1 - slack * (0.08 + slack * 0.02))
    return Schedule(ease, repetitions, interval)


def due_after(today: date, schedule: Schedule) -> date:
    return today + timedelta(days=schedule.interval_days)


def _clamp(ease: float) -> float:
    # Two decimals keep repeated +0.1 steps from drifting (2.6000000000000001).
    return round(max(MIN_EASE, ease), 2)
