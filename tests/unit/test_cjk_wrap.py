"""Chinese text wraps between characters (lines are filled, punctuation stays attached), and
English wraps exactly as Textual and Rich wrap it on their own."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from tutor import cjk_wrap

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
PARAGRAPH = ("BERT 的预训练是自监督学习：把句子里的一些词元换成 [MASK]，再让模型根据上下文"
             "猜出原来的词元。这样，海量没有标注的文本（比如维基百科）就都能拿来训练，"
             "不需要任何人手工标注。“遮蔽语言模型”说的就是这件事。")
CLOSING = "，。、；：！？）》」』”"


@pytest.fixture(autouse=True)
def installed():
    import rich._wrap
    import textual._wrap

    old = textual._wrap.re_chunk, rich._wrap.re_word
    assert cjk_wrap.install()
    yield old
    textual._wrap.re_chunk, rich._wrap.re_word = old


def _textual_lines(text: str, width: int) -> list[str]:
    from textual._wrap import compute_wrap_offsets

    cuts = [0, *compute_wrap_offsets(text, width, tab_size=4), len(text)]
    return [text[a:b].rstrip() for a, b in zip(cuts, cuts[1:])]


def _rich_lines(text: str, width: int) -> list[str]:
    console = Console(width=width, file=None, record=False)
    return [line.plain.rstrip() for line in Text(text).wrap(console, width)]


@pytest.mark.parametrize("lines_of", [_textual_lines, _rich_lines], ids=["textual", "rich"])
@pytest.mark.parametrize("width", [20, 37, 60])
def test_chinese_lines_are_filled_and_keep_punctuation_attached(lines_of, width):
    lines = lines_of(PARAGRAPH, width)
    assert "".join(lines).replace(" ", "") == PARAGRAPH.replace(" ", "")
    for line in lines[:-1]:
        assert cell_len(line) >= width - 3, (width, lines)  # full, not ragged
    for line in lines:
        assert cell_len(line) <= width
        assert line[:1] not in CLOSING, lines
        assert not line.endswith(("“", "（")), lines


def test_english_is_chunked_exactly_as_before(installed):
    textual_old, rich_old = installed
    # English lessons quote the lecture's Chinese slides: compare their lines without CJK.
    cjk = re.compile(f"[{cjk_wrap._CJK}{cjk_wrap._STICKY}]")
    texts = ["\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not cjk.search(line))
             for path in sorted(LESSONS.glob("*.md"))]
    assert sum(map(len, texts)) > 50_000
    texts.append("He said “hello”—then left… 50% of [MASK] tokens, don't (really).")
    for text in texts:
        for old, new in ((textual_old, cjk_wrap.TEXTUAL_CHUNK), (rich_old, cjk_wrap.RICH_WORD)):
            assert [m.span() for m in _scan(old, text)] == [m.span() for m in _scan(new, text)]


def _scan(pattern: re.Pattern, text: str):
    position = 0
    while (match := pattern.match(text, position)) is not None and match.end() > position:
        yield match
        position = match.end()
