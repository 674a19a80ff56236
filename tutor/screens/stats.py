"""Progress: one row per lesson — how far, score, you vs BERT on shared items, reviews due.

Columns are few and the title column takes what the terminal has left, so the table fits
80 columns without a horizontal scrollbar. Names from files and arguments are shown as typed.
"""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tutor.i18n import N_, _
from tutor.screens.due import review_line, versus_line
from tutor.screens.footer import TutorFooter
from tutor.screens.language import LanguageChanged
from tutor.screens.wording import fit, label_text

COLUMNS = (("#", 2), (N_("progress"), 10), (N_("you/BERT (n)"), 12), (N_("review"), 15))  # besides the title
FIXED_WIDTH = sum(width for _, width in COLUMNS) + 2 * (len(COLUMNS) + 1) + 2  # cell padding, scrollbar


class StatsScreen(Screen):
    HELP_TITLE = N_("Progress")
    BINDINGS = [Binding("escape,q", "app.pop_screen", N_("Back"))]

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title", classes="screen-title")
        yield DataTable(id="stats-table", zebra_stripes=True, cursor_type="row")
        yield TutorFooter(compact=True)

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        await self.recompose()
        self.on_mount()

    def on_mount(self) -> None:
        store = self.app.store
        known = {lesson.id: lesson.title for lesson in self.app.course.lessons}
        now = self.app.now()
        try:
            rows = store.stats(known_lessons=known, now=now) if store is not None else []
            reviews = store.reviews_by_lesson(now=now) if store is not None else {}
            outlook = store.review_outlook(now=now) if store is not None else None
            versus = store.versus_by_lesson() if store is not None else {}
        except Exception as exc:
            rows, reviews, outlook, versus = [], {}, None, {}
            self.notify(_("cannot read progress: {error}").format(error=exc), severity="error", markup=False)
        title_width = min(48, max(16, self.app.size.width - FIXED_WIDTH))  # numbers stay near their titles
        table = self.query_one(DataTable)
        for index, (label, width) in enumerate(COLUMNS):
            table.add_column(_(label) if index else label, width=width)
            if index == 0:
                table.add_column(_("lesson"), width=title_width)
        totals = {lesson.id: len(lesson.steps) for lesson in self.app.course.lessons}
        for n, row in enumerate(rows, 1):
            if row["lesson_id"] in totals and row["status"] != "not-started":  # as it is now: never "3/2"
                row["steps_total"] = totals[row["lesson_id"]]
                row["step"] = min(row["step"], row["steps_total"])
            title = row["title"] if cell_len(row["title"]) <= title_width else fit(row["title"], title_width)
            table.add_row(str(n), Text(title), _progress_cell(row), _versus_cell(versus.get(row["lesson_id"])),
                          _review_cell(reviews.get(row["lesson_id"])))
        profile = getattr(store, "profile", "default")
        where = _("in memory (not saved)") if getattr(store, "in_memory", False) else str(getattr(store, "path", ""))
        # profile and path come from the command line: shown as typed, never as markup
        self.query_one("#stats-title", Static).update(Content.assemble(
            (_("Progress"), "bold"), " · ", _("profile {profile}").format(profile=profile), "\n",
            versus_line({key: sum(v[key] for v in versus.values()) for key in ("items", "you", "bert")}), "\n",
            (label_text(_("Review:")), "bold"), review_line(outlook or {"due_now": 0, "due_later": 0, "next_due": None}, now),
            "\n", (where, "$text-muted")))
        table.focus()


def _progress_cell(row: dict) -> str:
    if row.get("retired"):
        return _("retired")
    if row["status"] == "done":
        return _("done {score}").format(score=f"{row['score']:.0%}") if row.get("score") is not None else _("done")
    if row.get("steps_total") and row.get("step") and row["status"] != "not-started":
        return _("step {step}/{total}").format(step=row["step"], total=row["steps_total"])
    return _("started") if row["status"] == "in-progress" else "—"


def _versus_cell(both: dict | None) -> str:
    return f"{both['you']}/{both['bert']} ({both['items']})" if both and both["items"] else "—"


def _review_cell(reviews: dict | None) -> str:
    if not reviews:
        return "—"
    return _("{now} now, {later} later").format(now=reviews["due_now"], later=reviews["due_later"])
