"""Snapshot tests: every screen at 80x24 and 120x40 in the dark theme, and at 120x40 in the light
theme (a theme changes colours only, never the layout: the light pictures check contrast where
the most is on screen; a light 80x24 copy of every screen repeated the dark one's layout).

Update with `pytest --snapshot-update tests/app/test_snapshots.py` after a deliberate visual
change, and look at the SVGs in the diff (or render them: `rsvg-convert x.svg -o x.png`).
The clock, the progress and the model list are fixed, so the pictures do not depend on the
day, the machine's Hugging Face cache or how long a run takes.
"""
from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from tests.app.conftest import settle, step_ready
from tests.app.fake_engine import FakeEngine
from tutor.app import make_app
from tutor.progress import open_store
from tutor.widgets.cloze import ClozeWidget

NOW = datetime(2026, 3, 2, 10, 0, 0)
SIZES = [(80, 24), (120, 40)]
THEMES = ["textual-dark", "textual-light"]
VIEWS = [pytest.param(size, theme, id=f"{size[0]}x{size[1]}-{theme.split('-')[1]}") for size in SIZES for theme in THEMES
         if (size, theme) != ((80, 24), "textual-light")]


def learner_store():
    """A learner part-way through: one lesson done, one in progress, two misses to review."""
    store = open_store(":memory:")
    store.set_lesson_progress("welcome", step=4, steps_total=4, status="done", score=0.8, now=NOW)
    store.set_lesson_progress("attention-basics", step=2, steps_total=5, now=NOW)
    earlier = NOW - timedelta(minutes=5)
    store.record_attempt("cloze-exam", "li-hua", "1", "in", True, bert_choice="in", now=earlier)
    store.record_attempt("cloze-exam", "li-hua", "2", "are", False, bert_choice="is", bert_correct=True, now=earlier)
    store.record_attempt("cloze-exam", "li-hua", "3", "x", False, bert_choice="x", now=NOW)
    return store


def new_app(theme: str = "textual-dark"):
    app = make_app(engine_factory=lambda model: FakeEngine(), store=learner_store(), settings_path=None)
    app.now = lambda: NOW
    app.theme = theme
    return app


async def _ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _after(*keys: str, then=None, asks_model: bool = False):
    async def run_before(pilot):
        await _ready(pilot)
        if keys:
            await pilot.press(*keys)
        if then is not None:
            then(pilot.app)
        if asks_model:  # views that ask the model as they open, some after a typing pause
            await settle(pilot)
            await step_ready(pilot)  # every widget of a lesson step mounted: its views have asked
            await settle(pilot)  # ... and been answered (settle waits out a pending typing pause too)
        await _ready(pilot)
        for box in pilot.app.screen.query("Input, TextArea"):  # a blinking cursor is half the time off
            box.cursor_blink = False
        await pilot.pause()
    return run_before


@pytest.fixture
def fixed_models(monkeypatch):
    """The picker lists what is on the machine; pin it to the bundled model."""
    rows = [{"name": "bert-tutor-mini", "kind": "bundled", "path": "/models/bert-tutor-mini", "current": True}]
    monkeypatch.setattr("tutor.screens.model_picker.model_catalog", lambda *a, **k: rows)


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_home(snap_compare, size, theme):
    """Home: course map with status (and progress bars at 120x40), buttons, reviews due, you vs BERT."""
    assert snap_compare(new_app(theme), terminal_size=size, run_before=_after())


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_lesson(snap_compare, size, theme):
    """The lesson player on the first step of lesson 3 (prose and a fill-mask)."""
    assert snap_compare(new_app(theme), terminal_size=size,
                        run_before=_after(then=lambda app: app.open_lesson("self-supervision", step=0), asks_model=True))


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_stats(snap_compare, size, theme):
    """Progress: per-lesson progress, you vs BERT on shared items, reviews due now and later."""
    assert snap_compare(new_app(theme), terminal_size=size, run_before=_after("s"))


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_review(snap_compare, size, theme):
    """Review: the first missed blank, asked again in its own cloze."""
    assert snap_compare(new_app(theme), terminal_size=size, run_before=_after("r"))


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_help(snap_compare, size, theme):
    """Help: every binding, keys as typed, over the home screen."""
    assert snap_compare(new_app(theme), terminal_size=size, run_before=_after("question_mark"))


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_playground(snap_compare, size, theme):
    """Playground: the fill-mask tab with the fake engine's guesses."""
    assert snap_compare(new_app(theme), terminal_size=size, run_before=_after("p", asks_model=True))


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_model_picker(snap_compare, fixed_models, size, theme):
    """The model picker over home: the current model highlighted, a box to type a hub id or folder."""
    assert snap_compare(new_app(theme), terminal_size=size,
                        run_before=_after(then=lambda app: app.action_switch_model()))


def test_cloze_after_check(snap_compare):
    """A checked cloze: right and wrong blanks marked, BERT's choices shown."""
    async def answer_and_check(pilot):
        await _ready(pilot)
        pilot.app.open_lesson("cloze-exam")
        await _ready(pilot)
        for _ in range(10):  # bounded: the cloze is on one of the first steps
            if pilot.app.screen.query(ClozeWidget):
                break
            await pilot.press("ctrl+n")
            await _ready(pilot)
        pilot.app.screen.query_one(ClozeWidget).focus()
        await pilot.press(*"1213121312")
        await pilot.press("enter")
        await _ready(pilot)

    app = make_app(engine_factory=lambda model: FakeEngine(), store=open_store(":memory:"), settings_path=None)
    assert snap_compare(app, terminal_size=(100, 40), run_before=answer_and_check)
