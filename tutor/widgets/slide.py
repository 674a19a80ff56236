"""A lecture slide's own words: the Chinese original and its English rendering.

Wide terminals put the two side by side, narrow ones the English under the Chinese.  Text
goes in as ``rich.text.Text``, so nothing the author wrote is read as markup, and Rich
measures CJK characters as two cells wide.  ``live: parameters`` adds the slide's "340M"
computed live: the bundled model's config next to BERT-base and BERT-large, one formula.
"""
from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from tutor.course.blocks import SlideBlock
from tutor.i18n import _
from tutor.params import BERT_BASE, BERT_LARGE, PUBLISHED, count_parameters, millions, read_config
from tutor.paths import BUNDLED_MODEL, BUNDLED_MODEL_DIR

# Below this many cells the English goes under the Chinese (two columns would be too narrow).
SIDE_BY_SIDE_WIDTH = 96


class SlideView(Vertical):
    """Shows a :class:`SlideBlock`; it has no keys, so it never takes focus."""

    DEFAULT_CSS = """
    SlideView { height: auto; border: round $accent; padding: 0 1; margin: 0 0 1 0; }
    SlideView .slide-title { text-style: bold; color: $accent; }
    SlideView #slide-body { height: auto; layout: horizontal; }
    SlideView #slide-body.-narrow { layout: vertical; }
    SlideView .slide-side { width: 1fr; height: auto; }
    SlideView #slide-body.-narrow .slide-side { width: 100%; }
    SlideView .slide-zh { padding: 0 2 0 0; }
    SlideView #slide-body.-narrow .slide-zh { padding: 0 0 1 0; }
    SlideView .slide-source, SlideView .slide-label { color: $text-muted; }
    SlideView .slide-live { height: auto; margin: 1 0 0 0; }
    """

    def __init__(self, block: SlideBlock, **kwargs):
        super().__init__(**kwargs)
        self.block = block
        self.add_class("slide")

    def compose(self) -> ComposeResult:
        title = _("Lecture slide · {title}").format(title=self.block.title) if self.block.title else _("Lecture slide")
        yield Static(Text(title), classes="slide-title")
        with Vertical(id="slide-body"):
            with Vertical(classes="slide-side slide-zh"):
                yield Static(Text(_("On the slide")), classes="slide-label")
                yield Static(Text(self.block.zh), id="slide-zh-text")
            with Vertical(classes="slide-side slide-en"):
                yield Static(Text(_("English")), classes="slide-label")
                yield Static(Text(self.block.en), id="slide-en-text")
        if self.block.live == "parameters":
            yield Static(parameters_table(), classes="slide-live", id="slide-live")
        if self.block.source:
            yield Static(Text(_("Source: {source}").format(source=self.block.source)), classes="slide-source")

    def on_resize(self, event: events.Resize) -> None:
        self.query_one("#slide-body").set_class(event.size.width < SIDE_BY_SIDE_WIDTH, "-narrow")


def parameters_table() -> Group | Text:
    """The live count: our model from its config.json, BERT-base and -large from theirs."""
    try:
        ours = read_config(BUNDLED_MODEL_DIR)
        rows = [(_("{model} (ours)").format(model=BUNDLED_MODEL), ours, None),
                ("BERT-base", BERT_BASE, PUBLISHED["BERT-base"]),
                ("BERT-large", BERT_LARGE, PUBLISHED["BERT-large"])]
        counts = [count_parameters(config).total for _name, config, _paper in rows]
        shipped = count_parameters(ours, pooler=False, mlm_head=True).total
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return Text(_("Live parameter count unavailable: cannot read {model}'s config ({error}).").format(
            model=BUNDLED_MODEL, error=exc))
    table = Table(title=Text(_("Parameters, counted live from each config")), title_justify="left",
                  box=None, padding=(0, 1), show_edge=False)
    for name, justify in ((_("model"), "left"), (_("layers"), "right"), (_("hidden"), "right"),
                          (_("counted"), "right"), (_("paper"), "right")):
        table.add_column(Text(name), justify=justify)
    for (name, config, published), total in zip(rows, counts):
        table.add_row(Text(name), Text(str(config["num_hidden_layers"])),
                      Text(str(config["hidden_size"])), Text(millions(total), style="bold"),
                      Text(_("{millions} M").format(millions=f"{published / 1e6:.0f}") if published else "—"))
    note = Text(_(
        "One formula for all three: embeddings + layers + pooler, as the paper counts. "
        "BERT-large has {ratio}× our parameters. Ours as shipped (a masked "
        "LM: no pooler, an MLM head) has {shipped}.").format(ratio=f"{counts[2] / counts[0]:.0f}",
                                                              shipped=f"{shipped:,}"), style="dim")
    return Group(table, note)
