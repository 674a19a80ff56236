"""The lesson player: one step (page) at a time, prose and live exercise widgets inline.

This screen, not the widgets, writes to the progress store: widgets post ``ExerciseGraded``
and the screen records every item at once (one transaction each), so a crash loses nothing
that was graded.  Reopening a step shows the answers saved for it.  The lesson folders
are watched: an instructor's edit shows up at once.

Keys: a printable key either types into the focused field or is a command, never both.
ctrl+n / ctrl+b change step from anywhere; n / b do too, but only while no text field or
cloze (whose a–d choose options) has the focus.  esc leaves a text field, then goes home.
PageUp/PageDown scroll a long step.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, ProgressBar, Static, TextArea

from tutor.course.blocks import Lesson
from tutor.i18n import N_, _, ngettext
from tutor.screens.footer import TutorFooter
from tutor.screens.language import LanguageChanged
from tutor.screens.live_reload import CourseReloaded
from tutor.screens.title_line import TitleLine
from tutor.screens.wording import kind_name, word_list
from tutor.widgets.blocks import widget_for
from tutor.widgets.messages import ExerciseGraded
from tutor.widgets.model_status import ModelStatus
from tutor.widgets.model_view import on_screen
from tutor.widgets.saved_answers import latest_answers, lesson_score, unanswered

WELL_DONE = 0.8  # the score from which finishing a lesson says "Well done"


def types_text(widget: Widget | None) -> bool:
    """Does ``widget`` take printable keys as text (so letters must not be commands)?"""
    return isinstance(widget, (Input, TextArea))


def owns_letters(widget: Widget | None) -> bool:
    """Text fields, and exercises whose letters are answers (a cloze's a–d)."""
    return types_text(widget) or bool(getattr(widget, "OWNS_LETTERS", False))


class LessonScreen(Screen):
    BINDINGS = [
        Binding("ctrl+n", "next_step", N_("Next step"), key_display="^n"),
        Binding("ctrl+b", "previous_step", N_("Back"), key_display="^b"),
        Binding("n", "letter_step(1)", N_("Next step"), show=False),
        Binding("b", "letter_step(-1)", N_("Back"), show=False),
        # priority: the key line promises them everywhere, and a focused table or text area
        # (whose own pgup/pgdn move a cursor) would take them first
        Binding("pagedown", "scroll_step(1)", N_("Scroll"), show=False, priority=True),
        Binding("pageup", "scroll_step(-1)", N_("Scroll"), show=False, priority=True),
        Binding("escape", "escape", N_("Leave/home")),
    ]

    def __init__(self, lesson: Lesson, step: int = 0):
        super().__init__()
        self.lesson = lesson
        self.step_index = max(0, min(step, len(lesson.steps) - 1)) if lesson.steps else 0
        self.scores: dict[str, tuple[int, int]] = {}
        self._warned_unanswered = False
        self._nav: Static | None = None  # the shown step's key line (the outgoing one may still be in the DOM)

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield TitleLine(id="lesson-title")
            yield ModelStatus(id="model-status")
        yield ProgressBar(id="lesson-progress", show_eta=False, show_percentage=False)
        yield VerticalScroll(id="lesson-body", can_focus=False)
        yield TutorFooter()

    def on_mount(self) -> None:
        self.show_step(self.step_index)
        self._warn_lost_exercises()

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        """The same lesson (by id) from the new language's course, the same step, answers restored."""
        self._flush_pending_grades()
        self.lesson = self.app.course.get(self.lesson.id) or self.lesson
        await self.recompose()
        self.show_step(self.step_index)

    def _warn_lost_exercises(self) -> None:
        """An edit that dropped graded exercises the learner answered is said, not silent."""
        from tutor.course import lost_exercises

        try:
            answered = self.app.store.answered_exercises(self.lesson.id) if self.app.store else set()
        except Exception:  # an unreadable store: the lesson still opens
            return
        # answered ids still in the file as an ungraded block (a fill-mask guess) are not lost
        saved = {i for i in answered if (block := self.lesson.block(i)) is None or block.graded}
        problem = lost_exercises(self.lesson, saved) if saved else None
        if problem is not None:
            self.notify(problem.message, title=_("Exercises missing"), severity="warning", timeout=15, markup=False)

    @property
    def number(self) -> int:
        lessons = self.app.course.lessons
        return next((i for i, l in enumerate(lessons, 1) if l.id == self.lesson.id), 0)

    def show_step(self, index: int) -> None:
        body = self.query_one("#lesson-body", VerticalScroll)
        self._flush_pending_grades()
        body.remove_children()
        self._warned_unanswered = False
        steps = self.lesson.steps
        problems = [p for p in self.lesson.problems if p.is_error]
        widgets = []
        if problems:
            text = Text(_("This lesson has problems (the rest still works):") + "\n", style="bold red")
            for p in problems[:8]:
                text.append(f"  {p}\n", style="red")
            widgets.append(Static(text, classes="lesson-problems"))
        if not steps:
            self.query_one("#lesson-title", TitleLine).show(self.number, self.lesson.title)
            body.mount_all(widgets or [Static(_("This lesson has no steps."))])
            return
        self.step_index = max(0, min(index, len(steps) - 1))
        step = steps[self.step_index]
        self.query_one("#lesson-title", TitleLine).show(self.number, self.lesson.title, self.step_index + 1,
                                                        len(steps), step.title)
        bar = self.query_one("#lesson-progress", ProgressBar)
        bar.update(total=len(steps), progress=self.step_index + 1)
        exercises = [widget_for(block) for block in step.blocks]
        self._restore_answers(exercises)
        widgets += exercises
        self._nav = Static(classes="step-nav")
        widgets.append(self._nav)
        mounted = body.mount_all(widgets)
        body.scroll_home(animate=False)
        self._update_nav()
        self._save_progress()
        self.run_worker(self._focus_when_built(mounted, exercises), group="step-focus", exclusive=True)

    async def _focus_when_built(self, mounted, exercises: list[Widget]) -> None:
        """Focus once the step's widgets are built (take_focus queries their children); a step
        left meanwhile focuses nothing (the newer step's own worker does)."""
        await mounted
        if all(on_screen(w) for w in exercises):
            self._focus_first_exercise()

    def _restore_answers(self, widgets: list[Widget]) -> None:
        """Give reopened exercises the answers saved for them (before they mount)."""
        try:
            saved = latest_answers(self.app.store, self.lesson.id)
        except Exception as exc:  # an unreadable store must not block the lesson
            self.notify(_("saved answers not read: {error}").format(error=exc), severity="warning", markup=False)
            return
        for widget in widgets:
            block = getattr(widget, "block", None)
            restore = getattr(widget, "restore", None)
            answers = saved.get(getattr(block, "id", None) or "")
            if restore is None or not answers:
                continue
            if block.kind == "cloze":
                restore({b: (a.answer, a.correct, a.hints_used) for b, a in answers.items()})
            elif (first := next(iter(answers.values()))).answer:
                restore(first.answer)

    def _focus_first_exercise(self) -> None:
        """The first exercise takes the keys (it says how to leave); else nothing is focused."""
        for widget in self.query("#lesson-body .exercise"):
            if not on_screen(widget):
                continue  # a step left before this ran: its widgets are on their way out
            take_focus = getattr(widget, "take_focus", None)
            if take_focus is not None:
                take_focus()
                return
            target = widget if widget.focusable else next(
                (w for w in widget.query("*") if w.focusable), None)
            if target is not None:
                target.focus()
                return

    def watch_focused(self) -> None:
        self._update_nav()

    def _update_nav(self) -> None:
        """The step-nav line says which keys move on from where the focus is now."""
        nav = self._nav
        if nav is None:
            return
        last = self.step_index >= len(self.lesson.steps) - 1
        verb = _("finish the lesson") if last else _("next step")
        focused = self.focused
        if types_text(focused):
            line = _("typing here · ctrl+n {next} · ctrl+b back · esc leaves the field · pgup/pgdn scroll")
        elif owns_letters(focused):
            line = _("letters answer here · ctrl+n {next} · ctrl+b back · tab leaves · esc home")
        else:
            line = _("n or ctrl+n {next} · b or ctrl+b back · esc home · pgup/pgdn scroll")
        line = line.format(next=verb)
        nav.update(Text(line, style="dim"))

    # -- progress -------------------------------------------------------------------------
    def _save_progress(self, done: bool = False, score: float | None = None) -> None:
        store = self.app.store
        if store is None or not self.lesson.steps:
            return
        try:
            store.set_lesson_progress(self.lesson.id, step=self.step_index + 1, steps_total=len(self.lesson.steps),
                                      status="done" if done else "in-progress", score=score if done else None)
        except Exception as exc:  # a failing disk must not end the lesson
            self.notify(_("progress not saved: {error}").format(error=exc), severity="warning", markup=False)

    @property
    def score(self) -> float | None:
        total = sum(t for _, t in self.scores.values())
        return sum(c for c, _ in self.scores.values()) / total if total else None

    @on(ExerciseGraded)
    def _graded(self, event: ExerciseGraded) -> None:
        self.scores[event.exercise_id] = event.score
        store = self.app.store
        if store is None:
            return
        try:
            for item in event.items:
                store.record_attempt(self.lesson.id, event.exercise_id, item.blank, item.answer, item.correct,
                                     bert_choice=item.bert_choice, bert_probability=item.bert_probability,
                                     bert_correct=item.bert_correct, hints_used=item.hints_used, seconds=item.seconds)
        except Exception as exc:
            self.notify(_("answer not saved: {error}").format(error=exc), severity="warning", markup=False)

    def _flush_pending_grades(self) -> None:
        """Grades still waiting for BERT are recorded before their widgets go."""
        for widget in self.query("#lesson-body .exercise"):
            take = getattr(widget, "take_pending_grades", None)
            pending = take() if take is not None else None
            if pending is not None:
                self._graded(pending)

    # -- navigation -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter_step" and owns_letters(self.focused):
            return False  # the letter belongs to the field or the exercise
        return True

    def action_letter_step(self, direction: int) -> None:
        self.action_next_step() if direction > 0 else self.action_previous_step()

    def action_next_step(self) -> None:
        if self.step_index < len(self.lesson.steps) - 1:
            self.show_step(self.step_index + 1)
            return
        self._finish()

    def _finish(self) -> None:
        """Done only when every graded exercise has an answer; otherwise say what is left."""
        self._flush_pending_grades()
        try:
            saved = latest_answers(self.app.store, self.lesson.id)
        except Exception:
            saved = {}
        left = [(n, b) for n, b in unanswered(self.lesson, saved) if b.id not in self.scores]
        if left and not self._warned_unanswered:
            self._warned_unanswered = True
            where = word_list(_("{kind} in step {n}").format(kind=kind_name(b.kind), n=n)
                              for n, b in left[:4]) + (" …" if len(left) > 4 else "")
            self.notify(_("Still to answer: {where}. Press ctrl+n (or n) again to leave; the lesson stays in progress.")
                        .format(where=where), title=_("Not finished yet"), severity="warning", timeout=8,
                        markup=False)
            return
        if left:
            self._save_progress()
            self.notify(ngettext("{lesson}: in progress — {n} exercise still to answer.",
                                 "{lesson}: in progress — {n} exercises still to answer.", len(left))
                        .format(lesson=self.lesson.title, n=len(left)), title=_("Lesson saved"), markup=False)
            self.app.pop_screen()
            return
        right, total = lesson_score(self.lesson, saved)
        score = right / total if total else None
        self._save_progress(done=True, score=score)
        if total:
            message = _("Lesson complete: {lesson} — {right}/{total} right ({score}); missed items come back "
                        "in review").format(lesson=self.lesson.title, right=right, total=total, score=f"{score:.0%}")
        else:
            message = _("Lesson complete: {lesson}").format(lesson=self.lesson.title)
        title = _("Well done") if score is None or score >= WELL_DONE else _("Lesson complete")
        self.notify(message, title=title, markup=False)
        self.app.pop_screen()

    def action_previous_step(self) -> None:
        if self.step_index > 0:
            self.show_step(self.step_index - 1)

    def action_scroll_step(self, direction: int) -> None:
        body = self.query_one("#lesson-body", VerticalScroll)
        body.scroll_page_down(animate=False) if direction > 0 else body.scroll_page_up(animate=False)

    def action_escape(self) -> None:
        """esc leaves a text field (back to its exercise); with no field focused it goes home."""
        focused = self.focused
        if types_text(focused):
            exercise = next((a for a in focused.ancestors if isinstance(a, Widget) and a.has_class("exercise")
                             and a.focusable), None)
            self.set_focus(exercise)
            return
        self.action_home()

    def action_home(self) -> None:
        self._flush_pending_grades()
        self.app.pop_screen()

    # -- live reload (the app watches the lesson folders: tutor/screens/live_reload.py) ------
    def on_course_reloaded(self, event: CourseReloaded) -> None:
        fresh = next((l for l in self.app.course.lessons if l.path and self.lesson.path
                      and l.path.resolve() == self.lesson.path.resolve()), None)
        if fresh is None:
            if self.lesson.path and self.lesson.path.resolve() in event.paths:
                self.notify(_("This lesson's file is gone; it stays open as it was."), severity="warning", timeout=5)
            return
        if fresh is not self.lesson and fresh.path.resolve() in event.paths:
            self.lesson = fresh
            self.show_step(self.step_index)  # clamps to the new number of steps
            self.notify(_("Lesson file changed — reloaded."), timeout=3)
