"""``bert-tutor lessons list | check | new`` on a fresh click group (no other command modules)."""
from __future__ import annotations

import json
import sys
import types
from pathlib import Path
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from tutor.commands import lessons_cmds
from tutor.errors import TutorError

DATA = Path(__file__).resolve().parents[1] / "data" / "lessons"


@pytest.fixture
def cli(monkeypatch, tmp_path):
    """A bare group with only the lessons commands; the 'bundled' course is one small lesson."""
    import tutor.paths

    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "intro.md").write_text("---\nid: bundled-intro\ntitle: Intro\n---\nHello.\n")
    monkeypatch.setattr(tutor.paths, "LESSONS_DIR", bundled)

    @click.group()
    @click.option("--lessons", "lesson_dirs", multiple=True)
    @click.option("--model", default=None)
    @click.pass_context
    def group(ctx, lesson_dirs, model):
        ctx.ensure_object(dict)
        ctx.obj.update(lesson_dirs=list(lesson_dirs), model=model)

    lessons_cmds.register(group)
    runner = CliRunner()
    return lambda *args: runner.invoke(group, [str(a) for a in args], catch_exceptions=False)


def test_check_good_folder_exits_0(cli):
    result = cli("lessons", "check", DATA / "good")
    assert result.exit_code == 0, result.output
    assert result.output == "OK: 3 lessons, no problems\n"


def test_check_bad_folder_exits_1_with_file_line_messages(cli):
    result = cli("lessons", "check", DATA / "bad")
    assert result.exit_code == 1
    broken = DATA / "bad" / "broken.md"
    lines = result.output.splitlines()
    assert lines[:3] == [
        f"{broken}:4: requires unknown lesson 'no-such-lesson'",
        f"{broken}:12: cloze 'broken-cloze' blank 1: answer 'am' is not among the options (is, are)",
        f"{broken}:15: unknown block kind 'quizz' (did you mean 'quiz'?)"]
    assert lines[3].startswith(f"{DATA / 'bad' / 'warn-only.md'}:4: warning: ")
    assert lines[-1] == "3 errors, 2 warnings in 2 lessons"


def test_warnings_alone_exit_0(cli):
    result = cli("lessons", "check", DATA / "bad" / "warn-only.md")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == "0 errors, 2 warnings in 1 lesson"


def test_check_json(cli):
    result = cli("lessons", "check", "--json", DATA / "bad" / "broken.md")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["errors"], data["warnings"], data["lessons"]) == (3, 0, 1)
    assert data["problems"][0] == {"path": str(DATA / "bad" / "broken.md"), "line": 4,
                                   "message": "requires unknown lesson 'no-such-lesson'",
                                   "severity": "error"}


def test_check_missing_path_is_bad_input(cli, tmp_path):
    result = cli("lessons", "check", tmp_path / "nope.md")
    assert result.exit_code == 2
    assert result.output == f"bert-tutor: error: no such file or folder: {tmp_path / 'nope.md'}\n"


def test_check_without_paths_checks_the_course(cli):
    assert cli("lessons", "check").exit_code == 0
    result = cli("--lessons", DATA / "good", "--lessons", DATA / "bad", "lessons", "check")
    assert result.exit_code == 1 and "3 errors, 2 warnings in 6 lessons" in result.output


def test_check_resolves_requires_against_the_course(cli, tmp_path):
    mine = tmp_path / "mine.md"
    mine.write_text("---\nid: mine\ntitle: Mine\nrequires: [masked-lm]\n---\nhello\n")
    assert cli("lessons", "check", mine).exit_code == 1
    assert cli("--lessons", DATA / "good", "lessons", "check", mine).exit_code == 0


