"""Pretrain it yourself: MLM steps on text the learner picks, watched through a probe sentence.

The loss curve falls and the probe's top-5 changes step by step — self-supervision you can
see.  Training runs on an in-memory copy in a thread worker that reports with typed messages
(lab_run.py); x cancels; a finished run is saved with the learner's progress, a cancelled one
is not.
"""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, ProgressBar, Static, TextArea

from tutor.course.blocks import MarkdownBlock, PretrainBlock
from tutor.i18n import N_, _, ngettext
from tutor.widgets.lab_run import LabFinished, LabProbed, LabRun, LabStepped, drop_if_gone
from tutor.widgets.loss_plot import LossPlot
from tutor.widgets.text_field import TextField

DEFAULT_PROBE = "The little girl went to the [MASK] to buy some bread."


class PretrainLab(LabRun, Vertical, can_focus=True):
    BINDINGS = [Binding("s", "start", N_("Start training")), Binding("x", "cancel", N_("Cancel"))]

    def __init__(self, block: PretrainBlock, *, id: str | None = None):
        super().__init__(id=id, classes="exercise lab pretrain-lab")
        self.block = block
        self.probes: list[tuple[int, list[tuple[str, float]]]] = []
        self.curve: list[tuple[int, float]] = []
        self.result = None

    def compose(self) -> ComposeResult:
        yield Static(Content.assemble((_("Pretrain lab"), "bold"), " — ",
                                      _("train a copy of the model on this text (masked-LM, 25 % masking).")),
                     classes="exercise-title")
        yield TextArea(self.block.text, id="lab-text", soft_wrap=True)
        with Horizontal(classes="exercise-buttons"):
            yield Button(_("Use this lesson's text"), id="lesson-text")
            yield Button(_("Start (s)"), id="start", variant="primary")
            yield Button(_("Cancel (x)"), id="cancel", disabled=True)
        yield TextField(self.block.probe or DEFAULT_PROBE, id="probe", placeholder=_("probe sentence with [MASK]"))
        yield ProgressBar(total=self.block.steps, show_eta=False, id="lab-progress")
        yield Static(id="lab-status", classes="status")
        with Horizontal(classes="lab-results"):
            yield LossPlot(N_("MLM loss on your text"), id="lab-plot")
            yield Static(id="probe-table")

    # -- actions --------------------------------------------------------------------------
    def action_start(self) -> None:
        if self.running:
            return
        text = self.query_one("#lab-text", TextArea).text
        if not text.strip():
            self.set_status(Content.styled(_("Paste or type a few sentences first (or use this lesson's text)."),
                                           "$warning"))
            return
        engine = self.begin_run(_("training a copy of the model… (x cancels)"), total=self.block.steps)
        if engine is not None:
            self.probes, self.curve, self.result = [], [], None
            self.query_one("#lab-plot", LossPlot).clear()
            self._train(engine, text, self.query_one("#probe", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pretrain-lab")
    def _train(self, engine, text: str, probe: str) -> None:
        """Bad text or probe raise TutorError: on_worker_state_changed shows it."""
        from tutor.engine.pretrain_lab import run_pretrain_lab

        result = run_pretrain_lab(
            engine, text, probe, steps=self.block.steps,
            on_step=lambda r: self.post_message(LabStepped("loss", r.step, r.loss, r.step)),
            on_probe=lambda step, top: self.post_message(LabProbed(step, top)),
            should_stop=self.should_stop)
        self.post_message(LabFinished(result))

    @drop_if_gone
    def on_lab_stepped(self, message: LabStepped) -> None:
        self.curve.append((message.step, message.loss))
        self.query_one("#lab-plot", LossPlot).add(message.run, message.step, message.loss)
        self.query_one("#lab-progress", ProgressBar).update(progress=message.done)

    @drop_if_gone
    def on_lab_probed(self, message: LabProbed) -> None:
        self.probes.append((message.step, message.top))
        table = Table(title=_("probe top-5 by step"), title_justify="left", box=None, padding=(0, 1))
        table.add_column(_("step"), justify="right")
        table.add_column(_("guesses"))
        for s, pairs in self.probes[-8:]:
            table.add_row(str(s), Text(", ".join(f"{t} {p:.2f}" for t, p in pairs)))  # [UNK] is a token, not markup
        self.query_one("#probe-table", Static).update(table)

    @drop_if_gone
    def on_lab_finished(self, message: LabFinished) -> None:
        self.end_run()
        result = self.result = message.result
        if result.cancelled:
            self.set_status(Content.styled(_("Cancelled at step {step} — nothing saved.").format(
                step=len(result.curve)), "$warning"))
            return
        first, last = result.curve[0][1], result.curve[-1][1]
        steps = len(result.curve)
        done = ngettext("Done: {steps} step in {seconds} s; loss {first} → {last}. The bundled model is unchanged "
                        "— this copy lives only in memory.",
                        "Done: {steps} steps in {seconds} s; loss {first} → {last}. The bundled model is unchanged "
                        "— this copy lives only in memory.", steps)
        self.set_status(Content(done.format(steps=steps, seconds=f"{result.seconds:.0f}", first=f"{first:.2f}",
                                            last=f"{last:.2f}")))
        self.save_run("pretrain", {"steps": self.block.steps, "probe": self.query_one("#probe", Input).value},
                      {"loss": result.curve}, {"probe_final": result.probes[-1][1] if result.probes else []},
                      result.seconds)

    @on(Button.Pressed, "#lesson-text")
    def _lesson_text_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._use_lesson_text()

    def _use_lesson_text(self) -> None:
        lesson = getattr(self.screen, "lesson", None)
        if lesson is None:
            self.notify(_("Not inside a lesson — paste some text instead."), severity="warning")
            return
        prose = [b.text for step in lesson.steps for b in step.blocks if isinstance(b, MarkdownBlock)]
        self.query_one("#lab-text", TextArea).text = "\n".join(prose)
