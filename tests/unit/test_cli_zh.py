"""The command line in Chinese: output, one-line errors, the linter and click's help (no model)."""
from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from tutor.cli import cli
from tutor.commands import model_cmds
from tutor.course import load_course
from tutor.course.blanks import NO_BLANK
from tutor.i18n import _, set_language
from tutor.paths import course_dir

CJK = re.compile(r"[\u4e00-\u9fff]")
CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def invoke(*args: str, env: dict | None = None):
    return CliRunner().invoke(cli, list(args), env={"COLUMNS": "200", **(env or {})})


def in_zh(message: str) -> str:
    set_language("zh")
    try:
        return _(message)
    finally:
        set_language("en")


def test_lessons_list_prints_the_chinese_titles():
    result = invoke("--lang", "zh", "lessons", "list")
    assert result.exit_code == 0, result.output
    titles = [lesson.title for lesson in load_course([course_dir("zh")]).lessons]
    assert len(titles) == 11 and all(CJK.search(t) for t in titles)
    for title in titles:
        assert title in result.output
    assert in_zh("Course") in result.output and "Course" not in result.output


def test_fill_without_a_blank_is_one_chinese_line_before_any_model_loads(monkeypatch):
    monkeypatch.setattr(model_cmds, "_engine", lambda *_a: pytest.fail("the model was loaded for bad input"))
    result = invoke("--lang", "zh", "fill", "no mask here")
    assert result.exit_code == 2
    assert result.stdout == ""
    set_language("zh")
    expected = _("bert-tutor: error: {message}").format(message=_(NO_BLANK))
    assert result.stderr.splitlines() == [expected]
    assert CJK.search(expected) and "no blank" not in expected


@pytest.mark.parametrize("args, words", [
    (["--lang", "zh", "fill", "--no-such-flag"], "No such option {name!r}."),
    (["--lang", "zh", "--no-such-flag"], "No such option {name!r}."),       # the group's own options
    (["--lessons", "lessons", "--lang=zh", "--no-such-flag"], "No such option {name!r}."),
    (["--lang", "zh", "fill"], "Missing argument"),
    (["--lang", "zh", "fill", "x", "--top-k", "0"], "Invalid value for {param_hint}: {message}"),
    (["--lang", "zh", "progress", "--json", "--csv"], "choose one of --json and --csv"),
])
def test_usage_errors_are_one_chinese_line(args, words):
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bert-tutor：")
    words_zh = max(CJK_RUN.findall(in_zh(words)), key=len)  # a run of the translation's own words
    assert words_zh in lines[0]
    assert "Error" not in lines[0] and "see:" not in lines[0]


BROKEN = """---
id: Bad Id
title: t
---
## One

```quizz
question: q
```

```cloze
id: c1
passage: "a {1} b"
blanks:
  1: {options: [x, y], answer: z}
```
##
"""


def test_lessons_check_speaks_chinese_and_keeps_file_line(tmp_path):
    path = tmp_path / "broken.md"
    path.write_text(BROKEN, encoding="utf-8")
    result = invoke("--lang", "zh", "lessons", "check", str(path))
    assert result.exit_code == 1, result.output
    *problems, summary = result.output.splitlines()
    assert len(problems) == 5
    for line in problems:
        assert re.match(rf"{re.escape(str(path))}:\d+: ", line), line
        assert CJK.search(line.split(": ", 1)[1]), line
    assert f"{path}:7: " + in_zh("unknown block kind '{kind}'{hint}").format(
        kind="quizz", hint=in_zh(" (did you mean '{word}'?)").format(word="quiz")) in problems
    assert any(line.startswith(f"{path}:17: 警告：") for line in problems)  # the warning tag, after file:line
    assert CJK.search(summary) and "error" not in summary
    # JSON is for scripts: the same problems, messages in the chosen language, keys in English
    data = json.loads(invoke("--lang", "zh", "lessons", "check", "--json", str(path)).output)
    assert data["errors"] == 3 and data["warnings"] == 2 and all(CJK.search(p["message"]) for p in data["problems"])


def test_help_is_chinese_including_click_own_words():
    group = invoke("--lang", "zh", "--help")
    assert group.exit_code == 0
    assert in_zh("bert-tutor: learn how BERT works by using a live BERT.") in group.output
    assert "用法:" in group.output and "选项:" in group.output and "命令:" in group.output
    assert "learn how BERT works" not in group.output and "Show this message" not in group.output
    fill = invoke("--lang", "zh", "fill", "--help")
    assert fill.exit_code == 0
    flat = " ".join(fill.output.split())
    for text in ("Fill every blank ([MASK] or ___) in TEXT with the model's top-k guesses.",
                 "How many guesses per blank.", "Print JSON only.", "Show this message and exit."):
        assert in_zh(text) in flat and text not in flat
    english = invoke("--lang", "en", "fill", "--help")
    assert "How many guesses per blank." in english.output and not CJK.search(english.output)


def test_language_comes_from_saved_preference_then_locale(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text(json.dumps({"language": "zh"}), encoding="utf-8")
    saved = invoke("lessons", "--help", env={"BERT_TUTOR_SETTINGS": str(settings), "LANG": "en_US.UTF-8"})
    assert in_zh("List, check and create lesson files.") in saved.output
    flag = invoke("--lang", "en", "lessons", "--help", env={"BERT_TUTOR_SETTINGS": str(settings)})
    assert "List, check and create lesson files." in flag.output
    locale = invoke("lessons", "--help", env={"BERT_TUTOR_SETTINGS": str(tmp_path / "none.json"),
                                              "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"})
    assert in_zh("List, check and create lesson files.") in locale.output


@pytest.mark.parametrize("args", [["--help"], ["fill", "--help"], ["finetune", "--help"], ["lessons", "check", "--help"]])
def test_chinese_help_fits_80_columns(args):
    from rich.cells import cell_len

    result = invoke("--lang", "zh", *args, env={"COLUMNS": "80"})
    assert result.exit_code == 0 and CJK.search(result.output)
    too_wide = [line for line in result.output.splitlines() if cell_len(line) > 80]
    assert not too_wide, too_wide


def test_wrap_cells_breaks_between_wide_characters_never_inside_words_or_before_closing_marks():
    from rich.cells import cell_len

    from tutor.commands.help_format import wrap_cells

    text = "数据库（默认：用户数据目录，或 $BERT_TUTOR_DB）。下一句 bert-tutor-mini 不拆开。"
    for width in range(20, 60):  # from the longest unbreakable piece ("$BERT_TUTOR_DB）。") up
        lines = wrap_cells(text, width)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")
        assert all(cell_len(line) <= width for line in lines)
        assert not any(line[0] in "，。、：；！？）" for line in lines)
        assert sum("bert-tutor-mini" in line for line in lines) == 1 and sum("$BERT_TUTOR_DB" in line for line in lines) == 1
