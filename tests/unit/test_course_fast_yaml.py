"""Lesson files are read with libyaml when PyYAML has it (several times faster: `lessons list`
and the app's start-up parse every lesson) and must come out exactly as with the Python
loader, which still words every YAML error."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import tutor.course.fields as fields
from tutor.course.parse import load_lesson, parse_lesson

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "lessons").rglob("*.md")) + sorted((ROOT / "tests" / "data" / "lessons").rglob("*.md"))


def _read(path: Path):
    lesson = load_lesson(path)
    return list(lesson.blocks()), [str(p) for p in lesson.problems], lesson.title


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
def test_libyaml_reads_every_lesson_as_the_python_loader_does(monkeypatch):
    assert fields._FAST_LOADER is yaml.CSafeLoader
    fast = [_read(path) for path in FILES]
    monkeypatch.setattr(fields, "_FAST_LOADER", None)
    assert [_read(path) for path in FILES] == fast
    assert len(FILES) >= 25 and sum(len(blocks) for blocks, _p, _t in fast) > 100


def test_a_yaml_error_is_worded_by_the_python_loader():
    text = "---\nid: t\ntitle: T\n---\n## s\n```quiz\nid: q\nquestion: [unclosed\n```\n"
    problems = [str(p) for p in parse_lesson(text, "t.md").problems]
    assert any("t.md:8" in p and "expected ',' or ']', but got '<stream end>'" in p for p in problems), problems
    assert not any("did not find" in p for p in problems)  # libyaml's wording
