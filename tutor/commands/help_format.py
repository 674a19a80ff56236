"""``--help`` that wraps by terminal cells, so Chinese help fits the width click chose.

click wraps with :mod:`textwrap`, which counts characters and breaks only at spaces: a line of
Chinese (two cells a character, no spaces) overflows an 80-column terminal.  Text without
wide characters keeps click's own wrapping, unchanged.
"""
from __future__ import annotations

import re

import click
from rich.cells import cell_len

from tutor.cjk_wrap import wrap_lines as wrap_cells

_WIDE = re.compile(r"[\u2e80-\uffef]")


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def short_help(text: str, cells: int) -> str | None:
    """The first sentence of wide ``text`` for a command list (None: let click shorten it)."""
    if not _WIDE.search(text):
        return None
    sentence = " ".join(text.split("\n\n")[0].split("。")[0].split())
    while cell_len(sentence) > cells:
        sentence = sentence[:-2] + "…"
    return sentence


class WideHelpFormatter(click.HelpFormatter):
    def write_text(self, text: str) -> None:
        if not _WIDE.search(text):
            return super().write_text(text)
        indent = " " * self.current_indent
        blocks = ["\n".join(indent + line for line in wrap_cells(p, self.width - self.current_indent))
                  for p in _paragraphs(text)]
        self.write("\n\n".join(blocks) + "\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        if not any(_WIDE.search(second) for _first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max(cell_len(first) for first, _second in rows), col_max) + col_spacing
        margin = " " * (first_col + self.current_indent)
        for first, second in rows:
            self.write(" " * self.current_indent + first)
            if not second:
                self.write("\n")
                continue
            if cell_len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - cell_len(first)))
            else:
                self.write("\n" + margin)
            lines = [line for p in _paragraphs(second) for line in wrap_cells(p, max(self.width - first_col - 2, 10))]
            self.write(("\n" + margin).join(lines) + "\n")


class WideContext(click.Context):
    formatter_class = WideHelpFormatter
