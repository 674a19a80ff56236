"""Masked-language-model pretraining: how bert-tutor-mini was made, and the in-app lab.

This is BERT's own self-supervised recipe (Devlin et al. 2019, §3.1): pick a share of the
tokens, replace 80 % of the picked ones by [MASK], 10 % by a random token, keep 10 %, and
train the network to recover the originals.  The labels come from the text itself.

Two callers share this code: ``bert-tutor pretrain`` (hours, checkpoints, resume) and the
"pretrain it yourself" lab (a few dozen steps on a copy of the model in memory).  So the
trainer takes a model and a list of texts, and reports through callbacks; it never prints.
It trains on one ``device`` (see ``training.pick_device``): the model goes there once and
every batch follows with ``.to(device)``.

CPU speed matters here (2 cores): the vocabulary projection (384 x 30 522) runs only at the
masked positions, and batches are drawn from length-sorted pools so padding wastes little.
"""
from __future__ import annotations

import json
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import torch
import torch.nn.functional as F

from tutor.engine.training import (OPTIMIZER_FILE, adamw, load_optimizer_state, lr_factor, pick_device,
                                   save_optimizer_state, set_lr, to_device)
from tutor.errors import TutorError
from tutor.i18n import _

# Ids below this are [PAD], [unused*] and specials in BERT's uncased WordPiece vocabulary;
# random replacements are drawn from real word pieces only.
FIRST_REAL_TOKEN = 999


@dataclass
class PretrainConfig:
    steps: int = 1000
    batch_size: int = 32
    max_len: int = 48
    mask_rate: float = 0.25
    whole_word: bool = False
    head_lr: float = 1e-3
    body_lr: float = 2e-4
    weight_decay: float = 0.01
    warmup: int = 100
    clip: float = 1.0
    seed: int = 0
    checkpoint_every: int = 250
    dropout: float | None = None  # None: the model's own; 0 makes a run repeat exactly from its seed

    @classmethod
    def from_dict(cls, data: dict) -> "PretrainConfig":
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class StepReport:
    step: int
    total: int
    loss: float
    lr: float
    tokens_per_s: float
    elapsed_s: float


@dataclass
class TrainState:
    step: int = 0
    elapsed_s: float = 0.0
    losses: list[tuple[int, float]] = field(default_factory=list)
    evals: list[dict] = field(default_factory=list)


def mask_tokens(
    input_ids: torch.Tensor,   # [batch, seq] token ids, padded
    maskable: torch.Tensor,    # [batch, seq] bool: real word pieces (no specials, no pad)
    word_start: torch.Tensor,  # [batch, seq] bool: piece begins a word (for whole-word)
    *,
    rate: float,
    mask_id: int,
    vocab_size: int,
    generator: torch.Generator,
    whole_word: bool = False,
) -> tuple[torch.Tensor, torch.Tensor]:
    """BERT's corruption: returns (corrupted ids, labels with -100 where not picked)."""
    if whole_word:
        # pick words, then spread each pick over the word's later pieces
        word_pick = (torch.rand(input_ids.shape, generator=generator) < rate) & word_start & maskable
        picked = torch.zeros_like(word_pick)
        current = torch.zeros(input_ids.shape[0], dtype=torch.bool)
        for j in range(input_ids.shape[1]):
            current = torch.where(word_start[:, j], word_pick[:, j], current)
            picked[:, j] = current & maskable[:, j]
    else:
        picked = (torch.rand(input_ids.shape, generator=generator) < rate) & maskable
    # every sequence gets at least one target, or its row would teach nothing
    empty = ~picked.any(dim=1) & maskable.any(dim=1)
    if empty.any():
        scores = torch.rand(input_ids.shape, generator=generator) * maskable
        first = scores.argmax(dim=1)
        picked[empty, first[empty]] = True
    labels = torch.where(picked, input_ids, torch.full_like(input_ids, -100))
    roll = torch.rand(input_ids.shape, generator=generator)
    corrupted = input_ids.clone()
    corrupted[picked & (roll < 0.8)] = mask_id
    random_slots = picked & (roll >= 0.8) & (roll < 0.9)
    random_ids = torch.randint(FIRST_REAL_TOKEN, vocab_size, input_ids.shape, generator=generator)
    corrupted[random_slots] = random_ids[random_slots]
    return corrupted, labels


