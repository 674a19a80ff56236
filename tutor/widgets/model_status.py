"""The model badge in the top bar: loading / ready / failed, kept in sync with the app."""
from __future__ import annotations

from textual.widgets import Static


class ModelStatus(Static):
    """Shows ``model: NAME ● ready``; watches the app's ``engine_status``."""

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._refresh_status)
        self.watch(self.app, "engine_message", self._refresh_status)

    def _refresh_status(self, _value: str = "") -> None:
        status = self.app.engine_status
        name = self.app.model_name
        if status == "ready":
            self.update(f"model: {name} [green]● ready[/]")
        elif status == "failed":
            self.update(f"model: {name} [red]✗ failed[/] [dim](ctrl+p → Switch model)[/]")
        else:
            self.update(f"model: [yellow]◌ loading {name}…[/]")
        self.tooltip = self.app.engine_message
