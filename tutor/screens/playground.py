"""The playground: every live view with the learner's own text, outside any lesson.

Each tab holds the same widget a lesson block uses, built from a block with friendly
defaults that show the interesting cases: "playing" is one vocabulary entry, "unbelievably"
five pieces, "Liu Ping's" four tokens; "bank" of a river vs of money; "I love you" vs
"Go away!".  Nothing here is graded.
"""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.content import Content
from textual.widgets import Input, Static, TabbedContent, TabPane

from tutor.course.blocks import (AttentionBlock, EmbeddingsBlock, FillMaskBlock, FinetuneBlock, MaskingBlock,
                                 PretrainBlock, TokensBlock)
from tutor.i18n import N_, _
from tutor.screens.footer import TutorFooter
from tutor.screens.language import LanguageChanged
from tutor.widgets.attention_map import AttentionMap
from tutor.widgets.embeddings_view import EmbeddingsView
from tutor.widgets.masking_view import MaskingView
from tutor.widgets.model_status import ModelStatus
from tutor.widgets.model_view import ModelView
from tutor.widgets.tokens_view import TokensView

TOKENS = TokensBlock(text="He was playing unbelievably well with Liu Ping's tokenizer.", onehot="playing")
MASKING = MaskingBlock(text="My name is Li Hua. I am thirteen. I am in Class Five, Grade One. "
                            "My English teacher is Mr Lin.", seed=0, rate=0.15)
ATTENTION = AttentionBlock(text="The animal didn't cross the street because it was too tired.", focus="it")
EMBEDDINGS = EmbeddingsBlock(
    word="bank",
    sentences=("We sat on the bank of the river.", "The river bank was muddy after the rain.",
               "I deposited my salary at the bank.", "The bank raised its interest rates."),
    groups=(("kind", ("I love you.", "I adore you.", "I really like you.")),
            ("go away", ("Leave me alone!", "Go away!", "Get out of here!"))))
FILL_MASK = FillMaskBlock(text="The capital of France is [MASK].", guess=False)
FINETUNE = FinetuneBlock(steps=60, compare_scratch=True)
PRETRAIN = PretrainBlock(text="", steps=30, probe="The little girl went to the [MASK] to buy some bread.")
TABS = {"fill-mask": N_("Fill-mask"), "tokens": N_("Tokens"), "masking": N_("Masking"),
        "attention": N_("Attention"), "embeddings": N_("Embeddings"), "labs": N_("Labs")}


def field_key(field: Input, seen: dict[str, int]) -> str:
    """A name for a text field that the same view, composed again, gives the same field."""
    name = field.id or next((c for c in sorted(field.classes) if not c.startswith("-")), "input")
    seen[name] = seen.get(name, 0) + 1
    return f"{name}#{seen[name]}"


def typed_text(pane: Widget) -> dict[str, str]:
    """What each text field of a tab holds now."""
    seen: dict[str, int] = {}
    return {field_key(field, seen): field.value for field in pane.query(Input)}


def retype(pane: Widget, texts: dict[str, str]) -> None:
    """Put ``texts`` back into the fields of a freshly built tab.  A view's own text is asked
    about at once, so its example's answer never shows; other fields go through the views'
    usual handling of an edit."""
    seen: dict[str, int] = {}
    for field in list(pane.query(Input)):
        value = texts.get(field_key(field, seen))
        if value is None or value == field.value:
            continue
        field.value = value
        view = next((a for a in field.ancestors if isinstance(a, ModelView)), None)
        if view is not None and view.TEXT_INPUT and field in view.query(view.TEXT_INPUT):
            view.text_edited(value)  # as if typed (a view may note the edit) …
            view.cancel_debounce()
            view.ask()  # … and asked at once


