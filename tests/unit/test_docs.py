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


def _training_stages(record: dict) -> list[dict]:
    """training.json nests each earlier stage under ``previous``: newest first."""
    stages = []
    while record:
        stages.append(record)
        record = record.get("previous")
    return stages


def test_lesson_10_tells_how_the_bundled_model_was_trained():
    import json

    stages = _training_stages(json.loads((ROOT / "assets/models/bert-tutor-mini/training.json").read_text()))
    lesson = (ROOT / "lessons/10-pretrain-yourself.md").read_text()
    words = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}
    steps = sum(stage["steps"] for stage in stages)
    claim = re.search(r"\*\*Training:\*\* (\w+) stages, ([\d,]+) steps", lesson)
    assert claim, "lesson 10 no longer says how bert-tutor-mini was trained"
    assert claim.group(1) == words.get(len(stages), str(len(stages)))
    assert int(claim.group(2).replace(",", "")) == steps
    card = (ROOT / "assets/models/bert-tutor-mini/MODEL_CARD.md").read_text()
    assert f"{steps:,}".replace(",", " ") in card or f"{steps:,}" in card, "MODEL_CARD.md lacks the step total"
