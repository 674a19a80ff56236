"""Contextual embeddings: one word across sentences, and whole sentences in a 2-D scatter.

Two lessons in one view.  (1) The cosine table of a word's vectors at a chosen layer sits
next to the same table at layer 0 (the input embedding): there the word is one row of the
embedding matrix whatever the context, so the table is all ≈ 1.00 — the layers are what pull
"bank" (river) and "bank" (money) apart.  (2) Sentence vectors (mean of the token vectors,
[CLS]/[SEP] left out) projected by a seeded PCA: "I love you" lands near "I adore you", far
from "Go away!" — the lecture's multilingual-BERT picture, done with the bundled model.
"""
from __future__ import annotations

import inspect
from typing import Any

import numpy as np
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static
from textual_plotext import PlotextPlot

from tutor.analysis.attention import special_tokens
from tutor.analysis.embeddings import cosine_matrix, off_diagonal_range, pca_2d, sentence_vector  # noqa: F401
from tutor.course.blocks import EmbeddingsBlock
from tutor.errors import TutorError
from tutor.i18n import N_, _
from tutor.widgets.block_model import BlockModel
from tutor.widgets.model_view import ModelView, on_screen, stop_if_cancelled
from tutor.widgets.text_field import TextField
from tutor.word_groups import count_uses

DEBOUNCE_S = 0.6  # two inputs and several sentences: wait a little longer than the other views
MARKERS = ("dot", "x", "+", "*", "o", "@")  # plotext markers, one per group
COLOURS = ("blue", "orange", "green", "magenta", "cyan", "red")
GLYPHS = {"dot": "•"}


def similarity_table(left: np.ndarray, right: np.ndarray, left_title: str, right_title: str,
                     labels: list[str] | None = None, width: int | None = None) -> Content:
    """Two n×n cosine tables side by side (one above the other when ``width`` is too narrow),
    ``labels`` (default S1..Sn) on both axes."""
    n = left.shape[0]
    labels = labels or [f"S{j + 1}" for j in range(n)]
    side = max(4, max(len(label) for label in labels) + 1)
    head = " " * side + "".join(f"{label:>6}" for label in labels)
    table_width = len(head)

    def cells(matrix: np.ndarray, i: int) -> list[tuple[str, str]]:
        return [(f"{matrix[i, j]:6.2f}", "dim" if i == j else ("b $success" if matrix[i, j] >= 0.8 else ""))
                for j in range(n)]

    if width is not None and 2 * table_width + 3 > width:
        parts = []
        for title, matrix in ((left_title, left), (right_title, right)):
            parts += [Content.styled(title, "b"), Content.styled(head, "dim")]
            parts += [Content.assemble((f"{labels[i]:<{side}}", "dim"), *cells(matrix, i)) for i in range(n)]
        return Content("\n").join(parts)
    parts = [Content.assemble((f"{left_title:<{table_width}}", "b"), (" │ ", "dim"), (right_title, "b")),
             Content.assemble((head, "dim"), (" │ ", "dim"), (head[side:], "dim"))]
    for i in range(n):
        parts.append(Content.assemble((f"{labels[i]:<{side}}", "dim"), *cells(left, i), (" │ ", "dim"),
                                      *cells(right, i)))
    return Content("\n").join(parts)


def word_and_sentences(word: str, sentences: list[str], prefix: str) -> Horizontal:
    """The two text fields of a word-in-context view: the word, and sentences separated by |."""
    return Horizontal(Input(word, placeholder=_("word"), classes=f"{prefix}-word"),
                      TextField(" | ".join(sentences), classes=f"{prefix}-sentences",
                                placeholder=_("sentences that use the word, separated by |")),
                      classes=f"{prefix}-inputs")


def edited(event: Input.Changed, word: str, sentences: list[str], prefix: str) -> tuple[str, list[str]]:
    """(word, sentences) after an edit in ``word_and_sentences``' fields."""
    if event.input.has_class(f"{prefix}-word"):
        return event.value, sentences
    return word, [s.strip() for s in event.value.split("|") if s.strip()]


class WordAndSentencesTyping:
    """Mixin for a view built on ``word_and_sentences(prefix)``: typing recomputes once it
    pauses, Enter at once (``recompute`` is the view's own)."""

    INPUT_PREFIX = ""
    word: str
    sentences: list[str]

    def recompute(self) -> None:
        raise NotImplementedError

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        before = (self.word, self.sentences)
        self.word, self.sentences = edited(event, self.word, self.sentences, self.INPUT_PREFIX)
        if (self.word, self.sentences) != before:  # the Inputs report their initial values too
            self.debounce(self.recompute, self.DEBOUNCE)  # type: ignore[attr-defined]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.cancel_debounce()  # type: ignore[attr-defined]
        self.recompute()
        self.focus()  # type: ignore[attr-defined]


