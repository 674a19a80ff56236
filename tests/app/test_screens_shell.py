"""The app shell with the fake engine: resume, a course with duplicate ids, literal names."""
from __future__ import annotations

from tests.app.test_app import new_app, settle
from tutor.progress import open_store


def visible(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_reopening_a_lesson_lands_on_the_saved_step():
    """Quit on step 3: Continue reopens step 3, not step 4 (the store counts from 1)."""
    store = open_store(":memory:")
    app = new_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.open_lesson("welcome")
        await settle(pilot, app)
        await pilot.press("n", "n")
        await settle(pilot, app)
        assert "step 3/" in visible(app, "#lesson-title")
        await pilot.press("escape")
        await settle(pilot, app)
        app.open_lesson("welcome")
        await settle(pilot, app)
        assert "step 3/" in visible(app, "#lesson-title")
        assert store.lesson_progress()["welcome"].step == 3