def test_list_table_and_json(cli):
    result = cli("--lessons", DATA / "good", "lessons", "list")
    assert result.exit_code == 0
    for word in ("welcome", "masked-lm", "attention-intro", "cloze 1"):
        assert word in result.output
    data = json.loads(cli("--lessons", DATA / "good", "lessons", "list", "--json").output)
    assert [(r["order"], r["id"], r["steps"]) for r in data["lessons"]] == [
        (1, "bundled-intro", 1), (2, "welcome", 2), (3, "masked-lm", 2), (4, "attention-intro", 1)]
    assert data["lessons"][2]["blocks"] == {"cloze": 1, "fill-mask": 1}
    assert data["problems"] == []


def test_new_writes_a_lesson_that_passes_check(cli, tmp_path):
    folder = tmp_path / "course" / "extra"
    result = cli("lessons", "new", "my-topic", "--dir", folder)
    assert result.exit_code == 0, result.output
    path = folder / "my-topic.md"
    assert path.exists() and "Wrote" in result.output
    assert cli("lessons", "check", path).exit_code == 0


def test_new_refuses_to_overwrite_without_force(cli, tmp_path):
    assert cli("lessons", "new", "x", "--dir", tmp_path).exit_code == 0
    (tmp_path / "x.md").write_text("mine")
    result = cli("lessons", "new", "x", "--dir", tmp_path)
    assert result.exit_code == 2 and "already exists (use --force to overwrite)" in result.output
    assert (tmp_path / "x.md").read_text() == "mine"
    assert cli("lessons", "new", "x", "--dir", tmp_path, "--force").exit_code == 0
    assert (tmp_path / "x.md").read_text().startswith("---\nid: x\n")


def test_new_bad_id_is_one_line_exit_2(cli, tmp_path):
    result = cli("lessons", "new", "Bad Id", "--dir", tmp_path)
    assert result.exit_code == 2
    assert result.output == ("bert-tutor: error: bad lesson id 'Bad Id': use lowercase letters, "
                             "digits and hyphens, e.g. 'bad-id'\n")


# -- --with-model, against a fake engine module ---------------------------------------------
class FakeEngine:
    def rank_options(self, text, options):
        probs = {"is": 0.1, "are": 0.7, "am": 0.2, "an": 0.9}
        return [SimpleNamespace(option=o, score=probs.get(o, 0.0), probability=probs.get(o, 0.0))
                for o in options]

    def fill_mask(self, text, top_k=5):
        return [[("paris", 0.9), ("lyon", 0.05)]]


@pytest.fixture
def fake_engine(monkeypatch):
    loaded = []

    def load_engine(model=None):
        if model == "broken":
            raise TutorError("unknown model 'broken'")
        loaded.append(model)
        return FakeEngine()

    module = types.ModuleType("tutor.engine")
    module.load_engine = load_engine
    monkeypatch.setitem(sys.modules, "tutor.engine", module)
    return loaded


def test_with_model_adds_warnings(cli, fake_engine):
    result = cli("--lessons", DATA / "good", "lessons", "check", "--with-model", "--model", "tiny",
                 DATA / "good" / "02-cloze.md")
    assert result.exit_code == 0, result.output       # model findings are warnings
    assert fake_engine == ["tiny"]
    assert result.output.splitlines() == [
        f"{DATA / 'good' / '02-cloze.md'}:15: warning: cloze 'li-hua' blank 2: BERT prefers 'are' "
        "(0.70) over the key 'is' (0.10)",
        "0 errors, 1 warning in 1 lesson"]


def test_with_model_uses_group_model_and_reports_load_errors(cli, fake_engine):
    assert cli("--model", "grp", "lessons", "check", "--with-model", DATA / "good").exit_code == 0
    assert fake_engine == ["grp"]
    result = cli("lessons", "check", "--with-model", "--model", "broken", DATA / "good")
    assert result.exit_code == 2
    assert result.output == "bert-tutor: error: unknown model 'broken'\n"


def test_check_without_model_never_loads_the_engine(cli, fake_engine):
    assert cli("lessons", "check", DATA / "good").exit_code == 0
    assert fake_engine == []
