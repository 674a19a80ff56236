"""Keep the README honest: every command and flag it shows exists, what it says about --json
holds, and the install and test lines are what CI runs."""
import json
import re
import shlex
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from tests.unit.test_cli_literal import engine  # noqa: F401  (the fake-engine fixture)
from tutor.cli import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
NO_DATA = {("review",), ("progress", "reset")}  # they open the TUI or change data: no --json


def readme_commands() -> list[str]:
    """Every `bert-tutor …` the README shows: inline code, shell blocks, and the command
    table, whose first cell may name a subcommand alone (`progress reset`)."""
    found = []
    for block in re.findall(r"```bash\n(.*?)```", README, re.S):
        found += [line.split("  #")[0].strip() for line in block.splitlines()
                  if re.match(r"bert-tutor(\s|$)", line)]
    for line in README.splitlines():
        spans = re.findall(r"`([^`]+)`", line)
        if line.startswith("| `"):
            first_cell = line.split("|")[1]
            spans = [s if s.startswith("bert-tutor") else f"bert-tutor {s}"
                     for s in re.findall(r"`([^`]+)`", first_cell)] + spans
        found += [s for s in spans if re.match(r"bert-tutor(\s|$)", s)]
    return sorted(set(found))


def readme_flags() -> set[str]:
    """Flags named alone in the prose, like `--with-model` or `--profile NAME`."""
    return {span.split()[0] for span in re.findall(r"`(--[a-z][^`]*)`", README)}


def all_options(command: click.Command) -> set[str]:
    return {name for p in command.params if isinstance(p, click.Option) for name in (*p.opts, *p.secondary_opts)}


def every_command(group: click.Group = cli, path: tuple = ()):
    for name, command in group.commands.items():
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from every_command(command, (*path, name))


def find_option(chain: list[click.Command], flag: str) -> click.Option | None:
    """The option ``flag`` names on the command or on one of its groups."""
    for command in reversed(chain):
        for param in command.params:
            if isinstance(param, click.Option) and flag in (*param.opts, *param.secondary_opts):
                return param
    return None


def resolve(line: str) -> tuple[list[str], list[str]]:
    """(the subcommand path, problems) for one README command line: every word after a group
    names one of its commands, every flag exists, every literal value of a choice is a choice."""
    words = iter(shlex.split(line)[1:])
    chain: list[click.Command] = [cli]
    names: list[str] = []
    problems: list[str] = []
    where = lambda: " ".join(["bert-tutor", *names])  # noqa: E731
    for word in words:
        if word in ("…", "..."):
            continue
        if word == "/":  # `lessons list / check PATH / new ID`: siblings of the last subcommand
            chain, names = chain[:-1], names[:-1]
            continue
        if word.startswith(("-", "[-")):
            options = [(flag, find_option(chain, flag)) for flag in word.strip("[]").split("/")]
            problems += [f"`{line}`: {where()} has no option {flag}" for flag, option in options if option is None]
            option = options[-1][1]
            if option is not None and not option.is_flag and not option.count:
                value = next(words, "")
                placeholder = value.isupper() or "…" in value
                if isinstance(option.type, click.Choice) and not placeholder and value not in option.type.choices:
                    problems.append(f"`{line}`: {word} takes one of {list(option.type.choices)}, not {value!r}")
            continue
        current = chain[-1]
        if isinstance(current, click.Group):
            if word in current.commands:
                chain.append(current.commands[word])
                names.append(word)
            else:
                problems.append(f"`{line}`: {where()} has no command {word!r}")
    return names, problems


def test_the_readme_shows_commands():
    commands = readme_commands()
    assert len(commands) >= 15, commands
    assert {"bert-tutor progress [--json/--csv]", "bert-tutor progress reset"} <= set(commands)


@pytest.mark.parametrize("line", readme_commands())
def test_every_readme_command_and_flag_exists(line):
    names, problems = resolve(line)
    assert problems == []
    if line.split()[1:2] and line.split()[1] not in ("--model", "--lessons", "--debug", "--lang"):
        assert names, f"`{line}` names no bert-tutor command"
    result = CliRunner().invoke(cli, [*names, "--help"])
    assert result.exit_code == 0, result.output


def test_every_flag_named_in_the_prose_exists():
    flags = readme_flags()
    assert {"--model", "--lessons", "--profile", "--db", "--json", "--with-model"} <= flags
    known = set().union(*(all_options(c) for _, c in every_command()), all_options(cli))
    scripts = " ".join((ROOT / name).read_text() for name in set(re.findall(r"scripts/\w+\.py", README)))
    assert {flag for flag in flags - known if f'"{flag}"' not in scripts} == set()


def test_the_db_environment_variable_is_the_one_the_code_reads():
    from tutor.progress.opening import ENV_DB

    assert f"`${ENV_DB}`" in README


def test_commands_that_print_data_take_json():
    missing = [" ".join(path) for path, command in every_command()
               if not isinstance(command, click.Group) and path not in NO_DATA
               and "--json" not in all_options(command)]
    assert missing == []


