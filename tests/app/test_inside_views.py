"""Pilot tests for the "inside BERT" views: tokens, masking, attention, embeddings, playground.

Each test drives a view with keys (and a click) against the deterministic fake engine, then
checks the view's state and what it shows.  Bad input must end as a message in the view.
"""
from __future__ import annotations

import asyncio

import pytest
from textual.app import App
from textual.reactive import reactive
from textual.widgets import DataTable, Input, Static, TabbedContent

from tests.app.conftest import settle as shared_settle
from tests.app.fake_engine import FakeEngine
from tutor.course.blocks import AttentionBlock, EmbeddingsBlock, MaskingBlock, TokensBlock
from tutor.screens.playground import ATTENTION, EMBEDDINGS, MASKING
from tutor.widgets.attention_map import AttentionMap, Heatmap, Overview
from tutor.widgets.embeddings_view import EmbeddingsView
from tutor.widgets.masking_view import MaskingView
from tutor.widgets.tokens_view import TokensView

SIZE = (100, 34)
LONG = " ".join(["word"] * 70)  # 72 tokens: more than the fake's 64


def run(coro):
    return asyncio.run(coro)


async def settle(pilot, app, delay: float = 0.0) -> None:
    """The shared bounded settle (tests/app/conftest.py); ``app`` kept for the call sites."""
    await shared_settle(pilot, delay)


class ViewApp(App):
    """The smallest host for one view: an ``engine`` and an ``engine_status`` like TutorApp."""

    engine_status = reactive("loading")

    def __init__(self, view, engine=None, *, ready: bool = True):
        super().__init__()
        self.view, self.engine, self._engine, self.ready = view, None, engine or FakeEngine(), ready

    def compose(self):
        yield self.view

    def on_mount(self) -> None:
        if self.ready:
            self.engine = self._engine
            self.engine_status = "ready"


def text_of(widget: Static) -> str:
    return str(widget.render())


async def set_text(pilot, app, selector: str, value: str) -> None:
    app.query_one(selector, Input).value = value
    await settle(pilot, app, 0.7)  # past every view's debounce


# -- playground ---------------------------------------------------------------------------
def playground_app():
    from tutor.app import make_app
    from tutor.progress import open_store

    return make_app(engine_factory=lambda m: FakeEngine(), store=open_store(":memory:"))


async def open_playground(pilot, app, tab: str):
    from tutor.screens.playground import PlaygroundScreen

    await settle(pilot, app)
    app.action_playground()
    await settle(pilot, app)
    assert isinstance(app.screen, PlaygroundScreen)
    app.screen.query_one(TabbedContent).active = tab
    await settle(pilot, app, 0.1)
    return app.screen


def test_playground_has_every_tab_and_escape_goes_back():
    async def scenario():
        app = playground_app()
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_playground(pilot, app, "tokens")
            tabs = screen.query_one(TabbedContent)
            panes = [p.id for p in tabs.query("TabPane")]
            assert panes == ["fill-mask", "tokens", "masking", "attention", "embeddings", "labs"]
            await pilot.press("ctrl+n")
            await settle(pilot, app)
            assert tabs.active == "masking" and isinstance(app.focused, MaskingView)
            await pilot.press("escape")
            await settle(pilot, app)
            assert type(app.screen).__name__ != "PlaygroundScreen"
    run(scenario())


def test_attention_keys_step_layers_and_heads_and_only_rerender():
    async def scenario():
        app = ViewApp(AttentionMap(ATTENTION))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view = app.query_one(AttentionMap)
            view.focus()
            status = view.query_one(".attention-status", Static)
            first = view.matrix.copy()
            assert "layer 1/2 · head 1/3" in text_of(status)
            calls = app.engine.calls.count("attention")
            await pilot.press("l")
            assert "layer 2/2 · head 1/3" in text_of(status) and not (view.matrix == first).all()
            await pilot.press("h")
            assert "layer 2/2 · head 2/3" in text_of(status)
            await pilot.press("H", "H")
            assert "head 3/3" in text_of(status)  # wraps around
            await pilot.press("a")
            assert "average of heads" in text_of(status)
            assert app.engine.calls.count("attention") == calls  # the tensor was computed once
            await pilot.press("v")
            assert isinstance(view.query_one(".attention-heatmap", Static).content, Overview)
            await pilot.press("v")
            assert isinstance(view.query_one(".attention-heatmap", Static).content, Heatmap)
    run(scenario())


