"""BERT's masking recipe on a learner's own tokens, plus the WordPiece helpers it needs.

The recipe follows the original ``create_pretraining_data.py``: pick ``round(rate × n)`` of
the ordinary tokens (at least one), then for each pick draw 80 % ``[MASK]``, 10 % a random
vocabulary token, 10 % unchanged.  The labels are simply the original tokens at the picked
positions — "the labels come from the data itself", which is what makes it self-supervised.
Everything is numpy and seeded, so a lesson shows the same draw every time.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence, Union

import numpy as np

from tutor.errors import TutorError
from tutor.i18n import _

SPECIAL_TOKENS = frozenset({"[CLS]", "[SEP]", "[PAD]", "[MASK]"})
ALL_SPECIAL = SPECIAL_TOKENS | {"[UNK]"}
MASK = "[MASK]"

# Either a list of replacement tokens or a function drawing one from the generator.
Vocab = Union[Sequence[str], Callable[[np.random.Generator], str]]


@dataclass(frozen=True)
class MaskDraw:
    """One masking draw; every list is aligned with ``tokens``."""

    tokens: list[str]
    picked: list[int]                 # positions chosen for prediction, ascending
    corrupted: list[str]              # what BERT reads
    labels: list[str | None]          # the original token at picked positions, else None
    actions: list[str | None]         # 'mask' | 'random' | 'keep' at picked positions, else None
    seed: int = 0
    rate: float = 0.15

    def count(self, action: str) -> int:
        return sum(1 for a in self.actions if a == action)

    def bert_input(self) -> str:
        """The text with every picked position as [MASK]: what we ask BERT to fill."""
        picked = set(self.picked)
        return join_pieces([MASK if i in picked else t for i, t in enumerate(self.tokens)])

    def mask_positions(self) -> list[int]:
        """Positions that are [MASK] in ``bert_input()`` (picks plus any the text had), in order:
        fill-mask answers one list per blank, so this maps its answers back to tokens."""
        picked = set(self.picked)
        return [i for i, t in enumerate(self.tokens) if i in picked or t == MASK]


def candidates(tokens: Sequence[str], special: frozenset[str] | set[str] = SPECIAL_TOKENS) -> list[int]:
    """Positions that may be picked: everything except the special tokens."""
    return [i for i, t in enumerate(tokens) if t not in special]


def mask_draw(tokens: Sequence[str], *, rate: float = 0.15, seed: int = 0, vocab: Vocab | None = None,
              special: frozenset[str] | set[str] = SPECIAL_TOKENS, mask_token: str = MASK) -> MaskDraw:
    """Apply the 15 % / 80-10-10 recipe to ``tokens`` with a seeded numpy Generator.

    ``vocab`` supplies the random replacements (a list, or a function of the generator);
    without it the sentence's own ordinary tokens are used.  A random replacement that happens
    to equal the original is redrawn a few times so the learner sees a visible change.
    """
    if not 0.0 < rate <= 1.0:
        raise TutorError(_("the masking rate must be in (0, 1]; got {rate}").format(rate=rate))
    tokens = list(tokens)
    pool = candidates(tokens, special)
    if not pool:
        raise TutorError(_("no ordinary tokens to mask: type a sentence with some words"))
    rng = np.random.default_rng(seed)
    n = min(len(pool), max(1, int(round(rate * len(pool)))))
    picked = sorted(int(i) for i in rng.permutation(pool)[:n])
    draw_random = _replacement_drawer(vocab, [tokens[i] for i in pool])
    corrupted, labels = list(tokens), [None] * len(tokens)
    actions: list[str | None] = [None] * len(tokens)
    for i in picked:
        labels[i] = tokens[i]
        roll = rng.random()
        if roll < 0.8:
            actions[i], corrupted[i] = "mask", mask_token
        elif roll < 0.9:
            actions[i], corrupted[i] = "random", _different(draw_random, rng, tokens[i])
        else:
            actions[i] = "keep"
    return MaskDraw(tokens, picked, corrupted, labels, actions, seed, rate)


def _replacement_drawer(vocab: Vocab | None, fallback: list[str]) -> Callable[[np.random.Generator], str]:
    if callable(vocab):
        return vocab
    words = list(vocab) if vocab is not None and len(vocab) else fallback
    return lambda rng: words[int(rng.integers(len(words)))]


def _different(draw: Callable[[np.random.Generator], str], rng: np.random.Generator, original: str) -> str:
    token = draw(rng)
    for _attempt in range(4):  # a tiny vocabulary may keep returning the original; give up after a few
        if token != original:
            break
        token = draw(rng)
    return token


def join_pieces(tokens: Sequence[str], *, drop: frozenset[str] = frozenset({"[CLS]", "[SEP]", "[PAD]"})) -> str:
    """WordPiece tokens back to text: '##' pieces glue to the previous one, specials dropped."""
    out: list[str] = []
    for token in tokens:
        if token in drop:
            continue
        if token.startswith("##") and out:
            out[-1] += token[2:]
        else:
            out.append(token)
    return " ".join(out)


def word_spans(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """[start, end) of each word: a piece plus the '##' pieces that continue it."""
    spans: list[tuple[int, int]] = []
    for i, token in enumerate(tokens):
        if token.startswith("##") and spans and spans[-1][1] == i:
            spans[-1] = (spans[-1][0], i + 1)
        else:
            spans.append((i, i + 1))
    return spans


def same_token(guess: str, label: str | None) -> bool:
    """Does a typed guess match a label? Case, spaces and the '##' marker are ignored."""
    if label is None:
        return False
    clean = lambda s: s.strip().casefold().removeprefix("##")  # noqa: E731
    return bool(guess.strip()) and clean(guess) == clean(label)
