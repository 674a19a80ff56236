"""Every ``--scope`` that ``rank`` and ``eval-mlm`` offer scores the span its name promises
(no model; tests/engine/test_rank_choices.py does ``--normalize`` with the real model)."""
import click
import pytest

from tutor.cli import cli
from tutor.engine.pll import blank_context

TEXT = "A cat sat. He is ___ old teacher. He is kind. We like him."
SCORED = {"sentence": "He is an old teacher.",
          "next": "He is an old teacher. He is kind.",
          "window": "A cat sat. He is an old teacher. He is kind."}


def offered(command: str, option: str) -> list[str]:
    (param,) = [p for p in cli.commands[command].params if p.name == option]
    assert isinstance(param.type, click.Choice)
    return list(param.type.choices)


@pytest.mark.parametrize("command", ["rank", "eval-mlm"])
def test_each_offered_scope_scores_what_it_names(command):
    scopes = offered(command, "scope")
    assert sorted(scopes) == sorted(SCORED)  # a new scope needs its own expectation here
    for scope in scopes:
        before, after, s0, s1 = blank_context(TEXT, scope)
        assert (before + "an" + after)[s0:s1 + len("an")].strip() == SCORED[scope], scope


def test_an_unknown_scope_is_refused():
    with pytest.raises(ValueError, match="scope must be one of"):
        blank_context(TEXT, "paragraph")
