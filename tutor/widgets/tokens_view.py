"""Tokens: how text becomes WordPiece pieces, ids, a one-hot vector and an embedding row.

The learner edits the text; after a short pause the model's own tokenizer splits it in a
thread worker (so typing never waits on the model).  Picking a token in the table (↑/↓ or a
click) shows its one-hot vector — as long as the vocabulary, a single 1 at the token's id —
and why multiplying it by the embedding matrix E simply selects row ``id`` of E.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import DataTable, Static

from tutor.analysis.attention import BERT_SPECIALS, WORD_START, special_tokens
from tutor.course.blocks import TokensBlock
from tutor.i18n import N_, _
from tutor.widgets.block_model import BlockModel
from tutor.widgets.model_view import ModelView, on_screen
from tutor.widgets.text_field import TextField
from tutor.word_groups import marker_groups

SPECIAL_NOTES = {
    "[CLS]": N_("[CLS] opens every input; its final vector stands for the whole sentence."),
    "[SEP]": N_("[SEP] closes a sentence (and separates the two of a pair)."),
    "[MASK]": N_("[MASK] is the blank BERT was trained to fill."),
    "[UNK]": N_("[UNK]: something the vocabulary cannot spell, even from pieces."),
    "[PAD]": N_("[PAD] fills short inputs in a batch; attention ignores it."),
    "<s>": N_("<s> opens every input: this model's [CLS]."),
    "</s>": N_("</s> closes a sentence: this model's [SEP]."),
    "<mask>": N_("<mask> is this model's blank, its [MASK]."),
    "<unk>": N_("<unk>: something the vocabulary cannot spell, even from pieces (this model's [UNK])."),
    "<pad>": N_("<pad> fills short inputs in a batch: this model's [PAD]."),
}
MAX_SPLIT_NOTES = 3  # words spelled with pieces, noted one by one (the strip shows the rest)


def onehot_picture(index: int, size: int) -> Content:
    """``index: 0 1 2 … 2376 2377 2378 … 30521`` over ``value: 0 0 0 … 0 1 0 … 0``."""
    shown = sorted({0, 1, 2, index - 1, index, index + 1, size - 1} & set(range(size)))
    heads, values = [], []
    previous = -1
    for i in shown:
        if i - previous > 1:
            heads.append("…"), values.append("…")
        heads.append(str(i)), values.append("1" if i == index else "0")
        previous = i
    if previous < size - 1:
        heads.append("…"), values.append("…")
    widths = [max(len(h), len(v)) for h, v in zip(heads, values)]
    top = " ".join(h.rjust(w) for h, w in zip(heads, widths))
    cells: list = []
    for i, (v, w) in enumerate(zip(values, widths)):
        cells += [" " if i else "", (v.rjust(w), "b $success" if v == "1" else "dim")]
    return Content.assemble((_("index") + " ", "dim"), top, "\n", (_("value") + " ", "dim"), *cells)


def is_sentencepiece(tokens: list[str]) -> bool:
    """Do the pieces mark word starts with '▁' (SentencePiece) instead of '##' continuations?"""
    return any(t.startswith(WORD_START) for t in tokens)


def word_spans(tokens: list[str], specials: frozenset[str] = BERT_SPECIALS) -> list[tuple[int, int]]:
    """[start, end) of each word, from the pieces' own '##' / '▁' marks."""
    return [(g.start, g.end) for g in marker_groups(tokens, specials)]


def continues(token: str, sentencepiece: bool, specials: frozenset[str]) -> bool:
    if token in specials:
        return False
    return not token.startswith(WORD_START) if sentencepiece else token.startswith("##")


