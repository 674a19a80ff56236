"""The field that holds a view's sentence: it opens showing the start of its text.

Textual's Input puts its cursor after the last character when it gets its first value, and
selects all of its text on focus (the cursor again at the end): a sentence longer than the
field then shows only its tail, and the first key typed would replace the whole sentence.
"""
from __future__ import annotations

from typing import Any

from textual.widgets import Input


class TextField(Input):
    """An Input for the learner's sentence: cursor at the start, no select-all on focus."""

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("select_on_focus", False)
        super().__init__(value, **kwargs)

    def on_mount(self) -> None:
        self.cursor_position = 0  # after Input's first-value watcher, which put it at the end
