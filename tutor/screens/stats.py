"""Progress: one row per lesson — how far, score, you vs BERT on shared items, reviews due.

Columns are few and the title column takes what the terminal has left, so the table fits
80 columns without a horizontal scrollbar. Names from files and arguments are shown as typed.
"""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tutor.screens.due import review_line, versus_line

COLUMNS = (("#", 2), ("progress", 10), ("you/BERT (n)", 12), ("review", 15))  # besides the title
FIXED_WIDTH = sum(width for _, width in COLUMNS) + 2 * (len(COLUMNS) + 1) + 2  # cell padding, scrollbar


class StatsScreen(Screen):
    HELP_TITLE = "Progress"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title", classes="screen-title")
        yield DataTable(id="stats-table", zebra_stripes=True, cursor_type="row")
        yield Footer(compact=True)

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
            self.notify(f"cannot read progress: {exc}", severity="error", markup=False)
        title_width = min(48, max(16, self.app.size.width - FIXED_WIDTH))  # numbers stay near their titles
        table = self.query_one(DataTable)
        for index, (label, width) in enumerate(COLUMNS):
            table.add_column(label, width=width)
            if index == 0:
                table.add_column("lesson", width=title_width)
        totals = {lesson.id: len(lesson.steps) for lesson in self.app.course.lessons}
        for n, row in enumerate(rows, 1):
            if row["lesson_id"] in totals and row["status"] != "not-started":  # as it is now: never "3/2"
                row["steps_total"] = totals[row["lesson_id"]]
                row["step"] = min(row["step"], row["steps_total"])
            title = row["title"] if len(row["title"]) <= title_width else row["title"][:title_width - 1] + "…"
            table.add_row(str(n), Text(title), _progress_cell(row), _versus_cell(versus.get(row["lesson_id"])),
                          _review_cell(reviews.get(row["lesson_id"])))
        profile = getattr(store, "profile", "default")
        where = "in memory (not saved)" if getattr(store, "in_memory", False) else str(getattr(store, "path", ""))
        # profile and path come from the command line: shown as typed, never as markup
        self.query_one("#stats-title", Static).update(Content.assemble(
            ("Progress", "bold"), f" · profile {profile}\n",
            versus_line({key: sum(v[key] for v in versus.values()) for key in ("items", "you", "bert")}), "\n",
            ("Review: ", "bold"), review_line(outlook or {"due_now": 0, "due_later": 0, "next_due": None}, now), "\n",
            (where, "$text-muted")))
        table.focus()


def _progress_cell(row: dict) -> str:
    if row.get("retired"):
        return "retired"
    if row["status"] == "done":
        return f"done {row['score']:.0%}" if row.get("score") is not None else "done"
    if row.get("steps_total") and row.get("step") and row["status"] != "not-started":
        return f"step {row['step']}/{row['steps_total']}"
    return "started" if row["status"] == "in-progress" else "—"


def _versus_cell(both: dict | None) -> str:
    return f"{both['you']}/{both['bert']} ({both['items']})" if both and both["items"] else "—"


def _review_cell(reviews: dict | None) -> str:
    if not reviews:
        return "—"
    return f"{reviews['due_now']} now, {reviews['due_later']} later"
