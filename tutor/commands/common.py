"""Shared CLI plumbing: one-line errors with exit code 2, JSON output, probability bars."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

import click
from rich.console import Console

from tutor.bars import bar  # noqa: F401  (re-exported for the commands)
from tutor.errors import TutorError
from tutor.rank_choices import DEFAULT_NORMALIZE, DEFAULT_SCOPE, NORMALIZE, SCOPES

EXIT_BAD_INPUT = 2


def fail(message: str) -> None:
    """Print one clear line on stderr and exit 2."""
    click.echo(f"bert-tutor: error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def run_safely(action: Callable[[], Any]) -> Any:
    """Run ``action``; expected problems become one line on stderr, never a traceback."""
    try:
        return action()
    except TutorError as exc:
        fail(str(exc))
    except (FileNotFoundError, PermissionError, IsADirectoryError, UnicodeDecodeError) as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        click.echo("bert-tutor: interrupted", err=True)
        sys.exit(130)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console() -> Console:
    return Console(highlight=False)


def rank_scoring_options(func):
    """``--normalize`` and ``--scope``: how ``rank_options`` scores (rank and eval-mlm)."""
    func = click.option("--scope", type=click.Choice(SCOPES), default=DEFAULT_SCOPE, show_default=True,
                        help="What is scored (one sentence either side is always read): the blank's "
                             "sentence, plus the next one, or both neighbours. Wider is slower.")(func)
    return click.option("--normalize", type=click.Choice(NORMALIZE), default=DEFAULT_NORMALIZE, show_default=True,
                        help="How token scores become one per option: option-mean = rest of the sentence "
                             "summed + the option's pieces averaged; mean = per token; sum = plain PLL.")(func)


def model_option(func):
    """``--model`` on a subcommand; falls back to the group's ``--model``."""
    return click.option("--model", "model", default=None,
                        help="Bundled name, hub id or local folder (default: bert-tutor-mini).")(func)


def resolve_model(ctx: click.Context, model: str | None) -> str | None:
    return model or (ctx.obj or {}).get("model")
