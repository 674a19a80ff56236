"""Attention: a tokens × tokens heatmap per layer and head, a head view and a model view.

The attention tensor ``[layers, heads, seq, seq]`` is computed once per text in a worker;
stepping layers and heads only slices it and re-renders: ~9 ms to render a 64 × 64 map, under
100 ms from key press to repainted screen (``benchmarks/bench_attention.py``).  The heatmap is
hand-built segments — one per cell, from a 9-step palette blended from the theme's background
to its primary colour — handed to Textual as strips, because a Rich ``Table`` of 4 096 markup
cells is ~40× slower.
"""
from __future__ import annotations

from typing import Any

import numpy as np
from rich.console import Console, ConsoleOptions, RenderResult
from rich.cells import set_cell_size
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, ScrollableContainer, Vertical, VerticalScroll
from textual.content import Content
from textual.strip import Strip
from textual.style import Style as TStyle
from textual.visual import RenderOptions, Visual
from textual.widgets import Static

from tutor.analysis.attention import BERT_SPECIALS, LEVELS, describe_head, levels, pool, select_map, special_tokens
from tutor.bars import bar
from tutor.course.blocks import AttentionBlock
from tutor.i18n import N_, _
from tutor.widgets.block_model import BlockModel
from tutor.widgets.model_view import ModelView, on_screen
from tutor.widgets.text_field import TextField
from tutor.word_groups import WordGroup, marker_groups, merge_attention

LABEL_ROWS = 5        # column labels are written downwards, cut to this many letters
MAX_SHOWN = 128       # longer inputs are cut for display (with a notice); the model saw them whole


def palette(low: Color, high: Color) -> list[Style]:
    """Background styles from ``low`` (no attention) to ``high`` (all of it)."""
    return [Style(bgcolor=low.blend(high, k / (LEVELS - 1)).rich_color) for k in range(LEVELS)]


def column_label(token: str) -> str:
    """How a column is headed: '[CLS]' -> 'CLS', '##ing' -> 'ing', '<s>' -> 's', '▁海水' -> '海水'."""
    return token.removeprefix("##").removeprefix("▁").strip("[]<>") or token


def word_groups_of(engine: Any, text: str, tokens: list[str], specials: frozenset[str]) -> tuple[list[WordGroup], str]:
    """Worker thread: the pieces grouped into words, and how.  An engine that segments text
    itself (the multilingual one: jieba for Chinese, offsets for the rest) is asked; otherwise
    the pieces' own '##' / '▁' marks decide."""
    if hasattr(engine, "word_groups"):
        return list(engine.word_groups(text)), N_("words: jieba cuts Chinese, spaces and punctuation the rest")
    return marker_groups(tokens, specials), N_("words: pieces joined at their '##' / '▁' marks")


