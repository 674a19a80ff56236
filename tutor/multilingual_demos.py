"""The lecture's two multilingual pictures, computed by the live multilingual engine.

* ``translation_scatter``: "I love you" and "Leave me alone!" in ten languages as sentence
  vectors, each sentence's nearest neighbour (is it the same meaning?) and a 2-D PCA;
  the learner's own sentences join the same projection.
* ``couplet_readings``: the seven 朝 of 海水朝朝朝朝朝朝朝落, compared with 朝 in words where
  its reading is fixed (zhāo "morning" vs cháo "court; tide"), layer by layer.

Torch-free: the engine is passed in (the real one or the Pilot tests' fake).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from tutor.analysis.embeddings import cosine_matrix, pca_2d
from tutor.errors import TutorError
from tutor.i18n import _

LOVE, ALONE = "I love you", "Leave me alone!"
PHRASES: list[tuple[str, str, str]] = [  # (language, meaning, text)
    ("en", LOVE, "I love you"), ("en", ALONE, "Leave me alone!"),
    ("zh", LOVE, "我爱你"), ("zh", ALONE, "别管我！"),
    ("fr", LOVE, "Je t'aime"), ("fr", ALONE, "Laisse-moi tranquille !"),
    ("de", LOVE, "Ich liebe dich"), ("de", ALONE, "Lass mich in Ruhe!"),
    ("es", LOVE, "Te quiero"), ("es", ALONE, "¡Déjame en paz!"),
    ("ja", LOVE, "愛してる"), ("ja", ALONE, "ほっといて！"),
    ("ko", LOVE, "사랑해"), ("ko", ALONE, "날 내버려 둬!"),
    ("it", LOVE, "Ti amo"), ("it", ALONE, "Lasciami in pace!"),
    ("ru", LOVE, "Я тебя люблю"), ("ru", ALONE, "Оставь меня в покое!"),
    ("pt", LOVE, "Eu te amo"), ("pt", ALONE, "Deixe-me em paz!"),
]
LEARNER = "yours"


@dataclass
class ScatterPoint:
    language: str
    meaning: str      # LOVE, ALONE, or LEARNER for a sentence the learner added
    text: str
    x: float
    y: float
    neighbour: int    # index of the most similar other sentence of the slide
    similarity: float


@dataclass
class TranslationScatter:
    points: list[ScatterPoint]
    explained: tuple[float, float]  # share of the variance on each PCA axis

    @property
    def same_meaning_neighbours(self) -> int:
        """How many of the slide's sentences have a same-meaning nearest neighbour."""
        return sum(1 for p in self.points if p.meaning != LEARNER
                   and self.points[p.neighbour].meaning == p.meaning)

    @property
    def phrase_count(self) -> int:
        return sum(1 for p in self.points if p.meaning != LEARNER)


def translation_scatter(engine: Any, extra: Sequence[str] = ()) -> TranslationScatter:
    """Sentence vectors of ``PHRASES`` (and the learner's ``extra`` sentences), their nearest
    neighbours by cosine and a 2-D PCA of them all."""
    extra = [s.strip() for s in extra if s and s.strip()]
    rows = [*PHRASES, *[("?", LEARNER, s) for s in extra]]
    vectors = np.asarray(engine.sentence_vectors([text for _, _, text in rows]), dtype=np.float64)
    similarity = cosine_matrix(vectors)
    np.fill_diagonal(similarity, -np.inf)
    similarity[:, len(PHRASES):] = -np.inf  # neighbours are the slide's sentences: yours change no count
    xy = pca_2d(vectors)
    centred = vectors - vectors.mean(axis=0)
    total = float((centred ** 2).sum()) or 1.0
    explained = tuple(float((xy[:, i] ** 2).sum() / total) for i in range(2))
    points = [ScatterPoint(lang, meaning, text, float(xy[i, 0]), float(xy[i, 1]),
                           int(np.argmax(similarity[i])), float(np.max(similarity[i])))
              for i, (lang, meaning, text) in enumerate(rows)]
    return TranslationScatter(points, explained)


COUPLET = "海水朝朝朝朝朝朝朝落"
COUPLET_2 = "浮云长长长长长长长消"
# the usual reading, 海水潮，朝朝潮，朝潮朝落: cháo (潮, "tide") or zhāo ("morning") per 朝
COUPLET_READINGS = ("cháo", "zhāo", "zhāo", "cháo", "zhāo", "cháo", "zhāo")
REFERENCE = {  # 朝 where only one reading is possible
    "zhāo": ["朝阳升起来了。", "他每天朝气蓬勃。", "今朝有酒今朝醉。", "朝三暮四不是好习惯。"],
    "cháo": ["唐朝是一个强大的朝代。", "朝鲜在亚洲。", "大臣们在朝廷上议事。", "他家的大门朝南开。"],
}


@dataclass
class CoupletReadings:
    tokens: list[str]                 # the couplet's pieces
    positions: list[int]              # the seven 朝 pieces
    layers: list[int]
    same_reading: list[float]         # per layer: mean cosine between 朝s read alike
    other_reading: list[float]        # per layer: mean cosine between 朝s read differently
    agree_with_reference: list[int]   # per layer: 朝s nearer the centroid of their own reading


def couplet_readings(engine: Any) -> CoupletReadings:
    """Does the network tell the zhāo 朝 from the cháo 朝 in the couplet, at any layer?"""
    tokens, states = engine.hidden_states(COUPLET)
    positions = [i for i, t in enumerate(tokens) if t.lstrip("▁") == "朝"]
    if len(positions) != len(COUPLET_READINGS):
        raise TutorError(_("expected 7 separate 朝 pieces, the tokenizer gave {n}").format(n=len(positions)))
    centroids = {reading: np.mean([engine.word_vectors(s, "朝") for s in sentences], axis=0)
                 for reading, sentences in REFERENCE.items()}
    readings = np.array(COUPLET_READINGS)
    alike = readings[:, None] == readings[None, :]
    off_diagonal = ~np.eye(len(readings), dtype=bool)
    same, other, agree = [], [], []
    for layer in range(states.shape[0]):
        vectors = states[layer, positions]
        sims = cosine_matrix(vectors)
        same.append(float(sims[alike & off_diagonal].mean()))
        other.append(float(sims[~alike].mean()))
        to_ref = cosine_matrix(np.vstack([vectors, centroids["zhāo"][layer], centroids["cháo"][layer]]))[:7, 7:]
        nearest = np.where(to_ref[:, 0] >= to_ref[:, 1], "zhāo", "cháo")
        agree.append(int((nearest == readings).sum()))
    return CoupletReadings(list(tokens), positions, list(range(states.shape[0])), same, other, agree)
