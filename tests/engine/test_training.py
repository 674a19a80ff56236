"""One device policy, one optimizer recipe, one schedule, seeded weights without torch's global
generator, and optimizer state in safetensors (tutor/engine/training.py and its callers).

A CPU-only machine cannot produce a device mismatch, so the device tests check the policy
itself: the device asked for is the one the model and every batch it sees are on.  On a GPU
box the same tests with ``device="cuda"`` are what the lead's device check runs."""
from __future__ import annotations

from pathlib import Path

import pytest
import torch

from tutor.engine.pretrain import PretrainConfig, Pretrainer, TokenizedTexts, heldout_mlm_metrics
from tutor.engine.training import (adamw, init_weights, load_optimizer_state, lr_factor, pick_device,
                                   save_optimizer_state, torch_errors)
from tutor.errors import TutorError

ROOT = Path(__file__).resolve().parents[2]
TEXTS = ["The dog ran to the park with a red ball.", "Mia baked a cake for her mother.",
         "The sun was warm and the sky was blue."] * 4
DEVICE = "cuda" if torch.cuda.is_available() else "cpu"


@pytest.fixture(scope="module")
def tiny_mlm():
    """A 2-layer BERT with the bundled tokenizer: fast, and shaped like the real thing."""
    from transformers import AutoTokenizer, BertConfig, BertForMaskedLM

    from tutor.paths import BUNDLED_MODEL_DIR

    tokenizer = AutoTokenizer.from_pretrained(str(BUNDLED_MODEL_DIR))
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, attn_implementation="eager")
    return lambda: BertForMaskedLM(config), tokenizer


def watch_devices(model) -> list[tuple[str, str]]:
    """(input device, parameter device) of every forward call of ``model``'s encoder."""
    seen: list[tuple[str, str]] = []

    def hook(module, args, kwargs):
        tensors = [t for t in (*args, *kwargs.values()) if isinstance(t, torch.Tensor)]
        param = next(module.parameters()).device
        seen.extend((str(t.device), str(param)) for t in tensors)

    model.bert.register_forward_pre_hook(hook, with_kwargs=True)
    return seen


def test_pick_device(monkeypatch):
    assert pick_device("cpu") == torch.device("cpu")
    assert pick_device(torch.device("cpu")) == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert pick_device(None) == torch.device("cpu") and pick_device("auto") == torch.device("cpu")
    with pytest.raises(TutorError, match="no CUDA GPU"):
        pick_device("cuda")
    with pytest.raises(TutorError, match="unknown device"):
        pick_device("gpu-please")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert pick_device(None) == torch.device("cuda")


def test_pretrainer_puts_model_and_batches_on_its_device(tiny_mlm):
    build, tokenizer = tiny_mlm
    model = build()
    seen = watch_devices(model)
    trainer = Pretrainer(model, tokenizer, TEXTS, PretrainConfig(steps=2, batch_size=4, warmup=1), heldout=TEXTS,
                         device=DEVICE)
    trainer.run()
    trainer.evaluate_heldout(limit=8)
    assert trainer.device == torch.device(DEVICE)
    assert {str(p.device).split(":")[0] for p in model.parameters()} == {DEVICE}
    assert seen and all(inp == param for inp, param in seen)


def test_heldout_metrics_follow_the_models_device(tiny_mlm):
    build, tokenizer = tiny_mlm
    model = build().to(DEVICE)
    seen = watch_devices(model)
    metrics = heldout_mlm_metrics(model, TokenizedTexts(tokenizer, TEXTS, 32), limit=8)
    assert metrics["heldout_tokens"] > 0
    assert seen and all(inp == param for inp, param in seen)


def test_no_global_seed(tiny_mlm, monkeypatch):
    """The app never reseeds torch's global generator (other threads draw from it too)."""
    def forbidden(*_):
        raise AssertionError("torch.manual_seed called")

    build, tokenizer = tiny_mlm
    model = build()
    monkeypatch.setattr(torch, "manual_seed", forbidden)
    Pretrainer(model, tokenizer, TEXTS, PretrainConfig(steps=1, batch_size=4, warmup=1), device="cpu").run()


