"""docs/lesson-format.md stays true: every kind and field documented, every example valid."""
from __future__ import annotations

import re
from pathlib import Path

from tutor.course import KNOWN_KINDS, parse_lesson
from tutor.course.build import BUILDERS
from tutor.course.parse import FRONT_MATTER_FIELDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "lesson-format.md").read_text(encoding="utf-8")


def sections() -> dict[str, str]:
    parts = re.split(r"^### `([a-z0-9-]+)`$", DOC, flags=re.M)
    return {kind: text.split("\n## ", 1)[0] for kind, text in zip(parts[1::2], parts[2::2])}


def test_every_kind_and_field_is_documented():
    documented = sections()
    assert set(documented) == set(KNOWN_KINDS)
    for kind, text in documented.items():
        for field in BUILDERS[kind].fields:
            assert f"| `{field}`" in text, f"{kind}: field '{field}' is not in its table"
    front = DOC.split("## Front matter", 1)[1].split("## ", 1)[0]
    assert all(f"| `{field}`" in front for field in FRONT_MATTER_FIELDS)
    for word in ("(no word)", "`why`", "`expect`", "`slide`"):
        assert word in DOC


def test_every_example_is_a_valid_block_of_its_section():
    documented = sections()
    body = "\n".join(f"## {kind}\n{text}" for kind, text in documented.items())
    lesson = parse_lesson("---\nid: doc\ntitle: Doc\n---\n" + body, "lesson-format.md")
    assert lesson.problems == []
    assert [step.title for step in lesson.steps] == list(documented)
    for step in lesson.steps:    # each section shows its own kind
        assert [b.kind for b in step.interactive] == [step.title]
