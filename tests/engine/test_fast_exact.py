"""The fast path (onnxruntime) answers exactly as torch fp32 on the eval sets: the same top-k
tokens with probabilities within 1e-4, the same option rankings, the same inside views."""
from __future__ import annotations

import json

import numpy as np
import pytest

from tutor.engine.evaluate import cloze_items, read_jsonl
from tutor.engine.probabilities import log_softmax, top_k
from tutor.paths import BUNDLED_MODEL, BUNDLED_MODEL_DIR, EVAL_DIR

# one worker builds the torch reference once (xdist --dist loadgroup)
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("fast_exact")]


@pytest.fixture(scope="module")
def reference():
    """The same model on torch fp32, through the same Engine code.  One torch thread: on a
    busy 2-core box torch's spinning thread pool made this reference 4x slower."""
    import torch

    from tutor.engine.engine import Engine
    from tutor.engine.networks import open_torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield Engine(BUNDLED_MODEL, str(BUNDLED_MODEL_DIR), opened=open_torch(BUNDLED_MODEL, BUNDLED_MODEL_DIR, "cpu"))
    torch.set_num_threads(threads)


def test_the_engine_runs_on_onnxruntime_without_torch_answers(engine, reference):
    assert engine.backend == "onnxruntime" and reference.backend == "torch"


def test_probes_same_top5_and_probabilities(engine, reference):
    probes = read_jsonl(EVAL_DIR / "probes.jsonl") + [{"text": "The capital of France is [MASK]."},
                                                      {"text": "The [MASK] of France is [MASK] ."}]
    for probe in probes:
        fast, slow = engine.fill_mask(probe["text"], top_k=5), reference.fill_mask(probe["text"], top_k=5)
        for got, want in zip(fast, slow):
            assert [t for t, _ in got] == [t for t, _ in want], probe["text"]
            assert np.allclose([p for _, p in got], [p for _, p in want], atol=1e-4), probe["text"]


def _ranking_items():
    # every Li Hua and MCQ item; one passage in six, which torch makes slow on 2 cores
    # (benchmarks/bench_engine.py compares all 60 items)
    items = cloze_items(json.loads((EVAL_DIR / "li_hua.json").read_text()))
    return items + read_jsonl(EVAL_DIR / "mcq_cloze.jsonl") + read_jsonl(EVAL_DIR / "cloze_dev.jsonl")[::6]


def test_cloze_sets_same_rankings(engine, reference):
    for item in _ranking_items():
        fast = engine.rank_options(item["text"], item["options"])
        slow = reference.rank_options(item["text"], item["options"])
        order = lambda scores: [s.option for s in sorted(scores, key=lambda s: -s.score)]
        assert order(fast) == order(slow), item["text"]
        assert np.allclose([s.probability for s in fast], [s.probability for s in slow], atol=1e-4), item["text"]
        assert np.allclose([s.pll for s in fast], [s.pll for s in slow], atol=1e-2), item["text"]


def test_the_last_layer_at_the_targets_only_gives_the_full_networks_logits(engine, reference):
    """mlm.onnx runs its last layer at the scored positions only: check several targets per row,
    in rows of a batch, against the whole torch model."""
    rng = np.random.default_rng(1)
    ids = rng.integers(1000, 20000, size=(3, 19))
    ids[:, 0], ids[:, -1] = 101, 102
    flat = np.array([0, 4, 5, 19 + 9, 2 * 19 + 18, 2 * 19 + 1])
    got, want = engine.network.run(ids, flat)[0], reference.network.run(ids, flat)[0]
    p_got, p_want = np.exp(log_softmax(got)), np.exp(log_softmax(want))
    assert np.abs(p_got - p_want).max() < 1e-4
    assert all(list(top_k(a, 5)) == list(top_k(b, 5)) for a, b in zip(p_got, p_want))


def test_inside_views_match(engine, reference):
    text = "The animal didn't cross the street because it was too tired."
    assert np.allclose(engine.attention(text).weights, reference.attention(text).weights, atol=1e-4)
    assert np.allclose(engine.hidden_states(text)[1], reference.hidden_states(text)[1], atol=1e-3)
    ids = [i for _, i in engine.tokens("bank river")]
    assert np.array_equal(engine.embedding_rows(ids)[0], reference.embedding_rows(ids)[0])
    assert np.allclose(engine.sentence_vectors([text]), reference.sentence_vectors([text]), atol=1e-4)


def test_the_tokenizers_library_splits_as_the_hugging_face_tokenizer(engine, reference):
    texts = [p["text"] for p in read_jsonl(EVAL_DIR / "probes.jsonl")] + [i["text"] for i in _ranking_items()]
    texts += ["Liu Ping's café costs ¥12 — unbelievably\tcheap!", "[MASK] [CLS] [SEP] ___"]
    for text in texts:
        mine = engine.pieces.encode(text)
        theirs = reference.tokenizer(text, return_offsets_mapping=True)
        assert mine.ids == theirs["input_ids"], text
        assert [tuple(o) for o in mine.offsets] == [tuple(o) for o in theirs["offset_mapping"]], text
        assert mine.word_ids == theirs.word_ids(), text
