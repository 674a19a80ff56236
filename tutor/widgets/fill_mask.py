"""Fill-mask: type a sentence with [MASK] or ___ and watch BERT's top-k update as you type.

In guess-first mode BERT's answer stays hidden until the learner commits a guess; then the
guess's rank and probability are shown, which turns "the model knows" into a comparison.
Model calls are debounced and run in an exclusive worker (``ModelView``) so typing never waits.
"""
from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from tutor.course.blanks import count_blanks
from tutor.course.blocks import FillMaskBlock
from tutor.i18n import _
from tutor.widgets.messages import ExerciseGraded, GradedItem
from tutor.widgets.model_view import ModelView, on_screen
from tutor.widgets.text_field import TextField
from tutor.widgets.topk_bars import TopKBars, bars_text

LOOKUP_K = 50  # how deep we search for the learner's guess


class FillMaskWidget(ModelView, Vertical):
    """Live top-k for the blanks in an editable sentence; optional guess-first."""

    DEBOUNCE = 0.35
    TEXT_INPUT = "#sentence"
    DEFAULT_CSS = """
    FillMaskWidget .guess-row { align: left middle; }
    """

    def __init__(self, block: FillMaskBlock, *, id: str | None = None):
        super().__init__(id=id, classes="exercise fill-mask")
        self.block = block
        self.text = block.text
        self.guess_mode = block.guess
        self.revealed = not block.guess
        self.guess = ""
        self.results: list[list[tuple[str, float]]] = []
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Edit the sentence — BERT fills every [MASK] or ___ as you type. · tab moves on, "
                               "esc leaves the field")), classes="instructions")
        yield TextField(self.block.text, placeholder=_("A sentence with [MASK] or ___"), id="sentence")
        if self.guess_mode:
            with Horizontal(classes="guess-row"):
                yield Input(self.guess, placeholder=_("your guess for the first blank, then Enter"), id="guess")
                yield Button(_("Reveal BERT"), id="reveal", variant="primary")
        yield Static(id="status", classes="status")
        yield TopKBars(id="bars")

    def on_mount(self) -> None:
        self.watch_engine()

    def take_focus(self) -> None:
        """Where typing starts when the step opens: the guess, else the sentence."""
        self.query_one("#guess" if self.guess_mode and not self.revealed else "#sentence", Input).focus()

    # -- asking the model (ModelView) -------------------------------------------------------
    def ask(self) -> bool:
        """Check the sentence here (a clear line, no model call), then ask BERT."""
        if not self.text.strip():
            self._show_problem(_("Type a sentence with [MASK] or ___ in it."))
            return False
        if count_blanks(self.text) == 0:
            self._show_problem(_("No blank yet: write [MASK] or ___ where a word is missing."))
            return False
        if super().ask():
            self.message = ""
            self._set_status(_("BERT is thinking…"))
            return True
        return False

    def question(self) -> tuple:
        return (self.text,)

    def ask_model(self, engine: Any, text: str) -> list[list[tuple[str, float]]]:
        return engine.fill_mask(text, top_k=LOOKUP_K)

    def show_answer(self, results: list[list[tuple[str, float]]]) -> None:
        self.message = ""
        self.results = results
        self.redraw()

    def model_failed(self, message: str) -> None:
        self._show_problem(message)

    def _show_problem(self, message: str) -> None:
        self.results = []
        self.show_message(message)


    # -- showing --------------------------------------------------------------------------
    def _set_status(self, message: str, style: str = "dim") -> None:
        if on_screen(self):
            self.query_one("#status", Static).update(Text(message, style=style))

    def redraw(self) -> None:
        if not on_screen(self):
            return
        bars = self.query_one("#bars", TopKBars)
        if self.message or not self.results:
            self._set_status(self.message, "yellow" if self.app.engine_status == "ready" else "dim")
            bars.update("")
            return
        if not self.revealed:
            self._set_status(_("BERT has an answer. Type your guess and press Enter to reveal it."), "bold")
            bars.update("")
            return
        k = self.block.top_k
        text = Text()
        for n, blank in enumerate(self.results, 1):
            title = _("Blank {number}").format(number=n) if len(self.results) > 1 else _("BERT's top guesses")
            text.append(title + "\n", style="bold")
            text.append_text(bars_text(blank[:k], highlight={a.lower() for a in self.block.answers}
                                       | ({self.guess.lower()} if self.guess else set())))
        bars.update(text)
        self._set_status(self._guess_line(), "")

    def _guess_line(self) -> str:
        if not self.guess or not self.results:
            # "blank(s)", not ngettext: the English line is in the playground's snapshots
            return _("{n} blank(s) · top {k} shown").format(n=len(self.results), k=self.block.top_k)
        first = self.results[0]
        tokens = [t for t, _p in first]
        word = self.guess.lower()
        if word in tokens:
            rank = tokens.index(word) + 1
            line = _("Your guess '{guess}' is BERT's #{rank} ({pct}).").format(
                guess=self.guess, rank=rank, pct=f"{first[rank - 1][1]:.1%}")
        else:
            line = _("Your guess '{guess}' is not in BERT's top {k}.").format(guess=self.guess, k=LOOKUP_K)
            if " " in self.guess.strip():
                line += " " + _("(BERT fills one word piece per blank.)")
        if self.block.explain:
            line += "\n" + self.block.explain
        return line

    @on(Input.Submitted, "#guess")
    def _guess_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.reveal(event.value)

    @on(Button.Pressed, "#reveal")
    def _reveal_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.reveal(self.query_one("#guess", Input).value)

    def restore(self, guess: str) -> None:
        """Show a guess saved earlier: revealed, BERT's answer as soon as it is computed."""
        self.guess, self.revealed = guess.strip(), True
        if self.guess_mode and on_screen(self):
            self.query_one("#guess", Input).value = self.guess

    def reveal(self, guess: str) -> None:
        """Commit the learner's guess and show BERT's answer (grades it if the block has answers)."""
        if not guess.strip():
            self.notify(_("Type a guess first — then BERT reveals its answer."), severity="warning")
            return
        if not self.results:
            self.notify(_("BERT has not answered yet — one moment."), severity="warning")
            return
        first_time = not self.revealed
        self.guess = guess.strip()
        self.revealed = True
        self.redraw()
        if first_time and self.block.answers:
            top, p = self.results[0][0]
            self.post_message(ExerciseGraded(self.block.id, "fill-mask", [GradedItem(
                blank="1", answer=self.guess, correct=self.block.accepts(self.guess), key=self.block.answers[0],
                bert_choice=top, bert_probability=p, bert_correct=self.block.accepts(top))]))