def split_notes(tokens: list[str], text: str, specials: frozenset[str] = BERT_SPECIALS) -> list[str]:
    """Plain-language notes on how this text was split."""
    notes = []
    sentencepiece = is_sentencepiece(tokens)
    spans = word_spans(tokens, specials)
    for start, end in [(a, b) for a, b in spans if b - a > 1][:MAX_SPLIT_NOTES]:
        pieces = " + ".join(tokens[start:end])
        if sentencepiece:
            word = "".join(tokens[start:end]).removeprefix(WORD_START)
            notes.append(_("'{word}' → {pieces}: SentencePiece cuts the text between two spaces into "
                           "vocabulary pieces; a piece without '▁' continues the word.").format(word=word, pieces=pieces))
        else:
            word = "".join(t.removeprefix("##") for t in tokens[start:end])
            notes.append(_("'{word}' → {pieces}: not one vocabulary entry, so it is spelled with pieces; "
                           "'##' marks a piece that continues the word.").format(word=word, pieces=pieces))
    if sentencepiece:
        first = next((t for t in tokens if t.startswith(WORD_START) and len(t) > 1), None)
        notes.append(_("'▁' marks a piece that starts a word, where a space (or the start of the text) was, "
                       "as in '{piece}'.").format(piece=first) if first else
                     _("'▁' alone stands for the space (or the start of the text) before the next piece."))
    whole = [tokens[a].removeprefix(WORD_START) for a, b in spans if b - a == 1 and tokens[a] not in specials
             and tokens[a].removeprefix(WORD_START).isalpha() and len(tokens[a].removeprefix(WORD_START)) >= 6]
    if whole and not sentencepiece:
        notes.append(_("'{word}' is a single vocabulary entry: common words are; rarer ones are "
                       "spelled from '##' pieces.").format(word=max(whole, key=len)))
    punct = [t for t in tokens if len(t) == 1 and not t.isalnum() and t not in specials and t != WORD_START]
    if punct:
        note = _("punctuation ({marks}) becomes tokens of its own").format(marks=" ".join(dict.fromkeys(punct)))
        i = tokens.index("'") if "'" in tokens else -1
        if 0 < i < len(tokens) - 1:
            note += f": {tokens[i - 1]}'{tokens[i + 1]} → {tokens[i - 1]} · ' · {tokens[i + 1]}"
        notes.append(note + ".")
    if any(c.isupper() for c in text) and all(t == t.lower() for t in tokens if t not in specials):
        notes.append(_("this model is uncased: the text is lower-cased before splitting."))
    present = [t for t in dict.fromkeys(tokens) if t in specials]
    notes += [_(note) for special, note in SPECIAL_NOTES.items() if special in present]
    notes += [_("'{token}' is one of this tokenizer's special tokens.").format(token=t)
              for t in present if t not in SPECIAL_NOTES]
    return notes


