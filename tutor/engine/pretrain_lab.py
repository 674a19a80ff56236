"""The "pretrain it yourself" lab: a few dozen MLM steps on the learner's text.

Trains its own fp32 copy of the engine's model, loaded from the model's folder (safetensors
only) onto one device: the bundled model on disk and the engine the rest of the app uses are
never touched.  Same trainer as ``bert-tutor pretrain``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import torch

from tutor.corpus.build import story_chunks
from tutor.course.blanks import normalize_blanks
from tutor.engine.pretrain import Pretrainer, PretrainConfig, StepReport
from tutor.engine.training import engine_model_path, load_masked_lm, pick_device, torch_errors
from tutor.errors import TutorError
from tutor.i18n import _

PROBE_EVERY = 5


@dataclass
class LabResult:
    curve: list[tuple[int, float]] = field(default_factory=list)
    probes: list[tuple[int, list[tuple[str, float]]]] = field(default_factory=list)  # (step, top-5)
    seconds: float = 0.0
    cancelled: bool = False
    device: str = "cpu"


def lab_texts(text: str) -> list[str]:
    """Two-sentence chunks of the learner's text (the same cut the bundled model was trained on)."""
    chunks = [c for paragraph in text.splitlines() for c in story_chunks(paragraph) if len(c.split()) >= 3]
    if not chunks:
        raise TutorError(_("the text is empty: paste or type a few sentences to train on"))
    return chunks


@torch.inference_mode()
def probe_top(model, tokenizer, probe: str, top_k: int = 5) -> list[tuple[str, float]]:
    """The training copy's top-k words for the probe's first blank."""
    device = next(model.parameters()).device
    enc = tokenizer(normalize_blanks(probe, tokenizer.mask_token), return_tensors="pt").to(device)
    was_training = model.training
    model.eval()
    try:
        logits = model(**enc).logits[0]
    finally:
        model.train(was_training)
    position = (enc["input_ids"][0] == tokenizer.mask_token_id).nonzero().flatten()[0]
    best = logits[position].float().softmax(-1).topk(top_k)
    tokens = tokenizer.convert_ids_to_tokens(best.indices.tolist())
    return [(t, round(float(p), 6)) for t, p in zip(tokens, best.values.tolist())]


def run_pretrain_lab(engine, text: str, probe: str, *, steps: int = 30, seed: int = 0,
                     device: str | torch.device | None = None,
                     on_step: Callable[[StepReport], None] | None = None,
                     on_probe: Callable[[int, list[tuple[str, float]]], None] | None = None,
                     should_stop: Callable[[], bool] | None = None) -> LabResult:
    texts = lab_texts(text)
    engine.fill_mask(probe)  # validates the probe (has a blank, fits) with the engine's own rules
    device = pick_device(device)
    name, path = engine_model_path(engine)
    # dropout off: a few dozen steps need no regulariser, and a seed then repeats the run exactly
    model, tokenizer = load_masked_lm(path, name, device)
    config = PretrainConfig(steps=steps, batch_size=8, max_len=48, mask_rate=0.25, warmup=max(1, steps // 10),
                            body_lr=3e-4, head_lr=1e-3, seed=seed, dropout=0.0)
    trainer = Pretrainer(model, tokenizer, texts, config, device=device)
    result = LabResult(device=str(device))
    started = time.perf_counter()

    def probe_now(step: int) -> None:
        top = probe_top(model, tokenizer, probe)
        result.probes.append((step, top))
        if on_probe:
            on_probe(step, top)

    with torch_errors(_("training on {device}").format(device=device)):
        probe_now(0)
        while trainer.state.step < steps:
            if should_stop and should_stop():
                result.cancelled = True
                break
            report = trainer.step()
            result.curve.append((report.step, report.loss))
            if on_step:
                on_step(report)
            if report.step % PROBE_EVERY == 0 or report.step == steps:
                probe_now(report.step)
    result.seconds = round(time.perf_counter() - started, 2)
    return result
