"""A quiz question: single or multiple choice, with an explanation for every choice.

Keys 1–9 toggle a choice, c checks, h shows the author's hint.  After checking every choice
shows ✓/✗ and its explanation, because the *why* is the lesson, not the score.
"""
from __future__ import annotations

import time

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from tutor.course.blocks import QuizBlock
from tutor.widgets.messages import ExerciseGraded, GradedItem


class QuizWidget(Vertical, can_focus=True):
    BINDINGS = [
        Binding("c", "check", "Check"),
        Binding("h", "hint", "Hint"),
        *[Binding(str(n), f"toggle({n - 1})", show=False) for n in range(1, 10)],
    ]

    def __init__(self, block: QuizBlock, *, id: str | None = None):
        super().__init__(id=id, classes="exercise quiz")
        self.block = block
        self.selected: set[int] = set()
        self.checked = False
        self.hints = 0
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Static(Content(self.block.question), classes="question")  # authored text: no markup
        kind = "Choose all that apply" if self.block.multiple else "Choose one"
        yield Static(f"{kind} (1–{len(self.block.choices)}), then check (c).", classes="instructions")
        for i, _ in enumerate(self.block.choices):
            button = Button("", id=f"choice-{i}", classes="choice")
            button.can_focus = False
            yield button
        with Horizontal(classes="exercise-buttons"):
            yield Button("Hint (h)", id="hint")
            yield Button("Check (c)", id="check", variant="primary")
        yield Static(id="feedback", classes="feedback")

    def on_mount(self) -> None:
        self._render_choices()

    def _render_choices(self) -> None:
        for i, choice in enumerate(self.block.choices):
            button = self.query_one(f"#choice-{i}", Button)
            mark = ("[x]" if i in self.selected else "[ ]") if self.block.multiple else ("(•)" if i in self.selected else "( )")
            label = f"{mark} {i + 1}. {choice.text}"
            if self.checked:
                label += "  ✓" if choice.correct else ("  ✗" if i in self.selected else "")
            button.label = Content(label)  # "[MASK]" is a choice, not a markup tag
            button.set_class(i in self.selected, "chosen")
            button.set_class(self.checked and choice.correct, "right")
            button.set_class(self.checked and i in self.selected and not choice.correct, "wrong")
            button.disabled = self.checked

    def action_toggle(self, index: int) -> None:
        if self.checked or not 0 <= index < len(self.block.choices):
            return
        if self.block.multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        self._render_choices()

    def action_hint(self) -> None:
        if self.checked:
            return
        self.hints += 1
        message = self.block.hint or "No hint for this one — read each choice's claim carefully."
        self.query_one("#feedback", Static).update(Text("Hint: " + message, style="italic"))

    @property
    def correct(self) -> bool:
        return self.selected == set(self.block.correct)

    def action_check(self) -> None:
        if self.checked:
            return
        if not self.selected:
            self.notify("Choose an answer first (1–9).", severity="warning")
            return
        self.checked = True
        self._render_choices()
        feedback = Text()
        feedback.append("Right!\n" if self.correct else "Not quite.\n", style="bold green" if self.correct else "bold red")
        for i, choice in enumerate(self.block.choices):
            if choice.explain and (choice.correct or i in self.selected):
                feedback.append(f"{i + 1}. ", style="bold")
                feedback.append(choice.explain + "\n")
        self.query_one("#feedback", Static).update(feedback)
        answer = ", ".join(self.block.choices[i].text for i in sorted(self.selected))
        key = ", ".join(self.block.choices[i].text for i in self.block.correct)
        self.post_message(ExerciseGraded(self.block.id, "quiz", [GradedItem(
            blank="", answer=answer, correct=self.correct, key=key, hints_used=self.hints,
            seconds=round(time.monotonic() - self.started, 1))]))

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        if bid.startswith("choice-"):
            self.action_toggle(int(bid.split("-")[1]))
        elif bid == "hint":
            self.action_hint()
        elif bid == "check":
            self.action_check()
        self.focus()
