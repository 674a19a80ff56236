"""The bundled Word2Vec: one fixed vector per word, the model BERT is compared with (slide 3.3).

Trained by ``scripts/build_word2vec.py`` (gensim, skip-gram, window 5) on bert-tutor-mini's
pretraining text and stored as ``assets/word2vec/{vectors.npy,vocab.txt}``; read here with
numpy alone, so the CLI and lesson 7 need neither gensim nor torch.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from tutor.errors import TutorError
from tutor.i18n import _
from tutor.paths import ASSETS_DIR

WORD2VEC_DIR = ASSETS_DIR / "word2vec"
WINDOW = 5  # words either side: what one training step of skip-gram sees
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def tokenize(text: str) -> list[str]:
    """Lower-case words, as the vectors were trained (and as bert-tutor-mini is uncased)."""
    return _WORD.findall(text.lower().replace("’", "'"))


@dataclass
class Word2Vec:
    words: list[str]
    counts: np.ndarray   # how often each word occurred in the training text
    unit: np.ndarray     # [words, dim] float32, each row of length 1
    training: dict

    def __post_init__(self):
        self.index = {w: i for i, w in enumerate(self.words)}

    @property
    def dim(self) -> int:
        return self.unit.shape[1]

    def __contains__(self, word: str) -> bool:
        return word.strip().lower() in self.index

    def _row(self, word: str) -> int:
        key = word.strip().lower()
        if not key or len(tokenize(key)) != 1 or tokenize(key)[0] != key:
            raise TutorError(_("give one word (letters, digits, an apostrophe), not {word}").format(word=repr(word)))
        if key not in self.index:
            raise TutorError(_("Word2Vec never saw '{word}' (at least {times} times) in its {words} training words: "
                               "it has no vector for it").format(
                word=key, times=self.training.get("params", {}).get("min_count", 1),
                words=f"{self.training.get('tokens', 0):,}"))
        return self.index[key]

    def vector(self, word: str) -> np.ndarray:
        """The word's one vector (unit length): the same in every sentence."""
        return self.unit[self._row(word)]

    def count(self, word: str) -> int:
        return int(self.counts[self._row(word)])

    def similarity(self, a: str, b: str) -> float:
        return float(self.vector(a) @ self.vector(b))

    def neighbours(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The ``k`` words with the most similar vectors, by cosine, the word itself left out."""
        row = self._row(word)
        cosine = self.unit @ self.unit[row]
        cosine[row] = -np.inf
        best = np.argpartition(-cosine, min(k, len(cosine) - 1))[:k]
        best = best[np.argsort(-cosine[best])]
        return [(self.words[i], round(float(cosine[i]), 4)) for i in best]


def context_window(text: str, word: str, window: int = WINDOW, occurrence: int = 1) -> tuple[list[str], list[str]]:
    """The words skip-gram pairs with ``word`` in ``text``: ``window`` either side of its
    ``occurrence``-th appearance (1-based; -1 for the last)."""
    words = tokenize(text)
    key = word.strip().lower()
    at_all = [i for i, w in enumerate(words) if w == key]
    if not at_all:
        raise TutorError(_("'{word}' does not occur in the text").format(word=word))
    if not (1 <= occurrence <= len(at_all) or -len(at_all) <= occurrence <= -1):
        raise TutorError(_("'{word}' occurs {n} time(s), not {occurrence}").format(
            word=word, n=len(at_all), occurrence=occurrence))
    at = at_all[occurrence - 1 if occurrence > 0 else occurrence]
    return words[max(0, at - window):at], words[at + 1:at + 1 + window]


def load_word2vec(folder: Path | str = WORD2VEC_DIR) -> Word2Vec:
    return _load(str(folder))


@lru_cache(maxsize=2)
def _load(folder: str) -> Word2Vec:
    path = Path(folder)
    try:
        vectors = np.load(path / "vectors.npy").astype(np.float32)
        rows = [line.rsplit(" ", 1) for line in (path / "vocab.txt").read_text(encoding="utf-8").splitlines()]
        training = json.loads((path / "training.json").read_text()) if (path / "training.json").exists() else {}
    except (OSError, ValueError) as exc:
        raise TutorError(_("the Word2Vec vectors in {path} are missing or unreadable; "
                           "rebuild them with scripts/build_word2vec.py").format(path=path)) from exc
    if len(rows) != vectors.shape[0]:
        raise TutorError(_("{path}: vocab.txt has {words} words but vectors.npy {rows} rows").format(
            path=path, words=len(rows), rows=vectors.shape[0]))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return Word2Vec([w for w, _ in rows], np.array([int(c) for _, c in rows]),
                    vectors / np.where(norms == 0, 1, norms), training)
