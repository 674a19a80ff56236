"""A quiz question: single or multiple choice, with an explanation for every choice.

Keys 1–9 toggle a choice, Enter checks, h shows the author's hint.  After checking every
choice shows ✓/✗ and its explanation, because the *why* is the lesson, not the score.
Choices are shown in an order shuffled once per learner and quiz (the same every visit), so
"the answer is always 1" cannot be learned from the authoring.
"""
from __future__ import annotations

import random
import time
import zlib

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from tutor.course.blocks import QuizBlock
from tutor.i18n import N_, _
from tutor.widgets.messages import ExerciseGraded, GradedItem

ANSWER_SEPARATOR = ", "  # how a multiple-choice answer is saved: the choices' texts joined


def shuffled_order(block: QuizBlock, learner: str) -> list[int]:
    """Display position -> choice index, stable for one learner and quiz (crc32, not hash())."""
    order = list(range(len(block.choices)))
    random.Random(zlib.crc32(f"{learner}\0{block.id}".encode())).shuffle(order)
    return order


def learner_name(app) -> str:
    store = getattr(app, "store", None)
    return str(getattr(store, "profile", None) or getattr(app, "profile", None) or "default")


class QuizWidget(Vertical, can_focus=True):
    BINDINGS = [
        Binding("enter", "check", N_("Check")),
        Binding("h", "hint", N_("Hint")),
        *[Binding(str(n), f"toggle({n - 1})", show=False) for n in range(1, 10)],
    ]
    # Own class names (not tutor.tcss's "chosen"/"right"/"wrong"): the theme's foreground on
    # its muted backgrounds stays above 4.5:1 in both themes (test_exercises_look), and checked
    # choices stay enabled (a disabled button fades its text) — presses are ignored instead.
    DEFAULT_CSS = """
    QuizWidget Button.choice { text-align: left; content-align: left middle; width: 100%; }
    QuizWidget Button.choice.picked { background: $accent-muted; color: $foreground; text-style: bold; }
    QuizWidget Button.choice.is-right { background: $success-muted; color: $foreground; text-style: bold; }
    QuizWidget Button.choice.is-wrong { background: $error-muted; color: $foreground; text-style: bold; }
    QuizWidget .exercise-buttons { align: left middle; }
    """

    def __init__(self, block: QuizBlock, *, id: str | None = None, learner: str | None = None):
        super().__init__(id=id, classes="exercise quiz")
        self.block = block
        self.learner = learner
        self.order = list(range(len(block.choices)))
        self.selected: set[int] = set()  # choice indexes (authored order)
        self.checked = False
        self.hints = 0
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        self.order = shuffled_order(self.block, self.learner or learner_name(self.app))
        yield Static(Content(self.block.question), classes="question")  # authored text: no markup
        keys = (_("Choose all that apply (1–{n}) · Enter checks · h hint · tab leaves the quiz") if self.block.multiple
                else _("Choose one (1–{n}) · Enter checks · h hint · tab leaves the quiz"))
        yield Static(Content(keys.format(n=len(self.block.choices))), classes="instructions")
        for position in range(len(self.block.choices)):
            button = Button("", id=f"choice-{position}", classes="choice")
            button.can_focus = False
            yield button
        with Horizontal(classes="exercise-buttons"):
            for label, bid in ((_("Hint (h)"), "hint"), (_("Check (Enter)"), "check")):
                button = Button(label, id=bid, variant="primary" if bid == "check" else "default")
                button.can_focus = False
                yield button
        yield Static(id="feedback", classes="feedback")

    def on_mount(self) -> None:
        self._show_feedback() if self.checked else self._render_choices()

    def take_focus(self) -> None:
        self.focus()

    def key_of(self, choice: int) -> str:
        """The key (display number) that toggles choice ``choice`` (authored index)."""
        return str(self.order.index(choice) + 1)

    def _render_choices(self) -> None:
        for position, i in enumerate(self.order):
            choice = self.block.choices[i]
            button = self.query_one(f"#choice-{position}", Button)
            mark = ("[x]" if i in self.selected else "[ ]") if self.block.multiple else ("(•)" if i in self.selected else "( )")
            label = f"{mark} {position + 1}. {choice.text}"
            if self.checked:
                label += "  ✓" if choice.correct else ("  ✗" if i in self.selected else "")
            button.label = Content(label)  # "[MASK]" is a choice, not a markup tag
            button.set_class(i in self.selected and not self.checked, "picked")
            button.set_class(self.checked and choice.correct, "is-right")
            button.set_class(self.checked and i in self.selected and not choice.correct, "is-wrong")
        for bid in ("#hint", "#check"):
            self.query_one(bid, Button).disabled = self.checked

    def action_toggle(self, position: int) -> None:
        if self.checked or not 0 <= position < len(self.block.choices):
            return
        index = self.order[position]
        if self.block.multiple:
            self.selected ^= {index}
        else:
            self.selected = {index}
        self._render_choices()

    def action_hint(self) -> None:
        if self.checked:
            return
        self.hints += 1
        message = self.block.hint or _("No hint for this one — read each choice's claim carefully.")
        self.query_one("#feedback", Static).update(Text(_("Hint: ") + message, style="italic"))

    @property
    def correct(self) -> bool:
        return self.selected == set(self.block.correct)

    def _show_feedback(self) -> None:
        self._render_choices()
        feedback = Text()
        feedback.append((_("Right!") if self.correct else _("Not quite.")) + "\n",
                        style="bold green" if self.correct else "bold red")
        for position, i in enumerate(self.order):
            choice = self.block.choices[i]
            if choice.explain and (choice.correct or i in self.selected):
                feedback.append(f"{position + 1}. ", style="bold")
                feedback.append(choice.explain + "\n")
        self.query_one("#feedback", Static).update(feedback)

    def action_check(self) -> None:
        if self.checked:
            return
        if not self.selected:
            self.notify(_("Choose an answer first (1–{n}).").format(n=len(self.block.choices)), severity="warning")
            return
        self.checked = True
        self._show_feedback()
        answer = ANSWER_SEPARATOR.join(self.block.choices[i].text for i in sorted(self.selected))
        key = ANSWER_SEPARATOR.join(self.block.choices[i].text for i in self.block.correct)
        self.post_message(ExerciseGraded(self.block.id, "quiz", [GradedItem(
            blank="", answer=answer, correct=self.correct, key=key, hints_used=self.hints,
            seconds=round(time.monotonic() - self.started, 1))]))

    def restore(self, answer: str) -> None:
        """Show an answer saved earlier (the saved text of the chosen choices) as checked."""
        texts = [c.text for c in self.block.choices]
        if answer in texts:
            chosen = {texts.index(answer)}
        else:
            parts = set(answer.split(ANSWER_SEPARATOR))
            chosen = {i for i, text in enumerate(texts) if text in parts}
        if chosen:
            self.selected, self.checked = chosen, True
            if self.is_mounted:
                self._show_feedback()

    @on(Button.Pressed)  # the same three-line dispatch as the cloze's, on this widget's own button ids
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