def test_init_weights_repeat_from_a_generator():
    one, two = torch.nn.Linear(8, 4), torch.nn.Linear(8, 4)
    init_weights(one, torch.Generator().manual_seed(3))
    init_weights(two, torch.Generator().manual_seed(3))
    assert torch.equal(one.weight, two.weight) and not one.bias.any()
    assert 0.01 < one.weight.std().item() < 0.04


def test_adamw_leaves_layernorm_and_biases_undecayed(tiny_mlm):
    model = tiny_mlm[0]()
    named = list(model.named_parameters())
    optimizer, base_lrs = adamw([(named, 1e-3)], weight_decay=0.01)
    decay_of = {id(p): g["weight_decay"] for g in optimizer.param_groups for p in g["params"]}
    for name, param in named:
        expect = 0.0 if (name.endswith(".bias") or "LayerNorm" in name) else 0.01
        assert decay_of[id(param)] == expect, name
    assert base_lrs == [1e-3] * len(optimizer.param_groups)


def test_one_schedule_warms_up_then_decays_to_zero():
    factors = [lr_factor(step, 4, 20) for step in range(20)]
    assert factors[:4] == [0.25, 0.5, 0.75, 1.0]
    assert all(a >= b for a, b in zip(factors[3:], factors[4:]))
    assert lr_factor(20, 4, 20) == pytest.approx(0.0)


def test_no_second_schedule_or_optimizer_builder():
    """The repeats issue 16 names: one schedule and one AdamW builder for every trainer."""
    for name in ("pretrain.py", "finetune.py", "pretrain_lab.py", "pretrain_job.py"):
        source = (ROOT / "tutor" / "engine" / name).read_text()
        assert "def _lr_factor" not in source and "torch.optim.AdamW" not in source, name
        assert "torch.load(" not in source and "torch.manual_seed" not in source, name


def test_optimizer_state_round_trips_through_safetensors(tiny_mlm, tmp_path):
    model = tiny_mlm[0]()
    optimizer, _ = adamw([(list(model.named_parameters()), 1e-3)], 0.01)
    model(input_ids=torch.tensor([[101, 2000, 102]])).logits.sum().backward()
    optimizer.step()
    generator = torch.Generator().manual_seed(7)
    save_optimizer_state(optimizer, tmp_path / "optimizer.safetensors", {"generator": generator.get_state()},
                         {"rng": [3, [1, 2], None]})
    fresh, _ = adamw([(list(model.named_parameters()), 1e-3)], 0.01)
    tensors, extra = load_optimizer_state(fresh, tmp_path)
    assert extra == {"rng": [3, [1, 2], None]} and torch.equal(tensors["generator"], generator.get_state())
    before, after = optimizer.state_dict(), fresh.state_dict()
    for index, slots in before["state"].items():
        for key, value in slots.items():
            assert torch.equal(torch.as_tensor(value), torch.as_tensor(after["state"][index][key]))


def test_a_pickled_optimizer_state_is_refused(tiny_mlm, tmp_path):
    model = tiny_mlm[0]()
    optimizer, _ = adamw([(list(model.named_parameters()), 1e-3)], 0.01)
    torch.save({"optimizer": optimizer.state_dict()}, tmp_path / "optimizer.pt")
    with pytest.raises(TutorError, match="pickle") as caught:
        load_optimizer_state(optimizer, tmp_path)
    assert "\n" not in str(caught.value)
    (tmp_path / "optimizer.safetensors").write_bytes(b"not safetensors at all")
    with pytest.raises(TutorError, match="not a readable optimizer state"):
        load_optimizer_state(optimizer, tmp_path)


def test_torch_errors_become_one_line():
    with pytest.raises(TutorError) as caught:
        with torch_errors("training on cuda"):
            raise RuntimeError("Expected all tensors to be on the same device, but found at least two devices\nmore")
    assert str(caught.value) == ("training on cuda failed: Expected all tensors to be on the same device, "
                                 "but found at least two devices")
