"""The labs' shared run controls (LabRun) with the fake engine: no model yet, a failing run,
buttons as well as keys.  The real training runs are in test_real_model.py."""
from __future__ import annotations

import asyncio

from textual.widgets import Button

from tests.app.fake_engine import FakeEngine
from tests.app.test_inside_views import ViewApp
from tutor.course.blocks import FinetuneBlock, PretrainBlock
from tutor.widgets.finetune_lab import FinetuneLab
from tutor.widgets.pretrain_lab import PretrainLab


class BrokenFake(FakeEngine):
    """An engine whose network cannot be copied: the lab's worker fails at once."""

    @property
    def model(self):
        raise RuntimeError("no weights in [this] fake")


def status(lab) -> str:
    return str(lab.query_one("#lab-status").render())


def buttons(lab) -> tuple[bool, bool]:
    return lab.query_one("#start", Button).disabled, lab.query_one("#cancel", Button).disabled


def test_start_waits_for_the_model():
    lab = FinetuneLab(FinetuneBlock(steps=2))

    async def scenario():
        app = ViewApp(lab, ready=False)
        async with app.run_test(size=(100, 40)) as pilot:
            lab.focus()
            await pilot.press("s")
            await pilot.pause()
            assert "not loaded yet" in status(lab) and not lab.running
            assert buttons(lab) == (False, True)
    asyncio.run(scenario())


def test_a_failing_run_shows_its_error_and_resets_the_buttons():
    lab = PretrainLab(PretrainBlock(text="The cat sat on the mat. " * 4, steps=2, probe="The cat sat on the [MASK]."))

    async def scenario():
        app = ViewApp(lab, BrokenFake())
        async with app.run_test(size=(110, 44)) as pilot:
            await pilot.pause()
            await pilot.click("#start")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert not lab.running and lab.result is None
            assert "no weights in [this] fake" in status(lab)
            assert buttons(lab) == (False, True)
    asyncio.run(scenario())


def test_cancel_button_asks_the_worker_to_stop():
    lab = FinetuneLab(FinetuneBlock(steps=2))

    async def scenario():
        app = ViewApp(lab)
        async with app.run_test(size=(100, 40)) as pilot:
            lab.running = True  # as if a run were under way
            lab.query_one("#cancel", Button).disabled = False
            await pilot.click("#cancel")
            await pilot.pause()
            assert lab.stop_requested and "cancelling" in status(lab)
    asyncio.run(scenario())
