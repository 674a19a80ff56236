"""Found walking the Chinese course at 80×24 (issue 20: "wide characters lay out right"):
Chinese prose wraps early.  "欢迎！这门课讲的是 BERT" fills 23 of 70 cells and the rest of
the sentence starts the next line; on home "。" stands alone on a line.

Cause: Textual wraps only at whitespace (textual._wrap: chunks are ``\\S+\\s*``), so a run of
Chinese between two spaces is one "word" that moves to the next line whole.  Chinese may
break between any two characters.  The check below is the greedy rule: the first unit of a
line (a CJK character, or a Latin word) must not have fitted at the end of the line before.
English paragraphs pass it (the control), Chinese ones fail today.
"""
from __future__ import annotations

import unicodedata

import pytest
from rich.cells import cell_len
from textual.geometry import Region

from tests.app.conftest import fake_app, settle, step_ready
from tutor.i18n import set_language


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


OPENING = "“‘（《「『【"
CLOSING = "”’，。、；：！？）》」』】…"


def first_unit(text: str) -> str:
    """What may not be split at the start of ``text``: opening marks with what follows them, a
    wide character with its closing marks (Chinese line-breaking rules), or a Latin word."""
    opening = len(text) - len(text.lstrip(OPENING))
    rest = text[opening:]
    if rest and is_wide(rest[0]):
        body = rest[0] + rest[1:][:len(rest[1:]) - len(rest[1:].lstrip(CLOSING))]
    else:
        body = rest.split(" ")[0]
    return text[:opening] + body


def is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def early_breaks(lines: list[str], width: int) -> list[tuple[str, str]]:
    """(line, next line) pairs where the next line's first unit would have fitted."""
    found = []
    for line, after in zip(lines, lines[1:]):
        line, after = line.rstrip(), after.lstrip()
        if not line or not after:
            continue
        unit = first_unit(after)
        # a space may separate Chinese from a Latin word ("Devlin 等人"): count it unless both are wide
        gap = 0 if is_wide(after[0]) and is_wide(line[-1]) else 1
        if cell_len(line) + gap + cell_len(unit) <= width:
            found.append((line, after))
    return found


async def paragraph_breaks(lang: str, lesson_id: str, step: int) -> list[tuple[str, str]]:
    app = fake_app(lang=lang, settings_path=None)
    found = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.open_lesson(lesson_id, step=step - 1)
        await settle(pilot)
        await step_ready(pilot)
        for paragraph in app.screen.query("#lesson-body MarkdownParagraph"):
            width = paragraph.content_region.width
            strips = paragraph.render_lines(Region(0, 0, paragraph.size.width, paragraph.size.height))
            found += early_breaks([strip.text for strip in strips], width)
    return found


STEPS = [("welcome", 1), ("bert-vs-word2vec", 4), ("tokens", 2)]


@pytest.mark.parametrize(("lesson_id", "step"), STEPS)
async def test_english_prose_fills_its_lines(lesson_id, step):
    """The control: greedy wrapping at spaces passes the check."""
    assert await paragraph_breaks("en", lesson_id, step) == []


@pytest.mark.parametrize(("lesson_id", "step"), STEPS)
async def test_chinese_prose_breaks_between_characters_not_only_at_spaces(lesson_id, step):
    """No line of Chinese prose ends while the next line's first character would still fit."""
    assert await paragraph_breaks("zh", lesson_id, step) == []
