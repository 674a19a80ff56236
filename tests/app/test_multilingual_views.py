"""The inside-BERT views on Chinese text with the real multilingual engine, at 80×24."""
from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Static

from tests.app.test_inside_views import ViewApp, settle, text_of
from tutor.course.blocks import AttentionBlock, EmbeddingsBlock, TokensBlock
from tutor.multilingual_demos import COUPLET, LOVE, PHRASES
from tutor.widgets.attention_map import AttentionMap
from tutor.widgets.embeddings_view import EmbeddingsView
from tutor.widgets.tokens_view import TokensView

SIZE = (80, 24)


@pytest.fixture(scope="module")
def multi():
    from tutor.engine.multilingual import multilingual_engine

    return multilingual_engine()


def shown(view, selector: str) -> str:
    return text_of(view.query_one(selector, Static))


def test_tokens_view_shows_the_seven_zhao_and_their_one_hot_row(multi):
    async def scenario():
        view = TokensView(TokensBlock(text=COUPLET, onehot="朝"))
        app = ViewApp(view, multi)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            strip = shown(view, ".tokens-strip")
            assert "12 tokens" in strip and strip.count("朝") == 7 and "[UNK]" not in strip
            onehot = shown(view, ".tokens-onehot")
            zhao_id = dict(multi.tokens(COUPLET))["朝"]
            assert f"one-hot of '朝' · id {zhao_id}" in onehot and "250,002 numbers" in onehot
    asyncio.run(scenario())


def test_attention_view_reads_the_couplet(multi):
    async def scenario():
        view = AttentionMap(AttentionBlock(text=COUPLET, layer=3, head=2))
        app = ViewApp(view, multi)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert "layer 3/12 · head 2/12" in shown(view, ".attention-status")
            bars = shown(view, ".attention-bars")
            assert bars.count("朝") == 7 and "%" in bars
            assert not shown(view, ".attention-message").strip()
            assert {"<s>", "</s>"} <= multi.special_tokens
    asyncio.run(scenario())


def test_embeddings_view_compares_zhao_across_sentences_and_draws_the_phrases(multi):
    love = tuple(text for _, meaning, text in PHRASES if meaning == LOVE)
    alone = tuple(text for _, meaning, text in PHRASES if meaning != LOVE)
    block = EmbeddingsBlock(word="朝", sentences=("朝阳升起来了。", "唐朝是一个强大的朝代。", COUPLET),
                            groups=(("love", love), ("alone", alone)))

    async def scenario():
        view = EmbeddingsView(block)
        app = ViewApp(view, multi)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            assert "'朝' · layer 12/12" in shown(view, ".emb-status")
            table = shown(view, ".emb-table")
            assert "'朝' at layer 12" in table and "S3" in table
            assert view.points is not None and view.points.shape == (20, 2)
            assert "사랑해" in shown(view, ".emb-legend")
    asyncio.run(scenario())
