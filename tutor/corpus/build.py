"""Build the pretraining text for bert-tutor-mini, reproducibly and offline.

Sources (both licensed for reuse, see README "Credits"):
* simple-English stories (TinyStories sample, CDLA-Sharing-1.0), cut into 2-sentence chunks;
* WordNet 3.0 glosses and example sentences (Debian ``wordnet-base``, WordNet licence);
* optionally, GeoNames world facts (CC BY 4.0) written as sentences by ``geo_facts``.

Why chunks: a 2-sentence chunk fits the 48-token training window whole, so no sentence is
cut mid-way and every position carries signal.  Whole stories go to either the training or
the held-out split, so held-out accuracy is measured on unseen stories.

Evaluation text (the Li Hua cloze, probe sentences, the held-out cloze, lesson exercises)
must never be trained on: ``build_corpus`` drops every chunk that shares a word 6-gram with
any of them and reports how many it dropped.  No torch import here.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from tutor.corpus.sentences import split_sentences

WORDNET_DIR = Path("/usr/share/wordnet")
_WORD = re.compile(r"[a-z0-9']+")
NGRAM = 6


def story_chunks(story: str, per_chunk: int = 2) -> list[str]:
    sentences = split_sentences(story)
    return [" ".join(sentences[i:i + per_chunk]) for i in range(0, len(sentences), per_chunk)]


def wordnet_entries(text: str):
    """(synset offset, lexicographer file, first word, gloss) for each synset line of a WordNet
    ``data.*`` file's text (see ``man 5 wndb``)."""
    for raw in text.splitlines():
        if raw.startswith("  ") or "|" not in raw:
            continue  # licence header lines start with two spaces
        head, gloss = raw.split("|", 1)
        fields = head.split()
        yield fields[0], fields[1], fields[4], gloss


def wordnet_lines(wordnet_dir: Path = WORDNET_DIR, *, split: bool = False):
    """'word: definition.' plus every quoted example sentence, from data.{noun,verb,adj,adv}.

    With ``split=True`` returns (glosses, examples): the examples are everyday sentences
    ("he ate an apple"), which teach grammar the technical glosses do not."""
    lines: list[str] = []
    glosses: list[str] = []
    examples: list[str] = []
    for part in ("noun", "verb", "adj", "adv"):
        path = wordnet_dir / f"data.{part}"
        if not path.exists():
            continue
        for _, _, lemma, gloss in wordnet_entries(path.read_text(encoding="latin-1")):
            word = re.sub(r"\(.*?\)", "", lemma).replace("_", " ")
            pieces = [p.strip() for p in gloss.split(";")]
            definition = next((p for p in pieces if p and not p.startswith('"')), "")
            if definition:
                lines.append(f"{word}: {definition}.")
                glosses.append(lines[-1])
            for p in pieces:
                if p.startswith('"'):
                    example = p.strip('"').strip()
                    if len(example.split()) >= 4:
                        lines.append(example)
                        examples.append(example)
    return (glosses, examples) if split else lines


def ngrams(text: str, n: int = NGRAM) -> set[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    if len(words) < n:
        return {tuple(words)} if words else set()
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


def overlaps(text: str, banned: set[tuple[str, ...]]) -> bool:
    words = _WORD.findall(text.lower())
    grams = ngrams(text)
    if grams & banned:
        return True
    # short eval sentences (< n words) are banned as whole word sequences
    joined = " " + " ".join(words) + " "
    return any(len(g) < NGRAM and " " + " ".join(g) + " " in joined for g in banned)


@dataclass
class Corpus:
    train: list[str]
    heldout: list[str]
    dropped: int


def build_corpus(
    stories_path: Path,
    eval_texts: list[str],
    *,
    story_weight: int = 3,
    example_weight: int = 1,
    wordnet_limit: int = 60_000,
    all_examples: bool = False,
    heldout_fraction: float = 0.05,
    seed: int = 0,
    wordnet_dir: Path = WORDNET_DIR,
    exclude: set[str] | None = None,
    facts: list[str] | None = None,
    facts_weight: int = 1,
) -> Corpus:
    """``all_examples`` keeps every WordNet example sentence and fills the rest of
    ``wordnet_limit`` with glosses.  ``exclude``: lines never to train on (an earlier
    held-out split, so a continued model is measured on the same unseen text).
    ``example_weight`` repeats the training split's WordNet example sentences (with
    ``all_examples``): everyday sentences teach grammar, glosses mostly teach facts.
    ``facts`` (e.g. ``geo_facts.geo_fact_lines``) go to training only, ``facts_weight`` times,
    so the held-out split stays comparable with corpora built without them."""
    rng = random.Random(seed)
    banned: set[tuple[str, ...]] = set()
    for text in eval_texts:
        banned |= ngrams(text)
    stories = [s for s in stories_path.read_text(encoding="utf-8").splitlines() if s.strip()]
    rng.shuffle(stories)
    n_held = max(1, int(len(stories) * heldout_fraction))
    held_stories, train_stories = stories[:n_held], stories[n_held:]
    if all_examples:
        glosses, examples = wordnet_lines(wordnet_dir, split=True)
        rng.shuffle(glosses)
        wn = examples + glosses[:max(0, wordnet_limit - len(examples))]
        rng.shuffle(wn)
    else:
        wn = wordnet_lines(wordnet_dir)
        rng.shuffle(wn)
        wn = wn[:wordnet_limit]
    n_wn_held = int(len(wn) * heldout_fraction / 2)
    dropped = 0

    def keep(chunks: list[str]) -> list[str]:
        nonlocal dropped
        kept = [c for c in chunks if not overlaps(c, banned)]
        dropped += len(chunks) - len(kept)
        return kept

    train_chunks = keep([c for s in train_stories for c in story_chunks(s)])
    held_chunks = keep([c for s in held_stories for c in story_chunks(s)])
    train_wn = keep(wn[n_wn_held:])
    if all_examples and example_weight > 1:
        example_set = set(examples)
        train_wn += [line for line in train_wn if line in example_set] * (example_weight - 1)
    train = train_chunks * story_weight + train_wn + keep(facts or []) * facts_weight
    heldout = held_chunks + keep(wn[:n_wn_held])
    if exclude:
        train = [line for line in train if line not in exclude]
    rng.shuffle(train)
    return Corpus(train=train, heldout=heldout, dropped=dropped)
