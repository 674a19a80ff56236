"""``lessons check --with-model``: warnings where the live BERT disagrees with a lesson.

A cloze whose key BERT rejects is not wrong — sometimes that *is* the lesson — but the author
should know before a learner asks.  Where the prose makes a claim about the shipped model, the
block says so in ``expect:`` (fill-mask ``top``/``not_top``: words in or out of the top k BERT
shows; cloze ``bert_right``/``bert_wrong``: blanks BERT gets right or misses), and a claim the
model contradicts is reported at the ``expect:`` line.  A blank declared ``bert_wrong`` is
not reported again as "BERT prefers...".  Answers are the model's exact fp32 ones where the
engine offers the choice (``precise=True``).

The engine is passed in (duck-typed: ``rank_options``, ``fill_mask``, optionally ``info`` and
``rank_blanks``), so this module never imports torch and tests can use a fake engine.
"""
from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from tutor.course.blanks import count_blanks, normalize_blanks
from tutor.course.blocks import AttentionBlock, ClozeBlock, EmbeddingsBlock, FillMaskBlock, Lesson
from tutor.course.problems import WARNING, Problem
from tutor.i18n import _


def lint_with_model(lessons: Iterable[Lesson], engine,
                    progress: Callable[[int, int, Lesson], None] | None = None) -> list[Problem]:
    """Warnings for every lesson; each is also appended to its lesson's ``problems``.
    ``progress(done, total, lesson)`` is called before each lesson is asked about."""
    found: list[Problem] = []
    info = _info(engine)
    lessons = list(lessons)
    for done, lesson in enumerate(lessons):
        if progress is not None:
            progress(done, len(lessons), lesson)
        source = _source_lines(lesson)
        for block in lesson.blocks():
            try:
                messages = list(_check_block(block, engine, info, _expect_line(source, block)))
            except Exception as exc:  # a refused input (too long...) is a finding, not a crash
                messages = [(block.line, _("{kind} '{id}': the model could not check it: {error}").format(
                    kind=block.kind, id=block.id, error=" ".join(str(exc).split()) or type(exc).__name__))]
            for line, message in messages:
                problem = Problem(str(lesson.path), line, message, WARNING)
                lesson.problems.append(problem)
                found.append(problem)
    return found


def _info(engine) -> dict:
    try:
        return dict(engine.info()) if hasattr(engine, "info") else {}
    except Exception:
        return {}


def _source_lines(lesson: Lesson) -> list[str]:
    try:
        return Path(lesson.path).read_text(encoding="utf-8").splitlines() if lesson.path else []
    except (OSError, UnicodeDecodeError):
        return []


def _expect_line(source: list[str], block) -> int:
    """The file line of the block's ``expect:`` field (its fence line when not found)."""
    for number in range(block.line + 1, len(source) + 1):
        line = source[number - 1]
        if line.startswith("```"):
            break
        if re.match(r"expect\s*:", line):
            return number
    return block.line


def _precise(method) -> dict:
    """``precise=True`` (the fp32 answers) where the engine's method takes it."""
    try:
        params = inspect.signature(method).parameters.values()
    except (TypeError, ValueError):
        return {}
    takes = any(p.name == "precise" or p.kind is p.VAR_KEYWORD for p in params)
    return {"precise": True} if takes else {}


def _check_block(block, engine, info: dict, expect_line: int):
    if getattr(block, "model", "") and block.model != info.get("name"):
        # a block that names another model (lesson 8's multilingual views) is sized by that model,
        # not the one checked here; its view reports a layer or head it lacks when it runs
        return
    if isinstance(block, ClozeBlock):
        yield from _cloze(block, engine, expect_line)
    elif isinstance(block, FillMaskBlock) and (block.answers or block.expect):
        yield from _fill_mask(block, engine, expect_line)
    elif isinstance(block, AttentionBlock):
        for message, value, limit in (
                (_("attention '{id}': layer {value} does not exist; the model has {limit} layers"), block.layer,
                 info.get("layers")),
                (_("attention '{id}': head {value} does not exist; the model has {limit} heads"), block.head,
                 info.get("heads"))):
            if value is not None and isinstance(limit, int) and value > limit:
                yield block.line, message.format(id=block.id, value=value, limit=limit)
    elif isinstance(block, EmbeddingsBlock):
        limit = info.get("layers")
        if block.layer is not None and isinstance(limit, int) and block.layer > limit:
            yield block.line, _("embeddings '{id}': layer {value} does not exist; the model has layers "
                                "0..{limit}").format(id=block.id, value=block.layer, limit=limit)


