"""Help: every key binding of the app, of every screen and of every widget, generated.

The sections come from the classes' BINDINGS (every module under ``tutor.screens`` and
``tutor.widgets`` is scanned, so a new view shows up without touching this file), so help
can never disagree with what the keys do. Keys are shown as typed ("]" not
"right_square_bracket"); keys that do the same thing share one line ("n / ctrl+n"), and
bindings that share a description but differ say which way they go.
Sections are built in English (the source language) and translated where they are shown.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from dataclasses import dataclass

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import format_key
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Static

from tutor.i18n import N_, _
from tutor.screens.language import LanguageChanged
from tutor.screens.wording import word_list

PACKAGES = ("tutor.screens", "tutor.widgets")
KEY_NAMES = {"enter": "enter", "escape": "esc", "pagedown": "PgDn", "pageup": "PgUp", "tab": "tab",
             "space": "space", "backspace": "backspace", "delete": "del"}
DIRECTIONS = {"1": N_("next"), "-1": N_("previous")}
VIEW_SUFFIXES = ("View", "Widget", "Map", "Lab")  # exercise and live-view widgets
LETTER = "letter_"  # an action that is the letter key of a command (see _merge_letter_twins)
# words help makes up from class and action names, for the catalog (tests check none is missed)
MADE_UP = (N_("Everywhere"), N_("Home"), N_("Lesson"), N_("Model picker"), N_("Playground"), N_("Review"),
           N_("Attention map"), N_("Cloze"), N_("Embeddings"), N_("Finetune lab"), N_("Masking"),
           N_("Pretrain lab"), N_("Quiz"), N_("Fill mask"), N_("Slide"), N_("Tokens"),
           N_("Choose the option with that key"), N_("Toggle the option with that key"),
           N_("Command palette: lessons, theme, model"))


@dataclass(frozen=True)
class Row:
    """One help line, in English: ``detail`` tells apart rows that share a description;
    ``views`` (for the last section) lists views whose only keys are their text boxes."""

    keys: str
    description: str
    detail: str = ""
    views: tuple[str, ...] = ()

    def shown(self) -> str:
        """The row's words in the current language."""
        if self.views:
            return _("{views}: type in their text boxes; tab moves on").format(
                views=word_list(_(view) for view in self.views))
        if self.detail:
            return _("{description}: {detail}").format(description=_(self.description), detail=_(self.detail))
        return _(self.description)


def key_name(key: str) -> str:
    """"right_square_bracket" -> "]", "ctrl+right" -> "ctrl+→", "pagedown" -> "PgDn"."""
    *modifiers, last = key.strip().split("+")
    return "+".join([*modifiers, KEY_NAMES.get(last) or format_key(last)])


def _humanize(action: str) -> str:
    name = action.split("(", 1)[0].split(".")[-1]
    return name.replace("_", " ").capitalize()


def _argument(action: str) -> str | None:
    match = re.fullmatch(r"[\w.]+\((.*)\)", action)
    return match.group(1).strip().strip("'\"") if match else None


def _key_list(keys: list[str]) -> str:
    """Keys joined with " / ", a run like 1 2 3 … 9 written "1–9"."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) > 2:
            out.append(f"{run[0]}–{run[-1]}")
        else:
            out.extend(run)
        run.clear()

    for key in keys:
        if run and len(key) == 1 and len(run[-1]) == 1 and ord(key) == ord(run[-1]) + 1:
            run.append(key)
            continue
        flush()
        run.append(key)
    flush()
    return " / ".join(out)


def binding_rows(owner: type[DOMNode]) -> list[Row]:
    """The rows for one class's own BINDINGS, in order."""
    bindings = [b if isinstance(b, Binding) else Binding(*b) for b in owner.__dict__.get("BINDINGS", [])]
    by_action: dict[str, list[Binding]] = {}
    for binding in bindings:
        by_action.setdefault(binding.action, []).append(binding)
    # actions that differ only in their argument (choose(0), choose(1) …) with no description: one row
    families: dict[str, list[str]] = {}
    rows: list[tuple[str, list[str], str]] = []  # (action, keys, description)
    for action, group in by_action.items():
        keys = [key_name(k) for b in group for k in b.key.split(",")]
        description = next((b.tooltip or b.description for b in group if b.tooltip or b.description), "")
        if not description and _argument(action) is not None:
            family = action.split("(", 1)[0]
            if family in families:
                families[family].extend(keys)
                continue
            families[family] = keys
            rows.append((family, keys, f"{_humanize(family)} the option with that key"))
            continue
        rows.append((action, keys, description or _humanize(action)))
    for keys in families.values():  # digits first, then letters: "1–9 / a–d"
        keys.sort(key=lambda k: (not k.isdigit(), k))
    rows = _merge_letter_twins(rows)
    counts: dict[str, int] = {}
    for _action, _keys, description in rows:
        counts[description] = counts.get(description, 0) + 1
    out = []
    for action, keys, description in rows:
        detail = ""
        if counts[description] > 1:  # e.g. l and L are both "Layer": say which way each goes
            detail = DIRECTIONS.get(_argument(action) or "", _humanize(action).lower())
        out.append(Row(_key_list(keys), description, detail))
    return out


