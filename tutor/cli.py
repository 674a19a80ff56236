"""The ``bert-tutor`` command line: no subcommand launches the TUI.

Subcommands live in ``tutor/commands/`` (one module per area) and are imported here; each
keeps torch out of its import path until it really runs the model, so ``bert-tutor --help``
and ``bert-tutor lessons check`` stay instant.
"""
from __future__ import annotations

import sys

import click

from tutor.commands import (inside_cmds, lessons_cmds, model_cmds, multilingual_cmd, progress_cmds, train_cmds,
                            word2vec_cmd)
from tutor.commands.common import choose_language, error_exit, run_safely
from tutor.commands.translated import TranslatedGroup, install
from tutor.i18n import N_


class TutorGroup(TranslatedGroup):
    """click's own error printing (usage, a blank line, 'Error: …') replaced by the one error
    path in :mod:`tutor.commands.common`: one line on stderr, exit 2."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        install()
        # the language is known before click parses anything, so usage errors are translated too
        choose_language(self.lang_requested(args))
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except SystemExit:
            raise
        except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 - the one error path
            error_exit(exc, debug=self.debug_requested(args))
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)  # an int here is ctx.exit()'s code

    @staticmethod
    def debug_requested(args) -> bool:
        args = sys.argv[1:] if args is None else list(args)
        return "--debug" in args[: args.index("--") if "--" in args else len(args)]

    def lang_requested(self, args) -> str | None:
        """The group's ``--lang`` value, read before click parses (a subcommand's text is not looked at)."""
        args = sys.argv[1:] if args is None else list(args)
        with_value = {name for p in self.params if isinstance(p, click.Option) and not p.is_flag for name in p.opts}
        i = 0
        while i < len(args) and args[i] != "--" and args[i] not in self.commands:
            if args[i].startswith("--lang="):
                return args[i].split("=", 1)[1]
            if args[i] == "--lang":
                return args[i + 1] if i + 1 < len(args) else None
            i += 2 if args[i] in with_value else 1  # an option's value is never the subcommand
        return None


@click.group("bert-tutor", cls=TutorGroup, invoke_without_command=True,
             help=N_("bert-tutor: learn how BERT works by using a live BERT."),
             context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--model", "model", default=None,
              help=N_("Model: bundled name, hub id (bert-base-uncased) or a local folder."))
@click.option("--lessons", "lesson_dirs", multiple=True, type=click.Path(file_okay=False),
              help=N_("Extra lesson folder (repeatable)."))
@click.option("--profile", default=None, help=N_("Learner profile name (default: 'default')."))
@click.option("--db", "db_path", default=None, type=click.Path(dir_okay=False),
              help=N_("Progress database (default: user data dir, or $BERT_TUTOR_DB)."))
@click.option("--lang", "lang", default=None, type=click.Choice(["en", "zh"], case_sensitive=False),
              help=N_("Interface and course language (default: the saved choice, then LC_ALL/LANG)."))
@click.option("--debug", is_flag=True, help=N_("Show the full traceback of an internal error."))
@click.version_option(package_name="bert-tutor", help=N_("Show the version and exit."))
@click.pass_context
def cli(ctx: click.Context, model, lesson_dirs, profile, db_path, lang, debug) -> None:
    ctx.ensure_object(dict)
    language = choose_language(lang)
    ctx.obj.update(model=model, lesson_dirs=list(lesson_dirs), profile=profile, db_path=db_path, debug=debug,
                   lang=language)
    if ctx.invoked_subcommand is None:
        from tutor.app import make_app

        run_safely(lambda: make_app(model=model, lesson_dirs=list(lesson_dirs), profile=profile,
                                    db_path=db_path, lang=lang).run())


for module in (model_cmds, inside_cmds, lessons_cmds, progress_cmds, train_cmds, word2vec_cmd, multilingual_cmd):
    module.register(cli)


def main() -> None:
    cli(prog_name="bert-tutor")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
