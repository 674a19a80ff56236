"""A deterministic stand-in for ``tutor.engine.Engine`` so Pilot tests run in milliseconds.

It answers the same calls with the same shapes; the real model is exercised separately in
tests/engine and in one end-to-end app test.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import numpy as np

from tutor.course.blanks import count_blanks, normalize_blanks
from tutor.engine_types import AttentionResult, Embedding
from tutor.errors import TutorError

# What the fake "knows": blank context word -> answer, to make BERT sometimes right.
_PREFERENCES = {"in": 0.6, "is": 0.7, "an": 0.55, "paris": 0.5}


@dataclass
class FakeOptionScore:
    option: str
    score: float
    probability: float
    pll: float = 0.0
    scored_tokens: int = 1


class FakeEngine:
    name = "fake-bert"
    model_path = "/fake"
    device = "cpu"
    max_tokens = 64
    vocab_size = 1000

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.calls: list[str] = []

    def _wait(self) -> None:
        if self.delay:
            time.sleep(self.delay)

    def _split(self, text: str) -> list[str]:
        if not text or not text.strip():
            raise TutorError("the text is empty")
        words = re.findall(r"\[MASK\]|\w+|[^\w\s]", normalize_blanks(text).lower().replace("[mask]", "[MASK]"))
        if len(words) + 2 > self.max_tokens:
            raise TutorError(f"the text is {len(words) + 2} tokens long; fake-bert takes at most {self.max_tokens}")
        return ["[CLS]", *words, "[SEP]"]

    def tokens(self, text: str) -> list[tuple[str, int]]:
        return [(t, 100 + sum(map(ord, t)) % 900) for t in self._split(text)]

    def id_to_token(self, ids):
        return [f"tok{i}" for i in ids]

    def fill_mask(self, text: str, top_k: int = 5, **_):
        self.calls.append("fill_mask")
        self._wait()
        tokens = self._split(text)
        n = tokens.count("[MASK]")
        if n == 0:
            raise TutorError("no blank in the text: write [MASK] or ___ where a word is missing")
        vocab = ["paris", "the", "city", "london", "a", "home", "school", "it"]
        probs = [0.5, 0.2, 0.1, 0.08, 0.05, 0.04, 0.02, 0.01]
        return [list(zip(vocab, probs))[:top_k] for _ in range(n)]

    def rank_options(self, text: str, options, **_):
        self.calls.append("rank_options")
        self._wait()
        if count_blanks(text) != 1:
            raise TutorError("ranking needs exactly one blank")
        raw = [_PREFERENCES.get(o.lower(), 0.1) for o in options]
        total = sum(raw)
        return [FakeOptionScore(o, float(np.log(r)), r / total) for o, r in zip(options, raw)]

    def attention(self, text: str):
        self.calls.append("attention")
        tokens = self._split(text)
        n = len(tokens)
        rng = np.random.default_rng(len(text))
        weights = rng.random((2, 3, n, n)).astype(np.float32)
        weights[1, 0, :, -1] += 5.0  # a head that parks on [SEP]
        weights /= weights.sum(-1, keepdims=True)
        return AttentionResult(tokens, weights)

    def hidden_states(self, text: str):
        tokens = self._split(text)
        rng = np.random.default_rng(sum(map(ord, text)))
        return tokens, rng.normal(size=(3, len(tokens), 8))  # 2 layers + the input embeddings

    def embed(self, text: str, layer: int = -1):
        tokens, states = self.hidden_states(text)
        index = layer if layer >= 0 else 3 + layer
        return Embedding(tokens, states[index], index)

    def word_vectors(self, sentence: str, word: str):
        if word.lower() not in sentence.lower():
            raise TutorError(f"'{word}' does not occur in: {sentence}")
        at_input = np.random.default_rng(sum(map(ord, word))).normal(size=8)  # the same in every sentence
        in_context = np.random.default_rng(sum(map(ord, sentence))).normal(size=(2, 8))
        return np.vstack([at_input, in_context])

    def word_vector(self, sentence: str, word: str, layer: int = -1):
        return self.word_vectors(sentence, word)[layer]

    def embedding_rows(self, ids):
        table = np.random.default_rng(7).normal(size=(self.vocab_size, 8))
        return table[[i % self.vocab_size for i in ids]], (self.vocab_size, 8)

    def info(self) -> dict:
        return {"name": self.name, "layers": 2, "heads": 3, "hidden": 8, "vocab": self.vocab_size}
