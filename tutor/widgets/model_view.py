"""Asking the live model off the UI thread, and the part every inside-BERT view shares.

``ModelWork`` is the one way a widget here talks to the model: ``run_model(topic, job, ...)``
runs ``job`` in an exclusive thread worker that ends by posting a typed ``ModelAnswered``
message to the widget; a job that raises ends the worker in the ERROR state, handled once in
``on_worker_state_changed``.  Each topic numbers its requests, so an answer to a superseded
question (a thread worker cannot be interrupted) is dropped, and so is any answer that
arrives after the widget left the screen — the learner may move on while BERT thinks.  Jobs
only compute and return: they never write the widget's attributes.

``ModelView`` builds the inside-BERT views on it: "loading the model…" until the app's engine
is ready, ``ask()`` for the current ``question()``, debounced typing, and any model fault as
a one-line message in the view, never a traceback.
"""
from __future__ import annotations

from typing import Any, Callable, ClassVar

from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import NoActiveWorker, Worker, WorkerState, get_current_worker

from tutor.errors import TutorError
from tutor.i18n import N_, _

DEBOUNCE_S = 0.5


def on_screen(widget: Any) -> bool:
    """Is ``widget`` still in the DOM and not being removed (its children may already be gone)?"""
    return bool(widget.is_attached and not widget._pruning and not widget._closing)


class JobCancelled(Exception):
    """A superseded or abandoned job stopped early (see ``stop_if_cancelled``)."""


def stop_if_cancelled() -> None:
    """Worker thread, between the steps of a long job: stop if nobody wants the answer any
    more (a newer request, or the widget left the screen) instead of finishing in vain."""
    try:
        cancelled = get_current_worker().is_cancelled
    except NoActiveWorker:  # called outside a worker (a test, the CLI): keep going
        return
    if cancelled:
        raise JobCancelled()


class ModelAnswered(Message, bubble=False):
    """A thread worker's answer to request ``request`` about ``topic``."""

    def __init__(self, topic: str, request: int, answer: Any) -> None:
        super().__init__()
        self.topic, self.request, self.answer = topic, request, answer


class ModelWork:
    """Mixin for widgets that ask the model in thread workers (see the module docstring)."""

    FAULT: ClassVar[str] = N_("the model could not read this text")  # prefix for unexpected errors (N_: shown with _())

    _model_requests: dict[str, int]
    _debounce_timer: Timer | None = None

    # -- the subclass's part --------------------------------------------------------------
    def model_answered(self, topic: str, answer: Any) -> None:
        """UI thread: the answer to the latest request about ``topic``."""

    def model_error(self, topic: str, message: str) -> None:
        """UI thread: the latest request about ``topic`` failed; ``message`` is one line."""

    # -- the machinery ----------------------------------------------------------------------
    def run_model(self, topic: str, job: Callable[..., Any], *args: Any) -> None:
        """Run ``job(*args)`` in a thread; any earlier request about ``topic`` is superseded."""
        requests = self.__dict__.setdefault("_model_requests", {})
        request = requests[topic] = requests.get(topic, 0) + 1

        def work() -> None:
            self.post_message(ModelAnswered(topic, request, job(*args)))  # type: ignore[attr-defined]

        self.run_worker(work, name=f"{topic}#{request}", group=f"model-{topic}",  # type: ignore[attr-defined]
                        thread=True, exclusive=True, exit_on_error=False)

    def is_latest(self, topic: str, request: int) -> bool:
        return request == self.__dict__.get("_model_requests", {}).get(topic) and on_screen(self)

    def on_model_answered(self, message: ModelAnswered) -> None:
        message.stop()
        if self.is_latest(message.topic, message.request):
            self.model_answered(message.topic, message.answer)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        topic, _sep, number = (event.worker.name or "").partition("#")
        if event.state != WorkerState.ERROR or not number.isdigit():
            return
        event.stop()
        if self.is_latest(topic, int(number)):
            error = event.worker.error
            self.model_error(topic, str(error) if isinstance(error, TutorError)
                             else _("{problem}: {error}").format(problem=_(self.FAULT), error=error))

    def debounce(self, callback: Callable[[], Any], delay: float = DEBOUNCE_S) -> None:
        """Run ``callback`` once the learner pauses typing for ``delay`` seconds."""
        self.cancel_debounce()

        def fire() -> Any:
            self._debounce_timer = None  # nothing pending any more (tests wait on this)
            return callback()

        self._debounce_timer = self.set_timer(delay, fire)  # type: ignore[attr-defined]

    @property
    def debounce_pending(self) -> bool:
        """Is a question waiting for the learner to pause typing?"""
        return self._debounce_timer is not None

    def cancel_debounce(self) -> None:
        if self._debounce_timer is not None:
            self._debounce_timer.stop()
            self._debounce_timer = None


