"""A deterministic stand-in for ``tutor.engine.Engine`` so Pilot tests run in milliseconds.

It answers the same calls with the same signatures (``test_fake_engine_matches_engine`` holds
it to that) and the same shapes.  Its answers depend on the text, like a model's: a few
"facts" it knows (the capital of France, a/an before a vowel), otherwise a ranking seeded by
the text and the blank's position — so a test cannot pass by expecting one fixed word.  The
real model is exercised in tests/engine and in the real-model app tests.
"""
from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass

import numpy as np

from tutor.course.blanks import count_blanks, normalize_blanks
from tutor.engine_types import AttentionResult, Embedding
from tutor.errors import TutorError

VOCAB = ["the", "city", "london", "a", "home", "school", "it", "paris", "is", "in", "an", "good", "day", "he"]
# What the fake "knows": the words before a blank -> its favourite answer.
FACTS = {"capital of france is": "paris", "capital of england is": "london", "went to": "school"}
# Options it prefers when ranking, so BERT is sometimes right and sometimes wrong.
PREFERENCES = {"in": 0.6, "is": 0.7, "an": 0.55, "paris": 0.5}


@dataclass
class FakeOptionScore:
    option: str
    score: float
    probability: float
    pll: float = 0.0
    scored_tokens: int = 1


def _seed(*parts: object) -> int:
    return zlib.crc32("\0".join(map(str, parts)).encode())


class FakeEngine:
    name = "fake-bert"
    model_path = "/fake"
    device = "cpu"
    max_tokens = 64
    vocab_size = 1000

    def __init__(self, delay: float = 0.0):
        self.delay = delay
        self.calls: list[str] = []
        self.asked: list[tuple] = []  # (method, text, options) as the widgets asked

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

    def id_to_token(self, ids: list[int]) -> list[str]:
        return [f"tok{i}" for i in ids]

    def fill_mask(self, text: str, top_k: int = 5, *, precise: bool = True) -> list[list[tuple[str, float]]]:
        self.calls.append("fill_mask")
        self.asked.append(("fill_mask", text, ()))
        self._wait()
        tokens = self._split(text)
        positions = [i for i, t in enumerate(tokens) if t == "[MASK]"]
        if not positions:
            raise TutorError("no blank in the text: write [MASK] or ___ where a word is missing")
        return [self._guesses(tokens, i)[:top_k] for i in positions]

    def _guesses(self, tokens: list[str], position: int) -> list[tuple[str, float]]:
        before = " ".join(tokens[max(1, position - 4):position])
        order = list(VOCAB)
        np.random.default_rng(_seed(" ".join(tokens), position)).shuffle(order)
        known = next((answer for context, answer in FACTS.items() if before.endswith(context)), None)
        if known:
            order.remove(known)
            order.insert(0, known)
        weights = np.array([0.5 ** k for k in range(len(order))])
        return [(w, round(float(p), 6)) for w, p in zip(order, weights / weights.sum())]

    def rank_options(self, text: str, options: list[str], *, normalize: str = "option-mean",
                     scope: str = "sentence", precise: bool = True) -> list[FakeOptionScore]:
        self.calls.append("rank_options")
        self._wait()
        return self._rank(text, options)

    def rank_blanks(self, blanks: list[tuple[str, list[str]]], *, normalize: str = "option-mean",
                    scope: str = "sentence") -> list[list[FakeOptionScore]]:
        self.calls.append("rank_blanks")
        self._wait()  # one call for the passage, as the real engine runs it
        return [self._rank(text, options) for text, options in blanks]

    def _rank(self, text: str, options: list[str]) -> list[FakeOptionScore]:
        self.asked.append(("rank_options", text, tuple(options)))
        if count_blanks(text) != 1:
            raise TutorError("ranking needs exactly one blank")
        following = normalize_blanks(text).split("[MASK]", 1)[1].strip()[:1].lower()
        raw = [PREFERENCES.get(o.lower(), 0.1) + (0.3 if o.lower() == "an" and following in "aeiou" else 0.0)
               for o in options]
        total = sum(raw)
        return [FakeOptionScore(o, float(np.log(r)), r / total) for o, r in zip(options, raw)]

    def attention(self, text: str) -> AttentionResult:
        self.calls.append("attention")
        tokens = self._split(text)
        n = len(tokens)
        rng = np.random.default_rng(len(text))
        weights = rng.random((2, 3, n, n)).astype(np.float32)
        weights[1, 0, :, -1] += 5.0  # a head that parks on [SEP]
        weights /= weights.sum(-1, keepdims=True)
        return AttentionResult(tokens, weights)

    def hidden_states(self, text: str) -> tuple[list[str], np.ndarray]:
        tokens = self._split(text)
        rng = np.random.default_rng(sum(map(ord, text)))
        return tokens, rng.normal(size=(3, len(tokens), 8))  # 2 layers + the input embeddings

    def embed(self, text: str, layer: int = -1) -> Embedding:
        tokens, states = self.hidden_states(text)
        index = layer if layer >= 0 else 3 + layer
        return Embedding(tokens, states[index], index)

    def word_vectors(self, sentence: str, word: str) -> np.ndarray:
        if word.lower() not in sentence.lower():
            raise TutorError(f"'{word}' does not occur in: {sentence}")
        at_input = np.random.default_rng(sum(map(ord, word))).normal(size=8)  # the same in every sentence
        in_context = np.random.default_rng(sum(map(ord, sentence))).normal(size=(2, 8))
        return np.vstack([at_input, in_context])

    def word_vector(self, sentence: str, word: str, layer: int = -1) -> np.ndarray:
        return self.word_vectors(sentence, word)[layer]

    def embedding_rows(self, ids: list[int]) -> tuple[np.ndarray, tuple[int, int]]:
        table = np.random.default_rng(7).normal(size=(self.vocab_size, 8))
        return table[[i % self.vocab_size for i in ids]], (self.vocab_size, 8)

    def info(self) -> dict:
        return {"name": self.name, "layers": 2, "heads": 3, "hidden": 8, "vocab": self.vocab_size}
