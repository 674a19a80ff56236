"""Layout at 80x24 and 120x40: nothing clipped, the big screen used, long titles whole."""
from __future__ import annotations

from tests.app.test_app import new_app, settle
from tests.app.test_screens_shell import visible


def inside(widget, container) -> bool:
    r, c = widget.region, container.region
    return r.width > 0 and r.x >= c.x and r.right <= c.right and r.y >= c.y and r.bottom <= c.bottom


async def test_home_at_80x24_clips_no_button_or_lesson_row():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        pane = app.screen.query_one("#detail-pane")
        for button in app.screen.query("#home-buttons Button"):
            assert inside(button, pane), button.id
            assert button.region.width >= len(str(button.label)), str(button.label)
        course_list = app.screen.query_one("#course-list")
        width = course_list.scrollable_content_region.width
        for index in range(course_list.option_count):
            prompt = str(course_list.get_option_at_index(index).prompt)
            assert "\n" not in prompt and len(prompt) <= width, prompt
        assert course_list.option_count == len(app.course.lessons)


async def test_home_at_120x40_shows_bars_steps_and_whole_titles():
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        course_list = app.screen.query_one("#course-list")
        prompts = [str(course_list.get_option_at_index(i).prompt) for i in range(course_list.option_count)]
        for lesson, prompt in zip(app.course.lessons, prompts):
            assert lesson.title in prompt and "·" * 4 in prompt.splitlines()[1], prompt  # title + progress bar
        detail = visible(app, "#lesson-detail")
        first = app.course.lessons[0]
        assert "Steps" in detail and all(step.title in detail for step in first.steps)


async def test_progress_table_fits_80_columns():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        table = app.screen.query_one("#stats-table")
        assert table.virtual_size.width <= table.scrollable_content_region.width + 1
