"""ModelView: the part every inside-BERT view shares — ask the live model, off the UI thread.

The tokens, masking, attention and embeddings views all do the same dance: say "loading the
model…" until the app's engine is ready; run the model in a thread worker so typing never
stalls; drop an answer whose text has since changed (a request number, because a thread
worker cannot be interrupted); and turn any model fault into a one-line message in the view,
never a traceback.  Typing is debounced so a burst of keys costs one model call.

A view mixes this in before its Textual container and provides ``ask_model`` (runs in the
worker), ``show_answer`` and ``redraw`` (run on the UI thread); ``question`` captures
what the worker needs while still on the UI thread.
"""
from __future__ import annotations

from functools import partial
from typing import Any, Callable, ClassVar

from textual.content import Content
from textual.timer import Timer
from textual.widgets import Static

from tutor.errors import TutorError

DEBOUNCE_S = 0.5


class ModelView:
    """Mixin for widgets that show what the model makes of the learner's text."""

    WORKER_GROUP: ClassVar[str] = "model-view"
    FAULT: ClassVar[str] = "the model could not read this text"  # prefix for unexpected errors

    message: str = ""
    _request: int = 0
    _debounce_timer: Timer | None = None

    # -- the subclass's part --------------------------------------------------------------
    def ask_model(self, engine: Any, *args: Any) -> Any:
        """Runs in a worker thread: compute from ``engine``; raise TutorError for bad input."""
        raise NotImplementedError

    def show_answer(self, answer: Any) -> None:
        """UI thread: the answer to the latest question."""
        raise NotImplementedError

    def redraw(self) -> None:
        """UI thread: render the view from its current state (no model call)."""
        raise NotImplementedError

    def show_message(self, message: str) -> None:
        """UI thread: one line instead of a result (loading, bad input, a model fault)."""
        self.message = message
        self.redraw()

    def update_message_line(self, selector: str) -> None:
        """Show ``self.message`` in the Static at ``selector``, or hide it when empty."""
        line = self.query_one(selector, Static)  # type: ignore[attr-defined]
        line.update(Content(self.message))  # may quote the learner's text: never markup
        line.display = bool(self.message)

    def model_failed(self, message: str) -> None:
        """UI thread: the latest question failed; by default just say why."""
        self.show_message(message)

    def model_ready(self) -> None:
        """The engine just became ready: by default, ask about the current text."""
        self.ask()

    # -- the shared machinery ---------------------------------------------------------------
    def watch_engine(self) -> None:
        """Call from ``on_mount``: follow the app's engine status."""
        self.watch(self.app, "engine_status", self._engine_status_changed)  # type: ignore[attr-defined]

    def _engine_status_changed(self, status: str) -> None:
        if status == "ready":
            self.model_ready()
        else:
            self.show_message("loading the model…" if status == "loading" else "the model is not available")

    def question(self) -> tuple:
        """What ``ask()`` passes to ``ask_model`` after the engine: captured on the UI thread."""
        return ()

    def ask(self) -> bool:
        """Ask about the current state; any answer still on its way is superseded.

        Returns False when there is no engine yet (the status watcher asks again later)."""
        engine = getattr(self.app, "engine", None)  # type: ignore[attr-defined]
        if engine is None:
            return False
        self._request += 1
        self.run_worker(partial(self._ask_in_thread, engine, self._request, self.question()),  # type: ignore[attr-defined]
                        thread=True, exclusive=True, group=self.WORKER_GROUP)
        return True

    def _ask_in_thread(self, engine: Any, request: int, args: tuple) -> None:
        try:
            answer = self.ask_model(engine, *args)
        except TutorError as exc:
            self.app.call_from_thread(self._deliver_failure, request, str(exc))  # type: ignore[attr-defined]
        except Exception as exc:  # a model fault: one line in the view, never a traceback
            self.app.call_from_thread(self._deliver_failure, request, f"{self.FAULT}: {exc}")  # type: ignore[attr-defined]
        else:
            self.app.call_from_thread(self._deliver, request, answer)  # type: ignore[attr-defined]

    def _deliver(self, request: int, answer: Any) -> None:
        if request == self._request and self.is_attached:  # type: ignore[attr-defined]
            self.show_answer(answer)

    def _deliver_failure(self, request: int, message: str) -> None:
        if request == self._request and self.is_attached:  # type: ignore[attr-defined]
            self.model_failed(message)

    def debounce(self, callback: Callable[[], Any], delay: float = DEBOUNCE_S) -> None:
        """Run ``callback`` once the learner pauses typing for ``delay`` seconds."""
        self.cancel_debounce()
        self._debounce_timer = self.set_timer(delay, callback)  # type: ignore[attr-defined]

    def cancel_debounce(self) -> None:
        if self._debounce_timer is not None:
            self._debounce_timer.stop()
            self._debounce_timer = None
