"""``bert-tutor progress``, ``progress reset`` and ``review``: the learner's record from the shell.

The table is for people; ``--json`` and ``--csv`` are for scripts and spreadsheets, so they
go to stdout alone and any notice about the database goes to stderr.
"""
from __future__ import annotations

import csv
import io
from typing import Any

import click

from tutor.commands.common import console, fail, model_option, print_json, resolve_model, run_safely
from tutor.commands.translated import command, group
from tutor.i18n import N_, _, ngettext

CSV_COLUMNS = ("lesson_id", "title", "status", "score", "step", "steps_total", "attempts",
               "correct", "you", "bert", "due_reviews", "retired")
STATUS_MARKS = {"done": N_("✓ done"), "in-progress": N_("▶ in progress"), "not-started": N_("· not started")}
PROFILE_HELP = N_("Learner profile (default: the group's --profile).")


def register(group: click.Group) -> None:
    group.add_command(progress)
    group.add_command(review)


def _profile(ctx: click.Context, explicit: str | None) -> str | None:
    """``--profile`` of this command, else of any parent command, else the group's."""
    if explicit:
        return explicit
    parent = ctx.parent
    while parent is not None:
        if parent.params.get("profile"):
            return parent.params["profile"]
        parent = parent.parent
    return (ctx.obj or {}).get("profile")


def _open(ctx: click.Context, profile: str | None):
    from tutor.progress import open_store  # keep `bert-tutor --help` free of sqlite-utils

    store = open_store((ctx.obj or {}).get("db_path"), _profile(ctx, profile))
    for line in ([store.notice] if store.notice else []) + store.take_messages():
        click.echo(_("bert-tutor: {message}").format(message=line), err=True)  # e.g. records left unsaved
    return store


def known_lessons(lesson_dirs: list[str]) -> dict[str, str] | None:
    """Lesson id -> title for the bundled lessons plus ``--lessons`` folders (as the TUI loads
    them), or None when the course cannot be read.

    None means "unknown", so nothing is marked retired just because lessons failed to load.
    """
    try:
        from tutor.course import load_course
    except ImportError:
        return None
    try:
        from tutor.i18n import current_language
        from tutor.paths import course_dir

        course = load_course([course_dir(current_language()), *lesson_dirs])
        titles = {str(lesson.id): str(lesson.title or lesson.id) for lesson in course.lessons}
        return titles or None
    except Exception as exc:  # noqa: BLE001 - a broken lesson must not hide the learner's record
        click.echo(_("bert-tutor: lesson titles unavailable ({error})").format(error=exc), err=True)
        return None