def test_head_view_follows_keys_and_clicks():
    async def scenario():
        block = AttentionBlock(text="The animal did not cross the street because it was tired.", focus="it")
        app = ViewApp(AttentionMap(block))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view = app.query_one(AttentionMap)
            view.focus()
            assert view.tokens[view.selected] == "it"
            bars = view.query_one(".attention-bars", Static)
            assert text_of(bars).startswith("'it' attends to:")
            await pilot.press("down")
            assert view.tokens[view.selected] == "was" and text_of(bars).startswith("'was'")
            header = view.query_one(".attention-heatmap", Static).content.header_height
            view.query_one(".attention-scroll").scroll_home(animate=False)
            await settle(pilot, app)
            await pilot.click(".attention-heatmap", offset=(3, header + 2))  # row 2, under the column labels
            await settle(pilot, app)
            assert view.selected == 2 and text_of(bars).startswith("'animal'")
            await pilot.press("v")
            grid = view.query_one(".attention-heatmap", Static).content
            await pilot.click(".attention-heatmap", offset=(4 + grid.width + 2, 1))  # layer 1, head 2
            await settle(pilot, app)
            assert (view.current_layer, view.current_head, view.overview) == (1, 2, False)
    run(scenario())


def test_masking_reroll_and_scoring():
    async def scenario():
        app = ViewApp(MaskingView(MASKING))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view = app.query_one(MaskingView)
            first = view.draw
            assert first is not None and first.seed == 0 and len(first.picked) >= 1
            view.focus()
            draws = []
            for _ in range(4):
                await pilot.press("r")
                await settle(pilot, app)
                draws.append(view.draw)
            assert [d.seed for d in draws] == [1, 2, 3, 4]
            assert any((d.picked, d.actions) != (first.picked, first.actions) for d in draws)
            grid = text_of(view.query_one(".masking-grid", Static))
            assert "BERT sees" in grid and "?" in grid  # labels hidden until checked
            labels = [view.draw.labels[p] for p in view.draw.picked]
            guess = view.query_one(".masking-guess", Input)
            guess.value = " ".join([labels[0]] + ["zzz"] * (len(labels) - 1))
            guess.focus()
            await pilot.press("enter")
            await settle(pilot, app)
            result = text_of(view.query_one(".masking-result", Static))
            assert view.revealed and f"You 1/{len(labels)}" in result and "BERT" in result
            assert labels[0] in text_of(view.query_one(".masking-grid", Static))
    run(scenario())


def test_tokens_view_picks_a_token_and_follows_the_text():
    async def scenario():
        app = ViewApp(TokensView(TokensBlock(text="He was playing well.", onehot="playing")))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view = app.query_one(TokensView)
            onehot = view.query_one(".tokens-onehot", Static)
            assert "one-hot of 'playing'" in text_of(onehot) and "1,000 numbers" in text_of(onehot)
            view.query_one(DataTable).focus()
            await pilot.press("down")
            assert "one-hot of 'well'" in text_of(onehot)
            await set_text(pilot, app, ".tokens-text", "[MASK] is here")
            assert [t for t, _ in view.pairs] == ["[CLS]", "[MASK]", "is", "here", "[SEP]"]
            assert "[MASK] is the blank" in text_of(view.query_one(".tokens-notes", Static))
    run(scenario())