def _merge_letter_twins(rows: list[tuple[str, list[str], str]]) -> list[tuple[str, list[str], str]]:
    """A ``letter_…`` action is the letter key of a command with the same description (the
    lesson's n for ctrl+n: the same step, only off while a field takes letters): one row,
    "n / ctrl+n  Next step", instead of the same words twice."""
    commands = {description: keys for action, keys, description in rows if not action.startswith(LETTER)}
    out = []
    for action, keys, description in rows:
        twin = commands.get(description) if action.startswith(LETTER) else None
        if twin is None:
            out.append((action, keys, description))
        else:
            twin[:0] = keys  # the letter first, as the step-nav line says it: "n or ctrl+n"
    return out


def _title(cls: type) -> str:
    if getattr(cls, "HELP_TITLE", None):
        return cls.HELP_TITLE
    name = cls.__name__
    for suffix in ("Screen", "Widget", "View"):
        if name.endswith(suffix) and name != suffix:
            name = name[: -len(suffix)]
    words = re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", name)
    return " ".join([words[0], *(w.lower() for w in words[1:])]) if words else cls.__name__


def _classes() -> list[type[DOMNode]]:
    """Every screen and widget class defined in the app's packages, screens first."""
    found: list[type[DOMNode]] = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package_name}.{info.name}")
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if cls.__module__ == module.__name__ and issubclass(cls, (Screen, Widget)):
                    found.append(cls)
    return found


def sections() -> list[tuple[str, list[Row]]]:
    from tutor.app import TutorApp

    everywhere = binding_rows(TutorApp) + binding_rows(App) + [
        Row(key_name(App.COMMAND_PALETTE_BINDING), "Command palette: lessons, theme, model")]
    everywhere += [row for row in binding_rows(Screen) if "copy" not in row.description.lower()]
    seen: set[str] = set()  # TutorApp's own ctrl+q replaces App's
    everywhere = [row for row in everywhere if row.keys not in seen and not seen.add(row.keys)]
    out = [("Everywhere", [row for row in everywhere if row.description != "Help quit"])]
    quiet = []
    for cls in _classes():
        if cls is HelpScreen:
            continue
        rows = binding_rows(cls)
        if rows:
            out.append((_title(cls), rows))
        elif issubclass(cls, Widget) and not issubclass(cls, Screen) and cls.__name__.endswith(VIEW_SUFFIXES):
            quiet.append(_title(cls))
    if quiet:
        out.append((N_("Views with no keys of their own"), [Row("", "", views=tuple(quiet))]))
    return out


def help_content(max_width: int = 24) -> Content:
    """All sections as one text: a bold title line, then "key   description" rows, translated."""
    parts: list[Content | str | tuple[str, str]] = []
    every = sections()
    width = min(max_width, 2 + max((len(row.keys) for _section, rows in every for row in rows), default=0))
    for title, rows in every:
        parts += [(_(title), "bold underline"), "\n"]
        for row in rows:
            keys = row.keys if len(row.keys) < width else row.keys + "\n" + " " * width
            parts += [(keys.ljust(width) if len(row.keys) < width else keys, "bold $accent"), row.shown(), "\n"]
        parts.append("\n")
    return Content.assemble(*parts)


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", N_("Close"))]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(Content.assemble((_("bert-tutor keys"), "bold"), "  ", _("(esc to close)"), "\n"))
            yield Static(help_content(), id="help-keys")
            yield Static(Content.styled(_("Mouse works too: click options, buttons and lessons. "
                                          "Progress is saved automatically after every checked exercise."), "dim"))

    async def on_language_changed(self, _event: LanguageChanged) -> None:
        await self.recompose()
