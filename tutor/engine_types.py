"""What the engine hands back for the inside-BERT views, kept torch-free.

Here and not in ``tutor.engine`` so the widgets, and the fake engine the Pilot tests use,
share the real types without importing torch.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class AttentionResult:
    tokens: list[str]
    weights: np.ndarray  # [layers, heads, seq, seq]; each row sums to 1

    @property
    def layers(self) -> int:
        return self.weights.shape[0]

    @property
    def heads(self) -> int:
        return self.weights.shape[1]


@dataclass
class Embedding:
    tokens: list[str]
    vectors: np.ndarray  # [seq, hidden]
    layer: int
