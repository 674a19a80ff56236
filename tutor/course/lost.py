"""Exercises that would vanish without a word: a deleted fence line turns a quiz into prose
(learners read its YAML, ``correct: true`` included), a misspelt kind turns it into code.

:func:`check_lost` warns where text or a code block looks like a block's fields, and where a
block's opening fence sits inside a code block (a fence above is missing or extra).
:func:`lost_exercises` is for the app: it compares a lesson with the progress saved for it.
"""
from __future__ import annotations

import re
from typing import Collection

from tutor.course.blocks import BLOCK_TYPES, InvalidBlock, Lesson, MarkdownBlock
from tutor.course.build import BUILDERS
from tutor.course.problems import WARNING, Problem, Sink
from tutor.i18n import _, ngettext

# Keys that only a block of that kind would have; two fields of one kind, one of them from
# here, and the lines are taken for that block.
_TELLING = {"cloze": {"passage", "blanks"}, "quiz": {"question", "choices", "correct"},
            "fill-mask": {"top_k", "guess"}, "slide": {"zh", "en", "live"},
            "attention": {"head", "focus"}, "tokens": {"onehot"}, "masking": {"rate", "seed"},
            "embeddings": {"sentences", "groups"}, "finetune": {"compare_scratch"},
            "pretrain": {"probe"}}
_NESTED = {"cloze": ("options", "answer", "explain", "hint", "why"),
           "quiz": ("text", "correct", "explain")}
FIELDS = {kind: {"id", "expect", *BUILDERS[kind].fields, *_NESTED.get(kind, ())}  # type: ignore[attr-defined]
          for kind in BLOCK_TYPES}

_KEY_AT_START = re.compile(r"^\s*(?:-\s+)?\{?\s*([a-z_]+)\s*:(?:\s|$)")
_FLOW_KEY = re.compile(r"[{,]\s*([a-z_]+)\s*:\s")
_KIND_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([a-z-]+)\s*$")


def looks_like(keys: set[str]) -> str | None:
    """The block kind whose fields ``keys`` look like, or None."""
    for kind, telling in _TELLING.items():
        if keys & telling and len(keys & FIELDS[kind]) >= 2:
            return kind
    return None


def _keys(line: str) -> set[str]:
    found = set(_FLOW_KEY.findall(line))
    match = _KEY_AT_START.match(line)
    if match:
        found.add(match.group(1))
    return found


def _runs(numbered: list[tuple[int, str]]):
    """(first line, keys) of each run of YAML-looking lines: key lines and the indented or
    list lines that follow them, until prose that is neither."""
    first, keys = 0, set()
    for line_no, line in numbered:
        found = _keys(line)
        continuing = bool(keys) and (line[:1] in (" ", "\t", "-") or not line.strip())
        if found:
            first = first or line_no
            keys |= found
        elif not continuing:
            if keys:
                yield first, keys
            first, keys = 0, set()
    if keys:
        yield first, keys


def check_lost(lesson: Lesson, lines: list[str], code_fences, sink: Sink) -> None:
    """Warn where prose or a plain code block looks like a block that is not one."""
    in_code = set()
    for first, end, token in code_fences:
        in_code.update(range(first, end))
        _check_code(first, end, token, lines, sink)
    for step in lesson.steps:
        for block in step.blocks:
            if not isinstance(block, MarkdownBlock):
                continue
            start = block.line - 1
            numbered = [(i + 1, lines[i]) for i in range(start, start + block.text.count("\n") + 1)
                        if i < len(lines) and i not in in_code]
            for line_no, keys in _runs(numbered):
                kind = looks_like(keys)
                if kind:
                    sink.warning(line_no, _("these lines look like the fields of a {kind} block but show as text: "
                                            "is its opening {fence} line missing?").format(kind=kind,
                                                                                           fence="```" + kind))


def _check_code(first: int, end: int, token, lines: list[str], sink: Sink) -> None:
    marker = token.markup
    for index in range(first + 1, end):
        match = _KIND_FENCE.match(lines[index])
        if (match and match.group(2) in BLOCK_TYPES and match.group(1)[0] == marker[0]
                and len(match.group(1)) >= len(marker)):
            sink.warning(index + 1, _("a {kind} block starts inside the code block of line {line}, so it shows "
                                      "as code: a fence line above is missing or extra").format(
                kind=match.group(2), line=first + 1))
            return
    # whatever the info says ('yaml', nothing, a typo such as 'quxz'): code does not read
    # like 'question:' + 'choices:'
    body = [(first + 2 + i, text) for i, text in enumerate(token.content.split("\n"))]
    for _line, keys in _runs(body):
        kind = looks_like(keys)
        if kind:
            info = token.info.strip()
            message = (_("this code block ({fence}) looks like a {kind} block; start it with {start} to make it one")
                       if info else _("this code block looks like a {kind} block; start it with {start} to make it one"))
            sink.warning(first + 1, message.format(fence=marker + info, kind=kind, start=marker + kind))
            return


def graded_ids(lesson: Lesson) -> list[str]:
    """Ids of the lesson's graded blocks, broken ones included (they still show, with errors)."""
    return [b.id for b in lesson.blocks()
            if b.graded or (isinstance(b, InvalidBlock) and getattr(
                BLOCK_TYPES.get(b.written_kind), "graded", False))]


def lost_exercises(lesson: Lesson, saved: int | Collection[str]) -> Problem | None:
    """A warning when the lesson has fewer graded exercises than the progress saved for it.

    ``saved`` is the number of graded blocks the learner's progress knows for this lesson, or
    their ids (then any saved id no longer in the file counts, even if the number is the same).
    None when nothing was lost.
    """
    now = graded_ids(lesson)
    if isinstance(saved, int):
        missing, count = [], saved
        if len(now) >= saved:
            return None
    else:
        missing = sorted(set(saved) - set(now))
        count = len(set(saved))
        if not missing:
            return None
    names = _(" (no longer found: {ids})").format(ids=", ".join(missing)) if missing else ""
    message = ngettext("your saved progress has {count} graded exercise in lesson '{id}' but the file now has "
                       "{now}{missing}: an edit may have lost some; run 'bert-tutor lessons check {file}'",
                       "your saved progress has {count} graded exercises in lesson '{id}' but the file now has "
                       "{now}{missing}: an edit may have lost some; run 'bert-tutor lessons check {file}'", count)
    return Problem(str(lesson.path), 1, message.format(count=count, id=lesson.id, now=len(now), missing=names,
                                                       file=lesson.path), WARNING)
