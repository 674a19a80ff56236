"""The masking recipe: 15 % picked, 80/10/10 replacement, seeded, labels from the data."""
from __future__ import annotations

import numpy as np
import pytest

from tutor.analysis.masking import (
    MASK, candidates, join_pieces, mask_draw, same_token, word_spans,
)
from tutor.errors import TutorError

WORDS = [f"w{i}" for i in range(100)]
SENTENCE = ["[CLS]", *WORDS, "[SEP]"]
VOCAB = [f"v{i}" for i in range(500)]


def test_fifteen_percent_and_80_10_10_over_many_draws():
    draws = [mask_draw(SENTENCE, rate=0.15, seed=s, vocab=VOCAB) for s in range(400)]
    assert all(len(d.picked) == 15 for d in draws)  # round(0.15 × 100) ordinary tokens
    actions = [a for d in draws for a in d.actions if a]
    share = {a: actions.count(a) / len(actions) for a in ("mask", "random", "keep")}
    assert share["mask"] == pytest.approx(0.8, abs=0.03)
    assert share["random"] == pytest.approx(0.1, abs=0.02)
    assert share["keep"] == pytest.approx(0.1, abs=0.02)
    picked_per_position = np.bincount([p for d in draws for p in d.picked], minlength=len(SENTENCE))[1:-1] / 400
    assert 0.07 < picked_per_position.min() and picked_per_position.max() < 0.25  # every word gets its turn


def test_labels_are_the_original_tokens_and_nothing_else_changes():
    for seed in range(50):
        d = mask_draw(SENTENCE, seed=seed, vocab=VOCAB)
        for i, token in enumerate(SENTENCE):
            if i in d.picked:
                assert d.labels[i] == token
                expected = {"mask": MASK, "keep": token}.get(d.actions[i])
                if d.actions[i] == "random":
                    assert d.corrupted[i] in VOCAB and d.corrupted[i] != token
                else:
                    assert d.corrupted[i] == expected
            else:
                assert (d.labels[i], d.actions[i], d.corrupted[i]) == (None, None, token)


def test_special_tokens_are_never_picked_and_at_least_one_is():
    d = mask_draw(["[CLS]", "hi", "[SEP]"], seed=0)
    assert d.picked == [1]
    for seed in range(30):
        d = mask_draw(["[CLS]", "a", "[MASK]", "b", "[SEP]", "[PAD]"], rate=1.0, seed=seed)
        assert d.picked == [1, 3]
    assert candidates(["[CLS]", "x", "[SEP]"]) == [1]


def test_same_seed_same_draw_new_seed_new_draw():
    a = mask_draw(SENTENCE, seed=7, vocab=VOCAB)
    assert a == mask_draw(SENTENCE, seed=7, vocab=VOCAB)
    assert any(mask_draw(SENTENCE, seed=s, vocab=VOCAB).picked != a.picked for s in range(8, 12))


def test_random_replacements_come_from_a_callable_or_the_sentence():
    drawn = mask_draw(SENTENCE, rate=1.0, seed=1, vocab=lambda rng: "zzz")
    assert {drawn.corrupted[i] for i in drawn.picked if drawn.actions[i] == "random"} == {"zzz"}
    own = mask_draw(SENTENCE, rate=1.0, seed=1)
    assert all(own.corrupted[i] in WORDS for i in own.picked if own.actions[i] == "random")


def test_bad_input_is_a_tutor_error():
    with pytest.raises(TutorError, match="no ordinary tokens"):
        mask_draw(["[CLS]", "[SEP]"])
    with pytest.raises(TutorError, match="rate"):
        mask_draw(SENTENCE, rate=0)


def test_wordpiece_helpers():
    tokens = ["[CLS]", "he", "was", "play", "##ing", "un", "##bel", "##ie", "##va", "##ble", "[SEP]"]
    assert join_pieces(tokens) == "he was playing unbelievable"
    assert word_spans(tokens)[3:5] == [(3, 5), (5, 10)]
    d = mask_draw(tokens, rate=0.2, seed=3)
    assert d.bert_input().count(MASK) == len(d.picked) == len(d.mask_positions())
    already = mask_draw(["[CLS]", "a", "[MASK]", "b", "[SEP]"], rate=0.5, seed=0)
    assert already.mask_positions() == sorted({2, *already.picked})
    assert same_token("Playing ", "playing") and same_token("ing", "##ing") and not same_token("", "a")
