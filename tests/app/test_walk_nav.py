"""Found walking the course by hand (issue 14): on a step of prose only, reached with n or
ctrl+n, the step-nav line ("n or ctrl+n next step · b or ctrl+b back …") was blank.

Cause: LessonScreen._update_nav updates ``self.query(".step-nav").first()``, which is still
the outgoing step's line (removal is asynchronous); a step with an exercise is fixed a moment
later when its focus changes, a prose step never is.
"""
from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.app.conftest import fake_app, settle, step_ready, title


@pytest.mark.parametrize(("lesson_id", "step"), [("welcome", 2), ("attention-basics", 3), ("final-exam", 4)])
async def test_a_prose_step_reached_with_the_step_key_says_how_to_move_on(lesson_id, step):
    app = fake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.open_lesson(lesson_id, step=step - 2)
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        await step_ready(pilot)
        assert f"step {step}/" in title(app)
        lines = [str(nav.render()) for nav in app.screen.query("#lesson-body .step-nav").results(Static)]
        assert len(lines) == 1 and "n or ctrl+n" in lines[0] and "b or ctrl+b back" in lines[0], lines
