"""Pick another model: bundled ones, ones in the Hugging Face cache, or any id/folder typed in."""
from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.model_catalog import model_catalog


class ModelPickerScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Content.assemble(("Switch model", "bold"), " — enter to load, esc to cancel\n",
                                          ("current: ", "dim"), self.app.model_name), id="picker-title")
            yield OptionList(id="model-list")
            yield Input(placeholder="or type a hub id (bert-base-uncased) or a folder, then Enter", id="model-input")
            yield Static("[dim]Hub ids need internet (or the local cache); bundled models always work.[/]")

    def on_mount(self) -> None:
        options = self.query_one("#model-list", OptionList)
        names = [row["name"] for row in model_catalog() if row["kind"] != "requested"]
        for name in names:
            current = " (current)" if name == self.app.model_name else ""
            options.add_option(Option(Content(name + current), id=name))  # names are not markup
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
