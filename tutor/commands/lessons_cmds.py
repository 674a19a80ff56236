"""``bert-tutor lessons list | check | new``: the course as instructors see it.

``check`` prints one ``file:line: message`` line per problem (plain text, never wrapped, so
editors and grep can jump to it) and exits 1 when any is an error.  Only ``--with-model``
imports the engine (and torch), lazily, so checking stays instant.
"""
from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from tutor.commands.common import console, fail, model_option, print_json, resolve_model, run_safely
from tutor.commands.translated import group
from tutor.i18n import N_, _, ngettext

EXIT_PROBLEMS = 1


def register(group: click.Group) -> None:
    group.add_command(lessons)


def _course_dirs(ctx: click.Context) -> list[Path]:
    from tutor.paths import course_dir
    obj = ctx.obj or {}
    return [course_dir(obj.get("lang", "en"))] + [Path(d) for d in obj.get("lesson_dirs", [])]


@group("lessons", help=N_("List, check and create lesson files."))
def lessons() -> None:
    pass


@lessons.command("list", help=N_("The course in order: id, title, steps, blocks by kind, problems."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of a table."))
@click.pass_context
def list_cmd(ctx: click.Context, as_json: bool) -> None:
    from tutor.course import load_course

    course = load_course(_course_dirs(ctx))
    rows = [{"order": i, "id": l.id, "title": l.title, "path": str(l.path), "steps": len(l.steps),
             "blocks": l.kinds(), "errors": len(l.errors),
             "warnings": len(l.problems) - len(l.errors)} for i, l in enumerate(course.lessons, 1)]
    if as_json:
        print_json({"lessons": rows, "problems": [p.to_dict() for p in course.problems]})
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_("Course"), title_justify="left")
    for name, justify in (("#", "right"), (_("id"), "left"), (_("title"), "left"), (_("steps"), "right"),
                          (_("blocks"), "left"), (_("problems"), "right")):
        table.add_column(name, justify=justify)
    for row in rows:
        blocks = " · ".join(f"{kind} {n}" for kind, n in row["blocks"].items()) or "—"
        # ids, titles and paths come from files: Text is never read as markup
        table.add_row(str(row["order"]), Text(row["id"]), Text(row["title"]), str(row["steps"]),
                      Text(blocks), _problem_cell(row["errors"], row["warnings"]))
    out = console()
    out.print(table)
    if not rows:
        out.print(Text(_("No lessons found in: {folders}").format(folders=", ".join(str(d) for d in course.dirs))))
    if course.problems:
        n = len(course.problems)
        out.print(ngettext("{n} problem; details: bert-tutor lessons check",
                           "{n} problems; details: bert-tutor lessons check", n).format(n=n))


def _problem_cell(errors: int, warnings: int):
    from rich.text import Text

    if not errors and not warnings:
        return Text("✓", style="green")
    parts = ([(_errors(errors), "red")] if errors else []) + ([(_warnings(warnings), "yellow")] if warnings else [])
    return Text(", ").join(Text(text, style=style) for text, style in parts)


def _errors(n: int) -> str:
    return ngettext("{n} error", "{n} errors", n).format(n=n)


def _warnings(n: int) -> str:
    return ngettext("{n} warning", "{n} warnings", n).format(n=n)


@lessons.command("check", help=N_("Check lesson files or folders (default: the whole course); exit 1 on any error."))
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--with-model", is_flag=True,
              help=N_("Also ask BERT: warn where it prefers another option than the key."))
@model_option
@click.option("--json", "as_json", is_flag=True, help=N_("Print JSON instead of text lines."))
@click.pass_context
def check_cmd(ctx: click.Context, paths: tuple[str, ...], with_model: bool, model: str | None,
              as_json: bool) -> None:
    from tutor.course import load_course, load_paths

    for raw in paths:
        if not Path(raw).exists():
            fail(_("no such file or folder: {path}").format(path=raw))
    dirs = _course_dirs(ctx)
    if paths:
        lesson_list, problems = load_paths(paths, context_dirs=dirs)
    else:
        course = load_course(dirs)
        problems, lesson_list = list(course.problems), course.lessons
    if with_model:
        problems = _file_order(problems + run_safely(
            lambda: _model_warnings(lesson_list, resolve_model(ctx, model))))
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if as_json:
        print_json({"problems": [p.to_dict() for p in problems], "errors": errors,
                    "warnings": warnings, "lessons": len(lesson_list)})
    else:
        for problem in problems:
            click.echo(str(problem))
        click.echo(_summary(errors, warnings, len(lesson_list)))
    ctx.exit(EXIT_PROBLEMS if errors else 0)


def _file_order(problems: list) -> list:
    """Model warnings join the others: files in first-seen order, lines ascending."""
    first: dict[str, int] = {}
    for p in problems:
        first.setdefault(p.path, len(first))
    return sorted(problems, key=lambda p: (first[p.path], p.line))


def _model_warnings(lesson_list: list, model: str | None) -> list:
    from tutor.course import lint_with_model

    try:
        from tutor.engine import load_engine  # torch: only now
    except ImportError as exc:
        fail(_("--with-model needs the model engine, which failed to import: {error}").format(error=exc))
    engine = load_engine(model)
    board = Console(stderr=True, highlight=False)
    if not board.is_terminal:  # a pipe or a test: no spinner in the output
        return lint_with_model([l for l in lesson_list if l.steps], engine)
    with board.status("") as status:
        def progress(done: int, total: int, lesson) -> None:
            status.update(Text(_("asking BERT about lesson {n} of {total}: {title}…").format(
                n=done + 1, total=total, title=lesson.title)))  # Text: a title's [brackets] are not markup
        return lint_with_model([l for l in lesson_list if l.steps], engine, progress)


def _summary(errors: int, warnings: int, n_lessons: int) -> str:
    lessons_text = ngettext("{n} lesson", "{n} lessons", n_lessons).format(n=n_lessons)
    if not errors and not warnings:
        return click.style(_("OK: {lessons}, no problems").format(lessons=lessons_text), fg="green")
    text = _("{errors}, {warnings} in {lessons}").format(errors=_errors(errors), warnings=_warnings(warnings),
                                                          lessons=lessons_text)
    return click.style(text, fg="red" if errors else "yellow")


@lessons.command("new", help=N_("Write a starter lesson ID.md with one block of every kind."))
@click.argument("lesson_id")
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=".",
              help=N_("Folder to write <ID>.md into (default: current folder)."))
@click.option("--force", is_flag=True, help=N_("Overwrite an existing file."))
@click.option("--json", "as_json", is_flag=True, help=N_("Print the new file's path as JSON."))
def new_cmd(lesson_id: str, folder: str, force: bool, as_json: bool) -> None:
    from tutor.course import starter_lesson

    text = run_safely(lambda: starter_lesson(lesson_id))
    target = Path(folder) / f"{lesson_id}.md"
    if target.exists() and not force:
        fail(_("{file} already exists (use --force to overwrite)").format(file=target))

    def write() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    run_safely(write)
    if as_json:
        print_json({"path": str(target), "id": lesson_id})
    else:
        click.echo(_("Wrote {file}. Edit it, then run: bert-tutor lessons check {file}").format(file=target))
