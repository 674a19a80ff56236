"""The cloze exercise: a passage with numbered blanks, graded against the key and BERT.

Keys: a–d or 1–9 choose an option for the current blank (and only that), ←/→ move between
blanks, tab leaves the cloze at its last blank, Enter checks, h gives the next hint tier
(author's hint → remove a distractor → reveal).  The passage and options show at once;
BERT's picks are computed in a thread worker as soon as the model is ready and fill in when
they arrive.  The passage BERT reads has the *other* blanks filled by their keys, and the
"(no word)" option read as nothing.  Without a model the cloze still grades.
"""
from __future__ import annotations

import time
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from tutor.bars import bar
from tutor.course.blocks import BlankSpec, ClozeBlock
from tutor.i18n import N_, _
from tutor.widgets.messages import ExerciseGraded, GradedItem
from tutor.widgets.model_view import ModelWork, on_screen, stop_if_cancelled

LETTERS = "abcd"
MAX_OPTIONS = 9
BAR_WIDTH = 10  # every BERT bar in the feedback uses this one scale


def bert_picks(engine: Any, block: ClozeBlock, numbers: list[int]) -> dict[int, list[tuple[str, float]]]:
    """Worker thread: BERT's options for each blank, best first, as (option, probability).
    The blanks with options are ranked in one call, so both cores work through the whole
    passage (``Engine.rank_blanks``)."""
    chosen = [spec for spec in block.blanks if spec.number in numbers]
    asked = block.ranking_requests(numbers)
    results: dict[int, list[tuple[str, float]]] = {}
    ranked = engine.rank_blanks([(text, options) for _spec, text, options in asked]) if asked else []
    for (spec, _text, _options), scores in zip(asked, ranked):
        pairs = [(option, s.probability) for option, s in zip(spec.options, scores)]
        results[spec.number] = sorted(pairs, key=lambda pair: -pair[1])
    for spec in chosen:
        if not spec.options:
            stop_if_cancelled()  # each fill-mask is a model pass: stop between them when left
            results[spec.number] = engine.fill_mask(block.text_with_blank(spec.number, "[MASK]"), top_k=5)[0]
    return {spec.number: results[spec.number] for spec in chosen}