class _Ranked(NamedTuple):
    option: str
    score: float
    probability: float


def _rank(engine, asked: list[tuple[str, list[str]]]) -> list:
    """Every blank's scores: in one call where the engine ranks a passage at once (the
    exercise's ``rank_blanks``: a third of the time on Li Hua's passage), else blank by blank."""
    if not asked:
        return []
    if hasattr(engine, "rank_blanks"):
        return engine.rank_blanks(asked)
    return [engine.rank_options(text, options, **_precise(engine.rank_options)) for text, options in asked]


def _cloze(block: ClozeBlock, engine, expect_line: int):
    """Rank each blank's options with the other blanks filled by their keys."""
    claims = dict(block.expect)
    right, wrong = set(claims.get("bert_right", ())), set(claims.get("bert_wrong", ()))
    asked = block.ranking_requests()  # as the exercise asks: "(no word)" is read as nothing
    every = _rank(engine, [(text, options) for _spec, text, options in asked])
    for (spec, _text, _options), scores in zip(asked, every):
        scores = [_Ranked(o, s.score, s.probability) for o, s in zip(spec.options, scores)]  # the lesson's names
        if not scores:
            continue
        best = max(scores, key=lambda s: s.score)
        keys = [s for s in scores if s.option in spec.answers]
        key = max(keys, key=lambda s: s.score) if keys else None
        label = _("cloze '{id}' blank {n}").format(id=block.id, n=spec.number)
        number = str(spec.number)
        p = f"{best.probability:.2f}"
        if best.option in spec.answers:
            if number in wrong:
                yield expect_line, _("{label}: claim contradicted: the lesson expects BERT to miss it (bert_wrong), "
                                     "but BERT chooses the key '{option}' ({p})").format(
                    label=label, option=best.option, p=p)
            continue
        versus = (_("over the key '{key}' ({p})").format(key=key.option, p=f"{key.probability:.2f}") if key
                  else _("over the key '{key}'").format(key=spec.answer))
        if number in right:
            yield expect_line, _("{label}: claim contradicted: the lesson expects BERT to get it right "
                                 "(bert_right), but BERT prefers '{option}' ({p}) {versus}").format(
                label=label, option=best.option, p=p, versus=versus)
        elif number not in wrong:  # a miss the lesson announces is not news
            yield spec.line, _("{label}: BERT prefers '{option}' ({p}) {versus}").format(
                label=label, option=best.option, p=p, versus=versus)


def _fill_mask(block: FillMaskBlock, engine, expect_line: int):
    """Is an accepted answer in BERT's top-k for the (first) blank? Do the claims hold?"""
    if count_blanks(block.text) == 0:
        return
    results = engine.fill_mask(normalize_blanks(block.text), top_k=block.top_k,
                               **_precise(engine.fill_mask))
    if not results:
        return
    top = [str(token) for token, _ in results[0]]
    shown = ", ".join(f"'{t}'" for t in top)
    top_words = {_word(t) for t in top}
    label = f"fill-mask '{block.id}'"
    if block.answers and not {_word(a) for a in block.answers} & top_words:
        answers = ", ".join(f"'{a}'" for a in block.answers)
        yield block.line, _("{label}: no accepted answer ({answers}) in BERT's top {k} ({shown})").format(
            label=label, answers=answers, k=block.top_k, shown=shown)
    claims = dict(block.expect)
    for word in claims.get("top", ()):
        if _word(word) not in top_words:
            yield expect_line, _("{label}: claim contradicted: the lesson expects '{word}' in BERT's top {k}, "
                                 "but it is not there ({shown})").format(label=label, word=word, k=block.top_k,
                                                                          shown=shown)
    for word in claims.get("not_top", ()):
        if _word(word) in top_words:
            yield expect_line, _("{label}: claim contradicted: the lesson expects '{word}' not to be in BERT's "
                                 "top {k}, but it is ({shown})").format(label=label, word=word, k=block.top_k,
                                                                         shown=shown)


def _word(token: str) -> str:
    """Compare as words: case ignored, BPE word-start marks (Ġ, ▁) dropped."""
    return token.strip().lstrip("Ġ▁").casefold()
