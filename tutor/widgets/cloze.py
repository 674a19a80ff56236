"""The cloze exercise: a passage with numbered blanks, graded against the key and BERT.

Keyboard first: 1–9 or a–d pick an option for the current blank, ←/→ or tab move between
blanks, c checks, h gives the next hint tier (author's hint → remove a distractor → reveal).
BERT's choices are computed in a thread worker as soon as the model is ready, so "Check"
usually shows them at once; the passage BERT reads has the *other* blanks filled by their keys.
"""
from __future__ import annotations

import time

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Static

from tutor.bars import bar
from tutor.course.blocks import BlankSpec, ClozeBlock
from tutor.widgets.messages import ExerciseGraded, GradedItem

LETTERS = "abcd"
MAX_OPTIONS = 9


class ClozeWidget(Vertical, can_focus=True):
    """An interactive cloze; ``only`` limits it to some blanks (used by the review session)."""

    BINDINGS = [
        Binding("right,tab", "next_blank", "Next blank", show=True),
        Binding("left,shift+tab", "previous_blank", "Prev blank", show=False),
        Binding("c", "check", "Check"),
        Binding("h", "hint", "Hint"),
        *[Binding(str(n), f"choose({n - 1})", show=False) for n in range(1, 10)],
        *[Binding(letter, f"choose({i})", show=False) for i, letter in enumerate(LETTERS)],
    ]

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
        self.started = time.monotonic()
        self._record_when_bert_ready = False

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        if self.block.title:
            yield Static(Content(self.block.title), classes="exercise-title")
        yield Static(Content(self.block.instructions or "Choose an answer for each blank, then check (c)."),
                     classes="instructions")
        yield Static(id="passage", classes="passage")
        yield Static(id="blank-label", classes="blank-label")
        with Horizontal(id="options", classes="options"):
            for i in range(MAX_OPTIONS):  # fixed buttons, relabelled per blank (no remounting)
                button = Button("", id=f"opt-{i}", classes="option")
                button.can_focus = False  # keys stay with the cloze; the mouse still clicks
                yield button
        yield Input(placeholder="type your answer, then Enter", id="typed")
        with Horizontal(classes="exercise-buttons"):
            yield Button("◀", id="prev", classes="small")
            yield Button("▶", id="next", classes="small")
            yield Button("Hint (h)", id="hint")
            yield Button("Check (c)", id="check", variant="primary")
        yield Static(id="feedback", classes="feedback")

    def on_mount(self) -> None:
        self.watch(self.app, "engine_status", self._engine_changed)
        self._show_blank()

    # -- model ----------------------------------------------------------------------------
    def _engine_changed(self, status: str) -> None:
        if status == "ready" and self.bert_state in ("waiting", "unavailable"):
            self.bert_state = "thinking"
            self._ask_bert(self.app.engine)
        elif status == "failed":
            self.bert_state = "unavailable"
            if self._record_when_bert_ready:
                self._post_grades()
        elif status == "loading":
            self.bert_state = "waiting"

    @work(thread=True, exclusive=True, group="cloze-bert")
    def _ask_bert(self, engine) -> None:
        results: dict[int, list[tuple[str, float]]] = {}
        try:
            for spec in self.block.blanks:
                if spec.number not in self.numbers:
                    continue
                text = self.block.text_with_blank(spec.number, "[MASK]")
                if spec.options:
                    scores = engine.rank_options(text, list(spec.options))
                    ranked = sorted(((s.option, s.probability) for s in scores), key=lambda x: -x[1])
                else:
                    ranked = engine.fill_mask(text, top_k=5)[0]
                results[spec.number] = ranked
        except Exception as exc:  # a model error must not break the exercise
            self.app.call_from_thread(self._bert_failed, str(exc))
            return
        self.app.call_from_thread(self._bert_done, results)

    def _bert_done(self, results: dict[int, list[tuple[str, float]]]) -> None:
        self.bert = results
        self.bert_state = "done"
        if self._record_when_bert_ready:
            self._post_grades()
        self._show_blank()

    def _bert_failed(self, message: str) -> None:
        self.bert_state = "unavailable"
        self.notify(f"BERT could not rank this cloze: {message}", severity="warning", markup=False)
        if self._record_when_bert_ready:
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

    def _show_blank(self) -> None:
        if not self.is_mounted or not self.numbers:
            return
        spec = self.spec()
        self.query_one("#passage", Static).update(self.passage_text())
        position = self.numbers.index(self.current) + 1
        self.query_one("#blank-label", Static).update(
            f"Blank {spec.number}  ({position} of {len(self.numbers)})" + ("  · typed answer" if spec.typed else ""))
        removed = self.removed.get(spec.number, set())
        for i, button in enumerate(self.query(".option").results(Button)):
            option = spec.options[i] if i < len(spec.options) else None
            button.display = option is not None
            if option is None:
                continue
            button.label = Content(f"{i + 1} {option}")
            button.refresh(layout=True)  # the label's width changed
            button.set_class(self.answers.get(spec.number) == option, "chosen")
            button.disabled = option in removed or self.checked
        typed = self.query_one("#typed", Input)
        typed.display = spec.typed and not self.checked
        if spec.typed:
            typed.value = self.answers.get(spec.number, "")
        self.query_one("#feedback", Static).update(self.feedback_text())

    def feedback_text(self) -> Text:
        spec = self.spec()
        text = Text()
        hints = self.hints.get(spec.number, 0)
        if hints >= 1 and not self.checked:
            text.append("Hint: ", style="bold")
            text.append((spec.hint or "no author's hint for this blank — press h again") + "\n")
        if not self.checked:
            return text
        you = self.answers.get(spec.number, "—")
        text.append(f"Blank {spec.number}   you: {you}   key: {spec.answer}   ", style="bold")
        ranked = self.bert.get(spec.number)
        if ranked:
            choice, p = ranked[0]
            text.append(f"BERT: {choice} ", style="bold magenta")
            text.append(bar(p, 12), style="magenta")
            text.append(f" {p:.2f}\n")
            others = "   ".join(f"{o} {bar(q, 4)} {q:.2f}" for o, q in ranked[1:4])
            if others:
                text.append(f"{'':>8}{others}\n", style="dim")
        elif self.bert_state in ("thinking", "waiting"):
            text.append("BERT is thinking…\n", style="dim")
        else:
            text.append("BERT: unavailable (model not loaded)\n", style="dim")
        if spec.explain:
            text.append(spec.explain + "\n", style="italic")
        you_score = sum(self.results.values())
        bert_score = sum(1 for n in self.numbers if self._bert_correct(n))
        text.append(f"You {you_score}/{len(self.numbers)}", style="bold green")
        if self.bert:
            text.append(f" · BERT {bert_score}/{len(self.numbers)}", style="bold magenta")
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
        return True

    def action_next_blank(self) -> None:
        if not self._move(1):
            self.screen.focus_next()

    def action_previous_blank(self) -> None:
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
                self.notify(f"Removed one wrong option: {wrong[-1]}", markup=False)
        elif tier >= 3:
            self.answers[spec.number] = spec.answer
            self.notify(f"Revealed: {spec.answer} (counts as a hinted answer)", markup=False)
        self._show_blank()

    def action_check(self) -> None:
        if self.checked:
            return
        if not self.answers and not any(self.spec(n).typed for n in self.numbers):
            self.notify("Choose at least one answer first (1–4 or a–d).", severity="warning")
            return
        self.checked = True
        self.results = {n: self.spec(n).accepts(self.answers.get(n, "")) and self.hints.get(n, 0) < 3
                        for n in self.numbers}
        if self.bert_state in ("done", "unavailable"):
            self._post_grades()
        else:
            self._record_when_bert_ready = True
        self._show_blank()

    def _post_grades(self) -> None:
        self._record_when_bert_ready = False
        seconds = round(time.monotonic() - self.started, 1)
        items = []
        for n in self.numbers:
            ranked = self.bert.get(n)
            items.append(GradedItem(
                blank=str(n), answer=self.answers.get(n, ""), correct=self.results[n], key=self.spec(n).answer,
                bert_choice=ranked[0][0] if ranked else None, bert_probability=ranked[0][1] if ranked else None,
                bert_correct=self._bert_correct(n), hints_used=self.hints.get(n, 0), seconds=seconds))
        self.post_message(ExerciseGraded(self.block.id, "cloze", items))

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
        elif bid == "next":
            self._move(1)
        elif bid == "prev":
            self._move(-1)
        elif bid == "hint":
            self.action_hint()
        elif bid == "check":
            self.action_check()
        self.focus()

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.answers[self.current] = event.value.strip()
        if not self._move(1):
            self.focus()
            self._show_blank()
        else:
            self.query_one("#typed", Input).focus() if self.spec().typed else self.focus()
