"""Help: every key binding, gathered from the screens and widgets that define them.

Generated from the classes' BINDINGS so it can never disagree with what the keys do.
"""
from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def _key_label(keys: str) -> str:
    names = {"question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp", "escape": "esc",
             "shift+tab": "shift+tab", "ctrl+right": "ctrl+→", "ctrl+left": "ctrl+←", "right": "→", "left": "←"}
    return " / ".join(names.get(k.strip(), k.strip()) for k in keys.split(","))


def binding_rows(owner) -> list[tuple[str, str]]:
    rows = []
    for binding in getattr(owner, "BINDINGS", []):
        if isinstance(binding, tuple):
            binding = Binding(*binding)
        if binding.description:
            rows.append((_key_label(binding.key), binding.description))
    return rows


def sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from tutor.app import TutorApp
    from tutor.screens.home import HomeScreen
    from tutor.screens.lesson import LessonScreen
    from tutor.widgets.cloze import ClozeWidget
    from tutor.widgets.quiz import QuizWidget

    cloze = binding_rows(ClozeWidget) + [("1–9 / a–d", "Choose an option for the current blank")]
    quiz = binding_rows(QuizWidget) + [("1–9", "Toggle a choice")]
    out = [("Everywhere", binding_rows(TutorApp) + [("ctrl+p", "Command palette: lessons, theme, model, playground")]),
           ("Home", binding_rows(HomeScreen) + [("↑ ↓ enter", "Select and open a lesson")]),
           ("Lesson", binding_rows(LessonScreen)), ("Cloze", cloze), ("Quiz", quiz),
           ("Fill-mask", [("type", "BERT updates its top guesses as you edit"),
                          ("enter (guess box)", "Commit your guess and reveal BERT's answer")])]
    try:
        from tutor.screens.playground import PlaygroundScreen

        out.append(("Playground", binding_rows(PlaygroundScreen)))
        for module, name in (("tutor.widgets.attention_map", "AttentionMap"), ("tutor.widgets.masking_view", "MaskingView"),
                             ("tutor.widgets.embeddings_view", "EmbeddingsView")):
            import importlib

            rows = binding_rows(getattr(importlib.import_module(module), name))
            if rows:
                out.append((name.replace("View", "").replace("Map", " map"), rows))
    except ImportError:
        pass
    return out


class HelpScreen(ModalScreen):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        table = Table(show_header=False, box=None, padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for title, rows in sections():
            table.add_row(f"[b underline]{title}[/]", "")
            for key, description in rows:
                table.add_row(key, description)
            table.add_row("", "")
        with VerticalScroll(id="help-box"):
            yield Static("[b]bert-tutor keys[/b]  (esc to close)\n")
            yield Static(table)
            yield Static("[dim]Mouse works too: click options, buttons and lessons. "
                         "Progress is saved automatically after every checked exercise.[/]")
