"""Softmax and top-k over numpy logits (torch-free; the engine's answers come through here)."""
from __future__ import annotations

import numpy as np


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """Log-softmax over the last axis, in float64 so fp32 logits lose nothing more."""
    shifted = logits.astype(np.float64) - logits.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def target_log_probs(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """``log_softmax(logits)[i, targets[i]]`` for each row without building the whole float64
    matrix: exp in float32 (relative error ~1e-7), the sum and the log in float64."""
    top = logits.max(axis=-1, keepdims=True)
    total = np.exp(logits - top).sum(axis=-1, dtype=np.float64)
    picked = np.take_along_axis(logits, targets.reshape(-1, 1), axis=-1)[:, 0]
    return picked.astype(np.float64) - top[:, 0].astype(np.float64) - np.log(total)


def softmax(logits: np.ndarray) -> np.ndarray:
    return np.exp(log_softmax(logits))


def top_k(probs: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values of a 1-D array, best first (ties: lower index first)."""
    k = max(1, min(int(k), probs.shape[-1]))
    part = np.argpartition(-probs, k - 1)[:k]
    return part[np.lexsort((part, -probs[part]))]
