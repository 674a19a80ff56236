"""Rank cloze options by pseudo-log-likelihood (PLL) of the sentence around the blank.

Salazar et al. (ACL 2020, "Masked Language Model Scoring"): a sentence's PLL is the sum over
its tokens of log P(token | all the others), each token masked in turn.  Inside a word split
into several pieces we also mask the word's *later* pieces when scoring a piece
("PLL-word-l2r", Kauf & Ivanova, ACL 2023) — otherwise "clean ##s" scores each piece with
the other visible and beats "brushes".

Scoring the whole sentence, not just the option's pieces, lets the words *after* the blank
vote: in "He is ___ old teacher", "an" is right because of "old".  The context is the blank's
sentence plus one neighbour on each side; only the blank's sentence is scored.

Options of different lengths ("at school" vs "home") bias a plain sum towards short options,
so the default score is the mean log-probability per scored token, scaled by the options'
average token count (equal to the sum when all options have the same length).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import torch

from tutor.course.blanks import BLANK_PATTERN
from tutor.engine.heads import logits_at

_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
ROWS_PER_BATCH = 96


@dataclass
class OptionScore:
    option: str
    score: float        # length-normalised (or summed) sentence PLL; higher is better
    probability: float  # softmax of ``score`` over the options
    pll: float          # raw summed PLL of the scored sentence
    scored_tokens: int


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


SCOPES = ("sentence", "next", "window")


def blank_context(text: str, scope: str = "sentence") -> tuple[str, str, int, int]:
    """(before, after, scored_start, scored_end) around the single blank.

    One sentence either side is kept as context.  ``scope`` says what is scored: the blank's
    sentence, that sentence and the next one ("next": a cloze's cue often follows the blank),
    or all three ("window").  Offsets are into before+after (the blank removed)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    match = BLANK_PATTERN.search(text)
    spans = sentence_spans(text)
    index = next(i for i, (s, e) in enumerate(spans) if s <= match.start() < e or i == len(spans) - 1)
    first, last = max(0, index - 1), min(len(spans) - 1, index + 1)
    ctx_start, ctx_end = spans[first][0], spans[last][1]
    before = text[ctx_start:match.start()]
    after = text[match.end():ctx_end]
    blank_len = match.end() - match.start()  # the blank itself is not in before+after
    scored_first = first if scope == "window" else index
    scored_last = index if scope == "sentence" else last
    return before, after, spans[scored_first][0] - ctx_start, spans[scored_last][1] - ctx_start - blank_len


def _rows_for(tokenizer, before: str, option: str, after: str, s0: int, s1: int, max_tokens: int):
    """Masked copies of one filled-in context: one row per scored token."""
    filled = before + option + after
    s1 += len(option)  # the scored sentence grows by the option's length (the blank is gone)
    enc = tokenizer(filled, return_offsets_mapping=True, truncation=True, max_length=max_tokens)
    ids = enc["input_ids"]
    words = enc.word_ids()
    offsets = enc["offset_mapping"]
    targets = [i for i, (a, b) in enumerate(offsets) if b > a and a >= s0 and b <= s1 and words[i] is not None]
    rows = []
    for position in targets:
        row = list(ids)
        row[position] = tokenizer.mask_token_id
        later = position + 1
        while later < len(ids) and words[later] is not None and words[later] == words[position]:
            row[later] = tokenizer.mask_token_id  # PLL-word-l2r: hide the word's later pieces too
            later += 1
        rows.append((row, position, ids[position]))
    return rows


@torch.inference_mode()
def score_options(net, tokenizer, text: str, options: list[str], *, normalize: str = "mean",
                  scope: str = "sentence", max_tokens: int = 512, device: str = "cpu") -> list[OptionScore]:
    before, after, s0, s1 = blank_context(text, scope)
    per_option = [_rows_for(tokenizer, before, option, after, s0, s1, max_tokens) for option in options]
    flat = [(k, row, pos, target) for k, rows in enumerate(per_option) for row, pos, target in rows]
    sums = [0.0] * len(options)
    for start in range(0, len(flat), ROWS_PER_BATCH):
        chunk = flat[start:start + ROWS_PER_BATCH]
        width = max(len(row) for _, row, _, _ in chunk)
        pad = tokenizer.pad_token_id
        input_ids = torch.tensor([row + [pad] * (width - len(row)) for _, row, _, _ in chunk], device=device)
        attention_mask = torch.tensor([[1] * len(row) + [0] * (width - len(row)) for _, row, _, _ in chunk], device=device)
        positions = torch.tensor([pos for _, _, pos, _ in chunk], device=device)
        targets = torch.tensor([t for _, _, _, t in chunk], device=device)
        rows = torch.arange(len(chunk), device=device)
        logits = logits_at(net, {"input_ids": input_ids, "attention_mask": attention_mask},
                           rows, positions)                                 # [rows, vocab]
        log_probs = logits.float().log_softmax(-1)[rows, targets]          # [rows]
        for (k, _, _, _), value in zip(chunk, log_probs.tolist()):
            sums[k] += value
    counts = [max(1, len(rows)) for rows in per_option]
    if normalize == "sum":
        scores = list(sums)
    elif normalize == "mean":
        average_len = sum(counts) / len(counts)
        scores = [s / n * average_len for s, n in zip(sums, counts)]
    else:
        raise ValueError(f"normalize must be 'mean' or 'sum', not {normalize!r}")
    probs = torch.tensor(scores).softmax(0).tolist()
    return [OptionScore(o, round(s, 4), round(p, 6), round(raw, 4), n)
            for o, s, p, raw, n in zip(options, scores, probs, sums, counts)]