class TokensView(BlockModel, ModelView, Vertical):
    # The table grows with the text (no scrollbar of its own): the lesson page scrolls.
    """WordPiece pieces, ids and the one-hot → embedding-row story for editable text."""

    TEXT_INPUT = ".tokens-text"

    DEFAULT_CSS = """
    TokensView { height: auto; }
    TokensView > Input { margin-bottom: 0; }
    TokensView .tokens-strip { padding: 0 1; }
    TokensView .tokens-message { color: $warning; padding: 0 1; }
    TokensView .tokens-body { height: auto; }
    TokensView DataTable { width: auto; min-width: 34; max-width: 60%; height: auto; max-height: 600; overflow-y: hidden; }
    TokensView .tokens-onehot { width: 1fr; padding: 0 1; }
    TokensView .tokens-notes { color: $text-muted; padding: 0 1; }
    """

    def __init__(self, block: TokensBlock, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=f"exercise tokens-view {classes or ''}".strip())
        self.block = block
        self.text = block.text
        self.pairs: list[tuple[str, int]] = []
        self.layer0: np.ndarray | None = None
        self.rows: np.ndarray | None = None
        self.matrix_shape: tuple[int, int] | None = None
        self.vocab_size = 0
        self.selected = 0
        self.message = ""
        self.specials: frozenset[str] = BERT_SPECIALS

    def compose(self) -> ComposeResult:
        yield Static(Content(_("↑/↓ pick a token · tab goes into the text, esc leaves it")),
                     classes="instructions keys")
        yield TextField(self.text, placeholder=_("type any text, e.g. He was playing an unbelievable game"),
                        classes="tokens-text")
        yield Static(classes="tokens-strip")
        yield Static(classes="tokens-message")
        with Horizontal(classes="tokens-body"):
            table = DataTable(cursor_type="row", zebra_stripes=True, classes="tokens-table")
            table.add_columns("#", _("token"), "id", _("kind"))
            yield table
            yield Static(classes="tokens-onehot")
        yield Static(classes="tokens-notes")

    def on_mount(self) -> None:
        self.watch_engine()

    def take_focus(self) -> None:
        self.query_one(DataTable).focus()

    # -- model (ModelView) ----------------------------------------------------------------
    def question(self) -> tuple:
        return (self.text,)

    def ask_model(self, engine: Any, text: str):
        pairs = engine.tokens(text)
        layer0 = engine.embed(text, 0).vectors
        rows = engine.embedding_rows([i for _, i in pairs])
        return pairs, layer0, rows, int(getattr(engine, "vocab_size", 0)), special_tokens(engine)

    def show_answer(self, answer) -> None:
        pairs, layer0, (rows, shape), size, self.specials = answer
        self.pairs, self.layer0, self.vocab_size = pairs, layer0, size
        self.rows, self.matrix_shape = rows, shape
        tokens = [t for t, _ in pairs]
        self.selected = self._initial_token(tokens)
        self.message = ""
        self._fill_table()
        self.redraw()

    def model_failed(self, message: str) -> None:
        self.pairs = []
        self._fill_table()
        self.show_message(message)

    # -- rendering ------------------------------------------------------------------------
    def _initial_token(self, tokens: list[str]) -> int:
        """The block's ``onehot`` token (or the first piece of that word), else the first word."""
        wanted = self.block.onehot.strip().lower()
        if wanted and self.text == self.block.text:
            for i, t in enumerate(tokens):
                if t.lower().removeprefix(WORD_START) == wanted:
                    return i
            for start, end in word_spans(tokens, self.specials):
                word = "".join(t.removeprefix("##") for t in tokens[start:end]).removeprefix(WORD_START)
                if word.lower() == wanted:
                    return start
        return next((i for i, t in enumerate(tokens) if t not in self.specials), 0)

    def _fill_table(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        sentencepiece = is_sentencepiece([t for t, _id in self.pairs])
        for n, (token, token_id) in enumerate(self.pairs):
            kind = _("special") if token in self.specials else (
                _("continues") if continues(token, sentencepiece, self.specials) else "")
            table.add_row(str(n), token, str(token_id), kind, key=str(n))
        if self.pairs:
            table.move_cursor(row=self.selected, animate=False)

    def redraw(self) -> None:
        if not on_screen(self):
            return
        self.update_message_line(".tokens-message")
        self.query_one(".tokens-strip", Static).update(self._strip())
        self.query_one(".tokens-onehot", Static).update(self._onehot())
        notes = split_notes([t for t, _id in self.pairs], self.text, self.specials) if self.pairs else []
        self.query_one(".tokens-notes", Static).update(Content("\n".join(f"• {n}" for n in notes)))

    def _strip(self) -> Content:
        if not self.pairs:
            return Content("")
        tokens = [t for t, _ in self.pairs]
        joins = (_("(· joins the pieces between two spaces)") if is_sentencepiece(tokens)
                 else _("(· joins the pieces of one word)"))
        # never singular: an input is its opening and closing special tokens plus at least one piece
        parts: list = [(_("{n} tokens").format(n=len(tokens)), "b"),
                       (f" {joins}\n", "dim")]
        for n, (start, end) in enumerate(word_spans(tokens, self.specials)):
            parts.append("  " if n else "")
            for i in range(start, end):
                style = "reverse" if i == self.selected else (
                    "b $accent" if tokens[i] in self.specials else ("$secondary" if i > start else ""))
                parts += ["·" if i > start else "", (tokens[i], style)]  # a token is text, never markup
        return Content.assemble(*parts)

    def _onehot(self) -> Content:
        if not self.pairs or not 0 <= self.selected < len(self.pairs):
            return Content("")
        token, token_id = self.pairs[self.selected]
        size = self.vocab_size or token_id + 1
        hidden = self.matrix_shape[1] if self.matrix_shape else (
            self.layer0.shape[1] if self.layer0 is not None else "D")
        lines = [Content.assemble((_("one-hot of '{token}'").format(token=token), "b"), f" · id {token_id}"),
                 onehot_picture(token_id, size),
                 Content(_("{size} numbers, a single 1;").format(size=f"{size:,}")),
                 Content.assemble(f"× E ({size:,} × {hidden}) = ",
                                  (_("row {id} of E").format(id=token_id), "b"))]
        if self.rows is not None:
            lines.append(Content(_numbers(self.rows[self.selected])))
        if self.layer0 is not None and self.selected < len(self.layer0):
            lines.append(Content.styled(_("layer 0 = that row + position +\nsegment, then normalised:"), "dim"))
            lines.append(Content(_numbers(self.layer0[self.selected])))
        return Content("\n").join(lines)

    # -- events ---------------------------------------------------------------------------
    def after_text_submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowHighlighted)
    def _row(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        if self.pairs and 0 <= event.cursor_row < len(self.pairs) and event.cursor_row != self.selected:
            self.selected = event.cursor_row
            self.redraw()


def _numbers(vector: np.ndarray, count: int = 4) -> str:
    shown = " ".join(f"{x:+.3f}" for x in vector[:count])
    return f"[{shown} …]"
