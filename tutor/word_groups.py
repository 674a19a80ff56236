"""Word-level rows: merge a tokenizer's pieces into words, Chinese segmented by ``jieba``.

Attention and vectors come per piece; a learner reading Chinese wants them per word, and
Chinese has no spaces to tell where words end.  ``segment_words`` finds word spans in the
text (runs of Han characters are cut by jieba, everything else at spaces and punctuation);
``group_pieces`` maps each piece to the words its characters cover, merging words that share
a piece, so every group is a run of whole pieces.  No torch here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_HAN_RUN = re.compile(f"[{_HAN}]+")
_OTHER_WORD = re.compile(rf"(?:(?![{_HAN}])\w)+(?:['’](?:(?![{_HAN}])\w)+)*|[^\s{_HAN}]")


@dataclass(frozen=True)
class WordGroup:
    word: str   # the word as written in the text (a special token's own name)
    start: int  # first piece
    end: int    # one past the last piece


def word_pattern(word: str) -> str:
    """A regex for ``word`` in a sentence: a substring in scripts written without spaces
    (Chinese, Japanese), else a whole word."""
    word = word.strip()
    if re.search(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]", word):
        return re.escape(word)
    return rf"(?<!\w){re.escape(word)}(?!\w)"


def count_uses(sentence: str, word: str) -> int:
    """How often ``word`` appears in ``sentence`` (case ignored), as ``word_pattern`` finds it."""
    return len(re.findall(word_pattern(word), sentence, flags=re.IGNORECASE)) if word.strip() else 0


def segment_words(text: str) -> list[tuple[int, int]]:
    """Character spans [start, end) of the words in ``text``, in order."""
    spans: list[tuple[int, int]] = []
    position = 0
    for han in _HAN_RUN.finditer(text):
        spans += [m.span() for m in _OTHER_WORD.finditer(text, position, han.start())]
        spans += [(han.start() + s, han.start() + e) for _, s, e in _jieba().tokenize(han.group())]
        position = han.end()
    spans += [m.span() for m in _OTHER_WORD.finditer(text, position)]
    return spans


def group_pieces(text: str, tokens: list[str], offsets: list[tuple[int, int]]) -> list[WordGroup]:
    """Runs of pieces that make up each word.  A piece with an empty span (``<s>``, ``</s>``,
    ``[CLS]``) stays alone; a piece that covers no word character (a bare "▁") joins the
    word after it."""
    spans = segment_words(text)
    word_of = np.full(len(text) + 1, -1)
    for w, (s, e) in enumerate(spans):
        word_of[s:e] = w
    groups: list[WordGroup] = []
    current: list[int] | None = None  # [first piece, last word]
    pending: int | None = None        # first of the pieces waiting for the next word

    def close(end: int) -> None:
        nonlocal current
        if current is not None:
            first_word, last_word = current[2], current[1]
            groups.append(WordGroup(text[spans[first_word][0]:spans[last_word][1]], current[0], end))
            current = None

    for i, (s, e) in enumerate(offsets):
        if e <= s:
            close(i)
            if pending is not None:
                groups.append(WordGroup("".join(tokens[pending:i]), pending, i))
                pending = None
            groups.append(WordGroup(tokens[i], i, i + 1))
            continue
        words = word_of[s:e][word_of[s:e] >= 0]
        if words.size == 0:
            pending = i if pending is None else pending
            continue
        if current is not None and words.min() <= current[1]:
            current[1] = max(current[1], int(words.max()))
        else:
            close(i if pending is None else pending)
            current = [i if pending is None else pending, int(words.max()), int(words.min())]
        pending = None
    close(len(offsets) if pending is None else pending)
    if pending is not None:
        groups.append(WordGroup("".join(tokens[pending:]), pending, len(offsets)))
    return groups


def averaging_matrix(groups: list[WordGroup], n_pieces: int) -> np.ndarray:
    """[words, pieces]: each row averages its word's pieces."""
    out = np.zeros((len(groups), n_pieces))
    for w, g in enumerate(groups):
        out[w, g.start:g.end] = 1.0 / (g.end - g.start)
    return out


def merge_attention(weights: np.ndarray, groups: list[WordGroup]) -> np.ndarray:
    """[..., pieces, pieces] attention to [..., words, words]: a word attends with the mean of its
    pieces' rows, and is attended to with the sum of its pieces' columns — rows still sum to 1."""
    average = averaging_matrix(groups, weights.shape[-1])
    total = (average > 0).T.astype(np.float64)
    return (average @ np.asarray(weights, dtype=np.float64) @ total).astype(np.float32)


def merge_vectors(vectors: np.ndarray, groups: list[WordGroup]) -> np.ndarray:
    """[..., pieces, hidden] to [..., words, hidden]: each word the mean of its pieces."""
    average = averaging_matrix(groups, vectors.shape[-2])
    return (average @ np.asarray(vectors, dtype=np.float64)).astype(np.float32)


def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # it logs its dictionary loading, which would scribble on the TUI
    return jieba


def marker_groups(tokens: list[str], specials: frozenset[str] | set[str] = frozenset()) -> list[WordGroup]:
    """Words from the pieces' own marks, for a tokenizer that gives no character offsets: a
    WordPiece ``##`` piece continues the word before it, and so does a SentencePiece piece
    without the ``▁`` word-start mark.  Special tokens stay alone."""
    sentencepiece = any(t.startswith("▁") for t in tokens)
    groups: list[WordGroup] = []
    for i, token in enumerate(tokens):
        continues = token not in specials and (token.startswith("##") or (sentencepiece and not token.startswith("▁")))
        last = groups[-1] if groups else None
        if continues and last is not None and tokens[last.start] not in specials:
            groups[-1] = WordGroup(last.word + token.removeprefix("##"), last.start, i + 1)
        else:
            groups.append(WordGroup(token if token in specials else (token.removeprefix("▁") or token), i, i + 1))
    return groups
