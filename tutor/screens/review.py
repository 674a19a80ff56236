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
from textual.widgets import Static

from tutor.course.blocks import ClozeBlock, QuizBlock
from tutor.i18n import N_, _
from tutor.progress import sm2
from tutor.screens.due import when
from tutor.screens.footer import TutorFooter
from tutor.screens.language import LanguageChanged
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.messages import ExerciseGraded
from tutor.widgets.quiz import QuizWidget
from tutor.widgets.styled_template import styled_parts
from tutor.screens.lesson import owns_letters


class ReviewScreen(Screen):
    BINDINGS = [Binding("ctrl+n", "next_item", N_("Next item"), key_display="^n"),
                Binding("n", "letter_next_item", N_("Next item"), show=False),
                Binding("escape", "app.pop_screen", N_("Done"))]

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
        self.answer = None  # the graded answer to the item on screen, once it is checked

    def compose(self) -> ComposeResult:
        yield Static(id="review-title", classes="screen-title")
        yield VerticalScroll(id="review-body")
        yield TutorFooter(compact=True)

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        """Redraw in the new language; the item on screen comes back as it was (its answer too)."""
        answer = self.answer
        await self.recompose()
        self.index -= 1
        self.action_next_item(restore=answer)

    def on_mount(self) -> None:
        store = self.app.store
        try:
            due = store.due_reviews(now=self.app.now()) if store is not None else []
        except Exception as exc:
            due = []
            self.notify(_("cannot read reviews: {error}").format(error=exc), severity="error", markup=False)
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

    def action_next_item(self, restore=None) -> None:
        """Show the next item; ``restore`` (a GradedItem) shows the same one again as answered."""
        body = self.query_one("#review-body", VerticalScroll)
        body.remove_children()
        self.index += 1
        self.answered, self.answer = restore is not None, restore
        title = self.query_one("#review-title", Static)
        if self.index >= len(self.items):
            summary = (_("Review done: {right}/{done} right. Missed items come back sooner; right ones later.")
                       .format(right=self.right, done=self.done) if self.done
                       else _("Nothing is due for review. Well done!"))
            title.update(Content.assemble((_("Review"), "bold"), " · ", summary))
            body.mount(Static(_("Press esc to go back.")))
            return
        item, block = self.items[self.index]
        lesson = self.app.course.get(item.lesson_id)
        title.update(Content.assemble((_("Review"), "bold"), " · ", *styled_parts(
            _("item {n} of {total} · from “{lesson}”"), n=self.index + 1, total=len(self.items), lesson=lesson.title)))
        widget = ClozeWidget(block, only=[int(item.blank)]) if isinstance(block, ClozeBlock) else QuizWidget(block)
        if restore is not None and isinstance(widget, ClozeWidget):
            widget.restore({item.blank: (restore.answer, restore.correct, restore.hints_used)})
        elif restore is not None and restore.answer:
            widget.restore(restore.answer)
        body.mount(widget)
        widget.focus()

    @on(ExerciseGraded)
    def _graded(self, event: ExerciseGraded) -> None:
        if self.answered or not 0 <= self.index < len(self.items):
            return
        self.answered = True
        item, _block = self.items[self.index]
        graded = self.answer = event.items[0]
        self.done += 1
        self.right += graded.correct
        try:
            now = self.app.now()
            updated = self.app.store.review_result(item, graded.correct, hints_used=graded.hints_used, now=now)
            self.notify(_("This item comes back {when} (ctrl+n: next item)").format(
                when=when(sm2.due_moment(updated.due), now)), timeout=4, markup=False)
        except Exception as exc:
            self.notify(_("review not saved: {error}").format(error=exc), severity="warning", markup=False)
