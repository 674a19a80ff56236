"""Fine-tune vs from scratch: the lecture's Fig. 2 (Hao et al. 2019), live on this machine.

Both runs train BERT + a new random Linear layer on the same topic data with the same steps,
batch and seed; only the encoder's start differs (pretrained vs random).  The loss curves are
drawn as they arrive; s starts, x cancels, and a finished comparison is saved as a lab run.
"""
from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, ProgressBar, Static

from tutor.course.blocks import FinetuneBlock
from tutor.widgets.lab_run import LabRun
from tutor.widgets.loss_plot import LossPlot

LABELS = {"finetune": "fine-tuned (pretrained start)", "scratch": "from scratch (random start)"}


class FinetuneLab(LabRun, Vertical, can_focus=True):
    BINDINGS = [Binding("s", "start", "Start lab"), Binding("x", "cancel", "Cancel")]

    def __init__(self, block: FinetuneBlock, *, id: str | None = None):
        super().__init__(id=id, classes="exercise lab finetune-lab")
        self.block = block
        self.results: dict | None = None

    def compose(self) -> ComposeResult:
        runs = "fine-tuning vs training from scratch" if self.block.compare_scratch else "fine-tuning"
        yield Static(f"[b]Fine-tuning lab[/b] — {runs}: classify WordNet definitions by topic, "
                     f"{self.block.steps} steps each.", classes="exercise-title")
        with Horizontal(classes="exercise-buttons"):
            yield Button("Start (s)", id="start", variant="primary")
            yield Button("Cancel (x)", id="cancel", disabled=True)
        total = self.block.steps * (2 if self.block.compare_scratch else 1)
        yield ProgressBar(total=total, show_eta=False, id="lab-progress")
        yield Static("Press s to start. It takes about a minute on a laptop CPU.", id="lab-status", classes="status")
        yield LossPlot("training loss", id="lab-plot")
        yield Static(id="lab-summary")

    def action_start(self) -> None:
        engine = self.begin_run("fine-tuning the pretrained model… (x cancels)")
        if engine is not None:
            self.results = None
            self.query_one("#lab-summary", Static).update("")
            self._run(engine)

    @work(thread=True, exclusive=True, group="finetune-lab")
    def _run(self, engine) -> None:
        from tutor.engine.finetune import FinetuneConfig, compare

        call = self.app.call_from_thread
        try:
            results = compare(FinetuneConfig(steps=self.block.steps), compare_scratch=self.block.compare_scratch,
                              model_source=engine, should_stop=lambda: self.stop_requested,
                              on_step=lambda kind, step, loss: call(self._on_step, kind, step, loss))
        except Exception as exc:  # shown in the lab, never raised into the app
            call(self._finished, None, str(exc))
            return
        call(self._finished, results, None)

    def _on_step(self, kind: str, step: int, loss: float) -> None:
        self.query_one("#lab-plot", LossPlot).add(LABELS[kind], step, loss)
        done = step + (self.block.steps if kind == "scratch" else 0)
        self.query_one("#lab-progress", ProgressBar).update(progress=done)
        if kind == "scratch" and step == 1:
            self.set_status("now the same network from random weights… (x cancels)")

    def _finished(self, results: dict | None, error: str | None) -> None:
        if not self.end_run(error):
            return
        runs = [r for r in results.values() if r is not None]
        if any(r.cancelled for r in runs):
            self.set_status(Content.styled("Cancelled — nothing saved. Press s to run it again.", "$warning"))
            return
        self.results = results
        self.set_status("Done.")
        self.query_one("#lab-summary", Static).update(self._summary(results))
        self.save_run("finetune", {"steps": self.block.steps, "compare_scratch": self.block.compare_scratch},
                      {k: r.curve for k, r in results.items() if r},
                      {k: r.accuracy for k, r in results.items() if r},
                      sum(r.seconds for r in runs))

    def _summary(self, results: dict):
        table = Table(box=None, padding=(0, 2), title_justify="left")
        table.add_column("run")
        table.add_column("final loss", justify="right")
        table.add_column("test accuracy", justify="right")
        table.add_column("time", justify="right")
        for kind, result in results.items():
            if result:
                table.add_row(LABELS[kind], f"{result.final_loss:.3f}", f"{result.accuracy:.0%}", f"{result.seconds:.0f} s")
        fine, scratch = results.get("finetune"), results.get("scratch")
        text = Text()
        if fine and scratch:
            text.append(f"\nThe pretrained start reached {fine.accuracy:.0%} vs {scratch.accuracy:.0%} from scratch "
                        f"with the same {self.block.steps} steps: its loss fell faster and lower — the lecture's "
                        "Fig. 2 (Hao et al. 2019). Pretraining gave the encoder knowledge of words and context; "
                        "fine-tuning only had to point it at the task through the new Linear layer.\n")
        sample = Table(title="a few test definitions", title_justify="left", box=None, padding=(0, 1))
        sample.add_column("definition")
        sample.add_column("topic")
        sample.add_column("fine-tuned")
        if scratch:
            sample.add_column("scratch")
        scratch_preds = {p["text"]: p["predicted"] for p in (scratch.predictions if scratch else [])}
        for p in fine.predictions[:6]:
            row = [p["text"][:48], p["label"], p["predicted"]]
            if scratch:
                row.append(scratch_preds.get(p["text"], "—"))
            sample.add_row(*row)
        from rich.console import Group

        return Group(table, text, sample)

