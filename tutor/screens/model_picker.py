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

from tutor.i18n import N_, _
from tutor.model_catalog import model_catalog
from tutor.screens.language import LanguageChanged
from tutor.screens.wording import label_text


class ModelPickerScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]
    names: list[str]  # the listed models, in option order

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static(Content.assemble((_("Switch model"), "bold"), " — ", _("enter to load, esc to cancel"), "\n",
                                          (label_text(_("current:")), "dim"), self.app.model_name), id="picker-title")
            yield OptionList(id="model-list")
            yield Input(placeholder=_("or type a hub id or a folder, then enter"), id="model-input")
            yield Static(Content.styled(_("Hub ids need internet (or the local cache); bundled models always work."),
                                        "dim"))

    def on_mount(self) -> None:
        options = self.query_one("#model-list", OptionList)
        # no option ids: the same name may be both bundled and cached; names are not markup
        self.names = list(dict.fromkeys(row["name"] for row in model_catalog() if row["kind"] != "requested"))
        for name in self.names:
            current = " " + _("(current)") if name == self.app.model_name else ""
            options.add_option(Option(Content(name + current)))
        if self.names:  # enter works at once: the current model (or the first) is highlighted
            current = self.names.index(self.app.model_name) if self.app.model_name in self.names else 0
            options.highlighted = current
        options.focus()

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        await self.recompose()
        self.on_mount()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.names[event.option_index])

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
