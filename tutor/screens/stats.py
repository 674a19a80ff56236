"""Progress: one row per lesson — status, score, you vs BERT, reviews due (as `bert-tutor progress`)."""
from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.content import Content
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from tutor.screens.due import review_line, versus_line


class StatsScreen(Screen):
    HELP_TITLE = "Progress"
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Static(id="stats-title", classes="screen-title")
        yield DataTable(id="stats-table", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        store = self.app.store
        known = {lesson.id: lesson.title for lesson in self.app.course.lessons}
        table = self.query_one(DataTable)
        table.add_columns("#", "lesson", "status", "score", "step", "you", "BERT", "both took", "answers",
                          "due now", "later")
        now = self.app.now()
        try:
            rows = store.stats(known_lessons=known, now=now) if store is not None else []
            reviews = store.reviews_by_lesson(now=now) if store is not None else {}
            outlook = store.review_outlook(now=now) if store is not None else None
            versus = store.versus_by_lesson() if store is not None else {}
        except Exception as exc:
            rows, reviews, outlook, versus = [], {}, None, {}
            self.notify(f"cannot read progress: {exc}", severity="error", markup=False)
        for n, row in enumerate(rows, 1):
            score = f"{row['score']:.0%}" if row.get("score") is not None else "—"
            status = "retired" if row.get("retired") else row["status"]
            step = f"{row['step']}/{row['steps_total']}" if row.get("steps_total") else "—"
            both = versus.get(row["lesson_id"], {"items": 0, "you": 0, "bert": 0})
            table.add_row(str(n), Text(row["title"][:32]), status, score, step, str(both["you"]), str(both["bert"]),
                          str(both["items"]), str(row["attempts"]), str(row["due_reviews"]),
                          str(reviews.get(row["lesson_id"], {}).get("due_later", 0)))
        profile = getattr(store, "profile", "default")
        where = "in memory (not saved)" if getattr(store, "in_memory", False) else str(getattr(store, "path", ""))
        # profile and path come from the command line: shown as typed, never as markup
        self.query_one("#stats-title", Static).update(Content.assemble(
            ("Progress", "bold"), f" · profile {profile}\n",
            versus_line({key: sum(v[key] for v in versus.values()) for key in ("items", "you", "bert")}), "\n",
            "Review: ", review_line(outlook or {"due_now": 0, "due_later": 0, "next_due": None}, now), "\n",
            (where, "dim")))
        table.focus()
