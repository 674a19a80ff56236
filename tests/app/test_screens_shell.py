"""The app shell with the fake engine: resume, a course with duplicate ids, literal names."""
from __future__ import annotations

from tests.app.fake_engine import FakeEngine
from tests.app.test_app import new_app, settle
from tutor.progress import open_store


def visible(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_reopening_a_lesson_lands_on_the_saved_step():
    """Quit on step 3: Continue reopens step 3, not step 4 (the store counts from 1)."""
    store = open_store(":memory:")
    app = new_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        for keys in (("n", "n"), ()):  # go to step 3 and leave; then only reopen
            await settle(pilot, app)
            app.open_lesson("welcome")
            await settle(pilot, app)
            await pilot.press(*keys)
            await settle(pilot, app)
            assert "step 3/" in visible(app, "#lesson-title")
            await pilot.press("escape")
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
        # the course keeps the first lesson with an id; the copy is skipped, and said so
        assert course_list.option_count == len(app.course.lessons) == 11
        assert [l.path for l in app.course.skipped] == [copy]
        text = notices(app)
        assert "Duplicate lesson ids" in text and f"{copy}:" in text and "'welcome'" in text
        app.open_lesson(app.course.skipped[0])
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "HomeScreen"  # the copy does not open
        assert "cannot be opened" in notices(app)
        course_list.highlighted = 0
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.lesson.path.name == "01-welcome.md"


def named_fake(model):
    """A fake engine that answers to the name it was asked for, as a real one does."""
    engine = FakeEngine()
    engine.name = model or engine.name
    return engine


HOSTILE = ("[/", "[@click=app.quit]Quit me[/]", "the [mask] word")


async def test_names_from_files_and_arguments_are_shown_as_typed(tmp_path):
    """Lesson titles, --profile and the DB path are text, not markup: "[/" used to crash the
    app, "[@click=app.quit]" made a row that quits, "[mask]" vanished."""
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    for number, title in enumerate(HOSTILE, 1):
        (lessons / f"x{number}.md").write_text(
            f"---\nid: hostile-{number}\ntitle: '{title}'\nsummary: 'About {title}'\n---\n## Step\nSome text.\n",
            encoding="utf-8")
    db_dir = tmp_path / "[mask] [/"
    db_dir.mkdir()
    app = new_app(lesson_dirs=[lessons], store=None, db_path=str(db_dir / "p.db"), profile="[b]ana[/")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        course_list = app.screen.query_one("#course-list")
        prompts = [str(course_list.get_option_at_index(i).prompt) for i in range(course_list.option_count)]
        for title in HOSTILE:
            assert any(title in prompt for prompt in prompts), title
        course_list.highlighted = course_list.option_count - 2  # the "[@click=app.quit]" lesson
        await pilot.pause()
        assert "About [@click=app.quit]Quit me[/]" in visible(app, "#lesson-detail")
        await pilot.click("#lesson-detail")
        await pilot.pause()
        assert app.is_running
        await pilot.press("s")
        await settle(pilot, app)
        title = visible(app, "#stats-title")
        assert "profile [b]ana[/" in title and str(db_dir) in title
        table = app.screen.query_one("#stats-table")
        cells = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        for text in HOSTILE:
            assert text in cells
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"mask")
        await settle(pilot, app)
        await pilot.pause(0.3)
        palette = app.screen.query_one("CommandList")
        hits = [str(palette.get_option_at_index(i).prompt) for i in range(palette.option_count)]
        assert any("Lesson 14: the [mask] word" in hit for hit in hits), hits
        await pilot.press("escape")
        await pilot.pause()


async def test_the_model_picker_shows_names_literally():
    """--model as typed in the picker (the badge, tutor/widgets/model_status.py, is not ours)."""
    app = new_app(model="my[mask]model", engine_factory=named_fake)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.action_switch_model()
        await pilot.pause()
        assert "current: my[mask]model" in visible(app, "#picker-title")
