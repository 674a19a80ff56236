"""Every ``--normalize`` that ``rank`` and ``eval-mlm`` offer turns the real model's token
scores into the number its name promises (tests/unit/test_rank_choices.py does ``--scope``)."""
import click
import pytest

from tutor.cli import cli

TEXT, OPTIONS = "He is ___ old teacher.", ["an", "a very", "the"]


def offered(command: str, option: str) -> list[str]:
    (param,) = [p for p in cli.commands[command].params if p.name == option]
    assert isinstance(param.type, click.Choice)
    return list(param.type.choices)


@pytest.mark.parametrize("command", ["rank", "eval-mlm"])
def test_each_offered_normalize_scores_what_it_names(engine, command):
    choices = offered(command, "normalize")
    assert sorted(choices) == ["mean", "option-mean", "sum"]  # a new one needs its own check here
    runs = {name: engine.rank_options(TEXT, OPTIONS, normalize=name) for name in choices}
    raw = [s.pll for s in runs["sum"]]
    tokens = [s.scored_tokens for s in runs["sum"]]
    assert [s.score for s in runs["sum"]] == pytest.approx(raw, abs=1e-3)  # plain PLL
    average = sum(tokens) / len(tokens)
    assert [s.score for s in runs["mean"]] == pytest.approx([p / n * average for p, n in zip(raw, tokens)],
                                                            abs=1e-3)
    # option-mean averages only the option's own pieces: "a very" (two words) differs from both
    option_mean = {s.option: s.score for s in runs["option-mean"]}
    assert option_mean["a very"] != pytest.approx(runs["sum"][1].score, abs=1e-3)
    assert option_mean["a very"] != pytest.approx(runs["mean"][1].score, abs=1e-3)
    assert max(option_mean, key=option_mean.get) == "an"
