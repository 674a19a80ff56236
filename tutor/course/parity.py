"""Language versions of one course: ``lessons/zh/05-cloze-exam.md`` translates ``lessons/05-cloze-exam.md``.

Progress is keyed by lesson id, block id and blank number, so a translation keeps every id,
step and graded fact of its original; only the words a learner reads change.  Model inputs
(cloze passages and options, fill-mask text, token sentences) stay as written, since the
bundled model reads English.  Problems point at the translation's lines.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from tutor.course.blocks import Block, Lesson
from tutor.course.problems import Problem, WARNING
from tutor.i18n import _

LANGUAGE_FOLDERS: tuple[str, ...] = ("zh",)  # a lessons folder's sub-folder per translation
# Block fields a translator rewrites; every other field is a model input or a graded fact.
TRANSLATED = frozenset({"title", "instructions", "explain", "hint", "question", "note", "en"})


def language_of(path: str | Path) -> str | None:
    """'zh' for a file or folder inside a ``zh`` folder (or the folder itself), else None."""
    path = Path(path)
    for part in (path, *path.parents):
        if part.name in LANGUAGE_FOLDERS:
            return part.name
    return None


def original_of(path: Path) -> Path | None:
    """The original a translated lesson file translates: the same name one folder up."""
    lang = language_of(path)
    if lang is None or path.parent.name != lang:
        return None
    candidate = path.parent.parent / path.name
    return candidate if candidate.is_file() else None


def fixed_fields(block: Block) -> dict:
    """What must not change between languages: every field but text for the reader."""
    translated = {"en"} if block.kind == "slide" else TRANSLATED
    out = {}
    for f in dataclasses.fields(block):
        if f.name in translated or f.name in {"line", "auto_id"}:
            continue
        value = getattr(block, f.name)
        if f.name == "blanks":
            value = [(b.number, b.answers, b.options, tuple(o for o, _ in b.why)) for b in value]
        elif f.name == "choices":
            value = [c.correct for c in value]
        out[f.name] = value
    return out


def version_problems(original: Lesson, translation: Lesson) -> list[Problem]:
    """How ``translation`` drifts from ``original``: ids, steps, blocks, answers, model inputs."""
    where = str(translation.path or "<lesson>")
    out: list[Problem] = []

    def warn(line: int, message: str) -> None:
        out.append(Problem(where, line, _("{problem} (the original {file} differs)").format(
            problem=message, file=Path(str(original.path)).name), WARNING))

    if translation.id != original.id:
        warn(translation.meta_lines.get("id", 1), _("lesson id '{id}' is not '{original}'").format(
            id=translation.id, original=original.id))
    if translation.requires != original.requires:
        warn(translation.meta_lines.get("requires", 1), _("requires {ids}, not {original}").format(
            ids=translation.requires, original=original.requires))
    if len(translation.steps) != len(original.steps):
        warn(1, _("{n} steps where the original has {original}").format(n=len(translation.steps),
                                                                         original=len(original.steps)))
    mine, theirs = list(translation.blocks()), list(original.blocks())
    for index, block in enumerate(mine):
        if index >= len(theirs):
            warn(block.line, _("{kind} '{id}' has no counterpart in the original").format(kind=block.kind, id=block.id))
            continue
        other = theirs[index]
        if (block.kind, block.id) != (other.kind, other.id):
            warn(block.line, _("{kind} '{id}' stands where the original has {other_kind} '{other_id}'").format(
                kind=block.kind, id=block.id, other_kind=other.kind, other_id=other.id))
            continue
        fixed, wanted = fixed_fields(block), fixed_fields(other)
        for name in sorted(k for k in wanted if fixed.get(k) != wanted[k]):
            warn(block.line, _("{kind} '{id}': '{field}' must stay as in the original").format(
                kind=block.kind, id=block.id, field=name))
    for other in theirs[len(mine):]:
        warn(1, _("the original's {kind} '{id}' is missing").format(kind=other.kind, id=other.id))
    return out


def glossary_problems(lesson: Lesson, text: str) -> list[Problem]:
    """A zh lesson that uses another word for a glossary term (see tutor/i18n/glossary.yaml)."""
    from tutor.i18n.glossary import misuses

    where = str(lesson.path or "<lesson>")
    return [Problem(where, m.line, str(m), WARNING) for m in misuses(text)]
