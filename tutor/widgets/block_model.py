"""A lesson block's own model: ``model: multilingual`` on a tokens/attention/embeddings block.

``BlockModel`` is mixed in before ``ModelView``.  A view whose block names no model follows
the app's engine as before.  One that names a model loads it through the app's engine factory
(the same ``load_engine`` the app uses, with its per-process cache) in a thread worker, shows
how long it has been loading, can be cancelled with a button, shows a failure as its message,
and never touches the app's own engine: the model badge and the other views keep theirs.
Engines loaded for blocks are kept per app, so the next block naming the same model is instant.
"""
from __future__ import annotations

import inspect
import time
from typing import Any
from weakref import WeakKeyDictionary

from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button
from textual.worker import Worker, WorkerState, get_current_worker

from tutor.errors import TutorError
from tutor.i18n import _
from tutor.widgets.model_view import on_screen

LOAD_WORKER = "block-model"
_loaded: WeakKeyDictionary = WeakKeyDictionary()  # app -> {model name: engine}


class BlockModelLoaded(Message, bubble=False):
    """The block's model finished loading (posted by the loading worker)."""

    def __init__(self, model: str, engine: Any) -> None:
        super().__init__()
        self.model, self.engine = model, engine


def load_with_factory(app: Any, model: str, notice) -> Any:
    """Worker thread: ``model`` through the app's engine factory (``load_engine`` when the host
    has none), passing ``notice`` to a factory that takes one (first-use conversions say so)."""
    factory = getattr(app, "engine_factory", None)
    if factory is None:
        from tutor.engine import load_engine

        factory = load_engine
    try:
        takes_notice = "notice" in inspect.signature(factory).parameters
    except (TypeError, ValueError):
        takes_notice = False
    return factory(model, notice=notice) if takes_notice else factory(model)


class BlockModel:
    """Mixin for ``ModelView`` views whose block may name a model (see the module docstring)."""

    block: Any
    block_engine: Any = None
    _load_started: float = 0.0
    _load_timer: Timer | None = None
    _load_note: str = ""
    _button_does: str = ""  # what the one button does now: cancel, or load again

    @property
    def block_model(self) -> str:
        return getattr(self.block, "model", "") or ""

    def current_engine(self) -> Any:
        """The engine this view asks: the block's own model, else the app's."""
        if self.block_model:
            return self.block_engine
        return getattr(self.app, "engine", None)  # type: ignore[attr-defined]

    # -- ModelView hooks ---------------------------------------------------------------------
    def watch_engine(self) -> None:
        if not self.block_model:
            super().watch_engine()  # type: ignore[misc]
            return
        known = _loaded.get(self.app, {}).get(self.block_model)  # type: ignore[attr-defined]
        if known is not None:
            self.block_engine = known
            self.model_ready()  # type: ignore[attr-defined]
        else:
            self.load_block_model()

    def ask(self) -> bool:
        if not self.block_model:
            return super().ask()  # type: ignore[misc]
        if self.block_engine is None or not on_screen(self):
            return False
        self.run_model("model", self.ask_model, self.block_engine, *self.question())  # type: ignore[attr-defined]
        return True

    # -- loading -------------------------------------------------------------------------------
    def load_block_model(self) -> None:
        """Start (or restart) loading the block's model in a thread worker."""
        model = self.block_model
        self._load_started, self._load_note = time.monotonic(), ""
        self._show_button(_("Cancel loading"), "block-model-cancel")
        if self._load_timer is None:
            self._load_timer = self.set_interval(1.0, self._tick)  # type: ignore[attr-defined]
        else:
            self._load_timer.resume()
        app = self.app  # type: ignore[attr-defined]

        def notice(text: str) -> None:  # worker thread: a one-line note from the engine
            app.call_from_thread(self._noted, text)

        def work() -> None:
            engine = load_with_factory(app, model, notice)
            if not get_current_worker().is_cancelled:
                self.post_message(BlockModelLoaded(model, engine))  # type: ignore[attr-defined]

        self.run_worker(work, name=LOAD_WORKER, group=LOAD_WORKER, thread=True,  # type: ignore[attr-defined]
                        exclusive=True, exit_on_error=False)
        self._tick()

    def _noted(self, text: str) -> None:
        self._load_note = text
        self._tick()

    def _tick(self) -> None:
        if not self._loading() or not on_screen(self):
            return
        seconds = int(time.monotonic() - self._load_started)
        line = _("loading the {model} model for this block… {seconds} s (the app's own model is unchanged)").format(
            model=self.block_model, seconds=seconds)
        self.show_message(f"{line}\n{self._load_note}" if self._load_note else line)  # type: ignore[attr-defined]

    def _loading(self) -> bool:
        return any(w.node is self and w.name == LOAD_WORKER and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   for w in self.workers)  # type: ignore[attr-defined]

    def _stop_ticking(self) -> None:
        if self._load_timer is not None:
            self._load_timer.pause()

    def _show_button(self, label: str, name: str) -> None:
        buttons = self.query(".block-model-button").results(Button)  # type: ignore[attr-defined]
        button = next(iter(buttons), None)
        if button is None:
            button = Button(label, compact=True, classes="block-model-button")
            children = list(self.children)  # type: ignore[attr-defined]
            self.mount(button, after=children[0]) if children else self.mount(button)  # type: ignore[attr-defined]
        button.label, button.display = label, True
        self._button_does = name

    def _hide_button(self) -> None:
        for button in self.query(".block-model-button"):  # type: ignore[attr-defined]
            button.display = False

    # Handlers by name, not @on: Textual collects @on handlers only from its own widget classes,
    # but calls a handler named on_<message> of every class in the MRO, this mixin included.
    def on_button_pressed(self, event: Button.Pressed) -> None:
        if not event.button.has_class("block-model-button"):
            return
        event.stop()
        if self._button_does == "block-model-cancel":
            self.workers.cancel_group(self, LOAD_WORKER)  # type: ignore[attr-defined]
            self._stop_ticking()
            self._show_button(_("Load {model} again").format(model=self.block_model), "block-model-retry")
            self.show_message(_("Loading {model} was cancelled; this view stays empty. "  # type: ignore[attr-defined]
                                "The app's own model is unchanged.").format(model=self.block_model))
        else:
            self.load_block_model()

    def on_block_model_loaded(self, message: BlockModelLoaded) -> None:
        message.stop()
        if message.model != self.block_model or not on_screen(self):
            return
        _loaded.setdefault(self.app, {})[message.model] = message.engine  # type: ignore[attr-defined]
        self.block_engine = message.engine
        self._stop_ticking()
        self._hide_button()
        self.show_message("")  # type: ignore[attr-defined]
        self.model_ready()  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != LOAD_WORKER:
            return  # ModelWork's own handler (next in the MRO) gets it
        event.stop()
        if event.state != WorkerState.ERROR or not on_screen(self):
            return
        self._stop_ticking()
        error = event.worker.error
        reason = str(error) if isinstance(error, TutorError) else f"{type(error).__name__}: {error}"
        self._show_button(_("Load {model} again").format(model=self.block_model), "block-model-retry")
        self.show_message(_("Could not load the {model} model: {reason}").format(  # type: ignore[attr-defined]
            model=self.block_model, reason=" ".join(reason.split())))