class PlaygroundScreen(Screen):
    """Tabs: Fill-mask, Tokens, Masking, Attention, Embeddings, Labs — each with editable text."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", N_("Back")),
        Binding("ctrl+right,ctrl+n", "tab(1)", N_("Next tab"), key_display="^→"),
        Binding("ctrl+left,ctrl+b", "tab(-1)", N_("Prev tab"), show=False),
    ]

    DEFAULT_CSS = """
    PlaygroundScreen #playground-bar { height: 1; background: $panel; padding: 0 1; }
    PlaygroundScreen #playground-title { width: 1fr; }
    PlaygroundScreen #model-status { width: auto; }
    PlaygroundScreen TabbedContent { height: 1fr; }
    PlaygroundScreen TabPane { height: 1fr; padding: 0; }
    PlaygroundScreen .playground-scroll { height: 1fr; padding: 0 1; }
    PlaygroundScreen AttentionMap { height: 1fr; }
    PlaygroundScreen AttentionMap .attention-body { height: 1fr; max-height: 100%; }
    PlaygroundScreen AttentionMap .attention-scroll { height: 1fr; max-height: 100%; }
    PlaygroundScreen AttentionMap .attention-side { height: 1fr; max-height: 100%; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="playground-bar"):
            yield Static(Content.assemble((_("Playground"), "bold"), " · ", _("your own text in every view")),
                         id="playground-title")
            yield ModelStatus(id="model-status")
        with TabbedContent(id="playground-tabs"):
            for tab_id, title in TABS.items():
                yield TabPane(_(title), id=tab_id)
        yield TutorFooter(compact=True)

    def on_mount(self) -> None:
        self._show(self.query_one(TabbedContent).active or "fill-mask")

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        """Redraw in the new language on the same tab, every built view with the learner's text
        (the model answers it again: the same network, the same text, the same results)."""
        tabs = self.query_one(TabbedContent)
        active = tabs.active
        typed = {pane.id: typed_text(pane) for pane in tabs.query(TabPane) if pane.children and pane.id}
        await self.recompose()
        tabs = self.query_one(TabbedContent)
        for tab_id, texts in typed.items():
            mounting = self._build(tab_id)
            if mounting is not None:
                await mounting
            retype(self.query_one(f"TabPane#{tab_id}", TabPane), texts)
        if active in TABS:
            tabs.active = active
        self._show(tabs.active or "fill-mask")

    def _make_view(self, tab_id: str) -> Widget:
        """A tab's view is built the first time the tab is shown, so opening the playground
        asks the model for one view's worth of work, not five."""
        if tab_id == "fill-mask":
            from tutor.widgets.fill_mask import FillMaskWidget

            return FillMaskWidget(FILL_MASK)
        if tab_id == "labs":
            from textual.containers import Vertical

            from tutor.widgets.finetune_lab import FinetuneLab
            from tutor.widgets.pretrain_lab import PretrainLab

            labs = Vertical(FinetuneLab(FINETUNE), PretrainLab(PRETRAIN), id="playground-labs")
            labs.styles.height = "auto"  # the tab already scrolls; no scroll inside a scroll
            return labs
        if tab_id == "tokens":
            return TokensView(TOKENS, id="playground-tokens")
        if tab_id == "masking":
            return MaskingView(MASKING, id="playground-masking")
        if tab_id == "attention":
            return AttentionMap(ATTENTION, id="playground-attention")
        return EmbeddingsView(EMBEDDINGS, id="playground-embeddings")

    def _build(self, tab_id: str) -> AwaitMount | None:
        """Mount the tab's view unless it is there already."""
        pane = self.query_one(f"TabPane#{tab_id}", TabPane)
        if pane.children:
            return None
        view = self._make_view(tab_id)
        # the attention map scrolls inside itself; the others scroll as a page
        return pane.mount(view if tab_id == "attention" else VerticalScroll(view, classes="playground-scroll"))

    def _show(self, tab_id: str) -> None:
        self._build(tab_id)
        self.call_after_refresh(self._focus_view)

    def action_tab(self, step: int) -> None:
        tabs = self.query_one(TabbedContent)
        order = list(TABS)
        current = order.index(tabs.active) if tabs.active in order else 0
        # a field left focused in the hidden tab hands its focus to its view, and a focus inside
        # a tab makes that tab active again: ctrl+n from a text field bounced back to its tab
        self.set_focus(None)
        tabs.active = order[(current + step) % len(order)]

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id == "playground-tabs" and event.pane.id:
            self._show(event.pane.id)

    def _focus_view(self) -> None:
        """Give the keys to the active view so its bindings work and show in the footer."""
        pane = self.query_one(TabbedContent).active_pane
        if pane is None:
            return
        views = [w for w in pane.query(".exercise") if w.focusable]
        first = views or [w for w in pane.query("Input, DataTable") if w.focusable]
        if first:
            first[0].focus()
