"""The lesson screen's title line: lesson, step counter and step title on exactly one line.

At 80 columns a long lesson title pushed the step counter onto a second line.  The line is
fitted to the width it is drawn at: the lesson title gives way first (down to a few cells,
with an ellipsis), then the step title; the counter ("step 3/5", "第3/5步") is never cut.
Widths are terminal cells, so Chinese titles (two cells a character) fit too.
"""
from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from tutor.i18n import _

MIN_LESSON = 8  # cells of the lesson title kept before the step title starts to give way


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells, ending in "…" when cut."""
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return set_cell_size(text, width - 1).rstrip() + "…"  # rstrip: the pad where a wide character did not fit


def title_text(number: int, lesson: str, step: int | None, total: int, step_title: str, width: int) -> Text:
    """The title line for ``width`` cells (0: unknown yet, nothing is cut)."""
    head = f"{number} · "

    def line(lesson_part: str, step_part: str) -> Text:
        text = Text.assemble((f"{head}{lesson_part} ", "bold"))
        if step is not None:
            text.append(" ─ " + _("step {step}/{total}: {title}").format(step=step, total=total, title=step_part))
        return text

    full = line(lesson, step_title)
    if width <= 0 or full.cell_len <= width:
        return full
    spare = width - line("", step_title).cell_len  # cells left for the lesson title
    if spare >= min(MIN_LESSON, cell_len(lesson)):
        return line(clip(lesson, spare), step_title)
    short = clip(lesson, MIN_LESSON)
    return line(short, clip(step_title, width - line(short, "").cell_len))


class TitleLine(Static):
    """A Static that draws ``title_text`` at its current width (so a resize refits it)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: tuple[int, str, int | None, int, str] = (0, "", None, 0, "")

    def show(self, number: int, lesson: str, step: int | None = None, total: int = 0, step_title: str = "") -> None:
        self.parts = (number, lesson, step, total, step_title)
        self.update(title_text(*self.parts, width=0))  # the full text until the width is known

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1  # always one line: render() fits the text to the width

    def render(self) -> Text:
        return title_text(*self.parts, width=self.content_size.width)
