"""The pretrain lab and the MLM trainer on the real bundled model (a few steps only)."""
from __future__ import annotations

import pytest
import torch

from tutor.engine.pretrain import FIRST_REAL_TOKEN, mask_tokens
from tutor.engine.pretrain_lab import lab_texts, run_pretrain_lab
from tutor.errors import TutorError

TEXT = ("The lighthouse keeper of Bellmoor rang the brass bell every evening. "
        "Sailors heard the bell of Bellmoor far out at sea. The keeper polished the brass bell on Sundays.")


PROBE = "Sailors heard the [MASK] far out at sea."


def test_lab_trains_its_own_copy_on_the_device_asked_for(engine):
    before = engine.fill_mask(PROBE)
    result = run_pretrain_lab(engine, TEXT * 3, PROBE, steps=6, seed=1, device="cpu")
    assert len(result.curve) == 6 and not result.cancelled and result.device == "cpu"
    assert [s for s, _ in result.probes] == [0, 5, 6]
    assert all(len(top) == 5 for _, top in result.probes)
    assert result.probes[-1][1] != result.probes[0][1]  # the copy learned something
    # step 0 is the engine's own model (fp32 here; the engine may answer from a faster copy)
    assert result.probes[0][1][0][0] in [token for token, _ in before[0]]
    assert engine.fill_mask(PROBE) == before  # the engine is untouched


def test_lab_repeats_from_its_seed_without_the_global_generator(engine, monkeypatch):
    first = run_pretrain_lab(engine, TEXT, PROBE, steps=2, seed=3, device="cpu")
    monkeypatch.setattr(torch, "manual_seed", lambda *_: (_ for _ in ()).throw(AssertionError("global seed")))
    torch.rand(5)  # move torch's global generator: the lab must not depend on it
    again = run_pretrain_lab(engine, TEXT, PROBE, steps=2, seed=3, device="cpu")
    assert again.curve == first.curve


def test_lab_cancel_stops_within_a_step(engine):
    calls = {"n": 0}

    def stop():
        calls["n"] += 1
        return calls["n"] > 2

    result = run_pretrain_lab(engine, TEXT, "The keeper rang the [MASK].", steps=20, should_stop=stop)
    assert result.cancelled and len(result.curve) == 2


@pytest.mark.parametrize("text, probe", [("", "A [MASK]."), ("   \n ", "A [MASK]."), (TEXT, "no blank")])
def test_lab_bad_input_is_a_clear_error(engine, text, probe):
    with pytest.raises(TutorError):
        run_pretrain_lab(engine, text, probe, steps=2)


def test_lab_texts_chunks_sentences():
    assert lab_texts("One two three. Four five six. Seven eight nine.") == [
        "One two three. Four five six.", "Seven eight nine."]


def test_mask_tokens_follows_the_80_10_10_rule():
    generator = torch.Generator().manual_seed(0)
    ids = torch.randint(FIRST_REAL_TOKEN, 30000, (200, 40))
    maskable = torch.ones_like(ids, dtype=torch.bool)
    corrupted, labels = mask_tokens(ids, maskable, maskable, rate=0.15, mask_id=103, vocab_size=30522,
                                    generator=generator)
    picked = labels != -100
    share = picked.float().mean().item()
    assert 0.13 < share < 0.17
    masked = (corrupted[picked] == 103).float().mean().item()
    kept = (corrupted[picked] == ids[picked]).float().mean().item()
    assert 0.76 < masked < 0.84 and 0.07 < kept < 0.13
    assert torch.equal(corrupted[~picked], ids[~picked])  # unpicked tokens are never changed
