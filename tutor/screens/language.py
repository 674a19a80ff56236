"""Switching the interface language inside the app: every open screen redraws at once.

The app sets the new language, swaps in the course of that language, then posts
:class:`LanguageChanged` to each screen it holds.  A screen recomposes (its labels, buttons
and footer are written with ``_()`` when composed) and refills what it showed from the
course and the progress store, so answers already given are shown again.
"""
from __future__ import annotations

from textual.message import Message


class LanguageChanged(Message):
    """Posted to each screen after the language (and the course) changed."""
