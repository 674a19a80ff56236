"""Masking: BERT's 15 % recipe applied to the learner's own sentence, then you vs BERT.

The point of the view is self-supervision: the "labels" row is nothing but the original
tokens at the picked positions, so any text is training data.  The draw is seeded (``r``
re-rolls with the next seed); the learner guesses the picked tokens, and BERT — asked in a
worker while the learner thinks — fills the same positions, each replaced by ``[MASK]``.
"""
from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from tutor.analysis.masking import ALL_SPECIAL, MaskDraw, mask_draw, same_token
from tutor.course.blocks import MaskingBlock
from tutor.errors import TutorError
from tutor.i18n import N_, _, ngettext
from tutor.widgets.model_view import ModelView, on_screen
from tutor.widgets.styled_template import styled_parts
from tutor.widgets.text_field import TextField

ACTION_STYLE = {"mask": "b $accent", "random": "b $error", "keep": "b $success"}
ACTION_WORD = {"mask": "[MASK]", "random": N_("random"), "keep": N_("kept")}  # shown with _()


def aligned_rows(rows: list[tuple[str, list[tuple[str, str]]]], width: int) -> Content:
    """Rows of equally wide columns ((text, style) cells), wrapped into bands that fit ``width``."""
    # cells, not characters: a Chinese row label (or token) is two cells per character
    label_w = max(cell_len(label) for label, _cells in rows) + 1
    columns = len(rows[0][1])
    widths = [max(cell_len(cells[c][0]) for _label, cells in rows) for c in range(columns)]
    bands, start = [], 0
    while start < columns:
        end, used = start, label_w
        while end < columns and (end == start or used + widths[end] + 1 <= width):
            used += widths[end] + 1
            end += 1
        bands.append((start, end))
        start = end
    parts: list[Content] = []
    for b, (start, end) in enumerate(bands):
        for label, cells in rows:
            line = [(_pad(label, label_w), "dim")]
            for c in range(start, end):
                text, style = cells[c]
                line.append((_pad(text, widths[c] + 1), style))
            parts.append(Content.assemble(*line).rstrip())
        if b < len(bands) - 1:
            parts.append(Content(""))
    return Content("\n").join(parts)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_len(text))


def bert_fills(engine: Any, draw: MaskDraw) -> tuple[MaskDraw, list[list[tuple[str, float]]]]:
    """Worker thread: BERT's top 3 for every pick of ``draw``, each pick read as [MASK]."""
    answers = engine.fill_mask(draw.bert_input(), top_k=3)
    positions = draw.mask_positions()
    if len(answers) != len(positions):
        raise TutorError(_("BERT's answers could not be matched to the picks"))
    by_position = dict(zip(positions, answers))
    return draw, [by_position[p] for p in draw.picked]