@group("progress", invoke_without_command=True,
       help=N_("Show your progress per lesson: status, score, you vs BERT, reviews due."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON to stdout."))
@click.option("--csv", "as_csv", is_flag=True, help=N_("Print CSV (one row per lesson) to stdout."))
@click.option("--profile", default=None, help=PROFILE_HELP)
@click.pass_context
def progress(ctx: click.Context, as_json: bool, as_csv: bool, profile: str | None) -> None:
    if ctx.invoked_subcommand is not None:
        return
    if as_json and as_csv:
        fail(_("choose one of --json and --csv"))
    run_safely(lambda: _show(ctx, profile, "json" if as_json else "csv" if as_csv else "table"))


def _show(ctx: click.Context, profile: str | None, output: str) -> None:
    titles = known_lessons(list((ctx.obj or {}).get("lesson_dirs") or []))
    with _open(ctx, profile) as store:
        rows = store.stats(titles)
        you, bert = store.tally()  # every answer of the learner's (quizzes too)
        versus = store.versus()  # only items both took: BERT never answers quizzes
        by_lesson = store.versus_by_lesson()
        due = len(store.due_reviews())
        where = str(store.path) if store.path else None
        name = store.profile
    if output == "json":
        print_json({"profile": name, "db": where,
                    "tally": {"you": you, "bert": bert}, "versus": versus,
                    "due_reviews": due, "lessons": rows})
    elif output == "csv":
        click.echo(_csv(rows), nl=False)
    else:
        _table(rows, name, where, versus, by_lesson, due)


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _table(rows: list[dict[str, Any]], profile: str, where: str | None, versus: dict[str, int],
           by_lesson: dict[str, dict[str, int]], due: int) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()  # profile, titles and the path are the user's: Text, never markup
    if not rows:
        out.print(Text(_("No progress yet for profile '{profile}'. Run bert-tutor to start a lesson.").format(
            profile=profile)))
        return
    table = Table(title=Text(_("Progress · profile {profile}").format(profile=profile)), title_justify="left")
    for header, justify in ((_("Lesson"), "left"), (_("Status"), "left"), (_("Score"), "right"),
                            (_("Step"), "right"), (_("You – BERT"), "center"), (_("Due"), "right")):
        table.add_column(header, justify=justify)
    for row in rows:
        lesson = Text(row["title"]) if row["title"] == row["lesson_id"] \
            else Text.assemble(row["title"], (f" ({row['lesson_id']})", "dim"))
        status = Text(_("retired"), style="dim") if row["retired"] \
            else Text(_(STATUS_MARKS[status]) if (status := row["status"]) in STATUS_MARKS else status)
        score = "" if row["score"] is None else f"{row['score']:.0%}"
        step = f"{row['step']}/{row['steps_total']}" if row["steps_total"] else ""
        both = by_lesson.get(row["lesson_id"])
        versus_cell = _("{you} – {bert} of {items}").format(**both) if both and both["items"] else ""
        table.add_row(lesson, status, score, step, versus_cell, str(row["due_reviews"] or ""))
    out.print(table)
    out.print(_("You vs BERT on the same {items} items: {you} – {bert} · reviews due: {due}").format(
        items=versus["items"], you=versus["you"], bert=versus["bert"], due=due))
    out.print(Text(_("database: {where}").format(where=where or _("in memory (not saved)")), style="dim"))


@progress.command("reset", help=N_("Delete this profile's progress: one LESSON, or everything (lab runs too)."))
@click.argument("lesson", required=False)
@click.option("--profile", default=None, help=PROFILE_HELP)
@click.option("--yes", "-y", is_flag=True, help=N_("Do not ask for confirmation."))
@click.pass_context
def reset(ctx: click.Context, lesson: str | None, profile: str | None, yes: bool) -> None:
    run_safely(lambda: _reset(ctx, lesson, profile, yes))


def _reset(ctx: click.Context, lesson: str | None, profile: str | None, yes: bool) -> None:
    with _open(ctx, profile) as store:
        if store.in_memory and store.notice:  # the fallback copy: deleting from it would lie
            fail(_("the progress database cannot be written, so nothing was reset"))
        if lesson is not None and not any(r["lesson_id"] == lesson for r in store.stats()):
            fail(_("no progress for lesson '{lesson}' (profile '{profile}')").format(lesson=lesson,
                                                                                     profile=store.profile))
        what = _("lesson '{lesson}'").format(lesson=lesson) if lesson else _("ALL lessons, reviews and lab runs")
        if not yes:
            click.confirm(_("Delete the progress of {what} for profile '{profile}'?").format(
                what=what, profile=store.profile), abort=True)
        deleted = store.reset(lesson)
    click.echo(ngettext("Reset {what} for profile '{profile}' ({n} record deleted).",
                        "Reset {what} for profile '{profile}' ({n} records deleted).", deleted).format(
        what=what, profile=store.profile, n=deleted))
    for message in store.take_messages():  # e.g. the reset waits for a lock to be saved
        click.echo(_("bert-tutor: {message}").format(message=message), err=True)


@command("review", help=N_("Open the TUI on a review session of the blanks you missed (SM-2 spaced repetition)."))
@model_option
@click.option("--profile", default=None, help=PROFILE_HELP)
@click.pass_context
def review(ctx: click.Context, model: str | None, profile: str | None) -> None:
    obj = ctx.obj or {}

    def launch() -> None:
        try:
            from tutor.app import make_app
        except ImportError as exc:
            fail(_("the terminal app is not available ({error})").format(error=exc))
        make_app(model=resolve_model(ctx, model), lesson_dirs=list(obj.get("lesson_dirs") or []),
                 profile=_profile(ctx, profile), db_path=obj.get("db_path"), start="review").run()

    run_safely(launch)
