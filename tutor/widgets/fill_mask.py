"""Fill-mask: type a sentence with [MASK] or ___ and watch BERT's top-k update as you type.

In guess-first mode BERT's answer stays hidden until the learner commits a guess; then the
guess's rank and probability are shown, which turns "the model knows" into a comparison.
Model calls are debounced (0.35 s) and run in an exclusive worker so typing never waits.
"""
from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.timer import Timer
from textual.widgets import Button, Input, Static

from tutor.course.blanks import count_blanks
from tutor.course.blocks import FillMaskBlock
from tutor.widgets.messages import ExerciseGraded, GradedItem
from tutor.widgets.topk_bars import TopKBars, bars_text

DEBOUNCE_S = 0.35
LOOKUP_K = 50  # how deep we search for the learner's guess


class FillMaskWidget(Vertical):
    """Live top-k for the blanks in an editable sentence; optional guess-first."""

    def __init__(self, block: FillMaskBlock, *, id: str | None = None):
        super().__init__(id=id, classes="exercise fill-mask")
        self.block = block
        self.guess_mode = block.guess
        self.revealed = not block.guess
        self.guess = ""
        self.results: list[list[tuple[str, float]]] = []
        self._timer: Timer | None = None
        self._asked_text = ""

    def compose(self) -> ComposeResult:
        yield Static(Content("Edit the sentence — BERT fills every [MASK] or ___ as you type."), classes="instructions")
        yield Input(self.block.text, placeholder="A sentence with [MASK] or ___", id="sentence")
        if self.guess_mode:
            with Horizontal(classes="guess-row"):
                yield Input(placeholder="your guess for the first blank, then Enter", id="guess")
                yield Button("Reveal BERT", id="reveal", variant="primary")
        yield Static(id="status", classes="status")
        yield TopKBars(id="bars")

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._engine_changed)

    def _engine_changed(self, status: str) -> None:
        if status == "ready":
            self._schedule(0)
        else:
            self._set_status("waiting for the model…" if status == "loading" else "the model is not loaded")

    def _set_status(self, message: str, style: str = "dim") -> None:
        self.query_one("#status", Static).update(Text(message, style=style))

    @property
    def text(self) -> str:
        return self.query_one("#sentence", Input).value

    # -- asking the model -----------------------------------------------------------------
    @on(Input.Changed, "#sentence")
    def _edited(self, event: Input.Changed) -> None:
        event.stop()
        self._schedule(DEBOUNCE_S)

    def _schedule(self, delay: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(delay, self._ask) if delay else None
        if not delay:
            self._ask()

    def _ask(self) -> None:
        text = self.text
        if not text.strip():
            self._show_problem("Type a sentence with [MASK] or ___ in it.")
            return
        if count_blanks(text) == 0:
            self._show_problem("No blank yet: write [MASK] or ___ where a word is missing.")
            return
        engine = self.app.engine
        if engine is None:
            return
        self._asked_text = text
        self._set_status("BERT is thinking…")
        self._fill(engine, text)

    def _show_problem(self, message: str) -> None:
        self.results = []
        self._set_status(message, "yellow")
        self.query_one("#bars", TopKBars).update("")

    @work(thread=True, exclusive=True, group="fill-mask")
    def _fill(self, engine, text: str) -> None:
        try:
            results = engine.fill_mask(text, top_k=LOOKUP_K)
        except Exception as exc:  # TutorError for bad input; anything else is still shown, not raised
            self.app.call_from_thread(self._show_problem, str(exc))
            return
        self.app.call_from_thread(self._show_results, text, results)

    def _show_results(self, text: str, results: list[list[tuple[str, float]]]) -> None:
        if text != self.text:
            return  # the learner typed on; a newer request is on its way
        self.results = results
        self._render_results()

    # -- showing --------------------------------------------------------------------------
    def _render_results(self) -> None:
        bars = self.query_one("#bars", TopKBars)
        if not self.results:
            return
        if not self.revealed:
            self._set_status("BERT has an answer. Type your guess and press Enter to reveal it.", "bold")
            bars.update("")
            return
        k = self.block.top_k
        text = Text()
        for n, blank in enumerate(self.results, 1):
            title = f"Blank {n}" if len(self.results) > 1 else "BERT's top guesses"
            text.append(title + "\n", style="bold")
            text.append_text(bars_text(blank[:k], highlight={a.lower() for a in self.block.answers}
                                       | ({self.guess.lower()} if self.guess else set())))
        bars.update(text)
        self._set_status(self._guess_line(), "")

    def _guess_line(self) -> str:
        if not self.guess or not self.results:
            return f"{len(self.results)} blank(s) · top {self.block.top_k} shown"
        first = self.results[0]
        tokens = [t for t, _ in first]
        word = self.guess.lower()
        if word in tokens:
            rank = tokens.index(word) + 1
            line = f"Your guess '{self.guess}' is BERT's #{rank} ({first[rank - 1][1]:.1%})."
        else:
            line = f"Your guess '{self.guess}' is not in BERT's top {LOOKUP_K}."
            if " " in self.guess.strip():
                line += " (BERT fills one word piece per blank.)"
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

    def reveal(self, guess: str) -> None:
        """Commit the learner's guess and show BERT's answer (grades it if the block has answers)."""
        if not guess.strip():
            self.notify("Type a guess first — then BERT reveals its answer.", severity="warning")
            return
        if not self.results:
            self.notify("BERT has not answered yet — one moment.", severity="warning")
            return
        first_time = not self.revealed
        self.guess = guess.strip()
        self.revealed = True
        self._render_results()
        if first_time and self.block.answers:
            top, p = self.results[0][0]
            self.post_message(ExerciseGraded(self.block.id, "fill-mask", [GradedItem(
                blank="1", answer=self.guess, correct=self.block.accepts(self.guess), key=self.block.answers[0],
                bert_choice=top, bert_probability=p, bert_correct=self.block.accepts(top))]))
