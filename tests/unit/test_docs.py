"""Keep the README honest: every command it shows exists, and the quickstart is what CI runs."""
import re
from pathlib import Path

from click.testing import CliRunner

from tutor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()


def test_every_command_in_the_readme_exists():
    shown = set(re.findall(r"`bert-tutor ([a-z][a-z-]*)", README))
    assert shown, "README shows no commands"
    for name in shown:
        assert name in cli.commands, f"README shows `bert-tutor {name}` but the CLI has no such command"


def test_every_command_has_help_and_json_where_it_prints_data():
    runner = CliRunner()
    for name, command in cli.commands.items():
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert command.help, f"{name} has no help text"


def test_ci_runs_the_readme_install_and_test_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("##", 1)[0]
    install = re.search(r"^(pip install .+?)\s+#", quickstart, re.M).group(1).strip()
    test = re.search(r"^(python -m pytest)\b", quickstart, re.M).group(1)
    ci = (ROOT / ".ci" / "run").read_text()
    assert install.replace("pip install", "pip install -q") in ci or install in ci
    assert test in ci
