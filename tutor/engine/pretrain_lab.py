"""The "pretrain it yourself" lab: a few dozen MLM steps on the learner's text.

Runs on a deep copy of the loaded model, in memory: the bundled model on disk and the
engine the rest of the app uses are never touched.  Same trainer as ``bert-tutor pretrain``.
"""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Callable

from tutor.engine.corpus import story_chunks
from tutor.engine.pretrain import Pretrainer, PretrainConfig, StepReport
from tutor.errors import TutorError

PROBE_EVERY = 5


@dataclass
class LabResult:
    curve: list[tuple[int, float]] = field(default_factory=list)
    probes: list[tuple[int, list[tuple[str, float]]]] = field(default_factory=list)  # (step, top-5)
    seconds: float = 0.0
    cancelled: bool = False


def lab_texts(text: str) -> list[str]:
    """Two-sentence chunks of the learner's text (the same cut the bundled model was trained on)."""
    chunks = [c for paragraph in text.splitlines() for c in story_chunks(paragraph) if len(c.split()) >= 3]
    if not chunks:
        raise TutorError("the text is empty: paste or type a few sentences to train on")
    return chunks


def run_pretrain_lab(engine, text: str, probe: str, *, steps: int = 30, seed: int = 0,
                     on_step: Callable[[StepReport], None] | None = None,
                     on_probe: Callable[[int, list[tuple[str, float]]], None] | None = None,
                     should_stop: Callable[[], bool] | None = None) -> LabResult:
    texts = lab_texts(text)
    engine.fill_mask(probe)  # validates the probe (has a blank, fits) before any training
    model = copy.deepcopy(engine.model)
    config = PretrainConfig(steps=steps, batch_size=8, max_len=48, mask_rate=0.25, warmup=max(1, steps // 10),
                            body_lr=3e-4, head_lr=1e-3, seed=seed)
    trainer = Pretrainer(model, engine.tokenizer, texts, config)
    result = LabResult()
    started = time.perf_counter()

    def probe_now(step: int) -> None:
        model.eval()
        top = engine.fill_mask_using(model, probe, top_k=5)[0]
        result.probes.append((step, top))
        if on_probe:
            on_probe(step, top)

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
