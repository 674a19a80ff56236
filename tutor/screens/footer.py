"""The footer every screen uses: Textual's Footer with each key's words in the current language.

BINDINGS are class attributes, fixed when the module is imported, and Textual's Footer shows
``binding.description`` as it is.  Descriptions are marked with ``N_()`` where they are
written and translated here, each time the footer composes, so an in-app language switch
reaches them (the screens recompose their footer after a switch).
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from tutor.i18n import N_, _

# Textual's own bindings that the footer and the help screen show (their words are Textual's)
TEXTUAL_DESCRIPTIONS = (N_("palette"), N_("Open the command palette"), N_("Quit"),
                        N_("Quit the app and return to the command prompt."), N_("Focus Next"),
                        N_("Focus Previous"))


def translated(text: object) -> str:
    """``text`` in the current language; empty stays empty (gettext maps "" to the header)."""
    text = str(text or "")
    return _(text) if text else ""


class TutorFooter(Footer):
    """A Footer whose key descriptions, tooltips and group labels are translated at compose time."""

    def compose(self) -> ComposeResult:
        # re-yield every node as the parent yields it: its `with KeyGroup()` blocks still nest them
        for node in super().compose():
            if isinstance(node, FooterKey):
                node.description = translated(node.description)
                if node.tooltip:
                    node.tooltip = translated(node.tooltip)
            elif isinstance(node, FooterLabel):
                node.update(translated(node.content))
            yield node
