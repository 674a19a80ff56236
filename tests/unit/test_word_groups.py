"""Pieces merged into words (Chinese cut by jieba), without a model."""
from __future__ import annotations

import numpy as np
import pytest

from tests.unit.test_import_hygiene import test_module_does_not_import_torch as _stays_light
from tutor.word_groups import WordGroup, group_pieces, merge_attention, merge_vectors, segment_words


def words(text: str) -> list[str]:
    return [text[s:e] for s, e in segment_words(text)]


def test_chinese_is_cut_by_jieba_and_other_scripts_at_spaces_and_punctuation():
    assert words("我们喜欢学习。") == ["我们", "喜欢", "学习", "。"]
    assert words("Je t'aime, Liu Ping's book!") == ["Je", "t'aime", ",", "Liu", "Ping's", "book", "!"]
    assert words("我爱Python和BERT") == ["我", "爱", "Python", "和", "BERT"]
    assert words("사랑해 요") == ["사랑해", "요"]


def test_xlmr_pieces_group_into_words_and_specials_stay_alone():
    text = "我们喜欢学习"
    tokens = ["<s>", "▁", "我们", "喜", "欢", "学习", "</s>"]
    offsets = [(0, 0), (0, 1), (0, 2), (2, 3), (3, 4), (4, 6), (0, 0)]
    assert group_pieces(text, tokens, offsets) == [
        WordGroup("<s>", 0, 1), WordGroup("我们", 1, 3), WordGroup("喜欢", 3, 5),
        WordGroup("学习", 5, 6), WordGroup("</s>", 6, 7)]


def test_a_piece_that_spans_two_words_merges_them():
    text = "让我一个人待着"
    segmented = words(text)
    assert "一个" in segmented and "人待" in segmented  # jieba's cut
    tokens = ["<s>", "▁让", "我", "一个", "人", "待", "着", "</s>"]  # "人" alone: fine
    offsets = [(0, 0), (0, 1), (1, 2), (2, 4), (4, 5), (5, 6), (6, 7), (0, 0)]
    groups = group_pieces(text, tokens, offsets)
    assert [g.word for g in groups] == ["<s>", "让", "我", "一个", "人待", "着", "</s>"]
    glued = ["<s>", "▁让", "我一个", "人待着", "</s>"]  # pieces straddling jieba's words
    groups = group_pieces(text, glued, [(0, 0), (0, 1), (1, 4), (4, 7), (0, 0)])
    assert [g.word for g in groups] == ["<s>", "让", "我一个", "人待着", "</s>"]


def test_wordpiece_continuations_join_their_word():
    text = "Tokenization works"
    tokens = ["[CLS]", "token", "##ization", "works", "[SEP]"]
    offsets = [(0, 0), (0, 5), (5, 12), (13, 18), (0, 0)]
    assert [g.word for g in group_pieces(text, tokens, offsets)] == ["[CLS]", "Tokenization", "works", "[SEP]"]


def test_a_bare_space_piece_joins_the_next_word():
    text = "a 猫"
    tokens = ["<s>", "▁a", "▁", "猫", "</s>"]
    offsets = [(0, 0), (0, 1), (1, 2), (2, 3), (0, 0)]
    assert group_pieces(text, tokens, offsets)[2] == WordGroup("猫", 2, 4)


def test_word_attention_averages_rows_and_sums_columns():
    rng = np.random.default_rng(0)
    weights = rng.random((2, 3, 5, 5))
    weights /= weights.sum(-1, keepdims=True)
    groups = [WordGroup("<s>", 0, 1), WordGroup("ab", 1, 3), WordGroup("c", 3, 4), WordGroup("</s>", 4, 5)]
    merged = merge_attention(weights, groups)
    assert merged.shape == (2, 3, 4, 4)
    assert np.allclose(merged.sum(-1), 1.0, atol=1e-6)
    assert np.isclose(merged[1, 2, 1, 1], weights[1, 2, 1:3, 1:3].sum(axis=1).mean())
    assert np.isclose(merged[0, 0, 2, 1], weights[0, 0, 3, 1:3].sum())
    vectors = rng.random((3, 5, 4))
    assert np.allclose(merge_vectors(vectors, groups)[:, 1], vectors[:, 1:3].mean(axis=1), atol=1e-6)


@pytest.mark.parametrize("module", ["tutor.word_groups", "tutor.multilingual_demos"])
def test_helpers_stay_torch_free(module):
    _stays_light(module)


def test_marker_groups_join_wordpiece_and_sentencepiece_pieces():
    from tutor.word_groups import marker_groups

    wordpiece = marker_groups(["[CLS]", "un", "##believ", "##able", "game", "[SEP]"], {"[CLS]", "[SEP]"})
    assert [(g.word, g.start, g.end) for g in wordpiece] == [
        ("[CLS]", 0, 1), ("unbelievable", 1, 4), ("game", 4, 5), ("[SEP]", 5, 6)]
    sentencepiece = marker_groups(["<s>", "▁I", "▁lov", "e", "▁you", "</s>"], {"<s>", "</s>"})
    assert [g.word for g in sentencepiece] == ["<s>", "I", "love", "you", "</s>"]


def test_count_uses_finds_substrings_in_chinese_and_whole_words_elsewhere():
    from tutor.word_groups import count_uses

    assert count_uses("海水朝朝朝朝朝朝朝落", "朝") == 7
    assert count_uses("The bank by the riverbank", "bank") == 1
    assert count_uses("Bank? bank!", "bank") == 2 and count_uses("anything", " ") == 0
