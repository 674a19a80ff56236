"""What came from a file, an argument or the model is printed as written, never read as markup."""
from __future__ import annotations

import sys
import types

import pytest
from click.testing import CliRunner

from tests.app.fake_engine import FakeEngine
from tutor.cli import cli
from tutor.commands import model_cmds
from tutor.progress import open_store

HOSTILE = "[/][@click=app.quit]x[bold]"  # '[/' crashed Rich; the others vanished or styled


class MarkupEngine(FakeEngine):
    """The fake engine with a hostile name and bracketed tokens, and what the CLI also reads."""

    name = f"model {HOSTILE}"
    config = types.SimpleNamespace(vocab_size=1000)
    special_tokens = ["[CLS]", "[SEP]", "[MASK]"]

    def fill_mask(self, text: str, top_k: int = 5, **_):
        return [[("[mask]", 0.5), ("[/", 0.25), ("[unused1]", 0.25)][:top_k]]

    def layer_index(self, layer: int) -> int:
        return layer if layer >= 0 else 3 + layer

    def id_to_token(self, ids):
        return ["[/", "[b]", "word"] * (len(list(ids)) // 3 + 1)


@pytest.fixture
def engine(monkeypatch):
    fake = MarkupEngine()
    monkeypatch.setattr(model_cmds, "_engine", lambda ctx, model: fake)
    monkeypatch.setitem(sys.modules, "tutor.engine", types.SimpleNamespace(load_engine=lambda model: fake))
    return fake


def run(*args):
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "300"})  # no cell cut to "…"
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return result.stdout


def squeeze(text: str) -> str:
    """Table cells may wrap long names; compare without the line breaks and borders."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "│┃─━┏┓┗┛┡┩└┘┌┐╇╈┼├┤╭╮╰╯")


def test_model_commands_print_names_and_tokens_as_written(engine):
    out = run("fill", "Paris is the [MASK] of France.")
    assert squeeze(engine.name) in squeeze(out)
    assert "[mask]" in out and "[/" in out and "[unused1]" in out
    out = run("tokens", "Paris is nice.")
    assert "[CLS]" in out and "[SEP]" in out
    out = run("embed", "bank", "--in", "the [b]bank[/b] of a river", "--in", "a bank loan [/")
    assert squeeze("the [b]bank[/b] of a river") in squeeze(out) and "[/" in out
    out = run("rank", "He is ___ teacher.", "-o", "[an]", "-o", "[/a")
    assert "[an]" in out and "[/a" in out
    out = run("attention", "[x] y")
    assert squeeze(engine.name) in squeeze(out)
    out = run("mask-demo", "[x] y z w v u", "--rate", "0.9")
    assert squeeze(engine.name) in squeeze(out) and "[MASK]" in out


def test_models_prints_a_requested_name_as_written():
    assert squeeze(HOSTILE) in squeeze(run("--model", HOSTILE, "models"))


def test_progress_prints_profile_titles_and_path_as_written(tmp_path):
    folder = tmp_path / "odd[" / "place"  # the path string holds '[/'
    path = folder / "progress.db"
    with open_store(path, profile=HOSTILE) as store:
        store.set_lesson_progress("[mask]-lesson", step=1, steps_total=2)
    out = run("--db", str(path), "--profile", HOSTILE, "progress")
    flat = squeeze(out)
    assert squeeze(f"profile {HOSTILE}") in flat and "[mask]-lesson" in flat and squeeze(str(path)) in flat
    assert "profile [/]nobody" in run("--db", str(path), "--profile", "[/]nobody", "progress")


def test_lessons_list_prints_ids_and_titles_as_written(tmp_path):
    (tmp_path / "odd.md").write_text(
        "---\nid: odd\ntitle: \"Odd [/] [@click=app.quit]title[/b]\"\n---\n\n## One\n\nText.\n",
        encoding="utf-8")
    out = run("--lessons", str(tmp_path), "lessons", "list")
    assert squeeze("Odd [/] [@click=app.quit]title[/b]") in squeeze(out)

