"""A live loss plot (textual-plotext) for the labs: one line per named run."""
from __future__ import annotations

from textual_plotext import PlotextPlot


class LossPlot(PlotextPlot):
    """Call ``add(run, step, loss)`` as points arrive; redraws are cheap at lab sizes."""

    def __init__(self, title: str = "training loss", *, id: str | None = None):
        super().__init__(id=id, classes="loss-plot")
        self.title = title
        self.series: dict[str, list[tuple[int, float]]] = {}

    def on_mount(self) -> None:
        self._draw()

    def clear(self) -> None:
        self.series.clear()
        self._draw()

    def add(self, run: str, step: int, loss: float) -> None:
        self.series.setdefault(run, []).append((step, loss))
        self._draw()

    def _draw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title(self.title)
        plt.xlabel("step")
        for name, points in self.series.items():
            if points:
                plt.plot([s for s, _ in points], [l for _, l in points], label=name, marker="braille")
        self.refresh()
