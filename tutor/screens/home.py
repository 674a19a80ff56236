"""Home: the course map with status and score, Continue, Review (N due), you vs BERT.

Everything here comes from the parsed course and the SQLite store, so it paints at once;
the model badge in the corner fills in when the engine worker reports back.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, OptionList, Static
from textual.widgets.option_list import Option

from tutor.screens.live_reload import CourseReloaded
from tutor.screens.due import review_line, versus_line
from tutor.widgets.model_status import ModelStatus


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", "Open", show=False),
        Binding("c", "continue", "Continue"),
        Binding("r", "review", "Review"),
        Binding("p", "playground", "Playground"),
        Binding("s", "stats", "Progress"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    _due_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("[b]bert-tutor[/b] · learn BERT by using one", id="app-title")
            yield ModelStatus(id="model-status")
        with Horizontal(id="home-main"):
            with Vertical(id="course-pane"):
                yield Static("Course", classes="pane-title")
                yield OptionList(id="course-list")
            with Vertical(id="detail-pane"):
                yield Static(id="lesson-detail")
                with Horizontal(id="home-buttons"):
                    yield Button("Continue ▶", id="continue", variant="primary")
                    yield Button("Review", id="review")
                    yield Button("Playground", id="playground")
                yield Static(id="review-due")
                yield Static(id="tally")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_course()
        self.query_one("#course-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        self.refresh_course()

    def on_course_reloaded(self, _event: CourseReloaded) -> None:
        self.refresh_course()

    # -- data -----------------------------------------------------------------------------
    def _progress(self) -> dict:
        store = self.app.store
        try:
            return store.lesson_progress() if store is not None else {}
        except Exception:
            return {}

    def refresh_course(self) -> None:
        progress = self._progress()
        course_list = self.query_one("#course-list", OptionList)
        highlighted = course_list.highlighted
        course_list.clear_options()
        for number, lesson in enumerate(self.app.course.lessons, 1):
            saved = progress.get(lesson.id)
            if self.app.shadowed_by(lesson) is not None:
                mark, status, saved = "✗", Text("duplicate id", style="red"), None
            elif lesson.errors and not lesson.steps:
                mark, status = "✗", Text("broken", style="red")
            elif saved and saved.status == "done":
                mark = "✓"
                status = Text(f"{saved.score:.0%}" if saved.score is not None else "done", style="green")
            elif saved and saved.status == "in-progress":
                total = len(lesson.steps)  # the lesson as it is now, not as it was saved
                mark, status = "▶", Text(f"step {min(saved.step, total)}/{total}", style="yellow")
            else:
                mark, status = " ", Text("")
            label = Text.assemble(f"{mark} {number:>2} ", lesson.title[:34].ljust(35), status)
            course_list.add_option(Option(label))  # no option ids: two lessons may share an id
        if self.app.course.lessons:
            course_list.highlighted = highlighted if highlighted is not None else self._next_index(progress)
        self._update_review_button()
        self._update_tally()
        self._show_detail()

    def _next_index(self, progress: dict) -> int:
        for i, lesson in enumerate(self.app.course.lessons):
            saved = progress.get(lesson.id)
            if not saved or saved.status != "done":
                return i
        return 0

    def _update_review_button(self) -> None:
        store = self.app.store
        now = self.app.now()
        try:
            outlook = store.review_outlook(now=now) if store is not None else None
        except Exception:
            outlook = None
        outlook = outlook or {"due_now": 0, "due_later": 0, "next_due": None}
        button = self.query_one("#review", Button)
        button.label = f"Review ({outlook['due_now']} due)"
        button.disabled = outlook["due_now"] == 0
        self.query_one("#review-due", Static).update(Text.assemble(("Review: ", "bold"), review_line(outlook, now)))
        if self._due_timer is not None:
            self._due_timer.stop()
            self._due_timer = None
        if outlook["next_due"] is not None:  # learning steps fall due within minutes: update then
            wait = (outlook["next_due"] - now.replace(tzinfo=None)).total_seconds()
            if 0 < wait < 24 * 3600:
                self._due_timer = self.set_timer(wait + 0.5, self._update_review_button)

    def _update_tally(self) -> None:
        store = self.app.store
        try:
            versus = store.versus() if store is not None else None
        except Exception:
            versus = None
        self.query_one("#tally", Static).update(versus_line(versus))

    def selected_lesson(self):
        course_list = self.query_one("#course-list", OptionList)
        index = course_list.highlighted
        lessons = self.app.course.lessons
        return lessons[index] if index is not None and 0 <= index < len(lessons) else None

    @on(OptionList.OptionHighlighted)
    def _show_detail(self, _event=None) -> None:
        lesson = self.selected_lesson()
        detail = self.query_one("#lesson-detail", Static)
        if lesson is None:
            detail.update("No lessons found. Add some with --lessons DIR.")
            return
        text = Text(f"{lesson.title}\n", style="bold")
        meta = f"{len(lesson.steps)} steps" + (f" · about {lesson.minutes} min" if lesson.minutes else "")
        kinds = ", ".join(sorted(lesson.kinds()))
        text.append(meta + (f" · {kinds}" if kinds else "") + "\n\n", style="dim")
        if lesson.summary:
            text.append(lesson.summary + "\n")
        for problem in lesson.errors[:5]:
            text.append(f"\n{problem}", style="red")
        detail.update(text)

    # -- actions --------------------------------------------------------------------------
    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        lesson = self.selected_lesson()
        if lesson:
            self.app.open_lesson(lesson)

    def action_continue(self) -> None:
        lessons = self.app.course.lessons
        if not lessons:
            return
        lesson = lessons[self._next_index(self._progress())]
        self.app.open_lesson(lesson)

    def action_review(self) -> None:
        self.app.action_review()

    def action_playground(self) -> None:
        self.app.action_playground()

    def action_stats(self) -> None:
        self.app.action_progress()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        actions = {"continue": self.action_continue, "review": self.action_review,
                   "playground": self.action_playground}
        if event.button.id in actions:
            actions[event.button.id]()