class ModelView(ModelWork):
    """Mixin for views that show what the model makes of the learner's text.

    A view mixes this in before its Textual container and provides ``ask_model`` (runs in the
    worker), ``show_answer`` and ``redraw`` (UI thread); ``question`` captures what the worker
    needs while still on the UI thread.  Views keep the learner's text in ``text``.
    """

    DEBOUNCE: ClassVar[float] = DEBOUNCE_S
    TEXT_INPUT: ClassVar[str] = ""  # selector of the Input that holds ``text`` ("" = handled by the view)
    message: str = ""
    text: str = ""

    # -- the subclass's part --------------------------------------------------------------
    def ask_model(self, engine: Any, *args: Any) -> Any:
        """Worker thread: compute from ``engine`` and return; raise TutorError for bad input."""
        raise NotImplementedError

    def show_answer(self, answer: Any) -> None:
        """UI thread: the answer to the latest question."""
        raise NotImplementedError

    def redraw(self) -> None:
        """UI thread: render the view from its current state (no model call)."""
        raise NotImplementedError

    def question(self) -> tuple:
        """What ``ask()`` passes to ``ask_model`` after the engine: captured on the UI thread."""
        return ()

    def model_failed(self, message: str) -> None:
        """UI thread: the latest question failed; by default just say why."""
        self.show_message(message)

    def model_ready(self) -> None:
        """The engine just became ready: by default, ask about the current text."""
        self.ask()

    # -- shared behaviour -----------------------------------------------------------------
    def show_message(self, message: str) -> None:
        """UI thread: one line instead of a result (loading, bad input, a model fault)."""
        self.message = message
        if on_screen(self):
            self.redraw()

    def update_message_line(self, selector: str) -> None:
        """Show ``self.message`` in the Static at ``selector``, or hide it when empty."""
        line = self.query_one(selector, Static)  # type: ignore[attr-defined]
        line.update(Content(self.message))  # may quote the learner's text: never markup
        line.display = bool(self.message)

    def watch_engine(self) -> None:
        """Call from ``on_mount``: follow the app's engine status."""
        self.watch(self.app, "engine_status", self._engine_status_changed)  # type: ignore[attr-defined]

    def _engine_status_changed(self, status: str) -> None:
        if not on_screen(self):
            return
        if status == "ready":
            self.model_ready()
        else:
            self.show_message(_("loading the model…") if status == "loading" else _("the model is not available"))

    def ask(self) -> bool:
        """Ask about the current state; any answer still on its way is superseded.

        Returns False when there is no engine yet (the status watcher asks again later)."""
        engine = getattr(self.app, "engine", None)  # type: ignore[attr-defined]
        if engine is None or not on_screen(self):
            return False
        self.run_model("model", self.ask_model, engine, *self.question())
        return True

    def model_answered(self, topic: str, answer: Any) -> None:
        if topic == "model":
            self.show_answer(answer)

    def model_error(self, topic: str, message: str) -> None:
        if topic == "model":
            self.model_failed(message)

    def text_edited(self, value: str) -> None:
        """An Input.Changed for ``text``: ask again once the typing pauses."""
        if value == self.text:
            return  # the Input reports its initial value too; nothing changed
        self.text = value
        self.debounce(self.ask, self.DEBOUNCE)

    def text_submitted(self, value: str) -> None:
        """Enter in the text Input: ask now."""
        self.cancel_debounce()
        self.text = value
        self.ask()

    def after_text_submitted(self) -> None:
        """Enter in the text Input was handled: where the focus goes next (default: it stays)."""

    def _is_text_input(self, event: Input.Changed | Input.Submitted) -> bool:
        return bool(self.TEXT_INPUT) and event.input in self.query(self.TEXT_INPUT)  # type: ignore[attr-defined]

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._is_text_input(event):
            event.stop()
            self.text_edited(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._is_text_input(event):
            event.stop()
            self.text_submitted(event.value)
            self.after_text_submitted()
