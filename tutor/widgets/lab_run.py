"""LabRun: what the fine-tune and pretrain labs share — start, cancel, finish, save.

A lab trains in a thread worker for a minute or so.  While it runs, Start is disabled and
Cancel enabled; x asks the worker to stop after its current step (a thread cannot be killed,
so the worker polls ``stop_requested``); a finished run is saved with the learner's progress
and a cancelled or failed one is not.  Each lab composes ``#start``, ``#cancel``,
``#lab-progress``, ``#lab-status`` and ``#lab-plot`` and mixes this in before its container.
"""
from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Button, ProgressBar, Static

from tutor.widgets.loss_plot import LossPlot

NOT_READY = "The model is not loaded yet — wait for 'ready' in the corner."


class LabRun:
    running: bool = False
    stop_requested: bool = False

    def set_status(self, message: str | Content) -> None:
        self.query_one("#lab-status", Static).update(message)  # type: ignore[attr-defined]

    def begin_run(self, status: str, total: int | None = None) -> Any:
        """Reset the plot and bar and flip the buttons; returns the engine, or None when
        the model is not ready (the learner is told so)."""
        if self.running:
            return None
        engine = getattr(self.app, "engine", None)  # type: ignore[attr-defined]
        if engine is None:
            self.set_status(Content.styled(NOT_READY, "$warning"))
            return None
        self.running, self.stop_requested = True, False
        self.query_one("#lab-plot", LossPlot).clear()  # type: ignore[attr-defined]
        bar = self.query_one("#lab-progress", ProgressBar)  # type: ignore[attr-defined]
        bar.update(total=total if total is not None else bar.total, progress=0)
        self._buttons(running=True)
        self.set_status(status)
        return engine

    def end_run(self, error: str | None = None) -> bool:
        """The worker is done; show ``error`` if it failed.  Returns True when it succeeded."""
        self.running = False
        self._buttons(running=False)
        if error:
            self.set_status(Content.styled(error, "$error"))
        return not error

    def _buttons(self, *, running: bool) -> None:
        self.query_one("#start", Button).disabled = running  # type: ignore[attr-defined]
        self.query_one("#cancel", Button).disabled = not running  # type: ignore[attr-defined]

    def action_cancel(self) -> None:
        if self.running:
            self.stop_requested = True
            self.set_status("cancelling after this step…")

    def save_run(self, kind: str, params: dict, curves: dict, metrics: dict, seconds: float) -> None:
        """Record a finished run; a store failure is a warning, never lost work elsewhere."""
        store = getattr(self.app, "store", None)  # type: ignore[attr-defined]
        if store is None:
            return
        try:
            store.save_lab_run(kind, params, curves, metrics, seconds)
        except Exception as exc:
            self.notify(f"lab run not saved: {exc}", severity="warning", markup=False)  # type: ignore[attr-defined]

    def on_button_pressed(self, event: Button.Pressed) -> None:
        # a naming-convention handler: Textual collects @on handlers only from widget classes
        if event.button.id == "start":
            event.stop()
            self.action_start()  # type: ignore[attr-defined]
        elif event.button.id == "cancel":
            event.stop()
            self.action_cancel()
