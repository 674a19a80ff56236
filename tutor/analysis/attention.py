"""Pick, average and describe attention maps ``[layers, heads, seq, seq]``."""
from __future__ import annotations

import numpy as np

from tutor.errors import TutorError

SPECIAL = ("[CLS]", "[SEP]")
LEVELS = 9  # heatmap palette steps, 0 = background


def select_map(weights: np.ndarray, layer: int | None, head: int | None) -> tuple[np.ndarray, str]:
    """The [seq, seq] map for a 1-based layer/head; None averages (over heads, then layers)."""
    n_layers, n_heads = weights.shape[:2]
    if layer is not None and not 1 <= layer <= n_layers:
        raise TutorError(f"layer {layer} is out of range: this model has layers 1..{n_layers}")
    if head is not None and not 1 <= head <= n_heads:
        raise TutorError(f"head {head} is out of range: this model has heads 1..{n_heads}")
    layers = weights[layer - 1:layer] if layer else weights
    maps = layers[:, head - 1:head] if head else layers
    label = (f"layer {layer}" if layer else "all layers") + (f", head {head}" if head else ", average of heads")
    return maps.mean(axis=(0, 1)), label


def special_share(matrix: np.ndarray, tokens: list[str]) -> float:
    """Share of all attention that lands on [CLS]/[SEP] (a 'parking' head scores high)."""
    columns = [i for i, t in enumerate(tokens) if t in SPECIAL]
    if not columns:
        return 0.0
    return float(matrix[:, columns].sum() / max(matrix.sum(), 1e-9))


def describe_head(matrix: np.ndarray, tokens: list[str], *, averaged: bool = False) -> str:
    """One line on what a head (or, ``averaged``, the heads' average) mostly does."""
    share = special_share(matrix, tokens)
    if share > 0.6:
        if averaged:
            return (f"{share:.0%} of the heads' average attention parks on [CLS]/[SEP]: many heads here "
                    "look there when they have nothing to gather (Clark et al. 2019).")
        return (f"{share:.0%} of this head's attention parks on [CLS]/[SEP]: a 'no-op' head — "
                "it looks there when it has nothing to gather (Clark et al. 2019).")
    who, look, spread = ("on average the heads", "look", "spread their") if averaged else \
        ("this head", "looks", "spreads its")
    n = len(tokens)
    if n > 2:
        prev = float(np.mean([matrix[i, i - 1] for i in range(1, n)]))
        nxt = float(np.mean([matrix[i, i + 1] for i in range(n - 1)]))
        diag = float(np.mean(np.diag(matrix)))
        if prev > 0.5:
            return f"{who} mostly {look} one token back ({prev:.0%} on average): a positional pattern."
        if nxt > 0.5:
            return f"{who} mostly {look} one token ahead ({nxt:.0%} on average): a positional pattern."
        if diag > 0.5:
            return f"{who} mostly {look} at the token itself ({diag:.0%})."
    return f"{who} {spread} attention over content words."


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