def takes_occurrence(engine: Any) -> bool:
    """Can the engine's ``word_vectors`` pick the n-th use of a word in a sentence?"""
    try:
        return "occurrence" in inspect.signature(engine.word_vectors).parameters
    except (TypeError, ValueError):
        return False


def word_uses(sentences: list[str], word: str, by_occurrence: bool) -> list[tuple[int, int]]:
    """(sentence index, occurrence) of every use of ``word`` to compare: each use in a sentence
    when the engine can pick it, else the first use of each sentence."""
    uses = []
    for i, sentence in enumerate(sentences):
        count = count_uses(sentence, word) if by_occurrence else 1
        uses += [(i, k) for k in range(1, max(count, 1) + 1)]
    return uses


def use_labels(uses: list[tuple[int, int]]) -> list[str]:
    """S1, S2, … or S3.1, S3.2, … for a sentence that uses the word more than once."""
    several = {i for i, k in uses if k > 1}
    return [f"S{i + 1}.{k}" if i in several else f"S{i + 1}" for i, k in uses]


def word_pieces(engine: Any, sentence: str, word: str, specials: frozenset[str],
                occurrence: int = 1) -> tuple[tuple[str, int], ...]:
    """The pieces (token, id) that spell ``word`` in ``sentence``: an engine that finds a
    word's span in a sentence says (SentencePiece pieces change with the neighbours); for
    WordPiece a whole word is spelled the same everywhere."""
    if hasattr(engine, "word_span"):
        start, end = engine.word_span(sentence, word, occurrence)
        return tuple(engine.tokens(sentence)[start:end])
    return tuple((t, i) for t, i in engine.tokens(word) if t not in specials)


def mean_without_specials(tokens: list[str], vectors: np.ndarray, specials: frozenset[str]) -> np.ndarray:
    """A sentence vector: the mean of its token vectors, the model's special tokens left out."""
    keep = [i for i, t in enumerate(tokens) if t not in specials] or list(range(len(tokens)))
    return np.asarray(vectors, dtype=np.float64)[keep].mean(axis=0)


