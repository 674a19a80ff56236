"""The footer every screen uses: Textual's Footer with each key's words in the current language,
and only as many keys as fit its width, each label whole.

BINDINGS are class attributes, fixed when the module is imported, and Textual's Footer shows
``binding.description`` as it is.  Descriptions are marked with ``N_()`` where they are
written and translated here, each time the footer composes, so an in-app language switch
reaches them (the screens recompose their footer after a switch).

Textual's Footer lets keys run off its right edge, where a label is cut ("? Hel") or squeezes
the palette key.  Here keys that do not fit are left out: first the focused widget's own keys,
last first (its key line and the help screen list them), then the screen's and the app's,
last first; "? Help", which lists them all, and the palette key stay.
"""
from __future__ import annotations

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

from tutor.i18n import N_, _

# Textual's own bindings that the footer and the help screen show (their words are Textual's)
TEXTUAL_DESCRIPTIONS = (N_("palette"), N_("Open the command palette"), N_("Quit"),
                        N_("Quit the app and return to the command prompt."), N_("Focus Next"),
                        N_("Focus Previous"))
KEPT_ACTIONS = ("help",)  # the help screen lists every key: its own key is the last to go


def translated(text: object) -> str:
    """``text`` in the current language; empty stays empty (gettext maps "" to the header)."""
    text = str(text or "")
    return _(text) if text else ""


class TutorFooter(Footer):
    """A Footer whose key descriptions, tooltips and group labels are translated at compose
    time, and which leaves out the keys that do not fit (see the module docstring)."""

    DEFAULT_CSS = """
    /* Textual's compact footer sets a group's label against the next key ("hH Heada Avg heads") */
    TutorFooter.-compact FooterLabel { margin: 0 1 0 0; }
    """

    _fitted_width = 0

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

    async def recompose(self) -> None:
        with self.app.batch_update():  # the keys that do not fit are never painted
            await super().recompose()
            await self.fit_keys()

    def on_resize(self) -> None:
        if self.size.width != self._fitted_width:  # not when leaving keys out changed the content
            self.call_after_refresh(self.recompose)

    async def fit_keys(self) -> None:
        """Remove keys, in the order of ``drop_order``, until the rest fit the footer's width."""
        if not self.is_attached:
            return
        self._fitted_width = self.size.width
        for unit in self.drop_order():
            if self.overflow() <= 0:
                return
            await self.remove_children(unit)

    def overflow(self) -> int:
        """How many cells the keys need beyond what the footer has beside its docked palette key."""
        area = self.scrollable_content_region.size
        placements = self.arrange(area).placements
        end = min((p.region.x for p in placements if p.fixed), default=area.width)
        return max((p.region.right for p in placements if not p.fixed), default=0) - end

    def drop_order(self) -> list[list[Widget]]:
        """Units to leave out, first first: the focused widget's keys, then the screen's and the
        app's, each last first.  A key group goes with its label; the help and palette keys stay."""
        owners = {key: active.node for key, active in self.screen.active_bindings.items()}
        widgets, screen_and_app = [], []
        children = list(self.children)
        for index, child in enumerate(children):
            if isinstance(child, FooterLabel) or child.has_class("-command-palette"):
                continue
            keys = list(child.query(FooterKey)) if isinstance(child, KeyGroup) else [child]
            if not keys or not isinstance(keys[0], FooterKey) or keys[0].action in KEPT_ACTIONS:
                continue
            unit: list[Widget] = [child]
            following = children[index + 1] if index + 1 < len(children) else None
            if isinstance(child, KeyGroup) and isinstance(following, FooterLabel):
                unit.append(following)
            owner = owners.get(keys[0].key)
            (screen_and_app if isinstance(owner, (App, Screen)) else widgets).append(unit)
        return widgets[::-1] + screen_and_app[::-1]
