"""Rank cloze options by pseudo-log-likelihood (PLL) of the sentence around the blank.

Salazar et al. (ACL 2020, "Masked Language Model Scoring"): a sentence's PLL is the sum over
its tokens of log P(token | all the others), each token masked in turn.  Inside a word split
into several pieces we also mask the word's *later* pieces when scoring a piece
("PLL-word-l2r", Kauf & Ivanova, ACL 2023) — otherwise "clean ##s" scores each piece with
the other visible and beats "brushes".

Scoring the whole sentence, not just the option's pieces, lets the words *after* the blank
vote: in "He is ___ old teacher", "an" is right because of "old".  The context is the blank's
sentence plus one neighbour on each side; only the blank's sentence is scored.

How the token scores become one number per option (``normalize``):

* ``"option-mean"`` (default): the *rest* of the scored sentence summed, plus the option's
  own pieces averaged.  The summed part asks "how well does the sentence read with this
  option in it?" (Trinh & Le 2018's partial scoring), which a rare name's own pieces cannot
  drag down; the averaged part still rewards the option that fits the slot, whatever its
  length.  "It is ___ pen." then prefers "Liu Ping's" to "I".
* ``"mean"``: the mean over every scored token, scaled by the options' average token count.
* ``"sum"``: the plain PLL, which favours short options.

An empty option ("" — a lesson's "(no word)") scores the sentence with nothing in that
place: it has no pieces of its own, so its option part is 0 and only the rest counts.

A row that several options share runs once, and rows run in batches of one length whatever
option (or blank) they came from; a row's logits do not depend on its batch, so an option's
score never depends on which other options were listed.  The network is whatever the engine
runs (onnxruntime or torch, both fp32); this module only builds rows and reads log-probabilities.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from tutor.corpus.sentences import sentence_spans
from tutor.course.blanks import BLANK_PATTERN
from tutor.engine.probabilities import softmax, target_log_probs
from tutor.errors import TutorError
from tutor.i18n import _
from tutor.rank_choices import DEFAULT_NORMALIZE, DEFAULT_SCOPE, NORMALIZE, SCOPES

TOKENS_PER_BATCH = 512  # the activations stay in cache: 1024-2048 cost up to a tenth more CPU on Li Hua
MIN_ROWS_TO_SPLIT = 4  # per worker: below this a second call costs more than it saves


@dataclass
class OptionScore:
    option: str
    score: float        # length-normalised (or summed) sentence PLL; higher is better
    probability: float  # softmax of ``score`` over the options
    pll: float          # raw summed PLL of the scored sentence
    scored_tokens: int


def blank_context(text: str, scope: str = DEFAULT_SCOPE) -> tuple[str, str, int, int]:
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


class MaskedRow(NamedTuple):
    ids: list[int]      # the filled-in context with one token (and its word's later pieces) masked
    position: int       # the masked token scored in this row
    target: int         # its true id
    in_option: bool     # the token belongs to the option, not to the rest of the sentence


def _rows_for(pieces, before: str, option: str, after: str, s0: int, s1: int, max_tokens: int):
    """Masked copies of one filled-in context: one MaskedRow per scored token."""
    filled = before + option + after
    s1 += len(option)  # the scored sentence grows by the option's length (the blank is gone)
    o0, o1 = len(before), len(before) + len(option)
    enc = pieces.encode(filled)
    ids, words, offsets = enc.ids, enc.word_ids, enc.offsets
    if len(ids) > max_tokens:
        shown = option if len(option) <= 40 else option[:37] + "..."
        raise TutorError(_("with the option '{option}' the text around the blank is {n} tokens long; "
                           "the model takes at most {limit} — shorten it").format(
                               option=shown, n=len(ids), limit=max_tokens))
    targets = [i for i, (a, b) in enumerate(offsets) if b > a and a >= s0 and b <= s1 and words[i] is not None]
    rows = []
    for position in targets:
        row = list(ids)
        row[position] = pieces.mask_token_id
        later = position + 1
        while later < len(ids) and words[later] is not None and words[later] == words[position]:
            row[later] = pieces.mask_token_id  # PLL-word-l2r: hide the word's later pieces too
            later += 1
        a, b = offsets[position]
        rows.append(MaskedRow(row, position, ids[position], a >= o0 and b <= o1))
    return rows


class _Batch(NamedTuple):
    rows: list[MaskedRow]        # distinct rows of one length
    targets: list[list[int]]     # per row: every target some option reads at its position


def _distinct(per_option: list[list[MaskedRow]]) -> tuple[list[MaskedRow], list[list[int]]]:
    """The distinct rows, and per option the index of each of its rows among them.  A row
    several options share (the blank itself masked, when their options have as many pieces)
    runs once; each option still reads its own target there."""
    index: dict[tuple, int] = {}
    distinct: list[MaskedRow] = []
    where = []
    for rows in per_option:
        mine = []
        for row in rows:
            key = (tuple(row.ids), row.position)
            if key not in index:
                index[key] = len(distinct)
                distinct.append(row)
            mine.append(index[key])
        where.append(mine)
    return distinct, where


def _batches(rows: list[MaskedRow], workers: int) -> list[list[int]]:
    """Indexes into ``rows`` cut into batches: one length per batch (no padding), at most
    TOKENS_PER_BATCH tokens each, and at least one batch per worker when there are enough
    rows, the largest first so the workers finish together.  Every call also has a fixed cost
    (it reads all ~90 MB of weights again: 10 ms of a one-row call), so batches are filled
    across options rather than cut per option."""
    by_length: dict[int, list[int]] = {}
    for n, row in enumerate(rows):
        by_length.setdefault(len(row.ids), []).append(n)
    batches = []
    for length, members in by_length.items():
        size = max(1, TOKENS_PER_BATCH // length)
        batches += [members[start:start + size] for start in range(0, len(members), size)]
    while 0 < len(batches) < workers:
        largest = max(batches, key=len)
        if len(largest) < 2 * MIN_ROWS_TO_SPLIT:
            break
        batches.remove(largest)
        half = -(-len(largest) // 2)
        batches += [largest[:half], largest[half:]]
    return sorted(batches, key=lambda b: -len(b) * len(rows[b[0]].ids))


def _batch_log_probs(network, batch: _Batch) -> list[list[float]]:
    """log P(target | row) for every target of every row in one batch."""
    ids = np.array([r.ids for r in batch.rows], dtype=np.int64)             # [rows, seq]
    flat = np.arange(len(batch.rows), dtype=np.int64) * ids.shape[1] + [r.position for r in batch.rows]
    logits = network.run(ids, flat)[0]                                       # [rows, vocab]
    row_of = np.array([n for n, targets in enumerate(batch.targets) for _t in targets], dtype=np.int64)
    picked = target_log_probs(logits, np.array([t for targets in batch.targets for t in targets]), row_of)
    got, start = [], 0
    for targets in batch.targets:
        got.append(picked[start:start + len(targets)].tolist())
        start += len(targets)
    return got


def token_log_probs(network, per_option: list[list[MaskedRow]]) -> list[list[float]]:
    """log P(target | row) for every row of every option.  Distinct rows run once, batched by
    length whatever option they came from, and the batches run side by side when the network
    can (``network.map``: one batch per core on onnxruntime, see onnx_network.py).  A row's
    logits do not depend on which rows share its batch (tests/engine/test_fast_batches.py),
    so an option's score never depends on which other options were listed."""
    distinct, where = _distinct(per_option)
    wanted: list[list[int]] = [[] for _ in distinct]
    for rows, mine in zip(per_option, where):
        for row, n in zip(rows, mine):
            if row.target not in wanted[n]:
                wanted[n].append(row.target)
    cuts = _batches(distinct, network.workers)
    batches = [_Batch([distinct[n] for n in cut], [wanted[n] for n in cut]) for cut in cuts]
    answers: dict[tuple[int, int], float] = {}
    for cut, got in zip(cuts, network.map(lambda batch: _batch_log_probs(network, batch), batches)):
        for n, values in zip(cut, got):
            answers.update(((n, t), v) for t, v in zip(wanted[n], values))
    return [[answers[n, row.target] for row, n in zip(rows, mine)] for rows, mine in zip(per_option, where)]