class EmbeddingsView(WordAndSentencesTyping, BlockModel, ModelView, Vertical, can_focus=True):
    """Cosine tables of a word in context plus a PCA scatter of sentence groups."""

    INPUT_PREFIX = "emb"

    LAYER = Binding.Group(N_("Layer"), compact=True)
    BINDINGS = [
        Binding("l,right_square_bracket", "layer(1)", N_("Layer"), group=LAYER, key_display="l"),
        Binding("L,left_square_bracket", "layer(-1)", N_("Layer"), group=LAYER, key_display="L"),
    ]

    DEFAULT_CSS = """
    EmbeddingsView { height: auto; }
    EmbeddingsView .emb-inputs { height: auto; }
    EmbeddingsView .emb-word { width: 18; }
    EmbeddingsView .emb-sentences { width: 1fr; }
    EmbeddingsView .emb-status { padding: 0 1; text-style: bold; }
    EmbeddingsView:focus .emb-status { color: $accent; }
    EmbeddingsView .emb-message { padding: 0 1; color: $warning; }
    EmbeddingsView .emb-list, EmbeddingsView .emb-table { padding: 0 1; }
    EmbeddingsView .emb-explain { padding: 0 1; color: $text-muted; }
    EmbeddingsView .emb-plot { height: 16; min-width: 40; }
    EmbeddingsView .emb-legend { padding: 0 1; }
    """

    def __init__(self, block: EmbeddingsBlock, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=f"exercise embeddings-view {classes or ''}".strip())
        self.block = block
        self.word = block.word
        self.sentences = list(block.sentences)
        self.groups = [(label, list(sents)) for label, sents in block.groups]
        self.n_layers: int | None = None
        self.current_layer: int | None = block.layer
        self.cosine: np.ndarray | None = None
        self.input_cosine: np.ndarray | None = None
        self.points: np.ndarray | None = None
        self.spellings: list[tuple[tuple[str, int], ...]] = []  # the word's pieces, per use
        self.labels: list[str] = []  # S1, S2, … or S3.1, S3.2 for a sentence that uses it twice
        self.busy = False
        self.message = ""
        self._cache: dict[tuple, np.ndarray] = {}

    def compose(self) -> ComposeResult:
        yield Static(Content(_("l/L change layer · tab goes into the text fields, esc leaves them")),
                     classes="instructions keys")
        yield word_and_sentences(self.word, self.sentences, self.INPUT_PREFIX)
        yield Static(classes="emb-status")
        yield Static(classes="emb-message")
        yield Static(classes="emb-list")
        yield Static(classes="emb-table")
        yield Static(classes="emb-explain")
        yield PlotextPlot(classes="emb-plot")
        yield Static(classes="emb-legend")

    def on_mount(self) -> None:
        self.query_one(".emb-plot").display = self.query_one(".emb-legend").display = bool(self.groups)
        self.query_one(".emb-inputs").display = bool(self.block.word or self.block.sentences or not self.groups)
        self.watch_engine()

    # -- model (ModelView) ----------------------------------------------------------------
    FAULT = "the model could not embed this"
    DEBOUNCE = DEBOUNCE_S

    def model_ready(self) -> None:
        self._cache.clear()  # a different model: different vectors
        self.compute()

    def compute(self) -> None:
        if self.ask():
            self.busy = True
            self.redraw()

    def question(self) -> tuple:
        return self.word.strip(), list(self.sentences), self.current_layer, self.groups, dict(self._cache)

    def ask_model(self, engine: Any, word: str, sentences: list[str], layer: int | None,
                  groups: list, cache: dict[tuple, np.ndarray]):
        """Vectors come from a cache of every layer per sentence: changing layer costs no pass.

        ``cache`` is the view's cache copied on the UI thread; new entries travel back with the
        answer (a worker never writes the view's attributes)."""
        n_layers = int(engine.info()["layers"])
        layer = n_layers if layer is None else min(max(layer, 0), n_layers)
        added: dict[tuple, np.ndarray] = {}

        def cached(key: tuple, make) -> np.ndarray:
            if key not in cache:
                stop_if_cancelled()  # one model pass per sentence: stop between them when left
                cache[key] = added[key] = np.asarray(make(), dtype=np.float64)
            return cache[key]

        cosine = input_cosine = points = None
        spellings: list[tuple[tuple[str, int], ...]] = []
        labels: list[str] = []
        specials = special_tokens(engine)
        if word or sentences:
            by_occurrence = takes_occurrence(engine)
            uses = word_uses(sentences, word, by_occurrence) if word else []
            if len(uses) < 2:
                raise TutorError(_("give a word and at least two sentences that use it (separate them with |)"))
            every = [cached(("word", sentences[i], word, k), lambda i=i, k=k: engine.word_vectors(
                sentences[i], word, **({"occurrence": k} if by_occurrence else {}))) for i, k in uses]
            cosine = cosine_matrix([v[layer] for v in every])
            input_cosine = cosine_matrix([v[0] for v in every])
            spellings = [word_pieces(engine, sentences[i], word, specials, k) for i, k in uses]
            labels = use_labels(uses)
        if groups:
            flat = [s for _label, group in groups for s in group]
            every = [cached(("sentence", s), lambda s=s: self._sentence(engine, s, specials)) for s in flat]
            points = pca_2d(np.stack([v[layer] for v in every]), seed=0)
        return n_layers, layer, cosine, input_cosine, points, (spellings, labels), added

    @staticmethod
    def _sentence(engine: Any, sentence: str, specials: frozenset[str]) -> np.ndarray:
        """The sentence vector at every layer: [layers + 1, hidden]."""
        tokens, states = engine.hidden_states(sentence)
        return np.stack([mean_without_specials(list(tokens), layer_vectors, specials) for layer_vectors in states])

    def show_answer(self, answer) -> None:
        (self.n_layers, self.current_layer, self.cosine, self.input_cosine, self.points,
         (self.spellings, self.labels), added) = answer
        self._cache.update(added)
        self.message, self.busy = "", False
        self.redraw()

    def model_failed(self, message: str) -> None:
        self.busy = False
        self.cosine = self.input_cosine = self.points = None
        self.show_message(message)

    # -- rendering ------------------------------------------------------------------------
    def redraw(self) -> None:
        if not on_screen(self):
            return
        self.update_message_line(".emb-message")
        layer = self.current_layer
        if self.n_layers is None:
            self.query_one(".emb-status", Static).update(Content(_("computing the vectors…") if self.busy else ""))
        elif layer is not None:
            where = _("input embeddings") if layer == 0 else _("layer {layer}/{layers}").format(
                layer=layer, layers=self.n_layers)
            subject = f"'{self.word}' · " if self.word.strip() else ""
            busy = "  · " + _("computing…") if self.busy else ""
            keys = _("(l / L: change layer)")
            self.query_one(".emb-status", Static).update(Content(f"{subject}{where}  {keys}{busy}"))
        word_part = self.cosine is not None
        for name in (".emb-list", ".emb-table", ".emb-explain"):
            self.query_one(name).display = word_part
        if word_part:
            self.query_one(".emb-list", Static).update(Content("\n".join(
                f"S{i + 1} {s}" for i, s in enumerate(self.sentences))))
            title = _("input (layer 0)") if layer == 0 else _("layer {layer}").format(layer=layer)
            self.query_one(".emb-table", Static).update(
                similarity_table(self.cosine, self.input_cosine,
                                 _("'{word}' at {where}").format(word=self.word, where=title), _("input (layer 0)"),
                                 self.labels, (self.content_size.width or 78) - 2))
            self.query_one(".emb-explain", Static).update(Content(self._explain(title)))
        self._plot()

    def _explain(self, title: str) -> str:
        """What the tables show, from this run: how the word was spelled, and the ranges."""
        lo, hi = off_diagonal_range(self.cosine)
        lo0, hi0 = off_diagonal_range(self.input_cosine)
        spellings = list(dict.fromkeys(self.spellings))
        if len(spellings) == 1:
            rows = ", ".join(str(i) for _t, i in spellings[0]) or "?"
            start = _("'{word}' starts as row {rows} of the embedding matrix in every sentence: identical, "
                      "cosine 1.00.").format(word=self.word, rows=rows)
        else:
            spelled = "; ".join(f"{label} " + " + ".join(t for t, _i in pieces)
                                for label, pieces in zip(self.labels, self.spellings))
            start = _("'{word}' is spelled with different pieces in these sentences ({spelled}), so even its "
                      "embedding-matrix rows differ.").format(word=self.word, spelled=spelled)
        return " ".join([start, _("Layer 0 adds the position: {low}–{high}. At {where} the context has moved it: "
                                  "{low2}–{high2}.").format(low=f"{lo0:.2f}", high=f"{hi0:.2f}", where=title,
                                                            low2=f"{lo:.2f}", high2=f"{hi:.2f}")])

    def _plot(self) -> None:
        """Markers per group, a number beside each point, the sentences listed underneath."""
        plot, legend = self.query_one(".emb-plot", PlotextPlot), self.query_one(".emb-legend", Static)
        plot.display = legend.display = bool(self.groups) and self.points is not None
        if not plot.display:
            return
        plt = plot.plt
        plt.clear_figure()
        where = _("input embeddings") if self.current_layer == 0 else _("layer {layer}").format(
            layer=self.current_layer)
        plt.title(_("sentence vectors (mean of tokens, {where}) · PCA").format(where=where))
        lo, hi = self.points.min(axis=0), self.points.max(axis=0)
        span = np.maximum(hi - lo, 1e-6)
        x_low, x_high = float(lo[0] - 0.1 * span[0]), float(hi[0] + 0.15 * span[0])
        plt.xlim(x_low, x_high)
        plt.ylim(float(lo[1] - 0.1 * span[1]), float(hi[1] + 0.35 * span[1]))  # room for the legend
        nudge = 1.5 * (x_high - x_low) / max(20, (plot.size.width or 70) - 8)  # ~1.5 cells to the right
        lines, start, number = [], 0, 1
        for g, (label, sentences) in enumerate(self.groups):
            xy = self.points[start:start + len(sentences)]
            start += len(sentences)
            colour, marker = COLOURS[g % len(COLOURS)], MARKERS[g % len(MARKERS)]
            plt.scatter(xy[:, 0].tolist(), xy[:, 1].tolist(), label=label, marker=marker, color=colour)
            items = []
            for (x, y), sentence in zip(xy.tolist(), sentences):
                plt.text(str(number), x + nudge, y, color=colour)
                items.append(f"{number} {sentence}")
                number += 1
            lines.append(Content.assemble((f"{GLYPHS.get(marker, marker)} {label}: ", "b"), "  ".join(items)))
        legend.update(Content("\n").join(lines))
        plot.refresh()

    # -- actions --------------------------------------------------------------------------
    def action_layer(self, step: int) -> None:
        if self.n_layers is None:
            return
        current = self.n_layers if self.current_layer is None else self.current_layer
        self.current_layer = (current + step) % (self.n_layers + 1)
        self.compute()

    def recompute(self) -> None:
        self.compute()
