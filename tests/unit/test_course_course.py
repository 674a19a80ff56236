"""Courses: folder order, cross-lesson checks, check_paths, the starter lesson, model lint."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tutor.course import (Course, Problem, check_paths, lint_with_model, load_course, load_lesson,
                          parse_lesson, starter_lesson)
from tutor.errors import TutorError

DATA = Path(__file__).resolve().parents[1] / "data" / "lessons"


def lesson_text(lesson_id: str, body: str = "## s\nhello\n", requires: str = "[]") -> str:
    return f"---\nid: {lesson_id}\ntitle: {lesson_id.title()}\nrequires: {requires}\n---\n{body}"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_fixture_course_in_order():
    course = load_course([DATA / "good"])
    assert isinstance(course, Course) and course.problems == []
    assert [l.id for l in course.lessons] == ["welcome", "masked-lm", "attention-intro"]
    assert course.by_id["masked-lm"].requires == ["welcome"]
    assert course.get("nope") is None and len(course) == 3


def test_default_course_is_the_bundled_folder(monkeypatch, tmp_path):
    import tutor.paths

    write(tmp_path, "a.md", lesson_text("a"))
    monkeypatch.setattr(tutor.paths, "LESSONS_DIR", tmp_path)
    assert [l.id for l in load_course().lessons] == ["a"]


def test_order_file_and_unlisted_lessons(tmp_path):
    for name, lid in (("b.md", "bee"), ("a.md", "ay"), ("c.md", "sea"), ("z.md", "zed")):
        write(tmp_path, name, lesson_text(lid))
    write(tmp_path, "README.md", "notes for instructors")
    write(tmp_path, "_draft.md", "not yet")
    write(tmp_path, "order.txt", "# order\nzed\n\nc.md   # by file name\nmissing-one\nsea\n")
    course = load_course([tmp_path])
    assert [l.id for l in course.lessons] == ["zed", "sea", "ay", "bee"]  # unlisted: by file name
    assert [str(p) for p in course.problems] == [
        f"{tmp_path / 'order.txt'}:5: 'missing-one' is not a lesson in this folder (no such file or id)",
        f"{tmp_path / 'order.txt'}:6: warning: 'sea' is already listed on line 4"]


def test_later_folders_add_lessons_and_missing_folder(tmp_path):
    write(tmp_path / "one", "a.md", lesson_text("a"))
    write(tmp_path / "two", "b.md", lesson_text("b", requires="[a]"))
    course = load_course([tmp_path / "one", tmp_path / "two", tmp_path / "one", tmp_path / "none"])
    assert [l.id for l in course.lessons] == ["a", "b"]
    assert [str(p) for p in course.problems] == [f"{tmp_path / 'none'}: lesson folder not found"]
    (tmp_path / "empty").mkdir()
    assert [str(p) for p in check_paths([tmp_path / "empty"])] == [
        f"{tmp_path / 'empty'}: warning: no lesson files (*.md) in this folder"]


def test_cross_lesson_problems(tmp_path):
    body = "## s\n```tokens\nid: shared\ntext: hi\n```\n"
    write(tmp_path, "1.md", lesson_text("a", body, requires="[c]"))
    write(tmp_path, "2.md", lesson_text("a", body))
    write(tmp_path, "3.md", lesson_text("c", requires="[nowhere, c]"))
    course = load_course([tmp_path])
    got = sorted((Path(p.path).name, p.line, p.message, p.severity) for p in course.problems)
    assert got == [
        ("1.md", 4, "requires 'c', which comes later in the course", "warning"),
        ("2.md", 2, f"duplicate lesson id 'a' (also in {tmp_path / '1.md'}:2); only the first "
                    "one is used", "error"),
        ("2.md", 7, f"duplicate block id 'shared' (also in {tmp_path / '1.md'}:7)", "error"),
        ("3.md", 4, "lesson 'c' requires itself", "error"),
        ("3.md", 4, "requires unknown lesson 'nowhere'", "error"),
    ]
    # the TUI sees a lesson's cross-lesson problems on the lesson itself
    (second,) = course.skipped
    assert any("duplicate lesson id" in p.message for p in second.problems)
    assert course.by_id["a"] is course.lessons[0]


def test_duplicate_lesson_ids_keep_the_first_and_name_both_files(tmp_path):
    """A shipped lesson copied into a --lessons folder: one lesson per id, both files named."""
    shipped = write(tmp_path / "shipped", "01-a.md", lesson_text("a"))
    copy = write(tmp_path / "mine", "a-copy.md", lesson_text("a", "## mine\nchanged\n"))
    write(tmp_path / "mine", "b.md", lesson_text("b"))
    course = load_course([tmp_path / "shipped", tmp_path / "mine"])
    assert [(l.id, l.path) for l in course.lessons] == [("a", shipped), ("b", tmp_path / "mine" / "b.md")]
    assert [l.path for l in course.skipped] == [copy]
    assert [str(p) for p in course.problems] == [
        f"{copy}:2: duplicate lesson id 'a' (also in {shipped}:2); only the first one is used"]
    # lessons check names both files too
    assert [str(p) for p in check_paths([tmp_path / "mine"], [tmp_path / "shipped"])] == [
        f"{copy}:2: duplicate lesson id 'a' (also in {shipped}:2); only the first one is used"]


def test_ids_from_file_names_are_unique_too(tmp_path):
    # no valid 'id:' -> the id comes from the file name; two such files must not both load
    write(tmp_path / "one", "x.md", "---\nid: Bad Id\ntitle: X\n---\nhi\n")
    write(tmp_path / "two", "x.md", "---\ntitle: X\n---\nhi\n")
    course = load_course([tmp_path / "one", tmp_path / "two"])
    assert [l.path.parent.name for l in course.lessons] == ["one"] and len(course.skipped) == 1
    assert any("duplicate lesson id 'x' (from the file name)" in p.message and
               str(tmp_path / "one" / "x.md") in p.message for p in course.problems)


def test_requires_cycle(tmp_path):
    write(tmp_path, "a.md", lesson_text("a", requires="[b]"))
    write(tmp_path, "b.md", lesson_text("b", requires="[a]"))
    messages = [p.message for p in check_paths([tmp_path])]
    assert "'requires' goes round in a circle: a → b → a" in messages
    assert "'requires' goes round in a circle: b → a → b" in messages


def test_check_paths_files_folders_and_context(tmp_path):
    mine = write(tmp_path / "mine", "x.md", lesson_text("x", requires="[welcome]"))
    clash = write(tmp_path / "mine", "y.md", lesson_text("masked-lm"))
    assert [p.message for p in check_paths([mine])] == ["requires unknown lesson 'welcome'"]
    # with the fixture course as context, 'welcome' exists and 'masked-lm' is taken
    problems = check_paths([tmp_path / "mine"], context_dirs=[DATA / "good"])
    assert [(Path(p.path).name, p.message) for p in problems] == [
        ("y.md", f"duplicate lesson id 'masked-lm' (also in {DATA / 'good' / '02-cloze.md'}:2); "
                  "only the first one is used")]
    # a file checked twice (file + its folder) counts once
    assert len(check_paths([clash, tmp_path / "mine", mine])) == 1
    assert [str(p) for p in check_paths([tmp_path / "gone.md"])] == [
        f"{tmp_path / 'gone.md'}: no such file or folder"]


def test_check_paths_reports_bad_fixtures():
    problems = check_paths([DATA / "bad"])
    assert all(isinstance(p, Problem) for p in problems)
    assert [(Path(p.path).name, p.line, p.severity) for p in problems] == [
        ("broken.md", 4, "error"), ("broken.md", 12, "error"), ("broken.md", 15, "error"),
        ("warn-only.md", 4, "warning"), ("warn-only.md", 10, "warning")]


# -- the starter lesson --------------------------------------------------------------------
def test_starter_lesson_passes_check(tmp_path):
    path = write(tmp_path, "my-topic.md", starter_lesson("my-topic"))
    assert check_paths([path]) == []
    lesson = load_lesson(path)
    assert lesson.id == "my-topic" and lesson.title == "My topic"
    assert set(lesson.kinds()) == {"cloze", "fill-mask", "quiz", "attention", "tokens", "masking",
                                   "embeddings", "finetune", "pretrain", "slide"}
    blank_2 = lesson.block("my-topic-cloze").blank(2)
    assert "(no word)" in blank_2.options and blank_2.explain_for("are").startswith('"are"')
    # two starter lessons in one course do not clash (block ids start with the lesson id)
    write(tmp_path, "other.md", starter_lesson("other"))
    assert load_course([tmp_path]).problems == []


@pytest.mark.parametrize("bad", ["My Topic", "", "-x", "null-", "a_b"])
def test_starter_lesson_rejects_bad_ids(bad):
    with pytest.raises(TutorError):
        starter_lesson(bad)


def test_yaml_looking_ids_stay_text():
    for lid in ("null", "yes", "123", "0x1f"):
        lesson = parse_lesson(starter_lesson(lid), f"{lid}.md")
        assert lesson.ok and lesson.id == lid, lesson.problems


# -- --with-model lint, with a fake engine ----------------------------------------------------
class FakeEngine:
    """Prefers 'a' over 'an'; knows only 'london' for the capital of France."""

    def __init__(self):
        self.ranked: list[tuple[str, list[str]]] = []

    def rank_options(self, text, options):
        self.ranked.append((text, options))
        probs = {"a": 0.61, "an": 0.22}
        return [SimpleNamespace(option=o, score=probs.get(o, 0.01), probability=probs.get(o, 0.01))
                for o in options]

    def fill_mask(self, text, top_k=5):
        assert "[MASK]" in text
        return [[("london", 0.5), ("rome", 0.2)][:top_k]]

    def info(self):
        return {"layers": 6, "heads": 12}


def test_lint_with_model_warns_where_bert_disagrees():
    text = ("---\nid: t\ntitle: T\n---\n## s\n```cloze\nid: li-hua\npassage: I am {1} Class Five. "
            "He is {3} old teacher.\nblanks:\n  1: {options: [in, at], answer: in}\n"
            "  3: {options: [a, an], answer: an}\n```\n"
            "```fill-mask\nid: cap\ntext: The capital of France is ___.\nanswer: Paris\ntop_k: 2\n```\n"
            "```fill-mask\ntext: The capital of England is ___.\nanswer: London\n```\n"
            "```attention\ntext: hi there\nlayer: 9\n```\n")
    lesson = parse_lesson(text, "t.md")
    assert lesson.ok, lesson.problems
    engine = FakeEngine()
    found = lint_with_model([lesson], engine)
    assert [str(p) for p in found] == [
        "t.md:11: warning: cloze 'li-hua' blank 3: BERT prefers 'a' (0.61) over the key 'an' (0.22)",
        "t.md:13: warning: fill-mask 'cap': no accepted answer ('Paris') in BERT's top 2 "
        "('london', 'rome')",
        "t.md:23: warning: attention 'attention-1-1': layer 9 does not exist; the model has 6 layers",
    ]
    assert found[0] in lesson.problems and lesson.ok          # warnings only
    # the other blank is filled with its key while one blank is ranked
    assert engine.ranked[1] == ("I am in Class Five. He is [MASK] old teacher.", ["a", "an"])


def test_lint_with_model_turns_engine_errors_into_warnings():
    lesson = parse_lesson("---\nid: t\ntitle: T\n---\n```fill-mask\ntext: ___ x\nanswer: y\n```\n", "t.md")

    class Broken:
        def fill_mask(self, text, top_k=5):
            raise ValueError("input too long")

    (problem,) = lint_with_model([lesson], Broken())
    assert problem.severity == "warning" and "the model could not check it: input too long" in problem.message


def test_course_package_imports_neither_torch_nor_textual():
    code = ("import sys, tutor.course, tutor.commands.lessons_cmds; "
            "bad = [m for m in ('torch', 'textual', 'transformers') if m in sys.modules]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# -- issue 16: graphlib for cycles, difflib for "did you mean" --------------------------------
def test_every_lesson_on_a_longer_cycle_is_told_its_own_way_round(tmp_path):
    write(tmp_path, "a.md", lesson_text("a", requires="[b]"))
    write(tmp_path, "b.md", lesson_text("b", requires="[c]"))
    write(tmp_path, "c.md", lesson_text("c", requires="[a, d]"))
    write(tmp_path, "d.md", lesson_text("d", requires="[e]"))
    write(tmp_path, "e.md", lesson_text("e", requires="[d]"))
    write(tmp_path, "f.md", lesson_text("f", requires="[a]"))      # leads into a cycle, not on one
    got = sorted((Path(p.path).name, p.line, p.message) for p in check_paths([tmp_path])
                 if "circle" in p.message)
    assert got == [("a.md", 4, "'requires' goes round in a circle: a → b → c → a"),
                   ("b.md", 4, "'requires' goes round in a circle: b → c → a → b"),
                   ("c.md", 4, "'requires' goes round in a circle: c → a → b → c"),
                   ("d.md", 4, "'requires' goes round in a circle: d → e → d"),
                   ("e.md", 4, "'requires' goes round in a circle: e → d → e")]


def test_unknown_requires_and_order_entries_suggest_the_near_name(tmp_path):
    write(tmp_path, "01-attention.md", lesson_text("attention"))
    write(tmp_path, "02-b.md", lesson_text("b", requires="[atention]"))
    write(tmp_path, "order.txt", "01-atention.md\n")
    messages = [p.message for p in load_course([tmp_path]).problems]
    assert "requires unknown lesson 'atention' (did you mean 'attention'?)" in messages
    assert ("'01-atention.md' is not a lesson in this folder (no such file or id) "
            "(did you mean '01-attention.md'?)") in messages


def test_lint_with_model_leaves_blocks_of_another_model_to_that_model():
    """Lesson 8's multilingual blocks have 12 layers; the bundled 6-layer model must not call
    their layer 9 missing, while the same block on the checked model still is."""
    text = ("---\nid: t\ntitle: T\n---\n## s\n"
            "```attention\ntext: 海水朝朝\nlayer: 9\nmodel: multilingual\n```\n"
            "```attention\ntext: hi there\nlayer: 9\n```\n")
    lesson = parse_lesson(text, "t.md")
    assert lesson.ok, lesson.problems
    found = lint_with_model([lesson], FakeEngine())
    assert [p.line for p in found] == [11] and "layer 9 does not exist" in found[0].message
