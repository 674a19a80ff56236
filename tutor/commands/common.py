"""Shared CLI plumbing: the one error path (one line on stderr), JSON output, probability bars.

Every failure a command can meet ends in :func:`error_exit`: bad input and environment
problems are one ``bert-tutor: error: …`` line and exit 2; a bug is one
``bert-tutor: internal error: …`` line naming the file that holds its traceback, exit 1
(``--debug`` shows the traceback instead). Usage errors from click take the same path
(:class:`tutor.cli.TutorGroup`).
"""
from __future__ import annotations

import json
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any, Callable, NoReturn

import click
from rich.console import Console

from tutor.bars import bar  # noqa: F401  (re-exported for the commands)
from tutor.errors import TutorError
from tutor.i18n import N_, _
from tutor.rank_choices import DEFAULT_NORMALIZE, DEFAULT_SCOPE, NORMALIZE, SCOPES

EXIT_BAD_INPUT = 2
EXIT_BUG = 1
EXIT_INTERRUPTED = 130
# Problems of the user's input or machine, not of bert-tutor: the message says it all.
EXPECTED = (TutorError, OSError, UnicodeDecodeError)


def choose_language(flag: str | None) -> str:
    """Set the interface language: ``--lang``, then the saved preference, then the locale."""
    from tutor.i18n import resolve_language, set_language
    from tutor.ui_settings import UiSettings, default_settings_path

    saved = UiSettings.load(default_settings_path()).get_str("language") if flag is None else None
    return set_language(resolve_language(flag, saved))


def one_line(message: object) -> str:
    return " ".join(str(message).split()) or _("(no message)")


def fail(message: str) -> NoReturn:
    """Print one clear line on stderr and exit 2."""
    click.echo(_("bert-tutor: error: {message}").format(message=one_line(message)), err=True)
    sys.exit(EXIT_BAD_INPUT)


def error_exit(exc: BaseException, *, debug: bool = False) -> NoReturn:
    """The single place an exception becomes what the user sees, and the exit code."""
    if isinstance(exc, click.exceptions.Exit):
        sys.exit(exc.exit_code)
    if isinstance(exc, KeyboardInterrupt) or isinstance(exc.__cause__, KeyboardInterrupt):
        click.echo(_("bert-tutor: interrupted"), err=True)
        sys.exit(EXIT_INTERRUPTED)
    if isinstance(exc, click.exceptions.Abort):
        click.echo(_("bert-tutor: aborted"), err=True)
        sys.exit(1)
    if isinstance(exc, click.UsageError):
        where = exc.ctx.command_path if exc.ctx is not None else "bert-tutor"
        click.echo(_("bert-tutor: error: {message} (see: {command} --help)").format(
            message=one_line(exc.format_message()), command=where), err=True)
        sys.exit(EXIT_BAD_INPUT)
    if isinstance(exc, click.ClickException):
        fail(exc.format_message())
    if isinstance(exc, EXPECTED):
        fail(_describe(exc))
    if debug:
        raise exc
    log = _save_traceback(exc)
    where = _("traceback in {file}").format(file=log) if log else _("run with --debug for the traceback")
    click.echo(_("bert-tutor: internal error: {error}: {message} ({where})").format(
        error=type(exc).__name__, message=one_line(exc), where=where), err=True)
    sys.exit(EXIT_BUG)


def run_safely(action: Callable[[], Any]) -> Any:
    """Run ``action``; whatever it raises leaves by :func:`error_exit` (so a command behaves
    the same on any click group, including the bare ones the tests build)."""
    try:
        return action()
    except click.exceptions.Exit:  # ctx.exit(code): a result, not an error
        raise
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one error path
        error_exit(exc, debug=_debugging())


def _describe(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc)


def _debugging() -> bool:
    ctx = click.get_current_context(silent=True)
    return bool(ctx and (ctx.find_root().obj or {}).get("debug"))


def _save_traceback(exc: BaseException) -> Path | None:
    """Write the traceback where the user can send it: the user log dir (else the temp dir)."""
    import tempfile

    import platformdirs

    text = "".join(traceback.format_exception(exc))
    name = f"error-{datetime.now():%Y%m%d-%H%M%S}.txt"
    for folder in (Path(platformdirs.user_log_dir("bert-tutor")), Path(tempfile.gettempdir()) / "bert-tutor"):
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
            return folder / name
        except OSError:
            continue
    return None


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def console() -> Console:
    return Console(highlight=False)


def rank_scoring_options(func):
    """``--normalize`` and ``--scope``: how ``rank_options`` scores (rank and eval-mlm)."""
    func = click.option("--scope", type=click.Choice(SCOPES), default=DEFAULT_SCOPE, show_default=True,
                        help=N_("What is scored (one sentence either side is always read): the blank's "
                                "sentence, plus the next one, or both neighbours. Wider is slower."))(func)
    return click.option("--normalize", type=click.Choice(NORMALIZE), default=DEFAULT_NORMALIZE, show_default=True,
                        help=N_("How token scores become one per option: option-mean = rest of the sentence "
                                "summed + the option's pieces averaged; mean = per token; sum = plain PLL."))(func)


def model_option(func):
    """``--model`` on a subcommand; falls back to the group's ``--model``."""
    return click.option("--model", "model", default=None,
                        help=N_("Bundled name, hub id or local folder (default: bert-tutor-mini)."))(func)


def resolve_model(ctx: click.Context, model: str | None) -> str | None:
    return model or (ctx.obj or {}).get("model")