class Heatmap(Visual):
    """One row per attending token, one 2-cell column per attended token.

    Column labels are written downwards, one letter per line (at most ``LABEL_ROWS``), so
    neighbouring labels never run together the way two-letter cuts did ("CLthandi'").

    Both a Textual ``Visual`` (the widget gets its strips directly, skipping the generic
    Rich-renderable path that re-renders and re-splits every line) and a Rich renderable
    (for the benchmark and any console)."""

    def __init__(self, tokens: list[str], matrix: np.ndarray, styles: list[Style], *,
                 selected: int | None = None, label_width: int = 10, cell: int = 2):
        self.tokens, self.matrix, self.styles = tokens, matrix, styles
        self.selected, self.label_width, self.cell = selected, label_width, cell
        self.width = label_width + cell * len(tokens)
        self.header_height = max(1, min(LABEL_ROWS, max((len(column_label(t)) for t in tokens), default=1)))
        self._lines: dict[Style | None, list[list[Segment]]] = {}

    def lines(self, base: Style | None = None) -> list[list[Segment]]:
        """The segments of each line (header first) on top of ``base``, built once per base.

        Only the labels get ``base`` (the theme's text colour); the cells carry just their
        background, so no per-cell style arithmetic is needed."""
        if base in self._lines:
            return self._lines[base]
        lw, cell = self.label_width, self.cell
        on = (lambda style: base + style) if base else (lambda style: style)
        bold, dim, plain = on(Style(bold=True)), on(Style(dim=True)), on(Style())
        hot = on(Style(bold=True, reverse=True))
        lines = []
        labels = [column_label(t) for t in self.tokens]
        for k in range(self.header_height):  # the labels, downwards
            header = [Segment(" " * lw, dim)]
            for j, label in enumerate(labels):
                letter = label[k] if k < len(label) else " "
                header.append(Segment(set_cell_size(letter, cell), hot if j == self.selected else (plain if j % 2 else bold)))
            lines.append(header)
        blank = " " * cell
        for i, row in enumerate(levels(self.matrix).tolist()):
            meta = Style(meta={"attention_row": i})
            row_styles = [s + meta for s in self.styles]
            # cut and padded by terminal cells: a Chinese character is two of them
            label = f"{'▶' if i == self.selected else ' '}{set_cell_size(self.tokens[i], lw - 2)} "
            line = [Segment(label, (hot if i == self.selected else bold) + meta)]
            line += [Segment(blank, row_styles[level]) for level in row]
            lines.append(line)
        self._lines[base] = lines
        return lines

    # -- Rich protocol --------------------------------------------------------------------
    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(self.width, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in self.lines():
            yield from line
            yield Segment.line()

    # -- Textual Visual protocol ----------------------------------------------------------
    def render_strips(self, width: int, height: int | None, style, options: RenderOptions) -> list[Strip]:
        strips = [Strip(line, self.width) for line in self.lines(style.rich_style)[:height]]
        return [strip.crop(0, width) for strip in strips] if width < self.width else strips

    def get_optimal_width(self, rules, container_width: int) -> int:
        return self.width

    def get_height(self, rules, width: int) -> int:
        return len(self.tokens) + self.header_height


class Overview:
    """Rich renderable: layers × heads as small pooled maps (bertviz's "model view");
    ``layers`` (1-based) limits it, e.g. to one layer's heads all at once.

    Each map uses half blocks, so a ``w × h`` character cell holds ``w × 2h`` pixels, and is
    scaled to its own maximum so weak and strong heads both show their pattern."""

    def __init__(self, weights: np.ndarray, styles: list[Style], *, selected: tuple[int, int],
                 width: int = 5, height: int = 3, layers: list[int] | None = None):
        self.weights, self.styles, self.selected = weights, styles, selected
        self.width, self.height = width, height
        self.layers = layers or list(range(1, weights.shape[0] + 1))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        total = 4 + (self.width + 1) * self.weights.shape[1]
        return Measurement(total, total)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        n_layers, n_heads = self.weights.shape[:2]
        pooled = pool(self.weights, 2 * self.height, self.width)
        pooled = pooled / np.maximum(pooled.max(axis=(-2, -1), keepdims=True), 1e-9)
        grid = levels(pooled)
        colours = [s.bgcolor for s in self.styles]
        pixel = {}
        hot, dim = Style(bold=True, reverse=True), Style(dim=True)
        yield Segment("    ", dim)
        for h in range(n_heads):
            yield Segment(f"h{h + 1}".ljust(self.width + 1), hot if h + 1 == self.selected[1] else dim)
        yield Segment.line()
        for layer in (n - 1 for n in self.layers):
            for y in range(self.height):
                label = f"L{layer + 1}".ljust(4) if y == 0 else "    "
                yield Segment(label, hot if y == 0 and layer + 1 == self.selected[0] else dim)
                for h in range(n_heads):
                    meta = Style(meta={"attention_cell": (layer + 1, h + 1)})
                    top, bottom = grid[layer, h, 2 * y], grid[layer, h, 2 * y + 1]
                    for x in range(self.width):
                        key = (int(top[x]), int(bottom[x]))
                        if key not in pixel:
                            pixel[key] = Style(color=colours[key[0]], bgcolor=colours[key[1]])
                        yield Segment("▀", pixel[key] + meta)
                    yield Segment(" ")
                yield Segment.line()
            yield Segment.line()  # a gap between layers


class AttentionMap(BlockModel, ModelView, Vertical, can_focus=True):
    """Heatmap of one layer/head (or the heads' average), head view bars and the model view."""

    TEXT_INPUT = ".attention-text"

    LAYER = Binding.Group(N_("Layer"), compact=True)
    HEAD = Binding.Group(N_("Head"), compact=True)
    BINDINGS = [
        Binding("l,right_square_bracket", "layer(1)", N_("Layer"), group=LAYER, key_display="l"),
        Binding("L,left_square_bracket", "layer(-1)", N_("Layer"), group=LAYER, key_display="L"),
        Binding("h", "head(1)", N_("Head"), group=HEAD),
        Binding("H", "head(-1)", N_("Head"), group=HEAD),
        Binding("a", "average", N_("Avg heads")),
        Binding("v", "overview", N_("All heads")),
        Binding("w", "words", N_("Words")),
        Binding("down,j", "token(1)", N_("Token"), show=False),
        Binding("up,k", "token(-1)", N_("Token"), show=False),
    ]

    DEFAULT_CSS = """
    AttentionMap { height: auto; }
    AttentionMap .attention-status { padding: 0 1; text-style: bold; }
    AttentionMap .attention-note { padding: 0 1; color: $text-muted; }
    AttentionMap .attention-message { padding: 0 1; color: $warning; }
    AttentionMap .attention-body { height: auto; max-height: 24; }
    AttentionMap .attention-scroll { width: 1fr; height: auto; max-height: 24; }
    AttentionMap .attention-heatmap { width: auto; height: auto; }
    AttentionMap .attention-side { width: 32; height: auto; max-height: 24; }
    AttentionMap .attention-bars { width: 1fr; height: auto; padding: 0 1; }
    AttentionMap:focus .attention-status { color: $accent; }
    """

    def __init__(self, block: AttentionBlock, *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=f"exercise attention-map {classes or ''}".strip())
        self.block = block
        self.text = block.text
        self.tokens: list[str] = []
        self.weights: np.ndarray | None = None
        self.current_layer = block.layer or 1
        self.current_head = block.head or 1
        self.average = False
        self.overview = False
        self.selected = 0
        self.message = ""
        self.label = ""
        self.matrix: np.ndarray | None = None
        self._styles: list[Style] | None = None
        self.specials: frozenset[str] = BERT_SPECIALS
        self.words = False           # rows and columns per word instead of per piece
        self.groups: list[WordGroup] = []
        self.grouping = ""           # how the words were found (a line under the map)
        self.piece_tokens: list[str] = []
        self.piece_weights: np.ndarray | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content(_("l/L layer · h/H head · a average of heads · v all heads · w words/pieces · "
                               "↑/↓ token · tab goes into the text, esc leaves it")), classes="instructions keys")
        yield TextField(self.block.text, placeholder=_("type a sentence to see where BERT looks"),
                    classes="attention-text")
        yield Static(classes="attention-status")
        yield Static(classes="attention-note")
        yield Static(classes="attention-message")
        with Horizontal(classes="attention-body"):
            with ScrollableContainer(classes="attention-scroll"):
                heatmap = Static(classes="attention-heatmap")
                heatmap.auto_links = False  # no @click links here; skips a per-segment meta scan
                yield heatmap
            with VerticalScroll(classes="attention-side"):
                yield Static(classes="attention-bars")


    def on_mount(self) -> None:
        self.watch_engine()
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._theme_changed())

    def _theme_changed(self) -> None:
        self._styles = None
        self.redraw()

    # -- model (ModelView) ----------------------------------------------------------------
    def question(self) -> tuple:
        return (self.text,)

    def ask_model(self, engine: Any, text: str):
        result = engine.attention(text)
        tokens, specials = list(result.tokens), special_tokens(engine)
        groups, grouping = word_groups_of(engine, text, tokens, specials)
        return tokens, np.asarray(result.weights, dtype=np.float32), specials, groups, grouping

    def show_answer(self, answer) -> None:
        self.piece_tokens, self.piece_weights, self.specials, self.groups, self.grouping = answer
        self._show_rows()

    def _show_rows(self, selected: int | None = None) -> None:
        """Pieces, or (``words``) pieces merged into words; long inputs cut for display.
        ``selected``: the row to keep (None: the block's focus word, or the first word)."""
        tokens, weights = self.piece_tokens, self.piece_weights
        if weights is None:
            return
        if self.words and self.groups and self.groups[-1].end == len(tokens):
            tokens, weights = [g.word for g in self.groups], merge_attention(weights, self.groups)
        self.message = ""
        if len(tokens) > MAX_SHOWN:
            self.message = _("showing the first {shown} of {total} tokens").format(shown=MAX_SHOWN, total=len(tokens))
            tokens, weights = tokens[:MAX_SHOWN], weights[..., :MAX_SHOWN, :MAX_SHOWN]
        self.tokens, self.weights = tokens, weights
        self.current_layer = min(max(self.current_layer, 1), weights.shape[0])
        self.current_head = min(max(self.current_head, 1), weights.shape[1])
        self.selected = self._focus_index(tokens) if selected is None else min(selected, len(tokens) - 1)
        self.redraw()

    def model_failed(self, message: str) -> None:
        self.tokens, self.weights, self.matrix = [], None, None
        self.piece_tokens, self.piece_weights, self.groups = [], None, []
        self.show_message(message)

    def _focus_index(self, tokens: list[str]) -> int:
        focus = self.block.focus.strip().lower()
        bare = [t.lower().removeprefix("▁") for t in tokens]
        if focus and focus in bare:
            return bare.index(focus)
        if 0 <= self.selected < len(tokens) and self.text != self.block.text:
            return self.selected
        return next((i for i, t in enumerate(tokens) if t not in self.specials), 0)

    # -- rendering ------------------------------------------------------------------------
    def styles_palette(self) -> list[Style]:
        if self._styles is None:
            low = self.background_colors[1]
            high = Color.parse(self.app.theme_variables.get("primary", "#0178D4"))
            self._styles = palette(low, high)
        return self._styles

    def redraw(self) -> None:
        """Slice the cached tensor and re-render; no model call."""
        if not on_screen(self):
            return
        self.update_message_line(".attention-message")
        heatmap = self.query_one(".attention-heatmap", Static)
        side = self.query_one(".attention-side")
        if self.weights is None:
            for name in (".attention-status", ".attention-note", ".attention-bars"):
                self.query_one(name, Static).update("")
            heatmap.update("")
            return
        n_layers, n_heads = self.weights.shape[:2]
        head_no = None if self.average else self.current_head
        self.matrix, self.label = select_map(self.weights, self.current_layer, head_no)
        head = _("average of heads") if self.average else _("head {head}/{heads}").format(
            head=self.current_head, heads=n_heads)
        if self.overview:
            focus = _("all {heads} heads at once · click one to open it, v goes back").format(heads=n_heads)
            head = _("every head")
        else:
            focus = _("row: '{token}' attends to …").format(token=self.tokens[self.selected])
        layer = _("layer {layer}/{layers}").format(layer=self.current_layer, layers=n_layers)
        self.query_one(".attention-status", Static).update(Content(f"{layer} · {head} · {focus}"))
        note = describe_head(self.matrix, self.tokens, averaged=self.average, specials=self.specials)
        if self.words:
            note = "\n".join([note, _(self.grouping) + " · " + _(
                "a word's row is the mean of its pieces' rows, its column the sum of its pieces' columns "
                "(each row still sums to 100%)")])
        if self.block.note and self.text == self.block.text:
            note = f"{note}\n{self.block.note}"
        self.query_one(".attention-note", Static).update(Content(note))
        side.display = not self.overview
        if self.overview:
            avail = (self.content_size.width or 78) - 2  # the side panel is hidden in this mode
            width = min(12, max(3, (avail - 4) // n_heads - 1))
            heatmap.update(Overview(self.weights, self.styles_palette(), width=width, height=(width + 1) // 2,
                                    selected=(self.current_layer, self.current_head), layers=[self.current_layer]))
        else:
            heatmap.update(Heatmap(self.tokens, self.matrix, self.styles_palette(), selected=self.selected))
            self.query_one(".attention-bars", Static).update(self._bars())
            self._keep_row_visible()

    def _bars(self) -> Content:
        row = self.matrix[self.selected]
        top = set(np.argsort(-row)[:3].tolist())
        parts = [Content.assemble((f"'{self.tokens[self.selected]}' ", "b"), (_("attends to:"), ""))]
        for j, (token, w) in enumerate(zip(self.tokens, row.tolist())):
            style = "b $accent" if j in top else ""
            parts.append(Content.assemble((set_cell_size(token, 9) + " ", style), (bar(w, 12).ljust(12), "$primary"),
                                          (f" {w:4.0%}", style)).stylize(TStyle.from_meta({"attention_row": j})))
        return Content("\n").join(parts)

    def _keep_row_visible(self) -> None:
        scroll = self.query_one(".attention-scroll", ScrollableContainer)
        content = self.query_one(".attention-heatmap", Static).content
        y = self.selected + getattr(content, "header_height", 1)  # the column labels come first
        if not scroll.scroll_y <= y < scroll.scroll_y + max(1, scroll.scrollable_content_region.height):
            scroll.scroll_to(y=max(0, y - 2), animate=False)

    # -- actions --------------------------------------------------------------------------
    def action_layer(self, step: int) -> None:
        if self.weights is not None:
            self.current_layer = (self.current_layer - 1 + step) % self.weights.shape[0] + 1
            self.redraw()

    def action_head(self, step: int) -> None:
        if self.weights is not None:
            self.average = False
            self.current_head = (self.current_head - 1 + step) % self.weights.shape[1] + 1
            self.redraw()

    def action_average(self) -> None:
        self.average = not self.average
        self.redraw()

    def action_overview(self) -> None:
        self.overview = not self.overview
        self.redraw()

    def action_words(self) -> None:
        """Rows and columns per word ⇄ per piece (the tensor is merged, not recomputed)."""
        if self.piece_weights is None:
            return
        self.words = not self.words
        # keep the learner's place: a piece's word, or a word's first piece
        owner = next((w for w, g in enumerate(self.groups) if g.start <= self.selected < g.end), 0)
        self._show_rows(owner if self.words else (self.groups[self.selected].start
                                                  if self.selected < len(self.groups) else 0))

    def action_token(self, step: int) -> None:
        if self.tokens:
            self.selected = (self.selected + step) % len(self.tokens)
            self.redraw()

    def select_token(self, index: int) -> None:
        if 0 <= index < len(self.tokens):
            self.selected = index
            self.redraw()

    # -- mouse and typing -----------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        meta = event.style.meta if event.style else {}
        if "attention_row" in meta:
            self.select_token(int(meta["attention_row"]))
        elif "attention_cell" in meta:
            self.current_layer, self.current_head = meta["attention_cell"]
            self.average, self.overview = False, False
            self.redraw()
        else:
            return
        self.focus()

    def after_text_submitted(self) -> None:
        self.focus()
