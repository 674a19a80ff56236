"""Lesson 5's exam is the lecture's Li Hua cloze, word for word (issue 17 §1).

The fixture tests/fixtures/lecture/li_hua.yaml is the slide as transcribed; the lesson must
equal it, and the fixture must equal the seed file's slide wherever that file is at hand.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tutor.course import load_paths
from tutor.course.blocks import NO_WORD

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = yaml.safe_load((ROOT / "tests" / "fixtures" / "lecture" / "li_hua.yaml").read_text("utf-8"))
LESSON = ROOT / "lessons" / "05-cloze-exam.md"
SLIDE_ROW = re.compile(r"\(\s*\)\s*(\d+)\.\s*A\.\s*(.+?)\s*\|\s*B\.\s*(.+?)\s*\|\s*C\.\s*(.+?)\s*\|"
                       r"\s*D\.\s*(.+?)\s*\|")


def _exam():
    lessons, problems = load_paths([LESSON], context_dirs=[LESSON.parent])
    assert not [p for p in problems if p.is_error]
    block = lessons[0].block("li-hua")
    assert block is not None, "lesson 5 has no cloze 'li-hua'"
    return block


def _slide_options(row: list[str]) -> tuple[str, ...]:
    return tuple(NO_WORD if option == "×" else option for option in row)


def test_lesson_5_passage_is_the_slides_word_for_word():
    block = _exam()
    assert [p.strip() for p in block.passage.strip().split("\n")] == FIXTURE["paragraphs"]


def test_lesson_5_options_and_keys_are_the_slides():
    block = _exam()
    assert [spec.number for spec in block.blanks] == list(range(1, 11))
    for spec in block.blanks:
        assert spec.options == _slide_options(FIXTURE["options"][spec.number]), spec.number
        assert spec.answers == (FIXTURE["keys"][spec.number],), spec.number


def test_every_option_is_explained_and_every_blank_has_a_hint():
    block = _exam()
    for spec in block.blanks:
        assert spec.hint, f"blank {spec.number} has no hint"
        assert [option for option, _ in spec.why] == list(spec.options), spec.number
        for option in spec.options:
            text = spec.explain_for(option)
            assert len(text.split()) >= 4, (spec.number, option)
            # The key's explanation says it is right; a distractor's never does.
            assert text.startswith("Right.") == (option in spec.answers), (spec.number, option)
    assert "×" in block.blank(2).explain_for(NO_WORD)  # the slide's own mark, explained


def test_the_invented_passage_is_a_separate_practice_labelled_as_new():
    lessons, _ = load_paths([LESSON], context_dirs=[LESSON.parent])
    practice = lessons[0].block("li-hua-practice")
    assert practice is not None and practice.kind == "cloze"
    assert "new passage" in practice.title.lower()
    assert practice.passage != _exam().passage


def _seed_file() -> Path | None:
    """The lecture's slides ship beside the project (``shared/seed``), not inside it."""
    for folder in (ROOT, *ROOT.parents):
        candidate = folder / "shared" / "seed" / FIXTURE["source"]
        if candidate.is_file():
            return candidate
    return None


def _slide_text() -> str:
    seed = _seed_file()
    if seed is None:
        pytest.skip("the lecture's seed file is not available here")
    text = seed.read_text("utf-8")
    start = text.index("## " + FIXTURE["slide"])  # the slide with the exam's second copy
    return text[start:]


def test_fixture_passage_matches_the_seed_file():
    slide = " ".join(_slide_text().split())
    for paragraph in FIXTURE["paragraphs"]:
        printed = re.sub(r"\{(\d+)\}", r"\1", paragraph)  # the slide prints blanks as bare numbers
        assert printed in slide


def test_fixture_options_match_the_seed_file():
    rows = {int(m.group(1)): list(m.groups()[1:]) for m in SLIDE_ROW.finditer(_slide_text())}
    assert rows == {int(k): v for k, v in FIXTURE["options"].items()}
