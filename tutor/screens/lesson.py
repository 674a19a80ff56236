"""The lesson player: one step (page) at a time, prose and live exercise widgets inline.

This screen, not the widgets, writes to the progress store: widgets post ``ExerciseGraded``
and the screen records every item at once (one transaction each), so a crash loses nothing
that was graded.  The lesson folders are watched: an instructor's edit shows up at once.
"""
from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, ProgressBar, Static

from tutor.course.blocks import Lesson
from tutor.screens.live_reload import CourseReloaded
from tutor.widgets.blocks import widget_for
from tutor.widgets.messages import ExerciseGraded
from tutor.widgets.model_status import ModelStatus


class LessonScreen(Screen):
    BINDINGS = [
        Binding("n,pagedown,ctrl+right", "next_step", "Next step"),
        Binding("b,pageup,ctrl+left", "previous_step", "Back"),
        Binding("escape", "home", "Home"),
    ]

    def __init__(self, lesson: Lesson, step: int = 0):
        super().__init__()
        self.lesson = lesson
        self.step_index = max(0, min(step, len(lesson.steps) - 1)) if lesson.steps else 0
        self.scores: dict[str, tuple[int, int]] = {}

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="lesson-title")
            yield ModelStatus(id="model-status")
        yield ProgressBar(id="lesson-progress", show_eta=False, show_percentage=False)
        yield VerticalScroll(id="lesson-body")
        yield Footer()

    def on_mount(self) -> None:
        self.show_step(self.step_index)

    @property
    def number(self) -> int:
        lessons = self.app.course.lessons
        return next((i for i, l in enumerate(lessons, 1) if l.id == self.lesson.id), 0)

    def show_step(self, index: int) -> None:
        body = self.query_one("#lesson-body", VerticalScroll)
        body.remove_children()
        steps = self.lesson.steps
        problems = [p for p in self.lesson.problems if p.is_error]
        widgets = []
        if problems:
            text = Text("This lesson has problems (the rest still works):\n", style="bold red")
            for p in problems[:8]:
                text.append(f"  {p}\n", style="red")
            widgets.append(Static(text, classes="lesson-problems"))
        if not steps:
            self.query_one("#lesson-title", Static).update(Text(f"{self.number} · {self.lesson.title}"))
            body.mount_all(widgets or [Static("This lesson has no steps.")])
            return
        self.step_index = max(0, min(index, len(steps) - 1))
        step = steps[self.step_index]
        self.query_one("#lesson-title", Static).update(Text.assemble(
            (f"{self.number} · {self.lesson.title} ", "bold"),
            f" ─ step {self.step_index + 1}/{len(steps)}: {step.title}"))
        bar = self.query_one("#lesson-progress", ProgressBar)
        bar.update(total=len(steps), progress=self.step_index + 1)
        widgets += [widget_for(block) for block in step.blocks]
        last = self.step_index == len(steps) - 1
        widgets.append(Static(
            "[dim]n finish lesson · b back · esc home[/]" if last else "[dim]n next step · b back · esc home[/]",
            classes="step-nav"))
        body.mount_all(widgets)
        body.scroll_home(animate=False)
        self._save_progress()
        self.call_after_refresh(self._focus_first_exercise)

    def _focus_first_exercise(self) -> None:
        for widget in self.query(".exercise"):
            if widget.can_focus:
                widget.focus()
                return

    # -- progress -------------------------------------------------------------------------
    def _save_progress(self, done: bool = False) -> None:
        store = self.app.store
        if store is None or not self.lesson.steps:
            return
        try:
            store.set_lesson_progress(self.lesson.id, step=self.step_index + 1, steps_total=len(self.lesson.steps),
                                      status="done" if done else "in-progress", score=self.score if done else None)
        except Exception as exc:  # a failing disk must not end the lesson
            self.notify(f"progress not saved: {exc}", severity="warning", markup=False)

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
            self.notify(f"answer not saved: {exc}", severity="warning", markup=False)

    # -- navigation -----------------------------------------------------------------------
    def action_next_step(self) -> None:
        if self.step_index < len(self.lesson.steps) - 1:
            self.show_step(self.step_index + 1)
            return
        self._save_progress(done=True)
        score = self.score
        summary = f" — score {score:.0%}" if score is not None else ""
        self.notify(f"Lesson complete: {self.lesson.title}{summary}", title="Well done", markup=False)
        self.app.pop_screen()

    def action_previous_step(self) -> None:
        if self.step_index > 0:
            self.show_step(self.step_index - 1)

    def action_home(self) -> None:
        self.app.pop_screen()

    # -- live reload (the app watches the lesson folders: tutor/screens/live_reload.py) ------
    def on_course_reloaded(self, event: CourseReloaded) -> None:
        fresh = next((l for l in self.app.course.lessons if l.path and self.lesson.path
                      and l.path.resolve() == self.lesson.path.resolve()), None)
        if fresh is None:
            if self.lesson.path and self.lesson.path.resolve() in event.paths:
                self.notify("This lesson's file is gone; it stays open as it was.", severity="warning", timeout=5)
            return
        if fresh is not self.lesson and fresh.path.resolve() in event.paths:
            self.lesson = fresh
            self.show_step(self.step_index)  # clamps to the new number of steps
            self.notify("Lesson file changed — reloaded.", timeout=3)