def masked_lm_loss(model, input_ids, attention_mask, labels) -> tuple[torch.Tensor, torch.Tensor]:
    """Cross-entropy at the picked positions only; returns (loss, logits at those positions)."""
    hidden = model.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
    picked = labels != -100                       # [batch, seq]
    logits = model.cls(hidden[picked])            # [n_picked, vocab]
    return F.cross_entropy(logits.float(), labels[picked]), logits


class TokenizedTexts:
    """Texts tokenised once, served as length-bucketed padded batches."""

    def __init__(self, tokenizer, texts: Sequence[str], max_len: int):
        self.tokenizer = tokenizer
        if not any(t.strip() for t in texts):
            raise TutorError(_("the training text has no words in it"))
        encoded = tokenizer(list(texts), truncation=True, max_length=max_len)["input_ids"]
        self.ids = [e for e in encoded if len(e) > 2]
        if not self.ids:
            raise TutorError(_("the training text has no words in it"))
        vocab = tokenizer.convert_ids_to_tokens(list(range(len(tokenizer))))
        self.continuation = torch.tensor([t.startswith("##") for t in vocab], dtype=torch.bool)
        self.special_ids = torch.tensor(sorted(set(tokenizer.all_special_ids)))

    def __len__(self) -> int:
        return len(self.ids)

    def batches(self, batch_size: int, rng: random.Random):
        """Endless stream of index lists: shuffled, sorted inside pools of 50 batches."""
        order = list(range(len(self.ids)))
        while True:
            rng.shuffle(order)
            pool = batch_size * 50
            for start in range(0, len(order), pool):
                chunk = sorted(order[start:start + pool], key=lambda i: len(self.ids[i]))
                groups = [chunk[i:i + batch_size] for i in range(0, len(chunk), batch_size)]
                rng.shuffle(groups)
                yield from groups

    def collate(self, indices: Sequence[int]):
        rows = [self.ids[i] for i in indices]
        width = max(len(r) for r in rows)
        pad = self.tokenizer.pad_token_id
        input_ids = torch.tensor([r + [pad] * (width - len(r)) for r in rows])
        attention_mask = (input_ids != pad).long()
        maskable = attention_mask.bool() & ~torch.isin(input_ids, self.special_ids)
        word_start = ~self.continuation[input_ids]
        return input_ids, attention_mask, maskable, word_start


