"""Three small classification tasks cut from story text, for the fine-tuning lab's four panels
(the fourth is WordNet topics).  Lecture, Fig. 2 (Hao et al. 2019) compares fine-tuning with
training from scratch on four data sets; these are ours:

* ``next_sentence``: does sentence B come right after sentence A in the story, or is B from
  another story?  (BERT's own next-sentence task.)
* ``word_order``: a story sentence as written, or the same words shuffled?  (Like CoLA's
  "is this English?", with the ungrammatical half made by shuffling.)
* ``feeling``: given two sentences, does the next one say the character was happy or sad?
  The sentence that says so is not shown: the model must read what happened.

Every choice is a SHA-256 rank of a fixed key, so the files rebuild byte for byte; whole
stories go to train or test, so no test sentence was seen in training.  No torch here.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from tutor.corpus.sentences import split_sentences

SEED = 0
TEST_SHARE = 0.2
HAPPY = re.compile(r"\b(happy|glad|excited|proud|joyful)\b", re.IGNORECASE)
SAD = re.compile(r"\b(sad|upset|angry|scared|afraid|unhappy|mad)\b", re.IGNORECASE)
MIN_WORDS, MAX_WORDS = 4, 30


@dataclass(frozen=True)
class TaskSpec:
    folder: str
    labels: tuple[str, ...]
    train_per_label: int
    test_per_label: int
    summary: str


SPECS = {
    "next_sentence": TaskSpec("next_sentence", ("follows", "random"), 300, 100,
                              "does sentence B (`text_b`) come right after sentence A (`text`) in the story "
                              "(`follows`), or is it a sentence from another story (`random`)?"),
    "word_order": TaskSpec("word_order", ("real", "shuffled"), 300, 100,
                           "is the sentence as the story wrote it (`real`), or the same words in a "
                           "shuffled order (`shuffled`)?"),
    "feeling": TaskSpec("feeling", ("happy", "sad"), 240, 60,
                        "two story sentences; does the story's next sentence say the character felt "
                        "`happy` or `sad`?  That next sentence is not shown."),
}


@dataclass(frozen=True)
class Task:
    """One panel of the fine-tuning lab (``tutor.engine.finetune`` trains it)."""

    name: str
    folder: str     # under assets/data
    title: str      # the panel's title
    question: str   # what the classifier answers
    max_len: int    # tokens per example: two sentences need more room than one


TASKS = {t.name: t for t in (
    Task("topics", "wordnet_topics", "topic of a definition?", "which of 6 topics is a WordNet definition about?", 32),
    Task("next-sentence", "next_sentence", "does B follow A?", "does sentence B come right after A in the story?", 64),
    Task("word-order", "word_order", "real or shuffled?", "is this story sentence as written, or its words shuffled?",
         32),
    Task("feeling", "feeling", "happy or sad next?", "after these two sentences, is the character happy or sad?", 64),
)}


def rank(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in (SEED, *parts)).encode()).hexdigest()


def split_stories(stories: list[str]) -> tuple[list[list[str]], list[list[str]]]:
    """(train, test) stories as sentence lists; the test share chosen by rank of the story."""
    order = sorted(range(len(stories)), key=lambda i: rank("story", stories[i]))
    n_test = round(len(stories) * TEST_SHARE)
    test = {i for i in order[:n_test]}
    sentences = [split_sentences(s) for s in stories]
    return ([sentences[i] for i in range(len(stories)) if i not in test],
            [sentences[i] for i in range(len(stories)) if i in test])


def _fits(sentence: str) -> bool:
    return MIN_WORDS <= len(sentence.split()) <= MAX_WORDS


def _take(candidates: list[tuple[str, dict]], n: int, what: str) -> list[dict]:
    if len(candidates) < n:
        raise ValueError(f"only {len(candidates)} {what}; need {n}")
    return [row for _, row in sorted(candidates, key=lambda c: c[0])[:n]]


def _mix(rows: list[dict]) -> list[dict]:
    """Labels interleaved by rank, so a file never lists one label first."""
    return sorted(rows, key=lambda r: rank("order", r.get("text"), r.get("text_b"), r["label"]))


def next_sentence(stories: list[list[str]], per_label: int, part: str, seen: frozenset = frozenset()) -> list[dict]:
    pairs = [(a, b, n) for n, story in enumerate(stories) for a, b in zip(story, story[1:])
             if _fits(a) and _fits(b) and a not in seen and b not in seen]
    pool = [(s, n) for n, story in enumerate(stories) for s in story if _fits(s)]
    ranked = sorted(pairs, key=lambda p: rank(part, "pair", p[0], p[1]))
    follows = [{"text": a, "text_b": b, "label": "follows"} for a, b, _ in ranked[:per_label]]
    randoms = []
    for a, _, n in ranked[per_label:]:
        if len(randoms) == per_label:
            break
        start = int(rank(part, "other", a), 16) % len(pool)
        # the first sentence from another story at or after a ranked position
        other = next((s for s, m in pool[start:] + pool[:start] if m != n), None)
        if other is not None:
            randoms.append({"text": a, "text_b": other, "label": "random"})
    if len(randoms) < per_label:
        raise ValueError(f"only {len(randoms)} random pairs; need {per_label}")
    return _mix(follows + randoms)


def shuffled(sentence: str) -> str:
    """The sentence's words in an order fixed by their hash; the end mark stays at the end."""
    end = sentence[-1] if sentence[-1] in ".!?" else ""
    words = (sentence[:-1] if end else sentence).split()
    order = sorted(range(len(words)), key=lambda j: rank("shuffle", sentence, j))
    if order == sorted(order):
        order = order[1:] + order[:1]
    return " ".join(words[j] for j in order) + end


