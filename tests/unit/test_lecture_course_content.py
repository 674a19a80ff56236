"""Lesson content from the first-hour issue (14): quiz keys spread over the positions, and
no prose that points at something on another page."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from tutor.course import load_course

LESSONS = Path(__file__).resolve().parents[2] / "lessons"
# "the table above", "the recipe above": fine only when it is on the same page (step).
POINTER = re.compile(r"\b(table|recipe|map|list|sentence|text|example|picture)s? above\b", re.I)
OTHER_PAGE = re.compile(r"\bthe (previous|last|other) (page|step)\b", re.I)


def _quizzes():
    course = load_course([LESSONS])
    return [(lesson.id, block) for lesson in course.lessons for block in lesson.blocks()
            if block.kind == "quiz"]


def test_the_authored_key_is_not_mostly_choice_1():
    positions = Counter(block.correct[0] + 1 for _, block in _quizzes())
    total = sum(positions.values())
    assert total >= 15
    assert max(positions.values()) <= 0.35 * total, positions
    assert set(positions) == {1, 2, 3, 4}


def test_no_single_key_passes_the_final_quiz():
    keys = Counter(block.correct[0] for lesson, block in _quizzes() if lesson == "final-exam")
    assert sum(keys.values()) == 5 and max(keys.values()) <= 2


def _steps(text: str) -> list[str]:
    """A lesson file cut into its pages: the intro, then one piece per '## ' heading."""
    return re.split(r"^## ", text, flags=re.M)


def test_prose_points_only_at_things_on_the_same_page():
    for path in sorted(LESSONS.glob("*.md")):
        for step in _steps(path.read_text("utf-8")):
            for match in POINTER.finditer(step):
                before = step[:match.start()]
                assert "```" in before or "| ---" in before, \
                    f"{path.name}: '{match.group(0)}' but nothing like it earlier on the page"
            assert not OTHER_PAGE.search(step), f"{path.name}: {OTHER_PAGE.search(step).group(0)}"
