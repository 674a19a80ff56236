"""LabRun: what the fine-tune and pretrain labs share — start, cancel, typed messages, save.

A lab trains in a Textual thread worker (``@work(thread=True, exclusive=True,
exit_on_error=False)``) that reports only by posting typed messages (``LabStepped``,
``LabProbed``, ``LabFinished``) — it never touches a widget.  Errors arrive once, through
``Worker.StateChanged``.  While it runs, Start is disabled and Cancel enabled; x asks the worker
to stop after its current step (a thread cannot be killed, so it polls ``should_stop``, which
also turns true when the lab leaves the screen and Textual cancels its workers).  A message
that arrives after the lab left the screen is dropped quietly (``drop_if_gone``).
Each lab composes ``#start``, ``#cancel``, ``#lab-progress`` and ``#lab-status``.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Button, ProgressBar, Static
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.i18n import N_, _

NOT_READY = N_("The model is not loaded yet — wait for 'ready' in the corner.")  # shown with _()


class LabMessage(Message, bubble=False):
    """Posted by a lab's worker thread to the lab itself (post_message is thread-safe)."""


class LabStepped(LabMessage):
    def __init__(self, run: str, step: int, loss: float, done: int) -> None:
        super().__init__()
        self.run, self.step, self.loss, self.done = run, step, loss, done  # done: steps so far, all runs


class LabProbed(LabMessage):
    def __init__(self, step: int, top: list[tuple[str, float]]) -> None:
        super().__init__()
        self.step, self.top = step, top


class LabFinished(LabMessage):
    def __init__(self, result: Any, context: Any = None) -> None:
        super().__init__()
        self.result, self.context = result, context


def drop_if_gone(handler: Callable) -> Callable:
    """A worker's message that lands after the lab left the screen (or while its children are
    being removed) is dropped: the learner moved on, nothing is left to update."""
    @functools.wraps(handler)
    def guarded(self, message):
        if not self.is_attached:
            return None
        try:
            return handler(self, message)
        except NoMatches:
            return None
    return guarded


class LabRun:
    running: bool = False
    stop_requested: bool = False

    def set_status(self, message: str | Content) -> None:
        self.query_one("#lab-status", Static).update(message)  # type: ignore[attr-defined]

    def should_stop(self) -> bool:
        """Polled by the worker thread between steps."""
        return self.stop_requested or get_current_worker().is_cancelled

    def begin_run(self, status: str, total: int | None = None) -> Any:
        """Reset the bar and flip the buttons; returns the engine, or None when the model is
        not ready (the learner is told so)."""
        if self.running:
            return None
        engine = getattr(self.app, "engine", None)  # type: ignore[attr-defined]
        if engine is None:
            self.set_status(Content.styled(_(NOT_READY), "$warning"))
            return None
        self.running, self.stop_requested = True, False
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
            self.set_status(_("cancelling after this step…"))

    @drop_if_gone
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place a lab's worker failure is handled: shown in the lab, never raised."""
        if event.state == WorkerState.ERROR:
            error = event.worker.error
            self.end_run((str(error).strip().splitlines() or [type(error).__name__])[0])
        elif event.state == WorkerState.CANCELLED and self.running:
            self.end_run()

    def save_run(self, kind: str, params: dict, curves: dict, metrics: dict, seconds: float) -> None:
        """Record a finished run; a store failure is a warning, never lost work elsewhere."""
        store = getattr(self.app, "store", None)  # type: ignore[attr-defined]
        if store is None:
            return
        try:
            store.save_lab_run(kind, params, curves, metrics, seconds)
        except Exception as exc:
            self.notify(_("lab run not saved: {error}").format(error=exc), severity="warning", markup=False)  # type: ignore[attr-defined]

    def saved_runs(self, kind: str) -> list[dict]:
        store = getattr(self.app, "store", None)  # type: ignore[attr-defined]
        try:
            return store.lab_runs(kind) if store is not None else []
        except Exception:  # an unreadable store only means no faded curves from last time
            return []

    def on_button_pressed(self, event: Button.Pressed) -> None:
        # a naming-convention handler: Textual collects @on handlers only from widget classes
        if event.button.id == "start":
            event.stop()
            self.action_start()  # type: ignore[attr-defined]
        elif event.button.id == "cancel":
            event.stop()
            self.action_cancel()
