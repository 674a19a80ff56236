"""Home: the course map with progress bars, the chosen lesson's steps, Continue, Review, you vs BERT.

Everything here comes from the parsed course and the SQLite store, so it paints at once;
the model badge in the corner fills in when the engine worker reports back. The lesson
list is one line a lesson on small terminals and two (title, then a progress bar) where
there is room, so 80x24 shows the whole course and 120x40 does not leave it empty.
"""
from __future__ import annotations

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from tutor.bars import bar
from tutor.i18n import N_, _, ngettext
from tutor.screens.due import review_line, versus_line
from tutor.screens.footer import TutorFooter
from tutor.screens.language import LanguageChanged
from tutor.screens.live_reload import CourseReloaded
from tutor.screens.wording import exercise_kinds, fit, label_text, word_list
from tutor.widgets.model_status import ModelStatus

TWO_LINE_MIN_HEIGHT = 32  # terminal rows from which each lesson gets a progress-bar line
BAR_WIDTH = 16


class HomeScreen(Screen):
    BINDINGS = [
        Binding("enter", "open", N_("Open"), show=False),
        Binding("c", "continue", N_("Continue")),
        Binding("r", "review", N_("Review")),
        Binding("p", "playground", N_("Playground")),
        Binding("s", "stats", N_("Progress")),
        Binding("q", "app.quit", N_("Quit"), show=False),
    ]

    _due_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(Content.assemble(("bert-tutor", "bold"), " · ", _("learn BERT by using one")),
                         id="app-title")
            yield ModelStatus(id="model-status")
        with Horizontal(id="home-main"):
            with Vertical(id="course-pane"):
                yield Static(_("Course"), id="course-title", classes="pane-title")
                yield OptionList(id="course-list")
            with VerticalScroll(id="detail-pane"):
                with Grid(id="home-buttons"):
                    yield Button(_("Continue ▶"), id="continue", variant="primary", compact=True)
                    yield Button(_("Review"), id="review", compact=True)
                    yield Button(_("Playground"), id="playground", compact=True)
                    yield Button(_("Progress"), id="progress", compact=True)
                yield Static(id="review-due")
                yield Static(id="tally")
                yield Static(id="lesson-detail")
        yield TutorFooter(compact=True)

    def on_mount(self) -> None:
        self.refresh_course()
        self.query_one("#course-list", OptionList).focus()

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        highlighted = self.query_one("#course-list", OptionList).highlighted
        await self.recompose()
        self.on_mount()
        if highlighted is not None and highlighted < len(self.app.course.lessons):
            self.query_one("#course-list", OptionList).highlighted = highlighted

    def on_screen_resume(self) -> None:
        self.refresh_course()

    def on_course_reloaded(self, _event: CourseReloaded) -> None:
        self.refresh_course()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fill_course_list)

    # -- data -----------------------------------------------------------------------------
    def _progress(self) -> dict:
        store = self.app.store
        try:
            return store.lesson_progress() if store is not None else {}
        except Exception:
            return {}

    def refresh_course(self) -> None:
        self._fill_course_list()
        self._update_review_button()
        self._update_tally()
        self._show_detail()

    def _status(self, lesson, saved) -> tuple[str, Content, float]:
        """(mark, status text, fraction of steps done) for one lesson row."""
        total = len(lesson.steps)  # the lesson as it is now, not as it was saved
        if self.app.shadowed_by(lesson) is not None:
            return "✗", Content.styled(_("duplicate id"), "bold $text-error"), 0.0
        if lesson.errors and not lesson.steps:
            return "✗", Content.styled(_("broken"), "bold $text-error"), 0.0
        if saved and saved.status == "done":
            score = f"{saved.score:.0%}" if saved.score is not None else _("done")
            return "✓", Content.styled(score, "bold $text-success"), 1.0
        if saved and saved.status == "in-progress" and total:
            step = min(saved.step, total)
            return "▶", Content.styled(_("step {step}/{total}").format(step=step, total=total),
                                       "bold $text-warning"), step / total
        return " ", Content(""), 0.0

    def _fill_course_list(self) -> None:
        progress = self._progress()
        course_list = self.query_one("#course-list", OptionList)
        highlighted = course_list.highlighted
        width = max(20, (course_list.scrollable_content_region.width or 40) - 1)
        two_lines = self.app.size.height >= TWO_LINE_MIN_HEIGHT
        course_list.clear_options()
        lessons = self.app.course.lessons
        for number, lesson in enumerate(lessons, 1):
            mark, status, done = self._status(lesson, progress.get(lesson.id))
            head = f"{mark} {number:>2} "
            # in cells, not characters: a CJK title or status is twice as wide as its length
            room = max(1, width - len(head) - (0 if two_lines else cell_len(status.plain) + 1))
            if two_lines:
                title = lesson.title if cell_len(lesson.title) <= room else fit(lesson.title, room)
                label = Content.assemble(head, (title, "bold"), "\n", " " * len(head),
                                      bar(done, BAR_WIDTH).ljust(BAR_WIDTH, "·"), " ", status)
            else:
                label = Content.assemble(head, fit(lesson.title, room), " ", status)
            course_list.add_option(Option(label))  # no option ids: two lessons may share an id
        done_count = sum(1 for lesson in lessons if (s := progress.get(lesson.id)) and s.status == "done")
        done_text = ngettext("{done} of {total} lesson done", "{done} of {total} lessons done", len(lessons))
        self.query_one("#course-title", Static).update(Content.assemble(
            _("Course"), (" · " + done_text.format(done=done_count, total=len(lessons)), "not bold")))
        if lessons:
            course_list.highlighted = highlighted if highlighted is not None and highlighted < len(lessons) \
                else self._next_index(progress)

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
        button.label = _("Review ({n} due)").format(n=outlook["due_now"])
        button.disabled = outlook["due_now"] == 0
        self.query_one("#review-due", Static).update(Content.assemble((label_text(_("Review:")), "bold"),
                                                                       review_line(outlook, now)))
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
        """The highlighted lesson: title, size, summary, and its steps with how far you got."""
        lesson = self.selected_lesson()
        detail = self.query_one("#lesson-detail", Static)
        if lesson is None:
            detail.update(_("No lessons found. Add some with --lessons DIR."))
            return
        saved = self._progress().get(lesson.id)
        meta = [ngettext("{n} step", "{n} steps", len(lesson.steps)).format(n=len(lesson.steps))]
        if lesson.minutes:
            meta.append(_("about {minutes} min").format(minutes=lesson.minutes))
        kinds = exercise_kinds(lesson)
        if kinds:
            meta.append(word_list(kinds))
        parts: list = [(lesson.title, "bold"), "\n", (" · ".join(meta), "$text-muted"), "\n"]
        if lesson.summary:
            parts += ["\n", lesson.summary, "\n"]
        if lesson.steps:
            parts += ["\n", (_("Steps"), "bold"), "\n"]
            reached = 0 if saved is None else len(lesson.steps) + 1 if saved.status == "done" else saved.step
            for number, step in enumerate(lesson.steps, 1):
                mark = "✓" if number < reached else "▶" if number == reached else "·"
                parts.append(f" {mark} {number}. {step.title}\n")
        parts += self._lesson_numbers(lesson)
        for problem in lesson.errors[:5]:
            parts += ["\n", (str(problem), "$text-error")]
        detail.update(Content.assemble(*parts))

    def _lesson_numbers(self, lesson) -> list:
        """This lesson's reviews and you vs BERT, when there are any."""
        store = self.app.store
        try:
            reviews = store.reviews_by_lesson(now=self.app.now()).get(lesson.id) if store else None
            versus = store.versus_by_lesson().get(lesson.id) if store else None
        except Exception:
            return []
        parts: list = []
        if reviews:
            parts.append("\n" + _("Review from this lesson: {now} due now, {later} later").format(
                now=reviews["due_now"], later=reviews["due_later"]))
        if versus:
            parts.append("\n" + ngettext("You vs BERT here, on {n} item: you {you}, BERT {bert}",
                                          "You vs BERT here, on {n} items: you {you}, BERT {bert}",
                                          versus["items"]).format(n=versus["items"], you=versus["you"],
                                                                  bert=versus["bert"]))
        return parts + (["\n"] if parts else [])

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
                   "playground": self.action_playground, "progress": self.action_stats}
        if event.button.id in actions:
            actions[event.button.id]()
