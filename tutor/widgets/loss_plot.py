"""A live loss plot (textual-plotext) for the labs: one line per named run.

The title sits on the frame's top edge and the legend on its bottom edge, so neither covers
a curve; an earlier run can be shown faded (grey) under the live one.
"""
from __future__ import annotations

from rich.markup import escape
from textual_plotext import PlotextPlot

from tutor.i18n import N_, _

# RGB, so the curve and its legend swatch are the same colour in every theme: blue and orange
# (told apart with red-green colour blindness too), then more for other labs
COLOURS = [(59, 130, 246), (249, 115, 22), (20, 184, 166), (168, 85, 247)]
FADED = (128, 128, 128)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


class LossPlot(PlotextPlot):
    """Call ``add(run, step, loss)`` as points arrive; redraws are cheap at lab sizes."""

    DEFAULT_CSS = """
    LossPlot { border: round $foreground 30%; border-title-align: left; border-subtitle-align: left; }
    """

    def __init__(self, title: str = N_("training loss"), *, id: str | None = None):
        super().__init__(id=id, classes="loss-plot")
        self.title = title
        self.series: dict[str, list[tuple[int, float]]] = {}
        self.faded: dict[str, list[tuple[int, float]]] = {}
        self.faded_note = ""

    def on_mount(self) -> None:
        self.border_title = escape(_(self.title))  # a msgid or an already translated title
        self._draw()

    def clear(self) -> None:
        self.series.clear()
        self._draw()

    def add(self, run: str, step: int, loss: float) -> None:
        self.series.setdefault(run, []).append((step, loss))
        self._draw()

    def show_faded(self, series: dict[str, list[tuple[int, float]]], note: str = N_("last run")) -> None:
        """Curves of an earlier run, drawn grey behind the live ones (empty: none)."""
        self.faded = {name: [tuple(p) for p in points] for name, points in series.items() if points}
        self.faded_note = note
        self._draw()

    def legend(self) -> str:
        parts = [f"[{_hex(rgb)}]━━[/] {escape(_(name))}" for name, rgb in zip(self.series, COLOURS)]
        if self.faded:
            parts.append(f"[{_hex(FADED)}]━━ {escape(_(self.faded_note))}[/]")
        return "  ".join(parts)

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.xlabel(_("step"))
        for points in self.faded.values():
            plt.plot([s for s, _l in points], [l for _s, l in points], color=FADED, marker="braille")
        for (name, points), colour in zip(self.series.items(), COLOURS):
            if points:
                plt.plot([s for s, _l in points], [l for _s, l in points], color=colour, marker="braille")
        if self.is_mounted:
            self.border_subtitle = self.legend()
        self.refresh()
