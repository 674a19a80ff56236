"""Pick, average and describe attention maps ``[layers, heads, seq, seq]``.

Which tokens are special comes from the model's tokenizer (``special_tokens(engine)``):
BERT's ``[CLS]``/``[SEP]`` or XLM-R's ``<s>``/``</s>``; English BERT's set is only the fall-back
for an engine that does not say.
"""
from __future__ import annotations

from typing import Any, Iterable

import numpy as np

from tutor.errors import TutorError
from tutor.i18n import _

BERT_SPECIALS = frozenset({"[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"})
WORD_START = "▁"  # SentencePiece's mark for a piece that starts a word
LEVELS = 9  # heatmap palette steps, 0 = background


def special_tokens(engine: Any) -> frozenset[str]:
    """The engine's special tokens, as its tokenizer lists them (BERT's when it does not)."""
    try:
        listed = getattr(engine, "special_tokens", None)
    except Exception:  # a tokenizer that cannot say: fall back, never fail a view over it
        listed = None
    return frozenset(listed) if listed else BERT_SPECIALS


def boundary_tokens(tokens: list[str], specials: Iterable[str] = BERT_SPECIALS) -> list[str]:
    """The special tokens that open and close the input ([CLS]/[SEP], <s>/</s>), in order."""
    specials = frozenset(specials)
    ends = [t for t in (tokens[:1] + tokens[-1:]) if t in specials]
    return list(dict.fromkeys(ends))


def select_map(weights: np.ndarray, layer: int | None, head: int | None) -> tuple[np.ndarray, str]:
    """The [seq, seq] map for a 1-based layer/head; None averages (over heads, then layers)."""
    n_layers, n_heads = weights.shape[:2]
    if layer is not None and not 1 <= layer <= n_layers:
        raise TutorError(_("layer {layer} is out of range: this model has layers 1..{layers}").format(
            layer=layer, layers=n_layers))
    if head is not None and not 1 <= head <= n_heads:
        raise TutorError(_("head {head} is out of range: this model has heads 1..{heads}").format(
            head=head, heads=n_heads))
    layers = weights[layer - 1:layer] if layer else weights
    maps = layers[:, head - 1:head] if head else layers
    label = (f"layer {layer}" if layer else "all layers") + (f", head {head}" if head else ", average of heads")
    return maps.mean(axis=(0, 1)), label


def special_share(matrix: np.ndarray, tokens: list[str], specials: Iterable[str] = BERT_SPECIALS) -> float:
    """Share of all attention that lands on the boundary tokens (a 'parking' head scores high)."""
    parking = set(boundary_tokens(tokens, specials))
    columns = [i for i, t in enumerate(tokens) if t in parking]
    if not columns:
        return 0.0
    return float(matrix[:, columns].sum() / max(matrix.sum(), 1e-9))


def describe_head(matrix: np.ndarray, tokens: list[str], *, averaged: bool = False,
                  specials: Iterable[str] = BERT_SPECIALS) -> str:
    """One line on what a head (or, ``averaged``, the heads' average) mostly does."""
    share = special_share(matrix, tokens, specials)
    if share > 0.6:
        where = "/".join(boundary_tokens(tokens, specials))
        if averaged:
            return _("{share} of the heads' average attention parks on {where}: many heads here look "
                     "there when they have nothing to gather (Clark et al. 2019).").format(
                share=f"{share:.0%}", where=where)
        return _("{share} of this head's attention parks on {where}: a 'no-op' head — it looks there "
                 "when it has nothing to gather (Clark et al. 2019).").format(share=f"{share:.0%}", where=where)
    n = len(tokens)
    if n > 2:
        prev = float(np.mean([matrix[i, i - 1] for i in range(1, n)]))
        nxt = float(np.mean([matrix[i, i + 1] for i in range(n - 1)]))
        diag = float(np.mean(np.diag(matrix)))
        if prev > 0.5:
            return (_("on average the heads mostly look one token back ({share} on average): a positional pattern.")
                    if averaged else
                    _("this head mostly looks one token back ({share} on average): a positional pattern.")
                    ).format(share=f"{prev:.0%}")
        if nxt > 0.5:
            return (_("on average the heads mostly look one token ahead ({share} on average): a positional pattern.")
                    if averaged else
                    _("this head mostly looks one token ahead ({share} on average): a positional pattern.")
                    ).format(share=f"{nxt:.0%}")
        if diag > 0.5:
            return (_("on average the heads mostly look at the token itself ({share}).") if averaged else
                    _("this head mostly looks at the token itself ({share}).")).format(share=f"{diag:.0%}")
    return (_("on average the heads spread their attention over content words.") if averaged else
            _("this head spreads its attention over content words."))


def top_targets(matrix: np.ndarray, tokens: list[str], source: int, k: int = 5) -> list[tuple[str, float]]:
    row = matrix[source]
    order = np.argsort(-row)[:k]
    return [(tokens[i], float(row[i])) for i in order]


def levels(matrix: np.ndarray) -> np.ndarray:
    """Weights → palette steps on a square-root scale, so 1/64 is still visible."""
    return np.clip(np.rint(np.sqrt(np.clip(matrix, 0, 1)) * (LEVELS - 1)), 0, LEVELS - 1).astype(np.int8)


def pool(weights: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Mean-pool the last two axes of ``weights`` to ``rows × cols`` (nearest when smaller)."""
    def along(m: np.ndarray, size: int, axis: int) -> np.ndarray:
        n = m.shape[axis]
        if n <= size:
            return np.take(m, (np.arange(size) * n) // size, axis=axis)
        edges = (np.arange(size + 1) * n) // size
        sums = np.add.reduceat(m, edges[:-1], axis=axis)
        shape = [1] * m.ndim
        shape[axis] = size
        return sums / np.diff(edges).reshape(shape)
    return along(along(weights, rows, -2), cols, -1)
