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


def notices(app) -> str:
    """The text of every notification toast on screen, as the learner reads it."""
    return "\n".join(str(toast.render()) for toast in app.screen.query("Toast"))


async def test_two_lessons_with_one_id_start_and_say_so(tmp_path):
    """A copy of a shipped lesson in --lessons used to crash the home screen (DuplicateID)."""
    from tutor.paths import LESSONS_DIR

    copy = tmp_path / "my-welcome.md"
    copy.write_text((LESSONS_DIR / "01-welcome.md").read_text(encoding="utf-8"), encoding="utf-8")
    app = new_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "HomeScreen"
        course_list = app.screen.query_one("#course-list")
        assert course_list.option_count == len(app.course.lessons) == 12
        text = notices(app)
        assert "Duplicate lesson ids" in text and f"{copy}:" in text and "'welcome'" in text
        assert "duplicate id" in str(course_list.get_option_at_index(11).prompt)
        course_list.highlighted = 11
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "HomeScreen"  # the copy does not open
        assert "cannot be opened" in notices(app)
        course_list.highlighted = 0
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.lesson.path.name == "01-welcome.md"
