"""Where sentences end: one rule for the PLL scorer (which sentence around a blank is scored)
and the corpus builders (stories cut into sentences and 2-sentence chunks).

A sentence ends at a run of ``.``, ``!`` or ``?`` plus any closing quotes or brackets, when
whitespace or the end of the text follows.  That is all the cloze texts and the TinyStories
sample need; a library segmenter (pysbd) also keeps quoted speech and "Mr." together, but
it changes the scored sentence in 314 of the 718 sample stories and is ~200x slower.
No torch, no textual: the unit tests import this without a model.
"""
from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*(?=\s|$)")
# Prose only: a break also needs a capital next ('"Why?" he asked.' is one sentence).
_STARTS_SENTENCE = re.compile(r"\s*[\"']?[A-Z]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; together they cover ``text`` but its trailing whitespace
    (a sentence's leading whitespace belongs to it).  Case is ignored: a learner may type in lower case."""
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def split_sentences(text: str) -> list[str]:
    """The sentences of edited prose, stripped: a break counts only before a capital letter
    (after an optional opening quote), so '"Why?" he asked.' stays whole."""
    merged: list[list[int]] = []
    for start, end in sentence_spans(text):
        if merged and not _STARTS_SENTENCE.match(text, start):
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [text[start:end].strip() for start, end in merged if text[start:end].strip()]