JSON_RUNS = [
    ["fill", "Paris is the [MASK] of France.", "--json"],
    ["rank", "He is ___ old teacher.", "-o", "a", "-o", "an", "--json"],
    ["attention", "the cat sat", "--layer", "1", "--head", "2", "--json"],
    ["tokens", "the cat sat", "--json"],
    ["embed", "bank", "--in", "a river bank", "--in", "a bank loan", "--json"],
    ["mask-demo", "the cat sat on the mat", "--json"],
    ["models", "--json"],
    ["lessons", "list", "--json"],
    ["lessons", "check", "--json"],
    ["progress", "--json"],
    ["progress", "--csv"],
    ["word2vec", "bank", "--json"],
]
# --json outputs that need a real model or a training run, and the test that parses each.
PARSED_ELSEWHERE = {
    ("eval-mlm",): "tests/engine/test_json_outputs.py",
    ("multilingual", "couplet"): "tests/engine/test_json_outputs.py",
    ("multilingual", "scatter"): "tests/engine/test_multilingual.py",
    ("multilingual", "words"): "tests/engine/test_multilingual.py",
    ("pretrain",): "tests/engine/test_pretrain_cli.py",
    ("finetune",): "tests/engine/test_finetune.py",
    ("lessons", "new"): "tests/unit/test_docs.py",
}


@pytest.mark.parametrize("args", JSON_RUNS, ids=" ".join)
def test_machine_output_parses_and_is_alone_on_stdout(args, engine, tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), *args])
    if "--csv" in args:
        assert result.exit_code == 0 and result.stdout.splitlines()[0].startswith("lesson_id,title,status")
        return
    data = json.loads(result.stdout)
    assert isinstance(data, (dict, list))
    # only `lessons check` exits 1, and then because it found errors
    assert result.exit_code == (int(data["errors"] > 0) if args[:2] == ["lessons", "check"] else 0), result.output


def test_every_json_output_is_parsed_by_a_test():
    paths = [path for path, _ in every_command()]
    run_here = {max((p for p in paths if list(p) == args[:len(p)]), key=len) for args in JSON_RUNS}
    unparsed = []
    for path, command in every_command():
        if isinstance(command, click.Group) and path != ("progress",) or "--json" not in all_options(command):
            continue
        if path in run_here:
            continue
        test_file = PARSED_ELSEWHERE.get(path)
        text = (ROOT / test_file).read_text() if test_file else ""
        # the command and --json in one argument list (no "]" between), and its output parsed
        if not (re.search(rf'"{path[-1]}"[^\]]*"--json"', text) and "json.loads" in text):
            unparsed.append(" ".join(path))
    assert unparsed == []


def test_lessons_new_json(tmp_path):
    result = CliRunner().invoke(cli, ["lessons", "new", "my-lesson", "--dir", str(tmp_path), "--json"])
    assert json.loads(result.stdout) == {"path": str(tmp_path / "my-lesson.md"), "id": "my-lesson"}


def test_ci_runs_the_readme_install_and_test_commands():
    quickstart = README.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    install = re.search(r"^(pip install .+?)\s+#", quickstart, re.M).group(1).strip()
    test = re.search(r"^(python -m pytest)\b", quickstart, re.M).group(1)
    ci = (ROOT / ".ci" / "run").read_text()
    assert install.replace("pip install", "pip install -q") in ci or install in ci
    assert test in ci


def test_plain_install_needs_no_test_extras_and_names_pytorchs_cpu_index():
    install = README.split("## Install", 1)[1].split("\n## ", 1)[0]
    assert re.search(r"^git clone .+ bert-tutor$", install, re.M) and re.search(r"^cd bert-tutor$", install, re.M)
    assert re.search(r"^pip install \.\s", install, re.M)
    assert "pip install torch --index-url https://download.pytorch.org/whl/cpu" in install


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


def test_every_package_tutor_imports_is_declared():
    """numpy was imported but undeclared: a user's `pip install .` must bring every import."""
    import ast
    import tomllib
    from importlib.metadata import packages_distributions

    imported = set()
    for path in (ROOT / "tutor").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported - set(sys.stdlib_module_names) if m != "tutor"}
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared_lines = [*project["dependencies"], *(d for extra in ("pretrain", "corpus")
                                                   for d in project["optional-dependencies"][extra])]
    declared = {re.split(r"[<>=~\[ ;]", d, 1)[0].lower().replace("_", "-") for d in declared_lines}
    dists = packages_distributions()
    undeclared = {m: dists.get(m, ["?"]) for m in third_party
                  if not {d.lower().replace("_", "-") for d in dists.get(m, [m])} & declared}
    assert undeclared == {}


def test_declared_parsing_and_watching_libraries_do_what_the_course_needs(tmp_path):
    """markdown-it-py + mdit-py-plugins (front matter, fences with line numbers) and watchfiles
    are declared for the course loader; at their floors they must offer these calls."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.front_matter import front_matter_plugin
    from watchfiles import Change, DefaultFilter

    tokens = MarkdownIt("commonmark").use(front_matter_plugin).parse(
        "---\nid: x\n---\n\n## Step\n\n```cloze\ntext: a\n```\n")
    kinds = {t.type: t for t in tokens}
    assert kinds["front_matter"].content.strip() == "id: x"
    assert kinds["fence"].info == "cloze" and kinds["fence"].map == [6, 9]
    assert DefaultFilter()(Change.modified, str(tmp_path / "lesson.md"))
    assert not DefaultFilter()(Change.modified, str(tmp_path / ".git" / "index"))


def test_declared_onnxruntime_runs_on_cpu():
    import onnxruntime

    assert "CPUExecutionProvider" in onnxruntime.get_available_providers()