class Pretrainer:
    """Runs MLM steps on ``model`` (a BertForMaskedLM) over ``texts``."""

    def __init__(self, model, tokenizer, texts: Sequence[str], config: PretrainConfig,
                 heldout: Sequence[str] = (), device: str | torch.device | None = None):
        self.device = pick_device(device)
        self.model, self.tokenizer, self.config = model.to(self.device), tokenizer, config
        if config.dropout is not None:
            set_dropout(model, config.dropout)
        self.rng = random.Random(config.seed)
        # masking draws from this generator (on the CPU, so a seed means the same masks anywhere)
        self.generator = torch.Generator().manual_seed(config.seed)
        self.data = TokenizedTexts(tokenizer, texts, config.max_len)
        self.heldout = TokenizedTexts(tokenizer, heldout, config.max_len) if heldout else None
        self._stream = self.data.batches(config.batch_size, self.rng)
        # the tied output matrix is the word-embedding table: it learns at the body's rate
        named = list(model.named_parameters())
        head = [(n, p) for n, p in named if n.startswith("cls.")]
        body = [(n, p) for n, p in named if not n.startswith("cls.")]
        self.optimizer, self.base_lrs = adamw([(body, config.body_lr), (head, config.head_lr)],
                                              config.weight_decay)
        self.state = TrainState()

    # -- one step -------------------------------------------------------------------------
    def step(self) -> StepReport:
        cfg = self.config
        started = time.perf_counter()
        set_lr(self.optimizer, self.base_lrs, lr_factor(self.state.step, cfg.warmup, cfg.steps))
        input_ids, attention_mask, maskable, word_start = self.data.collate(next(self._stream))
        corrupted, labels = mask_tokens(
            input_ids, maskable, word_start, rate=cfg.mask_rate, whole_word=cfg.whole_word,
            mask_id=self.tokenizer.mask_token_id, vocab_size=len(self.tokenizer),
            generator=self.generator,
        )
        corrupted, attention_mask, labels = to_device((corrupted, attention_mask, labels), self.device)
        self.model.train()
        loss = masked_lm_loss(self.model, corrupted, attention_mask, labels)[0]
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(self.model.parameters(), cfg.clip)
        self.optimizer.step()
        took = time.perf_counter() - started
        self.state.step += 1
        self.state.elapsed_s += took
        value = float(loss.detach())
        self.state.losses.append((self.state.step, value))
        return StepReport(self.state.step, cfg.steps, value, self.optimizer.param_groups[0]["lr"],
                          int(attention_mask.sum()) / max(took, 1e-9), self.state.elapsed_s)

    def run(self, on_step: Callable[[StepReport], None] | None = None,
            should_stop: Callable[[], bool] | None = None,
            on_checkpoint: Callable[["Pretrainer"], None] | None = None) -> TrainState:
        """Train until ``config.steps``; ``should_stop`` is polled between steps."""
        while self.state.step < self.config.steps:
            if should_stop and should_stop():
                break
            report = self.step()
            if on_step:
                on_step(report)
            if on_checkpoint and self.state.step % self.config.checkpoint_every == 0:
                on_checkpoint(self)
        return self.state

    # -- evaluation -----------------------------------------------------------------------
    @torch.no_grad()
    def evaluate_heldout(self, limit: int = 640, seed: int = 1234) -> dict:
        """Masked-token accuracy and loss on held-out text, with a fixed masking seed."""
        if self.heldout is None:
            return {}
        return heldout_mlm_metrics(self.model, self.heldout, limit=limit, seed=seed)

    # -- saving ---------------------------------------------------------------------------
    def save_checkpoint(self, folder: Path) -> None:
        """Full-precision weights + optimizer state, so ``--resume`` continues exactly."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.model.save_pretrained(folder, safe_serialization=True)
        self.tokenizer.save_pretrained(folder)
        save_optimizer_state(self.optimizer, folder / OPTIMIZER_FILE, {"generator": self.generator.get_state()},
                             {"rng": self.rng.getstate()})
        (folder / "trainer_state.json").write_text(json.dumps(
            {"config": asdict(self.config), "step": self.state.step,
             "elapsed_s": self.state.elapsed_s, "losses": self.state.losses,
             "evals": self.state.evals}))

    def load_checkpoint(self, folder: Path, keep_schedule: bool = True) -> None:
        folder = Path(folder)
        tensors, extra = load_optimizer_state(self.optimizer, folder)
        saved = json.loads((folder / "trainer_state.json").read_text())
        self.state = TrainState(step=saved["step"], elapsed_s=saved["elapsed_s"],
                                losses=[tuple(x) for x in saved["losses"]], evals=saved["evals"])
        self.generator.set_state(tensors["generator"])
        version, internal, gauss = extra["rng"]
        self.rng.setstate((version, tuple(internal), gauss))
        self._stream = self.data.batches(self.config.batch_size, self.rng)
        if not keep_schedule:
            self.state.step = 0


def set_dropout(model, rate: float) -> None:
    """Every dropout in ``model`` (hidden and attention) at ``rate``; eager attention reads
    its rate from the config on every call."""
    for module in model.modules():
        if isinstance(module, torch.nn.Dropout):
            module.p = rate
    for key in ("hidden_dropout_prob", "attention_probs_dropout_prob"):
        if hasattr(model.config, key):
            setattr(model.config, key, rate)


@torch.no_grad()
def heldout_mlm_metrics(model, data: TokenizedTexts, limit: int = 640, seed: int = 1234) -> dict:
    """Masked-token loss and accuracy with a fixed masking seed, on the model's own device."""
    model.eval()
    device = next(model.parameters()).device
    generator = torch.Generator().manual_seed(seed)
    indices = list(range(min(limit, len(data))))
    total_loss, correct, count = 0.0, 0, 0
    for start in range(0, len(indices), 64):
        input_ids, attention_mask, maskable, word_start = data.collate(indices[start:start + 64])
        corrupted, labels = mask_tokens(
            input_ids, maskable, word_start, rate=0.15, mask_id=data.tokenizer.mask_token_id,
            vocab_size=len(data.tokenizer), generator=generator)
        corrupted, attention_mask, labels = to_device((corrupted, attention_mask, labels), device)
        loss, logits = masked_lm_loss(model, corrupted, attention_mask, labels)
        n = int((labels != -100).sum())
        total_loss += float(loss) * n
        correct += int((logits.argmax(-1) == labels[labels != -100]).sum())
        count += n
    return {"heldout_loss": round(total_loss / max(count, 1), 4),
            "heldout_accuracy": round(correct / max(count, 1), 4), "heldout_tokens": count}
