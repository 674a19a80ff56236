"""Attention maps: rows are distributions; slicing, pooling and the heatmap renderables."""
from __future__ import annotations

from io import StringIO

import numpy as np
import pytest
from rich.console import Console
from textual.color import Color

from tests.app.fake_engine import FakeEngine
from tutor.analysis.attention import describe_head, select_map
from tutor.widgets.attention_map import Heatmap, Overview, levels, palette, pool


@pytest.fixture(scope="module")
def attention():
    return FakeEngine().attention("The animal didn't cross the street because it was tired.")


def test_every_row_of_every_layer_and_head_sums_to_one(attention):
    w = attention.weights
    for layer in range(1, w.shape[0] + 1):
        for head in range(1, w.shape[1] + 1):
            matrix, label = select_map(w, layer, head)
            assert np.allclose(matrix.sum(-1), 1.0, atol=1e-5), label
        assert np.allclose(select_map(w, layer, None)[0].sum(-1), 1.0, atol=1e-5)


def test_the_parking_head_is_described():
    short = FakeEngine().attention("it was tired")  # the fake's layer 2, head 1 parks on [SEP]
    matrix, _ = select_map(short.weights, 2, 1)
    assert "[CLS]/[SEP]" in describe_head(matrix, short.tokens)


def test_pool_keeps_the_mean_and_handles_short_inputs():
    m = np.random.default_rng(0).random((2, 3, 13, 13))
    pooled = pool(m, 6, 5)
    assert pooled.shape == (2, 3, 6, 5)
    assert np.allclose(pool(m, 13, 13), m)
    assert pool(np.ones((3, 3)), 6, 8).shape == (6, 8)


def test_levels_use_the_whole_palette():
    grid = levels(np.array([[0.0, 1 / 64, 0.25, 1.0]]))
    assert grid.tolist() == [[0, 1, 4, 8]]


def _render(renderable, width=200) -> str:
    console = Console(file=StringIO(), width=width, record=True, color_system="truecolor")
    console.print(renderable)
    return console.export_text()


def test_heatmap_renders_a_row_per_token(attention):
    styles = palette(Color.parse("#000000"), Color.parse("#0178D4"))
    matrix, _ = select_map(attention.weights, 1, 1)
    it = attention.tokens.index("it")
    heatmap = Heatmap(attention.tokens, matrix, styles, selected=it)
    lines = _render(heatmap).splitlines()
    assert len(lines) == len(attention.tokens) + heatmap.header_height
    assert lines[it + heatmap.header_height].startswith("▶it")


def test_overview_shows_every_layer_and_head(attention):
    styles = palette(Color.parse("#ffffff"), Color.parse("#0178D4"))
    text = _render(Overview(attention.weights, styles, selected=(1, 1), width=5, height=3))
    assert "L1" in text and "L2" in text and "h3" in text


def test_special_tokens_come_from_the_engine_and_the_parking_note_names_them():
    from tutor.analysis.attention import BERT_SPECIALS, boundary_tokens, special_tokens

    class Sentencepiece:
        special_tokens = ["<s>", "</s>", "<pad>", "<unk>", "<mask>"]

    specials = special_tokens(Sentencepiece())
    assert specials == frozenset(Sentencepiece.special_tokens) and special_tokens(object()) == BERT_SPECIALS
    tokens = ["<s>", "▁I", "▁love", "▁you", "</s>"]
    assert boundary_tokens(tokens, specials) == ["<s>", "</s>"]
    parking = np.zeros((5, 5))
    parking[:, 0], parking[:, 4] = 0.5, 0.5
    assert "100% of this head's attention parks on <s>/</s>" in describe_head(parking, tokens, specials=specials)
    assert "[CLS]" not in describe_head(parking, tokens, specials=specials)
