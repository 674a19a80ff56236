"""Progress in words for the home, stats and review screens: review timing ("in 8 min",
"tomorrow") and you vs BERT."""
from __future__ import annotations

from datetime import datetime

from textual.content import Content

from tutor.i18n import _, ngettext
from tutor.widgets.styled_template import styled_parts


def when(moment: datetime | None, now: datetime) -> str:
    """When ``moment`` comes, relative to ``now``: "now", "in 8 min", "tomorrow", "on 2026-12-09"."""
    if moment is None:
        return _("never")
    moment, now = moment.replace(tzinfo=None), now.replace(tzinfo=None)
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return _("now")
    if moment.date() == now.date():
        minutes = int(-(-seconds // 60))  # round up: "in 1 min" until it is due
        return _("in {n} min").format(n=minutes) if minutes < 60 else _("at {time}").format(time=f"{moment:%H:%M}")
    days = (moment.date() - now.date()).days
    if days == 1:
        return _("tomorrow")
    if days < 7:
        return ngettext("in {n} day", "in {n} days", days).format(n=days)
    return _("on {date}").format(date=f"{moment:%Y-%m-%d}")


def review_line(outlook: dict, now: datetime) -> str:
    """"2 due now · 3 later (next in 8 min)" from ``ProgressStore.review_outlook``."""
    due_now, due_later = outlook["due_now"], outlook["due_later"]
    if not due_now and not due_later:
        return _("Nothing to review: items you miss, or answer after a hint, come back here.")
    if not due_later:
        return _("{now} due now · none later").format(now=due_now)
    return _("{now} due now · {later} later (next {when})").format(now=due_now, later=due_later,
                                                                     when=when(outlook["next_due"], now))


def versus_line(versus: dict | None) -> Content:
    """"You vs BERT on the same 12 items: you 9, BERT 7" (quizzes, which BERT never takes, and
    answers given before the model was ready are left out, so both sides took every item)."""
    if not versus or not versus["items"]:
        return Content.styled(_("Answer cloze blanks to see how you compare with BERT on the same items."), "dim")
    items = versus["items"]
    template = ngettext("{title} on the same {n} item: {you}, {bert}", "{title} on the same {n} items: {you}, {bert}",
                        items)
    return Content.assemble(*styled_parts(template, title=(_("You vs BERT"), "bold"), n=items,
                                          you=(_("you {n}").format(n=versus["you"]), "bold"),
                                          bert=(_("BERT {n}").format(n=versus["bert"]), "bold")))