def word_order(stories: list[list[str]], per_label: int, part: str, seen: frozenset = frozenset()) -> list[dict]:
    # no commas or quotes: they would mark a shuffle by where they land, not by word order
    plain = sorted({s for story in stories for s in story
                    if 6 <= len(s.split()) <= 16 and not re.search(r"[,\"']", s) and s not in seen},
                   key=lambda s: rank(part, "sentence", s))
    if len(plain) < 2 * per_label:
        raise ValueError(f"only {len(plain)} plain sentences; need {2 * per_label}")
    real = [{"text": s, "label": "real"} for s in plain[:per_label]]
    mixed = [{"text": shuffled(s), "label": "shuffled"} for s in plain[per_label:2 * per_label]]
    return _mix(real + mixed)


def feeling(stories: list[list[str]], per_label: int, part: str, seen: frozenset = frozenset()) -> list[dict]:
    found: dict[str, list[tuple[str, dict]]] = {"happy": [], "sad": []}
    for story in stories:
        for i in range(2, len(story)):
            happy, sad = bool(HAPPY.search(story[i])), bool(SAD.search(story[i]))
            context = f"{story[i - 2]} {story[i - 1]}"
            if happy == sad or HAPPY.search(context) or SAD.search(context) or not _fits(context) \
                    or story[i - 2] in seen or story[i - 1] in seen:
                continue
            label = "happy" if happy else "sad"
            found[label].append((rank(part, "feeling", context), {"text": context, "label": label}))
    return _mix(_take(found["happy"], per_label, "happy contexts") + _take(found["sad"], per_label, "sad contexts"))


BUILDERS = {"next_sentence": next_sentence, "word_order": word_order, "feeling": feeling}


def build_task(name: str, stories: list[str]) -> tuple[list[dict], list[dict], list[str]]:
    """(train rows, test rows, labels) of task ``name`` from whole stories (one per string)."""
    spec, build = SPECS[name], BUILDERS[name]
    train_stories, test_stories = split_stories(stories)
    # a sentence that also occurs in a training story ("Lily was happy.") never enters a test row
    seen = frozenset(s for story in train_stories for s in story)
    return (build(train_stories, spec.train_per_label, "train"),
            build(test_stories, spec.test_per_label, "test", seen), list(spec.labels))