class MaskingView(ModelView, Vertical, can_focus=True):
    """The masking recipe on editable text; guesses scored against the labels and BERT."""

    TEXT_INPUT = ".masking-text"

    BINDINGS = [
        Binding("r", "reroll", N_("Re-roll")),
        Binding("s", "reveal", N_("Show labels")),
    ]

    DEFAULT_CSS = """
    MaskingView { height: auto; }
    MaskingView .masking-info, MaskingView .masking-grid, MaskingView .masking-result { padding: 0 1; }
    MaskingView .masking-message { color: $warning; padding: 0 1; }
    MaskingView .masking-explain { color: $text-muted; padding: 0 1; }
    MaskingView .masking-controls { height: auto; align: left middle; }
    MaskingView .masking-guess { width: 1fr; }
    MaskingView .masking-controls Button { min-width: 12; }
    """

    def __init__(self, block: MaskingBlock, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=f"exercise masking-view {classes or ''}".strip())
        self.block = block
        self.text = block.text
        self.seed = block.seed
        self.tokens: list[str] = []
        self.draw: MaskDraw | None = None
        self.bert: list[list[tuple[str, float]]] | None = None
        self.bert_note = ""
        self.guesses: list[str] = []
        self.revealed = False
        self.message = ""
        self._vocab: list[str] | None = None
        self._edited = False

    def compose(self) -> ComposeResult:
        yield Static(Content(_("r re-roll · s show the labels · tab goes into the text fields, esc leaves them")),
                     classes="instructions keys")
        rate = f"{self.block.rate * 100:.0f} %"  # percentages as values: a "%" in a msgid reads as %-format
        yield TextField(self.block.text, placeholder=_("type a sentence; {rate} of its tokens get hidden").format(rate=rate),
                    classes="masking-text")
        yield Static(classes="masking-info")
        yield Static(classes="masking-message")
        yield Static(classes="masking-grid")
        with Horizontal(classes="masking-controls"):
            yield Input(placeholder=_("your guesses, in order; Enter checks"), classes="masking-guess")
            yield Button(_("Re-roll (r)"), classes="masking-reroll")
            yield Button(_("Labels (s)"), classes="masking-reveal")
        yield Static(classes="masking-result")
        yield Static(Content(_(
            "The labels are the original tokens: the data labels itself (self-supervision). Of the "
            "picks, {mask} become [MASK], {random} a random token, {keep} stay unchanged — so BERT must check "
            "every word, not just the blanks.").format(mask="80 %", random="10 %", keep="10 %")),
            classes="masking-explain")


    def on_mount(self) -> None:
        self.watch_engine()

    def take_focus(self) -> None:
        """No text yet: the learner starts by typing one; otherwise the keys r/s work at once."""
        self.query_one(".masking-text", Input).focus() if not self.block.text.strip() else self.focus()

    def on_resize(self) -> None:
        self.redraw()

    # -- model (ModelView) ----------------------------------------------------------------
    def question(self) -> tuple:
        return self.text, self._vocab is None

    def ask(self) -> bool:
        if not self.text.strip() and not self._edited:
            # a step that asks for the learner's own sentence opens empty: the field's placeholder
            # says what to do; the warning is for a text the learner emptied
            self.draw, self.bert, self.message = None, None, ""
            self.redraw()
            return True
        return super().ask()

    def ask_model(self, engine: Any, text: str, need_vocab: bool) -> tuple[list[str], list[str] | None]:
        if not text.strip():
            raise TutorError(_("type a sentence first: the masking needs some words"))
        tokens = [t for t, _span in engine.tokens(text)]
        vocab = None
        if need_vocab:  # the random replacements come from the model's own vocabulary
            size = int(getattr(engine, "vocab_size", 0))
            vocab = [t for t in engine.id_to_token(range(size)) if not (t.startswith("[") and t.endswith("]"))]
        return tokens, vocab

    def show_answer(self, answer: tuple[list[str], list[str] | None]) -> None:
        self.tokens, vocab = answer
        if vocab:
            self._vocab = vocab
        self.new_draw()

    def model_failed(self, message: str) -> None:
        self.tokens, self.draw = [], None
        self.show_message(message)

    def new_draw(self) -> None:
        """Draw with the current seed, reset the round and ask BERT in the background."""
        self.bert, self.bert_note, self.guesses, self.revealed = None, "", [], False
        try:
            self.draw = mask_draw(self.tokens, rate=self.block.rate, seed=self.seed, vocab=self._vocab)
        except TutorError as exc:
            self.draw = None
            self.show_message(str(exc))
            return
        self.message = ""
        guess = self.query_one(".masking-guess", Input) if on_screen(self) else None
        if guess is not None and not guess.has_focus:  # never wipe what the learner is typing
            guess.value = ""
        engine = getattr(self.app, "engine", None)
        if engine is not None:
            self.bert_note = _("BERT is thinking…")
            self.run_model("bert", bert_fills, engine, self.draw)
        self.redraw()

    def model_answered(self, topic: str, answer: Any) -> None:
        if topic != "bert":
            return super().model_answered(topic, answer)
        draw, fills = answer
        if draw is self.draw:
            self.bert, self.bert_note = fills, ""
            self.redraw()

    def model_error(self, topic: str, message: str) -> None:
        if topic != "bert":
            return super().model_error(topic, message)
        self.bert, self.bert_note = None, f"BERT: {message}"  # keep the round going
        self.redraw()

    # -- rendering ------------------------------------------------------------------------
    def redraw(self) -> None:
        if not on_screen(self):
            return
        self.update_message_line(".masking-message")
        self.query_one(".masking-info", Static).update(self._info())
        width = max(20, self.query_one(".masking-grid", Static).content_size.width or self.size.width - 2)
        self.query_one(".masking-grid", Static).update(self._grid(width) if self.draw else Content(""))
        self.query_one(".masking-result", Static).update(self._result())

    def _info(self) -> Content:
        d = self.draw
        if d is None:
            return Content("")
        ordinary = sum(1 for t in d.tokens if t not in ALL_SPECIAL)
        line = ngettext("seed {seed} · {rate} of {ordinary} token → {picked}: {masked} · {random} · {kept}",
                        "seed {seed} · {rate} of {ordinary} tokens → {picked}: {masked} · {random} · {kept}", ordinary)
        picked, random, kept = len(d.picked), d.count("random"), d.count("keep")
        return Content.assemble(*styled_parts(
            line, seed=(str(d.seed), "b"), rate=f"{d.rate:.0%}", ordinary=ordinary,
            picked=(ngettext("{n} picked", "{n} picked", picked).format(n=picked), "b"),
            masked=(f"{d.count('mask')} [MASK]", "$accent"),
            random=(ngettext("{n} random", "{n} random", random).format(n=random), "$error"),
            kept=(ngettext("{n} kept", "{n} kept", kept).format(n=kept), "$success")))

    def _grid(self, width: int) -> Content:
        d = self.draw
        number = {pos: n for n, pos in enumerate(d.picked, 1)}
        seen_row, pick_row, label_row = [], [], []
        for i, token in enumerate(d.tokens):
            action = d.actions[i]
            special = "dim" if token in ALL_SPECIAL else ""
            seen_style = ACTION_STYLE[action] if action and (self.revealed or action == "mask") else special
            seen_row.append((d.corrupted[i], seen_style))
            pick_row.append((f"#{number[i]}" if i in number else "", "b"))
            if i not in number:
                label_row.append(("·", "dim"))
            elif self.revealed:
                label_row.append((d.labels[i], "b $success"))
            else:
                label_row.append(("?", "b"))
        rows = [(_("BERT sees"), seen_row), (_("pick"), pick_row), (_("label"), label_row)]
        if self.revealed:
            rows.append((_("how"), [(_(ACTION_WORD[a]) if a else "", ACTION_STYLE.get(a, "")) for a in d.actions]))
        return aligned_rows(rows, width)

    def _result(self) -> Content:
        d = self.draw
        if d is None:
            return Content("")
        if not self.revealed:
            return Content.styled(self.bert_note or _("BERT has its answers ready."), "dim")  # may quote an error
        parts: list[Content] = []
        you = bert = 0
        for n, pos in enumerate(d.picked, 1):
            label = d.labels[pos]
            guess = self.guesses[n - 1] if n - 1 < len(self.guesses) else ""
            ok = same_token(guess, label)
            you += ok
            line = [(f"#{n} ", "b"), (_pad(label, 12), "b $success"), (" " + _("you: "), "dim"),
                    (f"{guess or '—'} {'✓' if ok else '✗'}", "$success" if ok else "$error")]
            if self.bert:
                top, p = self.bert[n - 1][0]
                right = same_token(top, label)
                bert += right
                line += [("  BERT: ", "dim"), (f"{top} {p:.2f} {'✓' if right else '✗'}",
                                                "$success" if right else "$error")]
            parts.append(Content.assemble(*line))
        score = [(_("You {score}/{total}").format(score=you, total=len(d.picked)), "b $success")]
        if self.bert:
            score.append((" · " + _("BERT {score}/{total}").format(score=bert, total=len(d.picked)), "b $accent"))
        elif self.bert_note:
            score.append((f"  {self.bert_note}", "dim"))
        parts.append(Content.assemble(*score))
        return Content("\n").join(parts)

    # -- actions --------------------------------------------------------------------------
    def action_reroll(self) -> None:
        """A new seed, a new draw: the same sentence gives many training examples."""
        if not self.tokens:
            return
        self.seed += 1
        self.new_draw()

    def action_reveal(self) -> None:
        if self.draw is not None:
            self.revealed = True
            self.redraw()

    def check(self, guesses: str) -> None:
        """Score ``guesses`` (space- or comma-separated, one per pick, in order)."""
        if self.draw is None:
            return
        self.guesses = guesses.replace(",", " ").split()
        self.action_reveal()

    def text_edited(self, value: str) -> None:
        self._edited = self._edited or value != self.text
        super().text_edited(value)

    def after_text_submitted(self) -> None:
        self.query_one(".masking-guess", Input).focus()

    @on(Input.Submitted, ".masking-guess")
    def _guessed(self, event: Input.Submitted) -> None:
        event.stop()
        self.check(event.value)
        self.focus()

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.has_class("masking-reroll"):
            self.action_reroll()
        elif event.button.has_class("masking-reveal"):
            self.action_reveal()
