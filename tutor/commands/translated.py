"""click in the interface's language: our help texts and click's own words.

click fixes ``help=`` and command help when the decorators run (at import), before ``--lang``
is read, so they are marked with ``N_()`` and :class:`TranslatedCommand` translates them each
time help is formatted.  click's own messages ("Usage:", "No such option …") go through
``gettext.gettext`` bound inside click's modules at import; :func:`install` points those names
at our catalog, which carries the click messages a user can meet (listed below, extracted by
pybabel like any other string).  English stays click's text: our ``_`` returns the msgid.
"""
from __future__ import annotations

from contextlib import contextmanager

import click

from tutor.commands.help_format import WideContext, short_help
from tutor.i18n import N_, _, ngettext

# click 8's user-facing msgids (exact text, placeholders included), so our catalog translates them.
CLICK_MESSAGES = (
    N_("Usage:"), N_("Options"), N_("Commands"), N_("Show this message and exit."),
    N_("Show the version and exit."), N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing command."), N_("No such option {name!r}."), N_("No such command {name!r}."),
    N_("No such option: {name}"),  # click 8.3's wording of the same message (our floor)
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("file"), N_("directory"), N_("path"),
    N_("default: {default}"), N_("required"), N_("Aborted!"), N_("Error: {message}"),
    N_("Option {name!r} does not take a value."),
)
# click asks for these with ngettext: marked the same way so the catalog holds them as plurals
# (called once here only for extraction; the value is unused)
CLICK_PLURALS = (
    ngettext("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})", 1),
    ngettext("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments.", 1),
    ngettext("{value!r} is not {choice}.", "{value!r} is not one of {choices}.", 1),
    ngettext("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)", 1),
)


def install() -> None:
    """Route click's ``_``/``ngettext`` through the interface's catalog (idempotent)."""
    from click import core, decorators, exceptions, formatting, parser, termui, types

    for module in (core, decorators, exceptions, formatting, parser, termui, types):
        if hasattr(module, "_"):
            module._ = _
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext


@contextmanager
def _help_translated(command: click.Command, params=()):
    """The command's and its options' help in the current language while help is formatted."""
    saved = [(command, command.help)] + [(p, getattr(p, "help", None)) for p in params]
    try:
        for owner, text in saved:
            if text:
                owner.help = _(text)
        yield
    finally:
        for owner, text in saved:
            owner.help = text


class TranslatedCommand(click.Command):
    context_class = WideContext  # help wrapped by terminal cells: Chinese is two cells a character

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _help_translated(self, self.get_params(ctx)):
            super().format_help(ctx, formatter)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        """click caches --help with its text translated once; keep the msgid, translated when shown."""
        fresh = getattr(self, "_help_option", None) is None
        option = super().get_help_option(ctx)
        if option is not None and fresh:
            option.help = N_("Show this message and exit.")
        return option

    def get_short_help_str(self, limit: int = 45) -> str:
        with _help_translated(self):
            # Chinese: the first sentence, up to two lines' worth (the list wraps it by cells)
            return short_help(self.short_help or self.help or "", 2 * limit) or super().get_short_help_str(limit)


class TranslatedGroup(TranslatedCommand, click.Group):
    command_class = TranslatedCommand


TranslatedGroup.group_class = TranslatedGroup


def command(name: str | None = None, **kwargs):
    return click.command(name, cls=TranslatedCommand, **kwargs)


def group(name: str | None = None, **kwargs):
    return click.group(name, cls=kwargs.pop("cls", TranslatedGroup), **kwargs)
