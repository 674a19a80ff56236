"""``lessons check --with-model``: warnings where the live BERT disagrees with a lesson's key.

A cloze whose key BERT rejects is not wrong — sometimes that *is* the lesson — but the author
should know before a learner asks.  The engine is passed in (duck-typed: ``rank_options``,
``fill_mask``, optionally ``info``), so this module never imports torch and tests can use a
fake engine.
"""
from __future__ import annotations

from typing import Iterable

from tutor.course.blanks import count_blanks, normalize_blanks
from tutor.course.blocks import AttentionBlock, ClozeBlock, EmbeddingsBlock, FillMaskBlock, Lesson
from tutor.course.problems import WARNING, Problem


def lint_with_model(lessons: Iterable[Lesson], engine) -> list[Problem]:
    """Warnings for every lesson; each is also appended to its lesson's ``problems``."""
    found: list[Problem] = []
    info = _info(engine)
    for lesson in lessons:
        for block in lesson.blocks():
            try:
                messages = list(_check_block(block, engine, info))
            except Exception as exc:  # a refused input (too long...) is a finding, not a crash
                messages = [(block.line, f"{block.kind} '{block.id}': the model could not check "
                                         f"it: {' '.join(str(exc).split()) or type(exc).__name__}")]
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


def _check_block(block, engine, info: dict):
    if isinstance(block, ClozeBlock):
        yield from _cloze(block, engine)
    elif isinstance(block, FillMaskBlock) and block.answers:
        yield from _fill_mask(block, engine)
    elif isinstance(block, AttentionBlock):
        for name, value, limit in (("layer", block.layer, info.get("layers")),
                                   ("head", block.head, info.get("heads"))):
            if value is not None and isinstance(limit, int) and value > limit:
                yield block.line, (f"attention '{block.id}': {name} {value} does not exist; "
                                   f"the model has {limit} {name}s")
    elif isinstance(block, EmbeddingsBlock):
        limit = info.get("layers")
        if block.layer is not None and isinstance(limit, int) and block.layer > limit:
            yield block.line, (f"embeddings '{block.id}': layer {block.layer} does not exist; "
                               f"the model has layers 0..{limit}")


def _cloze(block: ClozeBlock, engine):
    """Rank each blank's options with the other blanks filled by their keys."""
    for spec in block.blanks:
        if not spec.options:
            continue
        text = block.text_with_blank(spec.number)
        scores = list(engine.rank_options(text, list(spec.options)))
        if not scores:
            continue
        best = max(scores, key=lambda s: s.score)
        if best.option in spec.answers:
            continue
        keys = [s for s in scores if s.option in spec.answers]
        key = max(keys, key=lambda s: s.score) if keys else None
        versus = (f" over the key '{key.option}' ({key.probability:.2f})" if key
                  else f" over the key '{spec.answer}'")
        yield spec.line, (f"cloze '{block.id}' blank {spec.number}: BERT prefers "
                          f"'{best.option}' ({best.probability:.2f}){versus}")


def _fill_mask(block: FillMaskBlock, engine):
    """Is an accepted answer in BERT's top-k for the (first) blank?"""
    if count_blanks(block.text) == 0:
        return
    results = engine.fill_mask(normalize_blanks(block.text), top_k=block.top_k)
    if not results:
        return
    top = [str(token) for token, _ in results[0]]
    wanted = {_word(a) for a in block.answers}
    if not wanted & {_word(t) for t in top}:
        shown = ", ".join(f"'{t}'" for t in top)
        answers = ", ".join(f"'{a}'" for a in block.answers)
        yield block.line, (f"fill-mask '{block.id}': no accepted answer ({answers}) in BERT's "
                           f"top {block.top_k} ({shown})")


def _word(token: str) -> str:
    """Compare as words: case ignored, BPE word-start marks (Ġ, ▁) dropped."""
    return token.strip().lstrip("Ġ▁").casefold()
