"""Review scheduling as pure functions: learning steps in minutes, then SM-2 in days.

A missed item (or one answered only after a hint) first goes through *learning steps*: it
comes back 1 minute later, then 10 minutes later, within the same sitting, as Anki does.
Answered cleanly at the last step it *graduates* into SM-2: 1 day, 6 days, then
interval * ease days; a miss at any point starts the learning steps over.

Quality is derived from the answer instead of asking the learner to grade themselves: a
clean correct answer is 5, a correct answer that needed hints is 3 (a pass, but ease drops,
and in learning it repeats the step), a wrong answer is 1.

A schedule with ``interval_days == 0`` is in learning; its ``repetitions`` counts the
learning steps passed.  Learning items fall due at a minute (``YYYY-MM-DDTHH:MM:SS``, local
time), graduated ones on a day (``YYYY-MM-DD``); both sort correctly as text against the
current moment (a day sorts before every moment of that day), see :func:`moment_key`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

START_EASE = 2.5
MIN_EASE = 1.3
FAIL_EASE_STEP = 0.2
LEARNING_STEPS_MIN = (1, 10)

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
    """The state of one review item (``interval_days == 0``: in learning steps)."""

    ease: float = START_EASE
    repetitions: int = 0
    interval_days: int = 0

    @property
    def learning(self) -> bool:
        return self.interval_days == 0


LEARNING = Schedule(START_EASE, 0, 0)  # a new item at its first learning step


def missed(previous: Schedule | None) -> Schedule:
    """State after a wrong answer: back to the first learning step.

    A new item starts at ease 2.5. Forgetting a graduated item costs 0.2 of ease; misses
    during learning cost nothing more (so retries in one sitting cost ease once at most).
    """
    if previous is None:
        return LEARNING
    return Schedule(previous.ease if previous.learning else _clamp(previous.ease - FAIL_EASE_STEP), 0, 0)


def is_lapse(previous: Schedule | None, grade: int) -> bool:
    """A miss of a new or graduated item (what the ``lapses`` count keeps)."""
    return grade < PASS_QUALITY and (previous is None or not previous.learning)


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


def reviewed(previous: Schedule | None, grade: int) -> Schedule:
    """State after a review answer: a learning step, graduation into SM-2, or an SM-2 step."""
    if grade < PASS_QUALITY:
        return missed(previous)
    if previous is None:  # the item vanished meanwhile (reset): count it as a first success
        return next_schedule(Schedule(), grade)
    if not previous.learning:
        return next_schedule(previous, grade)
    step = previous.repetitions + (1 if grade >= QUALITY_CLEAN else 0)  # a hint repeats the step
    if step < len(LEARNING_STEPS_MIN):
        return Schedule(previous.ease, step, 0)
    return next_schedule(Schedule(previous.ease, 0, 0), grade)  # graduates: due in 1 day


def due(moment: datetime, schedule: Schedule) -> str:
    """When the item is due next, as text that compares with :func:`moment_key`."""
    if schedule.learning:
        step = min(schedule.repetitions, len(LEARNING_STEPS_MIN) - 1)
        return moment_key(moment + timedelta(minutes=LEARNING_STEPS_MIN[step]))
    return due_after(moment.date(), schedule).isoformat()


def due_after(today: date, schedule: Schedule) -> date:
    return today + timedelta(days=schedule.interval_days)


def moment_key(moment: datetime) -> str:
    """A moment as local wall-clock text to the second: what ``due`` is compared with."""
    return moment.replace(tzinfo=None, microsecond=0).isoformat(timespec="seconds")


def due_moment(due_text: str) -> datetime:
    """The first moment an item is due (a day's due text means the start of that day)."""
    return datetime.fromisoformat(due_text)


def _clamp(ease: float) -> float:
    # Two decimals keep repeated +0.1 steps from drifting (2.6000000000000001).
    return round(max(MIN_EASE, ease), 2)
