"""`lessons check` on a translation: checked inside its own language's course, against its
original (ids, answers, model inputs) and against the glossary — each drift at file:line."""
from __future__ import annotations

import shutil
from pathlib import Path

from tutor.course import check_paths
from tutor.course.parity import language_of, original_of

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


def _course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "lessons"
    shutil.copytree(LESSONS, root)
    return root


def test_shipped_translation_is_clean_against_its_own_course():
    assert check_paths([LESSONS / "zh"], context_dirs=[LESSONS]) == []
    assert language_of(LESSONS / "zh" / "05-cloze-exam.md") == "zh"
    assert original_of(LESSONS / "zh" / "05-cloze-exam.md") == LESSONS / "05-cloze-exam.md"
    assert language_of(LESSONS / "05-cloze-exam.md") is None


def test_a_changed_answer_and_a_glossary_misuse_are_reported_at_their_lines(tmp_path):
    root = _course_copy(tmp_path)
    lesson = root / "zh" / "05-cloze-exam.md"
    lines = lesson.read_text(encoding="utf-8").splitlines()
    answer = next(i for i, l in enumerate(lines) if l.strip() == "answer: an")
    lines[answer] = lines[answer].replace("answer: an", "answer: a")
    prose = next(i for i, l in enumerate(lines) if i > 8 and l and not l.startswith((" ", "`", "#", "-")))
    lines[prose] = lines[prose] + "这里用了掩码语言模型。"
    lesson.write_text("\n".join(lines) + "\n", encoding="utf-8")

    problems = check_paths([lesson], context_dirs=[root])
    messages = {(p.line, p.message) for p in problems}
    assert any("'blanks' must stay as in the original" in m for _, m in messages), messages
    assert any(line == prose + 1 and "掩码语言模型" in m and "遮蔽语言模型" in m for line, m in messages), messages
    assert all(p.path == str(lesson) and p.line >= 1 for p in problems)


def test_a_dropped_block_is_reported(tmp_path):
    root = _course_copy(tmp_path)
    lesson = root / "zh" / "04-tokens.md"
    text = lesson.read_text(encoding="utf-8")
    start = text.index("```quiz")
    end = text.index("```", start + 7) + 3
    lesson.write_text(text[:start] + text[end:], encoding="utf-8")
    problems = check_paths([lesson], context_dirs=[root])
    assert any("missing" in p.message or "stands where" in p.message for p in problems), [str(p) for p in problems]
