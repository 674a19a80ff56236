"""Snapshots of lesson 8's multilingual steps, with the real multilingual engine, at 80x24 and 120x40:
the couplet's pieces (not [UNK]s), the seven 朝 compared, and attention merged into words.

The app's own model is the fake (the rest of the page); the blocks that say ``model: multilingual``
load the real one through the app's engine factory, as in the shipped app."""
from __future__ import annotations

import pytest

from tests.app.fake_engine import FakeEngine
from tests.app.test_snapshots import NOW, _after, learner_store
from tutor.app import make_app
from tutor.widgets.attention_map import AttentionMap
from tutor.widgets.embeddings_view import EmbeddingsView
from tutor.widgets.tokens_view import TokensView

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]
COUPLET_STEP = 2  # 0-based: "One character, many meanings"


@pytest.fixture(scope="module")
def multi():
    from tutor.engine.multilingual import multilingual_engine

    return multilingual_engine()


def lesson_app(multi):
    app = make_app(engine_factory=lambda model: multi if model == "multilingual" else FakeEngine(),
                   store=learner_store(), settings_path=None)
    app.now = lambda: NOW
    return app


def show(view_type, *keys: str):
    """Open the couplet step, bring its multilingual ``view_type`` to the top and focus it."""
    def then(app):
        view = next(v for v in app.screen.query(view_type) if v.block.model == "multilingual")
        target = view.query_one("DataTable") if view_type is TokensView else view
        target.focus(scroll_visible=False)
        view.scroll_visible(animate=False, top=True, immediate=True)

    async def run_before(pilot):
        await _after(then=lambda app: app.open_lesson("contextual-embeddings", step=COUPLET_STEP))(pilot)
        await _after(then=then)(pilot)
        await _after(*keys)(pilot)
    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_couplet_pieces(snap_compare, multi, size):
    """The tokens view with the multilingual model: ▁ · 海水 · 朝 ×7 · 落 …, <s>/</s> named."""
    assert snap_compare(lesson_app(multi), terminal_size=size, run_before=show(TokensView))


@pytest.mark.parametrize("size", SIZES)
def test_seven_zhao(snap_compare, multi, size):
    """The embeddings view: the seven 朝 of one line, S1.1 … S1.7, tables stacked when narrow."""
    assert snap_compare(lesson_app(multi), terminal_size=size, run_before=show(EmbeddingsView))


@pytest.mark.parametrize("size", SIZES)
def test_couplet_attention_in_words(snap_compare, multi, size):
    """The attention view after w: rows per jieba word, the merging rule stated under the map."""
    assert snap_compare(lesson_app(multi), terminal_size=size, run_before=show(AttentionMap, "w"))
