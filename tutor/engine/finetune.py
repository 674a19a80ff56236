"""The fine-tuning lab: pretrained BERT + a new Linear layer vs the same network from scratch.

The lecture's claim (Hao et al. 2019, "Visualizing and Understanding the Effectiveness of BERT",
arXiv:1908.05620, Fig. 2): pretrain once, then train BERT *and* a new, randomly initialised
Linear layer on the task, and the training loss falls faster and lower than when the very same
network starts from random weights.  The figure has four data sets; so do we (``TASKS``, built
by ``scripts/build_task_data.py``), and both runs share everything — architecture, data,
steps, batch size, seed, schedule — except the starting weights of the encoder and the
learning rate (see ``FinetuneConfig``).  Whether pretraining actually won is measured from
the runs (``verdict``), never assumed.

Callers: ``bert-tutor finetune`` and the TUI lab (from a Textual thread worker), so this module
never prints; it reports through ``on_step`` and polls ``should_stop`` before every step.
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

import torch
import torch.nn.functional as F

from tutor.engine.training import (adamw, engine_model_path, init_weights, load_pretrained, lr_factor, pick_device,
                                   quiet_transformers, set_lr, to_device, torch_errors)
from tutor.corpus.tasks import TASKS
from tutor.errors import TutorError
from tutor.i18n import _
from tutor.lab_results import RunResult
from tutor.paths import DATA_DIR


TOPIC_DATA_DIR = DATA_DIR / "wordnet_topics"
KINDS = ("finetune", "scratch")
ModelSource = Any  # None (the bundled model), a name / folder / hub id, or a loaded engine

OnStep = Callable[[str, int, float], None]
ShouldStop = Callable[[], bool]
Rows = list[dict]


@dataclass
class FinetuneConfig:
    """One recipe for both runs; the defaults take about a minute for both on 2 CPU cores.

    ``lr`` drives the pretrained encoder: the usual fine-tuning range (BERT's paper: 2e-5..5e-5
    for the 110M-parameter base model; this 6-layer model tolerates 1e-4, which gave the best
    test accuracy of 5e-5/1e-4/2e-4).  Much larger steps would wreck what pretraining learned.
    ``scratch_lr`` drives the random encoder: with nothing to preserve it wants larger steps;
    1e-3 gave it the lowest loss of 1e-4..1e-3 while 2e-3 diverged to chance, so the
    comparison is fair to scratch (benchmarks/bench_finetune.py --scratch-lr ... re-measures).
    The new Linear layer is random in both runs and learns at ``head_lr``.
    ``pooling``: "mean" of the token vectors beat the [CLS] vector (the encoder began as a
    mean-pooled sentence embedder).
    """

    steps: int = 100
    batch_size: int = 16
    lr: float = 1e-4
    scratch_lr: float = 1e-3
    head_lr: float = 1e-3
    max_len: int | None = None  # None: the task's own (Task.max_len)
    seed: int = 0
    eval_every: int = 0         # >0: also measure test accuracy every N steps (RunResult.evals)
    warmup: int = 6             # linear warm-up steps, then linear decay to 0
    weight_decay: float = 0.01
    clip: float = 1.0
    pooling: str = "mean"       # sentence vector for the Linear layer: "mean" of tokens or "cls"
    eval_batch_size: int = 128
    threads: int | None = None  # torch intra-op threads during the run; None = leave as is
    n_predictions: int = 6      # test sentences shown with their predicted topic
    test_limit: int | None = None  # measure accuracy on the first N test rows only (the lab: speed)
    # dropout off: runs this short (under one epoch) have nothing to regularise, and the run
    # then repeats exactly from its seed without seeding torch's global generator
    dropout: float = 0.0
    device: str | None = None   # None: CUDA when available, else the CPU (training.pick_device)

    def check(self) -> None:
        pick_device(self.device)
        if self.steps < 1 or self.batch_size < 1:
            raise TutorError(_("steps and batch size must be at least 1"))
        if self.max_len is not None and not 4 <= self.max_len <= 512:
            raise TutorError(_("max_len must be between 4 and 512, not {value}").format(value=self.max_len))
        if self.pooling not in ("mean", "cls"):
            raise TutorError(_("pooling must be 'mean' or 'cls', not {value}").format(value=repr(self.pooling)))
        if min(self.lr, self.scratch_lr, self.head_lr) <= 0:
            raise TutorError(_("learning rates must be positive"))
        if self.threads is not None and self.threads < 1:
            raise TutorError(_("threads must be at least 1"))

    def learning_rate(self, kind: str) -> float:
        return self.lr if kind == "finetune" else self.scratch_lr


# -- data ---------------------------------------------------------------------------------
def load_task_data(task: str) -> tuple[Rows, Rows, list[str]]:
    if task not in TASKS:
        raise TutorError(_("unknown task {task}: choose from {tasks} or all").format(
            task=repr(task), tasks=", ".join(TASKS)))
    return load_topic_data(DATA_DIR / TASKS[task].folder)


def load_topic_data(path: str | Path | None = None) -> tuple[Rows, Rows, list[str]]:
    """(train rows, test rows, labels) from a folder with train.jsonl, test.jsonl, labels.json;
    a row is {"text", "label"} or, for sentence-pair tasks, {"text", "text_b", "label"}."""
    folder = Path(path) if path is not None else TOPIC_DATA_DIR
    try:
        labels = json.loads((folder / "labels.json").read_text(encoding="utf-8"))
        train = _read_jsonl(folder / "train.jsonl")
        test = _read_jsonl(folder / "test.jsonl")
    except FileNotFoundError as exc:
        raise TutorError(_("fine-tuning data missing: {file}").format(file=exc.filename)) from exc
    except (json.JSONDecodeError, ValueError) as exc:
        raise TutorError(_("fine-tuning data in {folder} is malformed: {error}").format(folder=folder, error=exc)) from exc
    if not isinstance(labels, list) or len(labels) < 2 or not all(isinstance(x, str) for x in labels):
        raise TutorError(_("{file} must be a JSON list of at least two topic names").format(file=folder / "labels.json"))
    known = set(labels)
    for name, rows in (("train", train), ("test", test)):
        if not rows:
            raise TutorError(_("{file} has no examples").format(file=folder / (name + ".jsonl")))
        bad = next((r for r in rows if r.get("label") not in known or not str(r.get("text", "")).strip()), None)
        if bad is not None:
            raise TutorError(_("{file}: example with unknown label or empty text: {example}").format(
                file=name + ".jsonl", example=repr(bad)[:160]))
    return train, test, labels


def _read_jsonl(path: Path) -> Rows:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path.name}:{number}: {exc.msg}") from exc
    return rows


class _Encoded:
    """Texts (or text pairs, as BERT reads them: [CLS] A [SEP] B [SEP]) tokenised once;
    batches padded to their longest row."""

    def __init__(self, tokenizer, rows: Rows, labels: list[str], max_len: int):
        index = {name: i for i, name in enumerate(labels)}
        pairs = [r["text_b"] for r in rows] if rows and "text_b" in rows[0] else None
        encoded = tokenizer([r["text"] for r in rows], pairs, truncation=True, max_length=max_len)
        self.ids = encoded["input_ids"]
        self.types = encoded.get("token_type_ids") or [[0] * len(r) for r in self.ids]
        self.labels = torch.tensor([index[r["label"]] for r in rows])
        self.pad = tokenizer.pad_token_id or 0

    def __len__(self) -> int:
        return len(self.ids)

    def batch(self, indices: Sequence[int]) -> tuple[torch.Tensor, ...]:
        """(input ids, attention mask, token types, labels), on the CPU."""
        rows = [self.ids[i] for i in indices]
        width = max(len(r) for r in rows)
        input_ids = torch.full((len(rows), width), self.pad, dtype=torch.long)
        attention_mask = torch.zeros((len(rows), width), dtype=torch.long)
        token_types = torch.zeros((len(rows), width), dtype=torch.long)
        for j, i in enumerate(indices):
            input_ids[j, :len(rows[j])] = torch.tensor(rows[j])
            attention_mask[j, :len(rows[j])] = 1
            token_types[j, :len(rows[j])] = torch.tensor(self.types[i])
        return input_ids, attention_mask, token_types, self.labels[list(indices)]


# -- the network --------------------------------------------------------------------------
class SentenceClassifier(torch.nn.Module):
    """BERT encoder + one Linear layer on a sentence vector ([CLS] or the mean of the tokens)."""

    def __init__(self, encoder, n_labels: int, pooling: str = "mean"):
        super().__init__()
        self.encoder = encoder
        self.pooling = pooling
        self.linear = torch.nn.Linear(encoder.config.hidden_size, n_labels)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                token_type_ids: torch.Tensor | None = None) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=token_type_ids).last_hidden_state
        if self.pooling == "cls":
            vector = hidden[:, 0]
        else:
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            vector = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
        return self.linear(vector)


def _locate(model_source: ModelSource) -> tuple[str, str]:
    """(name, folder or hub id): an engine's own folder, or ``resolve_model``'s answer."""
    from tutor.engine.loading import resolve_model

    if model_source is None or isinstance(model_source, (str, Path)):
        return resolve_model(model_source)
    return engine_model_path(model_source)


def build_encoder(kind: str, model_source: ModelSource = None, *, seed: int = 0, dropout: float = 0.0):
    """(tokenizer, BERT encoder in fp32): pretrained weights for "finetune", random ones drawn
    from ``seed`` for "scratch" (same config).  ``model_source``: None (the bundled model), a
    name/path/hub id, or a loaded engine (its folder is read; the engine is never touched)."""
    from transformers import AutoModel, AutoTokenizer

    name, source = _locate(model_source)
    overrides = {"hidden_dropout_prob": dropout, "attention_probs_dropout_prob": dropout}
    if kind != "scratch":
        encoder, tokenizer = load_pretrained(AutoModel, source, name, add_pooling_layer=False,
                                             attn_implementation="sdpa", **overrides)
        return tokenizer, encoder
    from transformers import AutoConfig

    from tutor.engine.loading import _explain_load_failure, offline

    quiet_transformers()
    local_only = Path(source).is_dir() or offline()
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
        config = AutoConfig.from_pretrained(source, local_files_only=local_only, **overrides)
    except Exception as exc:  # many types: OSError, ValueError, HTTP errors
        raise TutorError(_explain_load_failure(name, exc)) from exc
    # fp32 whatever dtype the shipped config names (bert-tutor-mini is stored in fp16)
    encoder = AutoModel.from_config(config, add_pooling_layer=False, attn_implementation="sdpa").float()
    init_weights(encoder, torch.Generator().manual_seed(seed), config.initializer_range)
    return tokenizer, encoder


# -- training -----------------------------------------------------------------------------
def _batches(n: int, batch_size: int, generator: torch.Generator):
    """Endless stream of index lists: a fresh permutation per epoch."""
    while True:
        order = torch.randperm(n, generator=generator).tolist()
        for start in range(0, n - batch_size + 1 if n >= batch_size else 1, batch_size):
            yield order[start:start + batch_size]


@torch.inference_mode()
def _evaluate(model: SentenceClassifier, data: _Encoded, batch_size: int, device: torch.device,
              should_stop: ShouldStop | None = None) -> tuple[float | None, list[int]]:
    """Test accuracy and every prediction; (None, partial) if ``should_stop`` fires."""
    was_training = model.training
    model.eval()
    predicted: list[int] = []
    try:
        for start in range(0, len(data), batch_size):
            if should_stop and should_stop():
                return None, predicted
            batch = data.batch(range(start, min(start + batch_size, len(data))))
            input_ids, attention_mask, token_types = to_device(batch[:3], device)
            predicted += model(input_ids, attention_mask, token_types).argmax(-1).tolist()
    finally:
        model.train(was_training)
    correct = sum(int(p == y) for p, y in zip(predicted, data.labels.tolist()))
    return correct / max(1, len(data)), predicted


def _sample_rows(test: Rows, labels: list[str], n: int) -> list[int]:
    """Indices of the first test example of each topic, then the next ones, ``n`` in all."""
    picked: list[int] = []
    for label in labels:
        i = next((i for i, r in enumerate(test) if r["label"] == label), None)
        if i is not None and len(picked) < n:
            picked.append(i)
    for i in range(len(test)):
        if len(picked) >= n:
            break
        if i not in picked:
            picked.append(i)
    return picked


def run_finetune(kind: str, config: FinetuneConfig, data: tuple[Rows, Rows, list[str]], *,
                 model_source: ModelSource = None, on_step: OnStep | None = None,
                 should_stop: ShouldStop | None = None, task: str = "topics") -> RunResult:
    """Train encoder + Linear for ``config.steps`` steps, then measure test accuracy.

    ``kind`` "finetune" starts the encoder from ``model_source`` (default: the bundled model);
    "scratch" starts the same architecture from random weights.  ``on_step(kind, step, loss)``
    after every step; ``should_stop()`` before every step and evaluation batch — when it
    returns True the run ends with ``cancelled=True`` and ``accuracy=None``.
    """
    if kind not in KINDS:
        raise TutorError(_("kind must be one of {kinds}, not {kind}").format(kinds=", ".join(KINDS), kind=repr(kind)))
    config.check()
    previous = torch.get_num_threads()
    if config.threads:
        torch.set_num_threads(config.threads)
    try:
        with torch_errors(_("{kind} on {device}").format(kind=kind, device=pick_device(config.device))):
            return _run(kind, config, data, model_source, on_step, should_stop, task)
    finally:
        if config.threads:
            torch.set_num_threads(previous)


def _run(kind: str, config: FinetuneConfig, data: tuple[Rows, Rows, list[str]], model_source: ModelSource,
         on_step: OnStep | None, should_stop: ShouldStop | None, task: str) -> RunResult:
    train_rows, test_rows, labels = data
    test_rows = test_rows[:config.test_limit] if config.test_limit else test_rows
    device = pick_device(config.device)
    tokenizer, encoder = build_encoder(kind, model_source, seed=config.seed, dropout=config.dropout)
    model = SentenceClassifier(encoder, len(labels), config.pooling)
    # the same new Linear layer in both runs, whatever the encoder's start
    init_weights(model.linear, torch.Generator().manual_seed(config.seed), encoder.config.initializer_range)
    model.to(device)
    max_len = config.max_len or (TASKS[task].max_len if task in TASKS else 64)
    train = _Encoded(tokenizer, train_rows, labels, max_len)
    test = _Encoded(tokenizer, test_rows, labels, max_len)
    optimizer, base_lrs = adamw([(list(model.encoder.named_parameters()), config.learning_rate(kind)),
                                 (list(model.linear.named_parameters()), config.head_lr)], config.weight_decay)
    stream = _batches(len(train), config.batch_size, torch.Generator().manual_seed(config.seed))
    started = time.perf_counter()               # time the training, not the loading
    result = RunResult(kind=kind, curve=[], accuracy=None, seconds=0.0, task=task)
    model.train()
    for step in range(config.steps):
        if should_stop and should_stop():
            result.cancelled = True
            break
        set_lr(optimizer, base_lrs, lr_factor(step, config.warmup, config.steps))
        input_ids, attention_mask, token_types, targets = to_device(train.batch(next(stream)), device)
        loss = F.cross_entropy(model(input_ids, attention_mask, token_types), targets)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        if config.clip:
            torch.nn.utils.clip_grad_norm_(model.parameters(), config.clip)
        optimizer.step()
        value = float(loss.detach())
        if not math.isfinite(value):
            raise TutorError(_("{kind}: the loss became {value} at step {step}; lower the learning rate").format(
                kind=kind, value=value, step=step + 1))
        result.curve.append((step + 1, value))
        if on_step:
            on_step(kind, step + 1, value)
        if config.eval_every and (step + 1) % config.eval_every == 0 and step + 1 < config.steps:
            accuracy, _unused = _evaluate(model, test, config.eval_batch_size, device, should_stop)
            if accuracy is None:
                result.cancelled = True
                break
            result.evals.append((step + 1, accuracy))
    if not result.cancelled:
        accuracy, predicted = _evaluate(model, test, config.eval_batch_size, device, should_stop)
        if accuracy is None:
            result.cancelled = True
        else:
            result.accuracy = accuracy
            result.evals.append((len(result.curve), accuracy))
            result.predictions = [{**test_rows[i], "predicted": labels[predicted[i]]}
                                  for i in _sample_rows(test_rows, labels, config.n_predictions)]
    result.seconds = time.perf_counter() - started
    return result


def compare(config: FinetuneConfig | None = None, *, on_step: OnStep | None = None,
            should_stop: ShouldStop | None = None, compare_scratch: bool = True,
            model_source: ModelSource = None, data: tuple[Rows, Rows, list[str]] | None = None,
            task: str = "topics") -> dict:
    """Fine-tune, then (if ``compare_scratch``) train the same network from scratch, on ``task``.

    Returns {"finetune": RunResult, "scratch": RunResult | None}; "scratch" is None when it was
    not asked for or the fine-tuning run was cancelled (it is then never started).
    """
    config = config or FinetuneConfig()
    data = data or load_task_data(task)
    results: dict[str, RunResult | None] = {"finetune": None, "scratch": None}
    results["finetune"] = run_finetune("finetune", config, data, model_source=model_source,
                                       on_step=on_step, should_stop=should_stop, task=task)
    if compare_scratch and not results["finetune"].cancelled:
        results["scratch"] = run_finetune("scratch", config, data, model_source=model_source,
                                          on_step=on_step, should_stop=should_stop, task=task)
    return results
