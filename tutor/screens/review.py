"""Spaced review: blanks and questions you missed come back when due (learning steps in
minutes, then SM-2 in days; see tutor/progress/sm2.py).

Each item reuses the exercise's own widget — a cloze limited to the one blank, or the quiz —
so a review looks exactly like the lesson did.  Items whose lesson is gone are skipped.
"""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from tutor.course.blocks import ClozeBlock, QuizBlock
from tutor.progress import sm2
from tutor.screens.due import when
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.messages import ExerciseGraded
from tutor.widgets.quiz import QuizWidget
from tutor.screens.lesson import owns_letters


class ReviewScreen(Screen):
    BINDINGS = [Binding("ctrl+n", "next_item", "Next item", key_display="^n"),
                Binding("n", "letter_next_item", "Next item", show=False),
                Binding("escape", "app.pop_screen", "Done")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter_next_item" and owns_letters(self.focused):
            return False  # the letter belongs to the field or the exercise (as in a lesson)
        return True

    def action_letter_next_item(self) -> None:
        self.action_next_item()

    def __init__(self) -> None:
        super().__init__()
        self.items: list = []
        self.index = -1
        self.done = 0
        self.right = 0
        self.answered = False

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", classes="screen-title")
        yield VerticalScroll(id="review-body")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        store = self.app.store
        try:
            due = store.due_reviews(now=self.app.now()) if store is not None else []
        except Exception as exc:
            due = []
            self.notify(f"cannot read reviews: {exc}", severity="error", markup=False)
        self.items = [(item, block) for item in due if (block := self._block_for(item)) is not None]
        self.action_next_item()

    def _block_for(self, item):
        lesson = self.app.course.get(item.lesson_id)
        block = lesson.block(item.exercise_id) if lesson else None
        if isinstance(block, ClozeBlock) and item.blank.isdigit() and block.blank(int(item.blank)):
            return block
        if isinstance(block, QuizBlock):
            return block
        return None

    def action_next_item(self) -> None:
        body = self.query_one("#review-body", VerticalScroll)
        body.remove_children()
        self.index += 1
        self.answered = False
        title = self.query_one("#review-title", Static)
        if self.index >= len(self.items):
            summary = (f"Review done: {self.right}/{self.done} right. Missed items come back sooner; "
                       "right ones later." if self.done else "Nothing is due for review. Well done!")
            title.update(f"[b]Review[/b] · {summary}")
            body.mount(Static("Press esc to go back."))
            return
        item, block = self.items[self.index]
        lesson = self.app.course.get(item.lesson_id)
        title.update(Content.assemble(("Review", "bold"), f" · item {self.index + 1} of {len(self.items)} · from “{lesson.title}”"))
        widget = ClozeWidget(block, only=[int(item.blank)]) if isinstance(block, ClozeBlock) else QuizWidget(block)
        body.mount(widget)
        widget.focus()

    @on(ExerciseGraded)
    def _graded(self, event: ExerciseGraded) -> None:
        if self.answered or not 0 <= self.index < len(self.items):
            return
        self.answered = True
        item, _ = self.items[self.index]
        graded = event.items[0]
        self.done += 1
        self.right += graded.correct
        try:
            now = self.app.now()
            updated = self.app.store.review_result(item, graded.correct, hints_used=graded.hints_used, now=now)
            self.notify(f"This item comes back {when(sm2.due_moment(updated.due), now)} (ctrl+n: next item)", timeout=4)
        except Exception as exc:
            self.notify(f"review not saved: {exc}", severity="warning", markup=False)
