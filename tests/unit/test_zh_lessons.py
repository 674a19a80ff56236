"""The Simplified-Chinese course (lessons/zh/) against the English one.

Progress is keyed by lesson id, block id and blank number, so a zh lesson must keep every id,
every step and every graded fact of its English original; only the words a learner reads
change.  Model inputs (cloze passages and options, fill-mask text, token sentences...) stay
English because the bundled model is English-only.  Each zh file present is checked, so a
translation is covered the moment it lands.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.course import Block, MarkdownBlock, check_paths, load_lesson
from tutor.course.parity import fixed_fields
from tutor.i18n.glossary import misuses

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
ZH = LESSONS / "zh"
ZH_FILES = sorted(ZH.glob("[0-9]*.md"))

# Block fields a translator rewrites; every other field is a model input or a graded fact.
TRANSLATED = {"title", "instructions", "explain", "hint", "question", "note", "en"}
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
TWO_WORDS = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
# A line that starts a new Markdown block rather than continuing a paragraph.
BLOCK_START = re.compile(r"^(\s|[-*+] |\d+\. |[|#>]|$)")


def _pair(zh_path: Path):
    return load_lesson(LESSONS / zh_path.name), load_lesson(zh_path)


def _blocks(lesson) -> list[Block]:
    return list(lesson.blocks())


def _graded_fields(block: Block) -> dict:
    """What must not change between languages: the checker's own definition."""
    return fixed_fields(block)

def _reader_texts(block: Block) -> list[tuple[str, str]]:
    """(field, text) pairs the learner reads in the translated block (a slide's are the lecture's)."""
    if block.kind == "slide":
        return []
    texts = [(name, getattr(block, name)) for name in TRANSLATED - {"en"} if getattr(block, name, "")]
    for blank in getattr(block, "blanks", ()):
        texts += [(f"blank {blank.number} explain", blank.explain), (f"blank {blank.number} hint", blank.hint)]
        texts += [(f"blank {blank.number} why {option}", why) for option, why in blank.why]
    texts += [(f"choice {i + 1}", c.text) for i, c in enumerate(getattr(block, "choices", ()))]
    texts += [(f"choice {i + 1} explain", c.explain) for i, c in enumerate(getattr(block, "choices", ()))]
    return [(name, text) for name, text in texts if text]


def test_there_are_zh_lessons_and_an_order_file():
    assert len(ZH_FILES) >= 5
    assert all((LESSONS / p.name).exists() for p in ZH_FILES), "a zh lesson without an English original"
    entries = lambda path: [l.split("#", 1)[0].strip() for l in path.read_text(encoding="utf-8").splitlines()]
    assert [e for e in entries(ZH / "order.txt") if e] == [e for e in entries(LESSONS / "order.txt") if e]


@pytest.mark.parametrize("zh_path", ZH_FILES, ids=lambda p: p.stem)
def test_front_matter_and_steps_match(zh_path):
    en, zh = _pair(zh_path)
    assert (zh.id, zh.requires, zh.minutes) == (en.id, en.requires, en.minutes)
    assert CJK.search(zh.title) and CJK.search(zh.summary)
    assert len(zh.steps) == len(en.steps)
    for en_step, zh_step in zip(en.steps, zh.steps):
        assert [b.id for b in zh_step.interactive] == [b.id for b in en_step.interactive]
        assert bool(zh_step.title) == bool(en_step.title)
        if en_step.title:
            assert CJK.search(zh_step.title), f"step title not translated: {zh_step.title}"


@pytest.mark.parametrize("zh_path", ZH_FILES, ids=lambda p: p.stem)
def test_blocks_keep_kinds_answers_and_model_inputs(zh_path):
    en, zh = _pair(zh_path)
    en_blocks, zh_blocks = _blocks(en), _blocks(zh)
    assert [(b.id, b.kind) for b in zh_blocks] == [(b.id, b.kind) for b in en_blocks]
    for en_block, zh_block in zip(en_blocks, zh_blocks):
        assert _graded_fields(zh_block) == _graded_fields(en_block), zh_block.id
        if zh_block.kind == "quiz":
            assert len(zh_block.choices) == len(en_block.choices)
            assert zh_block.correct == en_block.correct


@pytest.mark.parametrize("zh_path", ZH_FILES, ids=lambda p: p.stem)
def test_what_the_learner_reads_is_chinese(zh_path):
    en, zh = _pair(zh_path)
    for en_block, zh_block in zip(_blocks(en), _blocks(zh)):
        english = dict(_reader_texts(en_block))
        for name, text in _reader_texts(zh_block):
            # "[CLS]" or "30,522" need no translation; a phrase of English words does.
            untranslatable = text == english.get(name) and not TWO_WORDS.search(text)
            assert untranslatable or CJK.search(text), f"{zh_block.id} {name}: {text!r}"
    prose = "".join(b.text for step in zh.steps for b in step.blocks if isinstance(b, MarkdownBlock))
    cjk, latin = len(CJK.findall(prose)), len(LATIN.findall(prose))
    assert cjk >= latin, f"prose is mostly Latin letters ({cjk} CJK, {latin} Latin)"


@pytest.mark.parametrize("zh_path", ZH_FILES, ids=lambda p: p.stem)
def test_no_line_break_inside_chinese_prose(zh_path):
    """Markdown renders a soft line break as a space, which shows as a stray gap between two
    Chinese characters: a zh paragraph stays on one line."""
    _, zh = _pair(zh_path)
    for step in zh.steps:
        for block in step.blocks:
            if not isinstance(block, MarkdownBlock):
                continue
            lines = block.text.split("\n")
            for before, after in zip(lines, lines[1:]):
                if before and not BLOCK_START.match(after) and not before.startswith("|"):
                    assert not (CJK.search(before[-1]) or CJK.search(after[0])), f"join these lines into one: {before!r} / {after!r}"


@pytest.mark.parametrize("zh_path", ZH_FILES, ids=lambda p: p.stem)
def test_glossary_terms_are_used(zh_path):
    found = misuses(zh_path.read_text(encoding="utf-8"))
    assert not found, [f"{zh_path.name}:{m.line}: {m}" for m in found]


def test_zh_lessons_check_clean_as_a_course_of_their_own():
    """The zh files checked together (requires resolve inside the zh course); the English
    course is not context, since the same ids are there on purpose."""
    problems = check_paths(ZH_FILES)
    assert not problems, [str(p) for p in problems]


def test_zh_order_file_names_only_translated_or_pending_lessons():
    problems = check_paths([ZH])
    translated = {p.name for p in ZH_FILES}
    pending = {p.name for p in LESSONS.glob("[0-9]*.md")} - translated
    unexpected = [str(p) for p in problems
                  if not any(f"'{name}' is not a lesson in this folder" in p.message for name in pending)]
    assert not unexpected
