"""How long does the embeddings view take to show a new layer (l / L) with the real model?

The view shows a word's cosine table at one layer next to layer 0, plus a PCA scatter of
sentence vectors.  Two ways to answer a layer change, timed in this process:

* ``per-layer`` (baseline, the view before) – one forward pass per sentence for the new layer
  (``engine.embed`` / ``engine.word_vector`` at that layer);
* ``cached``  – every layer from one pass per sentence (``engine.hidden_states`` /
  ``engine.word_vectors``) done once; a layer change only indexes the cache.

The figures are the p50 of a full sweep through all layers (what pressing ``l`` seven times
costs) and of the first view (cold: the cache is empty).

Run:  python benchmarks/bench_embeddings.py [--repeats 5] [--model bert-tutor-mini]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timing import p50_ms  # noqa: E402  (benchmarks/timing.py)
from tutor.analysis.embeddings import cosine_matrix, pca_2d  # noqa: E402
from tutor.engine import load_engine  # noqa: E402
from tutor.widgets.embeddings_view import sentence_vector  # noqa: E402

WORD = "bank"
WORD_SENTENCES = ["We sat on the bank of the river.", "I put my money in the bank.",
                  "The bank closed at five.", "Fish swim near the muddy bank."]
GROUPS = ["I love you.", "I adore you.", "I like you a lot.", "Go away!", "Leave me alone!",
          "Get out of here.", "The cat sleeps.", "A dog barks."]


def per_layer(engine, layer: int) -> None:
    cosine_matrix([engine.word_vector(s, WORD, layer) for s in WORD_SENTENCES])
    cosine_matrix([engine.word_vector(s, WORD, 0) for s in WORD_SENTENCES])
    vectors = []
    for s in GROUPS:
        emb = engine.embed(s, layer)
        vectors.append(sentence_vector(list(emb.tokens), emb.vectors))
    pca_2d(np.stack(vectors), seed=0)


def build_cache(engine) -> tuple[list[np.ndarray], list[np.ndarray]]:
    words = [engine.word_vectors(s, WORD) for s in WORD_SENTENCES]
    sentences = []
    for s in GROUPS:
        tokens, states = engine.hidden_states(s)
        sentences.append(np.stack([sentence_vector(list(tokens), layer) for layer in states]))
    return words, sentences


def from_cache(cache, layer: int) -> None:
    words, sentences = cache
    cosine_matrix([w[layer] for w in words])
    cosine_matrix([w[0] for w in words])
    pca_2d(np.stack([s[layer] for s in sentences]), seed=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--model", default="bert-tutor-mini")
    args = parser.parse_args()
    engine = load_engine(args.model)
    layers = int(engine.info()["layers"])
    per_layer(engine, layers)  # warm-up
    cold_base = p50_ms(lambda: per_layer(engine, layers), args.repeats, warmup=False)
    cold_cached = p50_ms(lambda: from_cache(build_cache(engine), layers), args.repeats, warmup=False)
    sweep_base = p50_ms(lambda: [per_layer(engine, k) for k in range(layers + 1)], args.repeats, warmup=False)
    cache = build_cache(engine)
    sweep_cached = p50_ms(lambda: [from_cache(cache, k) for k in range(layers + 1)], args.repeats, warmup=False)
    print(f"model {engine.name}: {len(WORD_SENTENCES)} word sentences + {len(GROUPS)} scatter sentences, "
          f"{layers + 1} layers (0..{layers})")
    print(f"first view      per-layer {cold_base:8.1f} ms   cached {cold_cached:8.1f} ms   "
          f"ratio {cold_cached / cold_base:5.2f}x")
    per_key_base, per_key_cached = sweep_base / (layers + 1), sweep_cached / (layers + 1)
    print(f"one layer step  per-layer {per_key_base:8.1f} ms   cached {per_key_cached:8.2f} ms   "
          f"ratio {per_key_cached / per_key_base:7.4f}x")


if __name__ == "__main__":
    main()
