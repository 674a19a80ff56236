"""Progress in words for the home, stats and review screens: review timing ("in 8 min",
"tomorrow") and you vs BERT."""
from __future__ import annotations

from datetime import datetime

from textual.content import Content


def when(moment: datetime | None, now: datetime) -> str:
    """When ``moment`` comes, relative to ``now``: "now", "in 8 min", "tomorrow", "on 2026-12-09"."""
    if moment is None:
        return "never"
    moment, now = moment.replace(tzinfo=None), now.replace(tzinfo=None)
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return "now"
    if moment.date() == now.date():
        minutes = -(-seconds // 60)  # round up: "in 1 min" until it is due
        return f"in {minutes:.0f} min" if minutes < 60 else f"at {moment:%H:%M}"
    days = (moment.date() - now.date()).days
    return "tomorrow" if days == 1 else f"in {days} days" if days < 7 else f"on {moment:%Y-%m-%d}"


def review_line(outlook: dict, now: datetime) -> str:
    """"2 due now · 3 later (next in 8 min)" from ``ProgressStore.review_outlook``."""
    due_now, due_later = outlook["due_now"], outlook["due_later"]
    if not due_now and not due_later:
        return "Nothing to review: items you miss, or answer after a hint, come back here."
    later = f" · {due_later} later (next {when(outlook['next_due'], now)})" if due_later else " · none later"
    return f"{due_now} due now{later}"


def versus_line(versus: dict | None) -> Content:
    """"You vs BERT on the same 12 items: you 9, BERT 7" (quizzes, which BERT never takes, and
    answers given before the model was ready are left out, so both sides took every item)."""
    if not versus or not versus["items"]:
        return Content.styled("Answer cloze blanks to see how you compare with BERT on the same items.", "dim")
    items = versus["items"]
    return Content.assemble(("You vs BERT", "bold"), f" on the same {items} item{'s' if items != 1 else ''}: ",
                            (f"you {versus['you']}", "bold"), ", ", (f"BERT {versus['bert']}", "bold"))
