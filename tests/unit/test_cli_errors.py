"""One error path: every command, given bad input, prints ONE line on stderr and exits 2;
a bug prints one line naming its traceback file and exits 1; nothing prints a traceback."""
from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from tutor.cli import cli


def every_command(group: click.Group = cli, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


COMMANDS = list(every_command())
REQUIRED = [(path, command) for path, command in COMMANDS
            if any(p.required for p in command.params)]


def invoke(*args: str, **kwargs):
    return CliRunner().invoke(cli, list(args), **kwargs)


def assert_one_line(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("bert-tutor: "), result.stderr
    return lines[0]


def test_there_are_commands_to_check():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"fill", "rank", "progress", "progress reset", "lessons check", "pretrain"} <= names
    assert len(REQUIRED) >= 8


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_an_unknown_option_is_one_line(path):
    line = assert_one_line(invoke(*path, "--no-such-flag"))
    assert "No such option" in line and "--no-such-flag" in line  # click's wording varies by version
    assert f"bert-tutor {' '.join(path)} --help" in line


@pytest.mark.parametrize("path", [p for p, _ in REQUIRED], ids=" ".join)
def test_missing_required_input_is_one_line(path):
    line = assert_one_line(invoke(*path))
    assert "Missing" in line


BAD_VALUES = {
    "out of range": (["fill", "x", "--top-k", "0"], "Invalid value for '--top-k'"),
    "not a number": (["attention", "x", "--layer", "abc"], "'abc' is not a valid integer"),
    "bad choice": (["rank", "x ___", "-o", "a", "-o", "b", "--scope", "all"], "Invalid value for '--scope'"),
    "one option": (["rank", "x ___", "-o", "a"], "give at least two --option values"),
    "one sentence": (["embed", "w", "--in", "a w"], "give at least two --in sentences"),
    "rate": (["mask-demo", "x", "--rate", "2"], "Invalid value for '--rate'"),
    "missing file": (["pretrain", "--corpus", "/no/such/file", "--out", "x"], "does not exist"),
    "unknown command": (["flil"], "No such command 'flil'"),
    "option without value": (["--profile"], "requires an argument"),
    "bad lesson id": (["lessons", "new", "Bad Id"], "bad lesson id 'Bad Id'"),
    "no such lesson path": (["lessons", "check", "/no/such/lesson.md"], "no such file or folder"),
    "json and csv": (["progress", "--json", "--csv"], "choose one of --json and --csv"),
}


@pytest.mark.parametrize("name", BAD_VALUES)
def test_bad_values_are_one_line(name):
    args, says = BAD_VALUES[name]
    assert says in assert_one_line(invoke(*args))


def test_an_os_error_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    line = assert_one_line(invoke("lessons", "new", "fine-id", "--dir", str(blocker / "sub")))
    assert str(blocker) in line or "Not a directory" in line


def test_unknown_lesson_to_reset_is_one_line(tmp_path):
    line = assert_one_line(invoke("--db", str(tmp_path / "p.db"), "progress", "reset", "nope", "--yes"))
    assert "no progress for lesson 'nope'" in line


@pytest.fixture
def broken_catalog(monkeypatch, tmp_path):
    import platformdirs

    import tutor.model_catalog

    def boom(current=None):
        raise RuntimeError("catalog exploded\nover two lines")

    monkeypatch.setattr(tutor.model_catalog, "model_catalog", boom)
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda app: str(tmp_path / "logs"))
    return tmp_path / "logs"


def test_a_bug_is_one_line_with_its_traceback_saved(broken_catalog):
    line = assert_one_line(invoke("models"), code=1)
    assert line.startswith("bert-tutor: internal error: RuntimeError: catalog exploded over two lines")
    (log,) = broken_catalog.glob("error-*.txt")
    assert f"traceback in {log}" in line
    assert "Traceback" in log.read_text() and "catalog exploded" in log.read_text()


def test_debug_shows_the_traceback(broken_catalog):
    result = invoke("--debug", "models")
    assert isinstance(result.exception, RuntimeError)  # re-raised: Python prints the traceback
    assert not list(broken_catalog.glob("error-*.txt"))


def test_help_and_version_still_exit_0():
    assert invoke("--help").exit_code == 0 and invoke("--version").exit_code == 0
    assert invoke("lessons", "-h").exit_code == 0
