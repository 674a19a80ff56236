"""How ranking batches its rows: the cut, the order of the answers, and that a row's
log-probability does not depend on which rows share its batch or run beside it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tutor.engine.pll import MaskedRow, TOKENS_PER_BATCH, _batch_log_probs, _batches, _rows_for, blank_context, \
    token_log_probs
from tutor.engine.probabilities import log_softmax, target_log_probs


def _rows(count: int, length: int, first_target: int = 0) -> list[MaskedRow]:
    return [MaskedRow([7] * length, n % length, first_target + n, False) for n in range(count)]


def test_target_log_probs_are_the_float64_log_softmax_at_the_targets():
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((6, 30522)) * 8).astype(np.float32)
    targets = rng.integers(0, 30522, size=6)
    want = log_softmax(logits)[np.arange(6), targets]
    assert np.allclose(target_log_probs(logits, targets), want, rtol=0, atol=1e-6)


def test_an_options_rows_are_cut_by_tokens_and_shared_among_workers():
    assert [len(b) for b in _batches(_rows(20, 10), workers=2)] == [10, 10]
    assert [len(b) for b in _batches(_rows(10, 10), workers=2)] == [10]  # too few to be worth two calls
    assert [len(b) for b in _batches(_rows(10, 10), workers=1)] == [10]
    long = TOKENS_PER_BATCH // 6  # six such rows fill a batch
    assert [len(b) for b in _batches(_rows(20, long), workers=2)] == [6, 6, 6, 2]
    assert _batches([], workers=2) == []


class _RecordingNetwork:
    """Logits that name each row's target, so answers can be traced back to their rows."""

    workers = 2

    def __init__(self):
        self.batches = []

    def run(self, ids, flat):
        self.batches.append(ids.shape)
        logits = np.zeros((len(flat), 50), dtype=np.float32)
        logits[np.arange(len(flat)), ids[:, 0] % 50] = 30.0  # row n puts its mass on ids[n, 0]
        return (logits,)

    def map(self, fn, items):
        return [fn(item) for item in reversed(items)][::-1]  # finish in another order than sent


def test_each_options_answers_come_back_in_its_own_rows_order():
    network = _RecordingNetwork()
    per_option = [[MaskedRow([n] * 5, 1, n, False) for n in range(18)],
                  [MaskedRow([n] * 9, 1, 40 - n, True) for n in range(3)], []]
    values = token_log_probs(network, per_option)
    assert [len(v) for v in values] == [18, 3, 0]
    assert all(v > -1e-6 for v in values[0])  # every target was its row's own token
    assert all(v < -20 for v in values[1])     # ... and never another row's
    assert sorted(network.batches) == [(3, 9), (9, 5), (9, 5)]  # no batch mixes two options


@pytest.mark.slow
def test_a_rows_log_probability_does_not_depend_on_its_batch(engine):
    from tutor.engine.evaluate import cloze_items
    from tutor.paths import EVAL_DIR

    item = cloze_items(json.loads((EVAL_DIR / "li_hua.json").read_text()))[4]
    before, after, s0, s1 = blank_context(item["text"])
    rows = _rows_for(engine.pieces, before, item["options"][0], after, s0, s1, engine.max_tokens)
    alone = [_batch_log_probs(engine.network, [row])[0] for row in rows]
    together = token_log_probs(engine.network, [rows, rows[:3]])
    assert np.allclose(together[0], alone, rtol=0, atol=1e-6)
    assert np.allclose(together[1], alone[:3], rtol=0, atol=1e-6)
