"""Cosine similarities and a seeded 2-D PCA for contextual vectors."""
from __future__ import annotations

import numpy as np

SPECIALS = {"[CLS]", "[SEP]", "[PAD]"}  # left out of a sentence vector


def cosine_matrix(vectors) -> np.ndarray:
    """[n, n] cosine similarities of n vectors (rows)."""
    m = np.asarray(vectors, dtype=np.float64)
    norms = np.linalg.norm(m, axis=1, keepdims=True)
    unit = m / np.where(norms == 0, 1.0, norms)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def pca_2d(vectors, seed: int = 0) -> np.ndarray:
    """Project n vectors on their first two principal components: [n, 2].

    SVD is deterministic; the sign of each component is fixed (largest loading positive) so
    the picture does not flip between runs.  ``seed`` only breaks ties in degenerate input.
    """
    m = np.asarray(vectors, dtype=np.float64)
    if m.shape[0] < 2:
        return np.zeros((m.shape[0], 2))
    centred = m - m.mean(axis=0)
    if not np.any(centred):
        rng = np.random.default_rng(seed)
        return rng.normal(scale=1e-6, size=(m.shape[0], 2))
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:2]
    for i in range(components.shape[0]):
        if components[i, np.argmax(np.abs(components[i]))] < 0:
            components[i] = -components[i]
    out = centred @ components.T
    if out.shape[1] < 2:
        out = np.hstack([out, np.zeros((out.shape[0], 2 - out.shape[1]))])
    return out


def sentence_vector(tokens: list[str], vectors: np.ndarray) -> np.ndarray:
    """Mean of the token vectors, special tokens left out (all of them if nothing else)."""
    keep = [i for i, t in enumerate(tokens) if t not in SPECIALS] or list(range(len(tokens)))
    return np.asarray(vectors, dtype=np.float64)[keep].mean(axis=0)


def off_diagonal_range(matrix: np.ndarray) -> tuple[float, float]:
    """(min, max) of a similarity matrix without its diagonal (each vector with itself)."""
    mask = ~np.eye(matrix.shape[0], dtype=bool)
    values = matrix[mask]
    return (float(values.min()), float(values.max())) if values.size else (1.0, 1.0)
