"""The model badge in the top bar: loading / ready / failed, kept in sync with the app."""
from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from tutor.i18n import _


class ModelStatus(Static):
    """Shows ``model: NAME ● ready``; watches the app's ``engine_status``.

    The name comes from the command line or a folder name, so it is shown literally: a
    ``[b]`` or ``[/`` in it is text, never markup."""

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._refresh_status)
        self.watch(self.app, "engine_message", self._refresh_status)

    def _refresh_status(self, _value: str = "") -> None:
        status = self.app.engine_status
        name = str(self.app.model_name)
        if status == "ready":
            badge = Content.assemble(_("model: "), name, " ", ("● " + _("ready"), "$success"))
        elif status == "failed":
            # the palette command's own msgid, so the hint names it as the palette shows it
            badge = Content.assemble(_("model: "), name, " ", ("✗ " + _("failed"), "$error"),
                                     (" (ctrl+p → " + _("Switch model") + ")", "dim"))
        else:
            badge = Content.assemble(_("model: "), ("◌ " + _("loading {name}…").format(name=name), "$warning"))
        self.update(badge)
        self.tooltip = Content(str(self.app.engine_message))
