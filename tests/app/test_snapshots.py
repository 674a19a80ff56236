"""Snapshot tests: how key screens look (update with `pytest --snapshot-update` after a
deliberate visual change, and look at the SVGs in the diff)."""
from __future__ import annotations

from tests.app.fake_engine import FakeEngine
from tutor.app import make_app
from tutor.progress import open_store
from tutor.widgets.cloze import ClozeWidget


def new_app():
    return make_app(engine_factory=lambda model: FakeEngine(), store=open_store(":memory:"))


async def _ready(pilot):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_home(snap_compare):
    assert snap_compare(new_app(), terminal_size=(100, 30), run_before=_ready)


def test_lesson_step(snap_compare):
    async def open_lesson(pilot):
        await _ready(pilot)
        pilot.app.open_lesson("self-supervision")
        await _ready(pilot)

    assert snap_compare(new_app(), terminal_size=(100, 30), run_before=open_lesson)


def test_cloze_after_check(snap_compare):
    async def answer_and_check(pilot):
        await _ready(pilot)
        pilot.app.open_lesson("cloze-exam")
        await _ready(pilot)
        while not pilot.app.screen.query(ClozeWidget):
            await pilot.press("n")
            await _ready(pilot)
        pilot.app.screen.query_one(ClozeWidget).focus()
        await pilot.press(*"1213121312")
        await pilot.press("c")
        await _ready(pilot)

    assert snap_compare(new_app(), terminal_size=(100, 40), run_before=answer_and_check)
