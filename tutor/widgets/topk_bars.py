"""Probability bars for a model's top-k: one line per token, best first."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from tutor.bars import bar


def bars_text(pairs: list[tuple[str, float]], *, highlight: set[str] = frozenset(), width: int = 24) -> Text:
    """``token  43.1% ████▌`` per line: the number right beside its bar, one scale (0–100 %) for all."""
    text = Text()
    label_width = max([cell_len(t) for t, _p in pairs] + [6])  # cells: a multilingual model's 北 is two wide
    for token, p in pairs:
        style = "bold green" if token.lower() in highlight else ""
        text.append(token + " " * (label_width - cell_len(token) + 1), style=style)
        text.append(f"{p:6.1%} ", style=style)
        text.append(bar(p, width), style="green" if style else "cyan")
        text.append("\n")
    return text


class TopKBars(Static):
    """Shows [(token, probability)…] as bars; ``highlight`` marks expected answers."""

    def show(self, pairs: list[tuple[str, float]], highlight: set[str] = frozenset(), title: str = "") -> None:
        text = Text(title + "\n", style="bold") if title else Text()
        text.append_text(bars_text(pairs, highlight={h.lower() for h in highlight}))
        self.update(text)
