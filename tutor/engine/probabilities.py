"""Softmax and top-k over numpy logits (torch-free; the engine's answers come through here)."""
from __future__ import annotations

import numpy as np


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Log-softmax over the last axis, in float64 so fp32 logits lose nothing more."""
    shifted = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def target_log_probs(logits: np.ndarray, targets: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """``log_softmax(logits)[rows[i], targets[i]]`` (``rows`` defaults to 0, 1, 2 …) without
    building the whole float64 matrix: exp in float32 (relative error ~1e-7), the sum and the
    log in float64.  A row may be read at several targets."""
    rows = np.arange(len(targets)) if rows is None else rows
    top = logits.max(axis=-1)
    total = np.exp(logits - top[:, None]).sum(axis=-1, dtype=np.float64)
    picked = logits[rows, targets]
    return picked.astype(np.float64) - top[rows].astype(np.float64) - np.log(total[rows])


def softmax(logits: np.ndarray) -> np.ndarray:
    return np.exp(log_softmax(logits))


def top_k(probs: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values of a 1-D array, best first (ties: lower index first)."""
    k = max(1, min(int(k), probs.shape[-1]))
    part = np.argpartition(-probs, k - 1)[:k]
    return part[np.lexsort((part, -probs[part]))]
