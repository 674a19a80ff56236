"""Shared helpers for the Pilot tests: one bounded ``settle`` instead of per-file wait loops.

``settle`` lets timers fire and thread workers finish, then lets their messages land.  It is
bounded: if workers are still running after ``timeout`` seconds it fails the test with their
names instead of hanging the suite.
"""
from __future__ import annotations

import asyncio
import time

from textual.pilot import WaitForScreenTimeout
from textual.worker import WorkerState

from tests.app.fake_engine import FakeEngine

ACTIVE = (WorkerState.PENDING, WorkerState.RUNNING)


async def pause(pilot, delay: float | None = None) -> None:
    """``pilot.pause`` that tolerates a starved CPU (the screen may not idle in time)."""
    for _ in range(5):
        try:
            await pilot.pause(delay)
            return
        except WaitForScreenTimeout:
            continue


async def settle(pilot, delay: float = 0.0, *, timeout: float = 60.0) -> None:
    """Wait ``delay`` (e.g. past a debounce), then until no worker runs, then for the screen."""
    app = pilot.app
    if delay:
        await asyncio.sleep(delay)
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:  # two quiet rounds: an answer's handler may start another worker
        await pause(pilot)
        running = [w for w in app.workers if w.state in ACTIVE]
        # a view still waiting out its typing debounce will start a worker: not quiet yet
        running += [w for w in app.screen.query("*") if getattr(w, "debounce_pending", False)]
        quiet = 0 if running else quiet + 1
        if running:
            if time.monotonic() > deadline:
                raise AssertionError(f"workers still running after {timeout:.0f}s: "
                                     f"{[getattr(w, 'name', None) or type(w).__name__ for w in running]}")
            await asyncio.sleep(0.02)


async def step_ready(pilot, *, timeout: float = 60.0) -> None:
    """Wait until the open lesson step's widgets are mounted and its own focus has landed.

    ``pilot.pause`` alone is not enough on a busy CPU: ``wait_for_idle`` reads "idle" as soon
    as another process holds the core, so a test could focus a field that is not mounted yet
    (the keys then go nowhere, or "n"/"b" change step) or be overtaken by the step's own focus.
    """
    screen = pilot.app.screen
    deadline = time.monotonic() + timeout
    while not all(w.is_mounted for w in screen.query("#lesson-body *")):
        if time.monotonic() > deadline:
            raise AssertionError(f"the step's widgets were not mounted after {timeout:.0f}s")
        await asyncio.sleep(0.01)
    await screen.wait_for_refresh()  # the step's focus is asked for after a refresh: it has been
    await pause(pilot)  # ... and the focus request (a call_later on the app) has been handled


def fake_app(**kwargs):
    """The real TutorApp with the fake engine and an in-memory store."""
    from tutor.app import make_app
    from tutor.progress import open_store

    engine = kwargs.pop("engine", None) or FakeEngine()
    kwargs.setdefault("engine_factory", lambda model: engine)
    kwargs.setdefault("store", open_store(":memory:"))
    return make_app(**kwargs)


def visible_text(widget) -> str:
    """Everything a widget and its shown descendants currently render, as plain text."""
    from textual.widgets import Static, Button, Input

    parts = []
    for node in [widget, *widget.query("*")]:
        chain = [node, *node.ancestors]
        chain = chain[:chain.index(widget) + 1] if widget in chain else chain
        if not all(n.display and n.visible for n in chain):
            continue
        if isinstance(node, Input):
            parts.append(node.value)
        elif isinstance(node, Button):
            parts.append(str(node.label))
        elif isinstance(node, Static):
            parts.append(str(node.render()))
    return "\n".join(parts)


def title(app) -> str:
    """The lesson screen's title line: lesson, step number and step title."""
    from textual.widgets import Static

    return str(app.screen.query_one("#lesson-title", Static).render())


def notices(app) -> str:
    """Every notification shown so far, as "title: message" lines."""
    return "\n".join(f"{n.title}: {n.message}" for n in app._notifications)


async def open_step(pilot, lesson_id: str, step: int):
    """Open ``lesson_id`` at 1-based ``step`` and wait for it; returns the lesson screen."""
    from tutor.screens.lesson import LessonScreen

    app = pilot.app
    await settle(pilot)
    app.open_lesson(lesson_id, step=step - 1)
    await settle(pilot)
    assert isinstance(app.screen, LessonScreen) and f"step {step}/" in title(app), title(app)
    return app.screen


async def step_to(pilot, app, widget_type, *, max_steps: int = 12) -> None:
    """Page forward (ctrl+n) until a ``widget_type`` is on screen; fail instead of looping forever."""
    for _ in range(max_steps):
        if app.screen.query(widget_type):
            return
        await pilot.press("ctrl+n")
        await settle(pilot)
    assert app.screen.query(widget_type), f"no {widget_type.__name__} within {max_steps} steps"
