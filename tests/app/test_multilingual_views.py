"""The inside-BERT views on Chinese text with the real multilingual engine, at 80×24."""
from __future__ import annotations

import asyncio

import numpy as np
import pytest
from textual.widgets import DataTable, Static

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


def test_tokens_view_names_the_models_own_special_tokens_and_word_starts(multi):
    async def scenario():
        view = TokensView(TokensBlock(text="I love you 我爱你", model="multilingual"))
        app = ViewApp(view, multi)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            notes = shown(view, ".tokens-notes")
            assert "<s> opens every input: this model's [CLS]." in notes
            assert "</s> closes a sentence: this model's [SEP]." in notes
            assert "'▁' marks a piece that starts a word" in notes and "[CLS] opens" not in notes
            assert "uncased" not in notes  # the multilingual model keeps capitals
            table = view.query_one(DataTable)
            kinds = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
            tokens = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
            assert kinds[0] == kinds[-1] == "special" and tokens[0] == "<s>" and tokens[-1] == "</s>"
            assert "special" not in kinds[1:-1]
    asyncio.run(scenario())


def test_attention_word_rows_merge_the_couplets_pieces_with_jieba(multi):
    text = "海水朝朝朝朝朝朝朝落"

    async def scenario():
        view = AttentionMap(AttentionBlock(text=text, layer=12, head=1, focus="海水"))
        app = ViewApp(view, multi)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot, app)
            view.focus()
            pieces = list(view.tokens)
            assert pieces.count("朝") == 7 and "row: '海水' attends to" in shown(view, ".attention-status")
            await pilot.press("w")
            words = [g.word for g in multi.word_groups(text)]
            assert view.tokens == words and len(words) < len(pieces)
            note = shown(view, ".attention-note")
            assert "jieba" in note and "mean of its pieces' rows" in note
            assert "row: '海水' attends to" in shown(view, ".attention-status")  # the learner's place is kept
            assert np.allclose(view.matrix.sum(-1), 1.0, atol=1e-5)
            bars = shown(view, ".attention-bars")
            assert all(word in bars for word in words[1:-1])
            await pilot.press("w")
            assert view.tokens == pieces and "jieba" not in shown(view, ".attention-note")
    asyncio.run(scenario())


def test_the_parking_note_names_this_models_boundary_tokens(multi):
    from tutor.analysis.attention import describe_head, select_map, special_share, special_tokens

    result = multi.attention("I love you")
    specials = special_tokens(multi)
    shares = [(special_share(select_map(result.weights, l, h)[0], result.tokens, specials), l, h)
              for l in range(1, 13) for h in range(1, 13)]
    share, layer, head = max(shares)
    assert share > 0.6  # e5 has heads that park on <s>/</s>, like BERT's on [CLS]/[SEP]
    assert "parks on <s>/</s>" in describe_head(select_map(result.weights, layer, head)[0], result.tokens,
                                                specials=specials)
