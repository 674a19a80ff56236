"""Live reload of every lesson folder (watchfiles in a thread worker, typed messages)."""
from __future__ import annotations

import asyncio
from pathlib import Path

from tests.app.test_app import new_app
from tests.app.test_screens_shell import notices, visible
from tutor.app import WATCH_WORKER
from tutor.progress import open_store


def lesson(lesson_id: str, title: str, steps: list[str]) -> str:
    body = "".join(f"## {step}\nText of {step}.\n\n" for step in steps)
    return f"---\nid: {lesson_id}\ntitle: {title}\n---\n{body}"


async def settle(pilot, app):
    """Wait for the work the app started, not for the watcher (it runs until the app ends)."""
    await pilot.pause()
    others = [w for w in app.workers if w.name != WATCH_WORKER]
    if others:  # an empty list would mean "every worker", the watcher included
        await app.workers.wait_for_complete(others)
    await pilot.pause()


async def until(pilot, condition, seconds: float = 10.0) -> bool:
    """Let the app run until ``condition()`` holds, for at most ``seconds`` (then the caller's
    assert fails with a message instead of hanging)."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def home_rows(app) -> list[str]:
    course_list = app.screen_stack[1].query_one("#course-list")
    return [str(course_list.get_option_at_index(i).prompt) for i in range(course_list.option_count)]


async def test_editing_another_lesson_updates_home_and_the_open_lesson(tmp_path: Path):
    first, second = tmp_path / "a.md", tmp_path / "b.md"
    first.write_text(lesson("alpha", "Alpha lesson", ["One", "Two", "Three"]), encoding="utf-8")
    second.write_text(lesson("beta", "Beta lesson", ["Uno", "Dos"]), encoding="utf-8")
    store = open_store(":memory:")
    app = new_app(lesson_dirs=[tmp_path], store=store, watch_lessons=True)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        assert app.workers and any(w.name == WATCH_WORKER for w in app.workers)
        # a lesson that is not open: its new title shows on the home screen
        second.write_text(lesson("beta", "Beta, renamed", ["Uno", "Dos"]), encoding="utf-8")
        assert await until(pilot, lambda: any("Beta, renamed" in row for row in home_rows(app))), home_rows(app)
        # open alpha at step 3, then remove a heading: no "step 3/2" anywhere
        app.open_lesson("alpha")
        await settle(pilot, app)
        await pilot.press("n", "n")
        await settle(pilot, app)
        assert "step 3/3" in visible(app, "#lesson-title")
        first.write_text(lesson("alpha", "Alpha lesson", ["One", "Two"]), encoding="utf-8")
        assert await until(pilot, lambda: "step 2/2" in visible(app, "#lesson-title")), visible(app, "#lesson-title")
        assert await until(pilot, lambda: "Lesson file changed" in notices(app))
        await pilot.press("escape")
        await settle(pilot, app)
        rows = home_rows(app)
        alpha = next(row for row in rows if "Alpha" in row)
        assert "/2" in alpha and "3/2" not in alpha, alpha
        # a new lesson file appears in the list
        (tmp_path / "c.md").write_text(lesson("gamma", "Gamma lesson", ["Only"]), encoding="utf-8")
        assert await until(pilot, lambda: any("Gamma lesson" in row for row in home_rows(app)))


async def test_the_watcher_is_off_in_headless_runs_unless_asked():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not any(w.name == WATCH_WORKER for w in app.workers)
        await asyncio.wait_for(app.workers.wait_for_complete(), 10)