def test_embeddings_layer_keys_recompute_the_tables():
    async def scenario():
        app = ViewApp(EmbeddingsView(EMBEDDINGS))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view = app.query_one(EmbeddingsView)
            assert view.current_layer == 2 and view.cosine is not None and view.points is not None
            table = text_of(view.query_one(".emb-table", Static))
            view.focus()
            await pilot.press("L")
            await settle(pilot, app)
            assert view.current_layer == 1 and "layer 1/2" in text_of(view.query_one(".emb-status", Static))
            assert text_of(view.query_one(".emb-table", Static)) != table
            await pilot.press("l", "l")
            await settle(pilot, app)
            assert view.current_layer == 0 and "input embeddings" in text_of(view.query_one(".emb-status", Static))
            assert view.input_cosine.shape == (4, 4)
    run(scenario())


# -- bad input: a message in the view, never a crash -------------------------------------
VIEWS = {
    "tokens": (lambda: TokensView(TokensBlock(text="hello")), ".tokens-text", ".tokens-message"),
    "masking": (lambda: MaskingView(MaskingBlock(text="hello")), ".masking-text", ".masking-message"),
    "attention": (lambda: AttentionMap(AttentionBlock(text="hello")), ".attention-text", ".attention-message"),
    "embeddings": (lambda: EmbeddingsView(EmbeddingsBlock(word="hi", sentences=("hi there", "hi again"))),
                   ".emb-sentences", ".emb-message"),
}


class StrictFake(FakeEngine):
    """Like the real engine, ``word_vectors`` refuses texts that are empty or too long."""

    def word_vectors(self, sentence: str, word: str):
        self._split(sentence)
        return super().word_vectors(sentence, word)


@pytest.mark.parametrize("kind", sorted(VIEWS))
def test_bad_input_becomes_a_message(kind):
    make, text_input, message = VIEWS[kind]
    long_text = f"hi {LONG} | hi there" if kind == "embeddings" else LONG

    async def scenario():
        app = ViewApp(make(), StrictFake())
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            shown = app.query_one(message, Static)
            assert not shown.display  # a good start: no message
            for bad, expected in (("", ("empty", "type a sentence", "at least two")),
                                  (long_text, ("at most 64", "shorten"))):
                await set_text(pilot, app, text_input, bad)
                assert shown.display and any(e in text_of(shown) for e in expected), (bad[:10], text_of(shown))
            await set_text(pilot, app, text_input, "hi" if kind != "embeddings" else "hi | hi")
            assert not shown.display, text_of(shown)  # one token is fine again
    run(scenario())


def test_views_wait_for_the_model():
    async def scenario():
        app = ViewApp(MaskingView(MaskingBlock(text="hello there")), ready=False)  # the model never arrives
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert "loading the model" in text_of(app.query_one(".masking-message", Static))
            app.engine_status = "failed"
            await settle(pilot, app)
            assert "not available" in text_of(app.query_one(".masking-message", Static))
    run(scenario())


def test_masking_without_text_waits_for_a_sentence_instead_of_warning():
    """Lesson 3's own-text step opens with an empty field: no warning, the field says what to do;
    the first sentence typed is masked."""
    async def scenario():
        app = ViewApp(MaskingView(MaskingBlock(id="own", seed=0, rate=0.15)))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view = app.query_one(MaskingView)
            message = view.query_one(".masking-message", Static)
            assert not message.display and "type a sentence first" not in text_of(message)
            assert "type a sentence" in view.query_one(".masking-text", Input).placeholder
            assert text_of(view.query_one(".masking-grid", Static)) == ""
            await set_text(pilot, app, ".masking-text", "My town has a river and an old bridge.")
            await settle(pilot, app, 0.6)
            assert "BERT sees" in text_of(view.query_one(".masking-grid", Static))
    run(scenario())


def test_tokens_table_shows_its_kind_column_whole():
    """The table was 34 cells wide whatever its rows: 'continues' was cut to 'continue' once a
    token was long (lesson 4, step 2)."""
    async def scenario():
        app = ViewApp(TokensView(TokensBlock(text="He was playing an incomprehensibilities game.")))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            table = app.query_one(DataTable)
            kinds = [table.get_row_at(n)[3] for n in range(table.row_count)]
            assert "special" in kinds and "incomprehensibilities" in table.get_column_at(1)
            assert table.virtual_size.width <= table.scrollable_content_region.width, (
                table.virtual_size, table.scrollable_content_region)
    run(scenario())
