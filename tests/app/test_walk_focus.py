"""A step that opens while the CPU is busy (issue 14.3: "each exercise takes focus when its
step opens"): the step's own focus must wait until its widgets exist, and must not take the
focus back from a field the learner already chose.

Why the starved CPU: ``Pilot.pause`` ends when ``wait_for_idle`` sees the process use less CPU
than the wall clock, which is what it sees at once when another process (a second xdist
worker) holds the core.  The screen's refresh then runs before the new step's widgets have
composed.  ``starved_cpu`` makes that deterministic, so these tests fail every time on the
bug instead of once in a while (they were the cause of the flaky course-wide typing test).
"""
from __future__ import annotations

import asyncio

import pytest
import textual.app
import textual.pilot
from tests.app.conftest import fake_app, settle, step_ready, title


async def _idle_at_once(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    await asyncio.sleep(0)  # another process has the CPU: this one looks idle immediately


@pytest.fixture
def starved_cpu(monkeypatch):
    monkeypatch.setattr(textual.pilot, "wait_for_idle", _idle_at_once)
    monkeypatch.setattr(textual.app, "wait_for_idle", _idle_at_once)


async def test_paging_back_and_forth_on_a_busy_cpu_keeps_the_app_running(starved_cpu):
    """n/b at full speed through the tokens lesson while the CPU is starved.  Today the
    screen's after-refresh focus callback reaches a TokensView whose DataTable is not built
    yet (or already gone): NoMatches from TokensView.take_focus, and the app exits.  The last
    step's first exercise must have the focus once its widgets are built."""
    app = fake_app()
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        app.open_lesson("tokens", step=0)
        await pilot.pause()
        steps = len(app.screen.lesson.steps)
        for _ in range(3):
            await pilot.press(*["ctrl+n"] * (steps - 1))
            await pilot.press(*["ctrl+b"] * (steps - 1))
        await pilot.press(*["ctrl+n"] * (steps - 1))
        await settle(pilot)
        assert app.is_running
        assert f"step {steps}/{steps}" in title(app)
        await step_ready(pilot)
        first = app.screen.query("#lesson-body .exercise").first()
        assert app.focused is not None and first in (app.focused, *app.focused.ancestors), app.focused
