"""How ranking batches its rows: the cut, the order of the answers, rows that options share,
and that a row's log-probability does not depend on which rows share its batch or run beside it."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tutor.engine.pll import MaskedRow, TOKENS_PER_BATCH, _Batch, _batch_log_probs, _batches, _rows_for, \
    blank_context, token_log_probs
from tutor.engine.probabilities import log_softmax, target_log_probs


def _rows(count: int, length: int, first_target: int = 0) -> list[MaskedRow]:
    return [MaskedRow([7] * length, n % length, first_target + n, False) for n in range(count)]


def test_target_log_probs_are_the_float64_log_softmax_at_the_targets():
    rng = np.random.default_rng(0)
    logits = (rng.standard_normal((6, 30522)) * 8).astype(np.float32)
    targets = rng.integers(0, 30522, size=6)
    want = log_softmax(logits)[np.arange(6), targets]
    assert np.allclose(target_log_probs(logits, targets), want, rtol=0, atol=1e-6)


def test_a_row_can_be_read_at_several_targets():
    rng = np.random.default_rng(1)
    logits = (rng.standard_normal((3, 30522)) * 8).astype(np.float32)
    rows, targets = np.array([0, 0, 2, 1]), np.array([5, 17, 5, 30000])
    want = log_softmax(logits)[rows, targets]
    assert np.allclose(target_log_probs(logits, targets, rows), want, rtol=0, atol=1e-6)


def _sizes(rows, workers):
    return [len(b) for b in _batches(rows, workers)]


def test_rows_are_cut_by_length_and_tokens_and_shared_among_workers():
    assert _sizes(_rows(20, 10), workers=2) == [10, 10]
    assert _sizes(_rows(8, 10), workers=2) == [4, 4]
    assert _sizes(_rows(7, 10), workers=2) == [7]  # too few to be worth a second call
    assert _sizes(_rows(20, 10), workers=1) == [20]
    long = TOKENS_PER_BATCH // 6  # six such rows fill a batch
    assert _sizes(_rows(20, long), workers=2) == [6, 6, 6, 2]
    mixed = _rows(3, 12) + _rows(5, 10) + _rows(1, 12)
    batches = _batches(mixed, workers=2)
    assert [[len(mixed[n].ids) for n in b] for b in batches] == [[10] * 5, [12] * 4]  # most tokens first
    assert _batches([], workers=2) == []


class _RecordingNetwork:
    """Logits that name each row's first token, so answers can be traced back to their rows."""

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
    assert sorted(network.batches) == [(3, 9), (18, 5)]  # two lengths: a batch each, one per worker


def test_a_row_several_options_share_runs_once_and_each_reads_its_own_target():
    network = _RecordingNetwork()
    shared = [4, 103, 6, 7]  # the blank masked: the same row whichever one-piece option fills it
    per_option = [[MaskedRow(shared, 1, 4, True), MaskedRow([4, 9, 103, 7], 2, 6, False)],
                  [MaskedRow(shared, 1, 11, True), MaskedRow([4, 103, 103, 7], 2, 6, False)]]
    values = token_log_probs(network, per_option)
    assert network.batches == [(3, 4)]  # three distinct rows, one call
    assert values[0][0] > -1e-6 and values[1][0] < -20  # the shared row, read at 4 and at 11
    assert [len(v) for v in values] == [2, 2]


@pytest.mark.slow
def test_a_rows_log_probability_does_not_depend_on_its_batch(engine):
    from tutor.engine.evaluate import cloze_items
    from tutor.paths import EVAL_DIR

    item = cloze_items(json.loads((EVAL_DIR / "li_hua.json").read_text()))[4]
    before, after, s0, s1 = blank_context(item["text"])
    per_option = [_rows_for(engine.pieces, before, option, after, s0, s1, engine.max_tokens)
                  for option in item["options"]]
    rows = per_option[0]
    alone = [_batch_log_probs(engine.network, _Batch([row], [[row.target]]))[0][0] for row in rows]
    together = token_log_probs(engine.network, per_option)
    assert np.allclose(together[0], alone, rtol=0, atol=1e-6)
    assert np.allclose(token_log_probs(engine.network, [rows[:3]])[0], alone[:3], rtol=0, atol=1e-6)


@pytest.mark.slow
def test_a_passages_blanks_ranked_together_score_as_each_alone(engine):
    from tutor.engine.evaluate import cloze_items
    from tutor.paths import EVAL_DIR

    items = cloze_items(json.loads((EVAL_DIR / "li_hua.json").read_text()))[:4]
    together = engine.rank_blanks([(item["text"], item["options"]) for item in items])
    alone = [engine.rank_options(item["text"], item["options"]) for item in items]
    for got, want in zip(together, alone):
        assert [(s.option, s.score, s.pll) for s in got] == [(s.option, s.score, s.pll) for s in want]