class ClozeWidget(ModelWork, Vertical, can_focus=True):
    """An interactive cloze; ``only`` limits it to some blanks (used by the review session)."""

    BINDINGS = [
        Binding("right", "next_blank", N_("Next blank"), show=False),  # the key line says it
        Binding("left", "previous_blank", N_("Prev blank"), show=False),
        # tab and shift+tab differ from the arrows at the ends: their own words, not a second "Next blank"
        Binding("tab", "next_blank_or_leave", N_("Next blank, or leave after the last"), show=False),
        Binding("shift+tab", "previous_blank_or_leave", N_("Prev blank, or leave before the first"), show=False),
        Binding("enter", "check", N_("Check")),
        Binding("h", "hint", N_("Hint")),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
        *[Binding(letter, f"choose({i})", show=False) for i, letter in enumerate(LETTERS)],
    ]
    FAULT = N_("BERT could not rank this cloze")
    OWNS_LETTERS = True  # a–d are answers here, so the lesson's letter keys stand aside
    DEFAULT_CSS = """
    ClozeWidget .options { height: auto; }
    ClozeWidget Button.option.picked { background: $accent-muted; color: $foreground; text-style: bold; }
    ClozeWidget Button.option.picked.is-right { background: $success-muted; }
    ClozeWidget Button.option.picked.is-wrong { background: $error-muted; }
    ClozeWidget .exercise-buttons { align: left middle; }
    """

    def __init__(self, block: ClozeBlock, *, only: list[int] | None = None, id: str | None = None):
        super().__init__(id=id, classes="exercise cloze")
        self.block = block
        self.numbers = [b.number for b in block.blanks if only is None or b.number in only]
        self.current = self.numbers[0] if self.numbers else 0
        self.answers: dict[int, str] = {}
        self.hints: dict[int, int] = {}
        self.removed: dict[int, set[str]] = {}
        self.checked = False
        self.results: dict[int, bool] = {}
        self.bert: dict[int, list[tuple[str, float]]] = {}  # blank -> [(option, probability)] best first
        self.bert_state = "waiting"  # waiting | thinking | done | unavailable
        self.bert_problem = ""
        self.started = time.monotonic()
        self._grades_pending = False

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.block.title:
            yield Static(Content(self.block.title), classes="exercise-title")
        yield Static(Content(self.block.instructions or _("Choose an answer for each blank, then check.")),
                     classes="instructions")
        yield Static(Content(_("a–d or 1–9 choose · ←/→ other blanks · Enter checks · h hint · "
                               "tab leaves the cloze")), classes="instructions keys")
        yield Static(id="passage", classes="passage")
        yield Static(id="blank-label", classes="blank-label")
        with Horizontal(id="options", classes="options"):
            for i in range(MAX_OPTIONS):  # fixed buttons, relabelled per blank (no remounting)
                button = Button("", id=f"opt-{i}", classes="option")
                button.can_focus = False  # keys stay with the cloze; the mouse still clicks
                yield button
        yield Input(placeholder=_("type your answer, then Enter (esc leaves the field)"), id="typed")
        with Horizontal(classes="exercise-buttons"):
            for label, bid in (("◀", "prev"), ("▶", "next"), (_("Hint (h)"), "hint"), (_("Check (Enter)"), "check")):
                button = Button(label, id=bid, classes="small" if bid in ("prev", "next") else "",
                                variant="primary" if bid == "check" else "default")
                button.can_focus = False
                yield button
        yield Static(id="feedback", classes="feedback")

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._engine_changed)
        self._show_blank()

    def take_focus(self) -> None:
        if self.numbers and self.spec().typed and not self.checked:
            self.query_one("#typed", Input).focus()
        else:
            self.focus()

    # -- BERT's picks (ModelWork) -----------------------------------------------------------
    def _engine_changed(self, status: str) -> None:
        if not on_screen(self):
            return
        if status == "ready" and self.bert_state in ("waiting", "unavailable"):
            self.bert_state = "thinking"
            self.run_model("bert", bert_picks, self.app.engine, self.block, list(self.numbers))
        elif status == "failed":
            self._bert_gone(_("the model is not available"))
        elif status == "loading":
            self.bert_state = "waiting"
        self._show_blank()

    def model_answered(self, topic: str, answer: dict[int, list[tuple[str, float]]]) -> None:
        self.bert, self.bert_state = answer, "done"
        if self._grades_pending:
            self._post_grades()
        self._show_blank()

    def model_error(self, topic: str, message: str) -> None:
        self._bert_gone(message)
        self._show_blank()

    def _bert_gone(self, why: str) -> None:
        self.bert_state, self.bert_problem = "unavailable", why
        if self._grades_pending:
            self._post_grades()

    # -- rendering ------------------------------------------------------------------------
    def spec(self, number: int | None = None) -> BlankSpec:
        return self.block.blank(self.current if number is None else number)

    def passage_text(self) -> Text:
        text = Text()
        for part in self.block.segments():
            if isinstance(part, str):
                text.append(part)
                continue
            spec = self.block.blank(part)
            if part not in self.numbers:
                text.append(spec.answer if spec else "?", style="dim")
                continue
            answer = self.answers.get(part, "")
            current = part == self.current
            if self.checked:
                if self.results.get(part):
                    text.append(f"[{part}: {answer} ✓]", style="bold green")
                else:
                    text.append(f"[{part}: {answer or '—'} ✗ → {spec.answer}]", style="bold red")
            else:
                label = f"[{part}: {answer or '____'}]"
                text.append(label, style="reverse bold" if current else ("bold" if answer else "dim"))
        return text

    def option_key(self, index: int) -> str:
        return LETTERS[index] if index < len(LETTERS) else str(index + 1)

    def _show_blank(self) -> None:
        if not on_screen(self) or not self.numbers:
            return
        spec = self.spec()
        self.query_one("#passage", Static).update(self.passage_text())
        position = self.numbers.index(self.current) + 1
        label = (_("Blank {number}  ({position} of {total})  · typed answer") if spec.typed
                 else _("Blank {number}  ({position} of {total})"))
        self.query_one("#blank-label", Static).update(
            label.format(number=spec.number, position=position, total=len(self.numbers)))
        removed = self.removed.get(spec.number, set())
        for i, button in enumerate(self.query(".option").results(Button)):
            option = spec.options[i] if i < len(spec.options) else None
            button.display = option is not None
            if option is None:
                continue
            button.label = Content(f"{self.option_key(i)}  {option}")  # an option is text, never markup
            button.refresh(layout=True)  # the label's width changed
            picked = self.answers.get(spec.number) == option
            button.set_class(picked, "picked")
            button.set_class(picked and self.checked and self.results.get(spec.number, False), "is-right")
            button.set_class(picked and self.checked and not self.results.get(spec.number, False), "is-wrong")
            button.disabled = option in removed  # checked options stay readable; presses are ignored
        typed = self.query_one("#typed", Input)
        typed.display = spec.typed and not self.checked
        if spec.typed and typed.value != self.answers.get(spec.number, ""):
            typed.value = self.answers.get(spec.number, "")
        self.query_one("#check", Button).disabled = self.checked
        self.query_one("#hint", Button).disabled = self.checked
        self.query_one("#feedback", Static).update(self.feedback_text())

    def feedback_text(self) -> Text:
        spec = self.spec()
        text = Text()
        hints = self.hints.get(spec.number, 0)
        if hints >= 1 and not self.checked:
            text.append(_("Hint: "), style="bold")
            text.append((spec.hint or _("no author's hint for this blank — press h again")) + "\n")
        if not self.checked:
            return text
        you = self.answers.get(spec.number, "")
        right = self.results.get(spec.number, False)
        text.append(_("Blank {number}").format(number=spec.number) + "   ", style="bold")
        text.append(_("you: {answer} {mark}").format(answer=you or "—", mark="✓" if right else "✗"),
                    style="bold green" if right else "bold red")
        text.append("   " + _("key: {answer}").format(answer=spec.answer) + "\n", style="bold")
        text.append_text(self._bert_line(spec))
        why = spec.explain_for(you) if you else ""
        if why:
            text.append(_("Why {option}: ").format(option=you) if spec.options and dict(spec.why).get(you)
                        else _("Why: "), style="bold")
            text.append(why + "\n", style="italic")
        if not right and dict(spec.why).get(spec.answer):
            text.append(_("Why {option}: ").format(option=spec.answer), style="bold")
            text.append(spec.explain_for(spec.answer) + "\n", style="italic")
        you_score = sum(self.results.values())
        text.append(_("You {score}/{total}").format(score=you_score, total=len(self.numbers)), style="bold")
        if self.bert:
            bert_score = sum(1 for n in self.numbers if self._bert_correct(n))
            text.append(" · " + _("BERT {score}/{total}").format(score=bert_score, total=len(self.numbers)),
                        style="bold")
        return text

    def _bert_line(self, spec: BlankSpec) -> Text:
        """BERT's pick (green when right, red when wrong) and the runners-up, on one bar scale."""
        ranked = self.bert.get(spec.number)
        text = Text()
        if not ranked:
            if self.bert_state in ("thinking", "waiting"):
                text.append(_("BERT is still thinking — its pick appears here.") + "\n", style="dim")
            else:
                why = self.bert_problem or _("no model")
                text.append(_("BERT: unavailable ({why})").format(why=why) + "\n", style="dim")
            return text
        shown = ranked[:4]
        width = max(len(option) for option, _p in shown)
        right = spec.accepts(shown[0][0])
        for n, (option, p) in enumerate(shown):
            if n == 0:
                style = "bold green" if right else "bold red"
                text.append("BERT: ", style="bold")
                text.append(f"{option:<{width}} {'✓' if right else '✗'} ", style=style)
            else:
                style = "dim"
                text.append(f"{'':6}{option:<{width}}   ", style=style)
            text.append(f"{p:4.0%} ", style=style)
            text.append(bar(p, BAR_WIDTH) + "\n", style=("green" if right else "red") if n == 0 else "dim")
        return text

    def _bert_correct(self, number: int) -> bool | None:
        ranked = self.bert.get(number)
        return self.spec(number).accepts(ranked[0][0]) if ranked else None

    # -- actions --------------------------------------------------------------------------
    def _move(self, delta: int) -> bool:
        index = self.numbers.index(self.current) + delta
        if not 0 <= index < len(self.numbers):
            return False
        self.current = self.numbers[index]
        self._show_blank()
        self.take_focus()
        return True

    def action_next_blank(self) -> None:
        self._move(1)

    def action_previous_blank(self) -> None:
        self._move(-1)

    def action_next_blank_or_leave(self) -> None:
        if not self._move(1):
            self.screen.focus_next()

    def action_previous_blank_or_leave(self) -> None:
        if not self._move(-1):
            self.screen.focus_previous()

    def action_choose(self, index: int) -> None:
        spec = self.spec()
        if self.checked or not 0 <= index < len(spec.options):
            return
        option = spec.options[index]
        if option in self.removed.get(spec.number, set()):
            return
        self.answers[spec.number] = option
        if not self._move(1):
            self._show_blank()

    def action_hint(self) -> None:
        if self.checked:
            return
        spec = self.spec()
        tier = self.hints.get(spec.number, 0) + 1
        self.hints[spec.number] = min(tier, 3)
        if tier == 2 and spec.options:
            wrong = [o for o in spec.options if not spec.accepts(o) and o not in self.removed.get(spec.number, set())]
            if len(wrong) > 1:
                self.removed.setdefault(spec.number, set()).add(wrong[-1])
                if self.answers.get(spec.number) == wrong[-1]:
                    del self.answers[spec.number]
                self.notify(_("Removed one wrong option: {option}").format(option=wrong[-1]), markup=False)
        elif tier >= 3:
            self.answers[spec.number] = spec.answer
            self.notify(_("Revealed: {answer} (counts as a hinted answer)").format(answer=spec.answer),
                        markup=False)
        self._show_blank()

    def action_check(self) -> None:
        if self.checked:
            return
        typed = self.query_one("#typed", Input)
        if self.spec().typed and typed.value.strip():
            self.answers[self.current] = typed.value.strip()
        if not self.answers:
            self.notify(_("Choose at least one answer first (a–d or 1–9)."), severity="warning")
            return
        self.checked = True
        self.results = {n: self.spec(n).accepts(self.answers.get(n, "")) and self.hints.get(n, 0) < 3
                        for n in self.numbers}
        self._grades_pending = True
        if self.bert_state in ("done", "unavailable"):
            self._post_grades()
        self._show_blank()
        self.focus()

    def grades(self) -> ExerciseGraded:
        seconds = round(time.monotonic() - self.started, 1)
        items = []
        for n in self.numbers:
            ranked = self.bert.get(n)
            items.append(GradedItem(
                blank=str(n), answer=self.answers.get(n, ""), correct=self.results[n], key=self.spec(n).answer,
                bert_choice=ranked[0][0] if ranked else None, bert_probability=ranked[0][1] if ranked else None,
                bert_correct=self._bert_correct(n), hints_used=self.hints.get(n, 0), seconds=seconds))
        return ExerciseGraded(self.block.id, "cloze", items)

    def _post_grades(self) -> None:
        self._grades_pending = False
        self.post_message(self.grades())

    def take_pending_grades(self) -> ExerciseGraded | None:
        """Checked but still waiting for BERT: the grades now (without BERT), for a screen
        that is about to remove this widget — a checked answer is never lost."""
        if not self._grades_pending:
            return None
        self._grades_pending = False
        return self.grades()

    def restore(self, saved: dict[str, tuple[str, bool, int]]) -> None:
        """Show answers saved earlier (blank -> (answer, correct, hints)) as checked."""
        mine = {int(b): v for b, v in saved.items() if b.isdigit() and int(b) in self.numbers}
        if not mine:
            return
        for number, (answer, correct, hints) in mine.items():
            if answer:
                self.answers[number] = answer
            self.hints[number] = hints
        self.results = {n: bool(mine.get(n, ("", False, 0))[1]) for n in self.numbers}
        self.checked = True
        self._show_blank()

    def reset(self) -> None:
        """Try again: clear answers and grades (BERT's ranking is kept)."""
        self.answers.clear(), self.hints.clear(), self.removed.clear(), self.results.clear()
        self.checked = False
        self.started = time.monotonic()
        self.current = self.numbers[0] if self.numbers else 0
        self._show_blank()

    # -- mouse and typing -----------------------------------------------------------------
    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        bid = event.button.id or ""
        if bid.startswith("opt-"):
            self.action_choose(int(bid[4:]))
        elif bid in ("next", "prev"):
            self._move(1 if bid == "next" else -1)
        elif bid == "hint":
            self.action_hint()
        elif bid == "check":
            self.action_check()

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.answers[self.current] = event.value.strip()
        if not self._move(1):
            self.focus()
            self._show_blank()
