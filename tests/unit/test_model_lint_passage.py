"""``lessons check --with-model`` ranks a cloze the way the exercise does: "(no word)" is read
as nothing, and a passage's blanks go to the engine in one ``rank_blanks`` call when it has one."""
from __future__ import annotations

from types import SimpleNamespace

from tutor.course import lint_with_model
from tutor.course.parse import load_lesson

LESSON = """---
id: t
title: T
---
## s
```cloze
id: exam
passage: My English teacher {1} Mr Lin. He is {2} old teacher.
blanks:
  1: {options: [are, is, (no word)], answer: is}
  2: {options: [a, an], answer: an}
```
"""


class PassageEngine:
    """Ranks a whole passage per call; prefers the empty option and 'a'. Records each call."""

    def __init__(self):
        self.calls: list[list[tuple[str, tuple[str, ...]]]] = []

    def rank_blanks(self, blanks):
        self.calls.append([(text, tuple(options)) for text, options in blanks])
        probs = {"": 0.6, "is": 0.3, "are": 0.1, "a": 0.7, "an": 0.3}
        return [[SimpleNamespace(option=o, score=probs[o], probability=probs[o]) for o in options]
                for _text, options in blanks]

    def rank_options(self, text, options):
        raise AssertionError("a passage engine is asked once per passage")

    def fill_mask(self, text, top_k=5):
        return [[("x", 1.0)]]


def test_a_cloze_is_ranked_in_one_call_with_no_word_read_as_nothing(tmp_path):
    path = tmp_path / "t.md"
    path.write_text(LESSON, encoding="utf-8")
    lesson = load_lesson(path)
    engine = PassageEngine()
    found = [str(p) for p in lint_with_model([lesson], engine)]
    assert len(engine.calls) == 1
    (first, second), = engine.calls
    assert first[1] == ("are", "is", "")  # not the literal "(no word)"
    assert "[MASK]" in first[0] and "[MASK]" in second[0]
    assert any("blank 1: BERT prefers '(no word)' (0.60) over the key 'is' (0.30)" in f for f in found), found
    assert any("blank 2: BERT prefers 'a' (0.70) over the key 'an' (0.30)" in f for f in found), found


def test_progress_is_reported_before_each_lesson(tmp_path):
    lessons = []
    for name in ("a", "b"):
        path = tmp_path / f"{name}.md"
        path.write_text(LESSON.replace("id: t", f"id: {name}"), encoding="utf-8")
        lessons.append(load_lesson(path))
    seen = []
    lint_with_model(lessons, PassageEngine(), lambda done, total, lesson: seen.append((done, total, lesson.id)))
    assert seen == [(0, 2, "a"), (1, 2, "b")]