def score_options(network, pieces, text: str, options: list[str], *, normalize: str = DEFAULT_NORMALIZE,
                  scope: str = DEFAULT_SCOPE, max_tokens: int = 512) -> list[OptionScore]:
    return score_blanks(network, pieces, [(text, options)], normalize=normalize, scope=scope,
                        max_tokens=max_tokens)[0]


def score_blanks(network, pieces, blanks: list[tuple[str, list[str]]], *, normalize: str = DEFAULT_NORMALIZE,
                 scope: str = DEFAULT_SCOPE, max_tokens: int = 512) -> list[list[OptionScore]]:
    """``score_options`` for several (text, options) at once — a passage's blanks: their rows
    share the batches, so the cores stay busy from the first blank to the last.  Each blank's
    scores are the ones ``score_options`` gives it alone."""
    if normalize not in NORMALIZE:
        raise ValueError(f"normalize must be one of {NORMALIZE}, not {normalize!r}")
    per_blank = []
    for text, options in blanks:
        before, after, s0, s1 = blank_context(text, scope)
        per_blank.append([_rows_for(pieces, before, option, after, s0, s1, max_tokens) for option in options])
    values = iter(token_log_probs(network, [rows for per_option in per_blank for rows in per_option]))
    return [_option_scores(options, per_option, [next(values) for _ in per_option], normalize)
            for (_text, options), per_option in zip(blanks, per_blank)]


def _option_scores(options: list[str], per_option: list[list[MaskedRow]], per_values: list[list[float]],
                   normalize: str) -> list[OptionScore]:
    sums, scores = [], []
    counts = [max(1, len(rows)) for rows in per_option]
    average_len = sum(counts) / len(counts)
    for rows, values in zip(per_option, per_values):
        sums.append(sum(values))
        if normalize == "sum":
            scores.append(sums[-1])
        elif normalize == "mean":
            scores.append(sums[-1] / max(1, len(values)) * average_len)
        else:
            own = [v for v, r in zip(values, rows) if r.in_option]
            rest = sum(v for v, r in zip(values, rows) if not r.in_option)
            scores.append(rest + sum(own) / max(1, len(own)))
    probs = softmax(np.array(scores)).tolist()
    return [OptionScore(o, round(s, 4), round(p, 6), round(raw, 4), n)
            for o, s, p, raw, n in zip(options, scores, probs, sums, counts)]
