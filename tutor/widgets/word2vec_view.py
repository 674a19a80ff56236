"""Word2Vec's one vector beside BERT's vector per sentence (lesson 7, slide 3.3).

Left to right in time: the bundled Word2Vec (``tutor/word2vec.py``, numpy only) answers at
once with the word's nearest neighbours by cosine — one list, whatever the sentence; then
BERT reads each sentence and gives the word a vector per sentence, compared by cosine at the
last layer and at layer 0 (BERT's own one-vector-per-token input).  Both run in workers.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from tutor.analysis.embeddings import cosine_matrix, off_diagonal_range
from tutor.bars import bar
from tutor.course.blocks import Word2VecBlock
from tutor.errors import TutorError
from tutor.i18n import _
from tutor.widgets.block_model import BlockModel
from tutor.widgets.embeddings_view import WordAndSentencesTyping, similarity_table, word_and_sentences
from tutor.widgets.model_view import ModelView, on_screen, stop_if_cancelled
from tutor.word2vec import load_word2vec

W2V = "word2vec"


def neighbours_of(word: str, k: int) -> tuple[str, int, int, list[tuple[str, float]]]:
    """Worker thread: (word, times seen in training, dimensions, k nearest neighbours)."""
    vectors = load_word2vec()
    return word, vectors.count(word), vectors.dim, vectors.neighbours(word, k)


class Word2VecView(WordAndSentencesTyping, BlockModel, ModelView, Vertical, can_focus=True):
    """Word2Vec's neighbours for a word, and BERT's vector of it in each sentence."""

    INPUT_PREFIX = "w2v"

    DEFAULT_CSS = """
    Word2VecView { height: auto; }
    Word2VecView .w2v-inputs { height: auto; }
    Word2VecView .w2v-word { width: 18; }
    Word2VecView .w2v-sentences { width: 1fr; }
    Word2VecView .w2v-message { padding: 0 1; color: $warning; }
    Word2VecView .w2v-neighbours, Word2VecView .w2v-bert { padding: 0 1; }
    Word2VecView .w2v-explain { padding: 0 1; color: $text-muted; }
    Word2VecView:focus .w2v-title { color: $accent; }
    """

    def __init__(self, block: Word2VecBlock, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=f"exercise word2vec-view {classes or ''}".strip())
        self.block = block
        self.word = block.word
        self.sentences = list(block.sentences)
        self.neighbours: tuple[str, int, int, list[tuple[str, float]]] | None = None
        self.w2v_message = ""
        self.bert: tuple[np.ndarray, np.ndarray, int] | None = None  # last layer, layer 0, layer number
        self.message = ""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("tab goes into the text fields, esc leaves them")), classes="instructions keys")
        yield word_and_sentences(self.word, self.sentences, self.INPUT_PREFIX)
        yield Static(classes="w2v-neighbours")
        yield Static(classes="w2v-message")
        yield Static(classes="w2v-bert")
        yield Static(classes="w2v-explain")

    def on_mount(self) -> None:
        self.ask_word2vec()
        self.watch_engine()

    # -- Word2Vec (no model needed) ---------------------------------------------------------
    def ask_word2vec(self) -> None:
        self.run_model(W2V, neighbours_of, self.word.strip(), self.block.top)

    def model_answered(self, topic: str, answer: Any) -> None:
        if topic == W2V:
            self.neighbours, self.w2v_message = answer, ""
            self.redraw()
        else:
            super().model_answered(topic, answer)

    def model_error(self, topic: str, message: str) -> None:
        if topic == W2V:
            self.neighbours, self.w2v_message = None, message
            self.redraw()
        else:
            super().model_error(topic, message)

    # -- BERT (ModelView) --------------------------------------------------------------------
    def question(self) -> tuple:
        return self.word.strip(), list(self.sentences)

    def ask_model(self, engine: Any, word: str, sentences: list[str]):
        if not sentences:
            return None
        if not word or len(sentences) < 2:
            raise TutorError(_("give a word and at least two sentences that use it (separate them with |)"))
        every = []
        for sentence in sentences:
            stop_if_cancelled()  # one model pass per sentence
            every.append(np.asarray(engine.word_vectors(sentence, word), dtype=np.float64))
        return cosine_matrix([v[-1] for v in every]), cosine_matrix([v[0] for v in every]), every[0].shape[0] - 1

    def show_answer(self, answer) -> None:
        self.bert, self.message = answer, ""
        self.redraw()

    def model_failed(self, message: str) -> None:
        self.bert = None
        self.show_message(message)

    # -- rendering ---------------------------------------------------------------------------
    def redraw(self) -> None:
        if not on_screen(self):
            return
        self.update_message_line(".w2v-message")
        self.query_one(".w2v-neighbours", Static).update(self._neighbours())
        bert, explain = self.query_one(".w2v-bert", Static), self.query_one(".w2v-explain", Static)
        bert.display = explain.display = self.bert is not None
        if self.bert is None:
            return
        last, first, layer = self.bert
        listing = "\n".join(f"S{i + 1} {s}" for i, s in enumerate(self.sentences))
        title = _("BERT: '{word}' has a vector per sentence").format(word=self.word.strip())
        bert.update(Content.assemble((title, "b"), "\n", listing, "\n", similarity_table(
            last, first, _("layer {layer}").format(layer=layer), _("input (layer 0)"),
            width=(self.content_size.width or 78) - 2)))
        lo, hi = off_diagonal_range(last)
        lo0, hi0 = off_diagonal_range(first)
        explain.update(Content(_(
            "Word2Vec gives '{word}' one vector, the same in all {n} sentences: every pair would be 1.00. "
            "BERT's vectors of it at layer {layer}: {low}–{high}; at its input (layer 0), where it too has one "
            "row per token and only the position differs: {low0}–{high0}.").format(
            word=self.word.strip(), n=len(self.sentences), layer=layer, low=f"{lo:.2f}", high=f"{hi:.2f}",
            low0=f"{lo0:.2f}", high0=f"{hi0:.2f}")))

    def _neighbours(self) -> Content:
        if self.w2v_message:
            return Content.styled(self.w2v_message, "$warning")
        if self.neighbours is None:
            return Content("")
        word, seen, dim, rows = self.neighbours
        top = max((c for _w, c in rows), default=1.0) or 1.0
        width = max((len(w) for w, _c in rows), default=4)
        head = _("Word2Vec: one vector for '{word}' (seen {seen}× in training, {dim} numbers); its {k} nearest "
                 "words by cosine:").format(word=word, seen=seen, dim=dim, k=len(rows))
        lines = [Content.styled(head, "b")]
        for rank, (neighbour, cosine) in enumerate(rows, 1):
            lines.append(Content.assemble(f"{rank:>2} {neighbour:<{width}} {cosine:5.3f} ",
                                          (bar(cosine / top, 12), "$primary")))
        return Content("\n").join(lines)

    # -- typing ------------------------------------------------------------------------------
    def recompute(self) -> None:
        self._ask_both()

    def _ask_both(self) -> None:
        self.ask_word2vec()
        self.ask()
