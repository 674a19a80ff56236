"""Train the Word2Vec that lesson 7 compares with BERT, on bert-tutor-mini's pretraining text.

Usage: pip install gensim==4.4.0 && python scripts/build_word2vec.py [--corpus FILE] [--out assets/word2vec]

The text is the stage-2 pretraining text of bert-tutor-mini (see its MODEL_CARD): the
TinyStories sample in 2-sentence chunks plus every WordNet example sentence and glosses up to
70 000 WordNet lines, rebuilt here with ``build_corpus`` (seed 0; evaluation text already
excluded) unless ``--corpus`` names a file of lines.  Each distinct line is used once (the
pretraining ×3 weighting of stories is a sampling choice for BERT, not more text).  Lower-case
words, as bert-tutor-mini's uncased vocabulary.  Skip-gram, window 5, as in the lecture.

Writes ``vectors.npy`` (float16 [words, dim]), ``vocab.txt`` (one word per line, most frequent
first, with its count) and ``training.json`` — read by ``tutor.word2vec`` with numpy alone.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))
sys.path.insert(0, str(ROOT))
from tutor.word2vec import tokenize  # noqa: E402

PARAMS = {"sg": 1, "window": 5, "vector_size": 100, "min_count": 3, "negative": 10, "sample": 1e-4,
          "epochs": 15, "alpha": 0.025, "min_alpha": 0.0001, "seed": 0}


def pretraining_lines(stories: Path) -> list[str]:
    from build_corpus import eval_texts

    from tutor.corpus.build import build_corpus

    corpus = build_corpus(stories, eval_texts(), all_examples=True, wordnet_limit=70_000, seed=0)
    return list(dict.fromkeys(corpus.train))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--corpus", type=Path, help="a text file, one passage per line (default: rebuild)")
    parser.add_argument("--stories", type=Path, default=ROOT.parent.parent / "shared" / "corpus" / "tinystories-sample.txt")
    parser.add_argument("--out", type=Path, default=ROOT.parent / "assets" / "word2vec")
    parser.add_argument("--workers", type=int, default=1, help="1 makes the run reproducible")
    args = parser.parse_args()
    from gensim.models import Word2Vec

    lines = (list(dict.fromkeys(args.corpus.read_text(encoding="utf-8").splitlines())) if args.corpus
             else pretraining_lines(args.stories))
    sentences = [words for words in map(tokenize, lines) if len(words) > 1]
    started = time.time()
    # a stable hash: the default, Python's hash(), is salted per process and would seed
    # the initial vectors differently on every run
    model = Word2Vec(sentences=sentences, workers=args.workers, hashfxn=lambda s: zlib.crc32(s.encode()), **PARAMS)
    seconds = time.time() - started
    keyed = model.wv
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "vectors.npy", keyed.vectors.astype(np.float16))
    (args.out / "vocab.txt").write_text(
        "".join(f"{word} {keyed.get_vecattr(word, 'count')}\n" for word in keyed.index_to_key), encoding="utf-8")
    import gensim

    (args.out / "training.json").write_text(json.dumps({
        "gensim": gensim.__version__, "params": PARAMS, "workers": args.workers,
        "corpus": str(args.corpus) if args.corpus else "build_corpus(all_examples=True, wordnet_limit=70000, seed=0)",
        "lines": len(lines), "sentences": len(sentences), "tokens": sum(map(len, sentences)),
        "vocabulary": len(keyed.index_to_key), "train_seconds": round(seconds, 1)}, indent=1) + "\n")
    print(f"{len(sentences)} lines, {sum(map(len, sentences))} words, vocabulary {len(keyed.index_to_key)}, "
          f"dim {keyed.vector_size}, {seconds:.0f} s -> {args.out}")


if __name__ == "__main__":
    main()
