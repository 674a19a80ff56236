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


def screen_rows(app) -> list[str]:
    """The terminal's rows as the learner sees them (from a screenshot of the screen)."""
    import html
    import re

    rows: dict[float, list[tuple[float, str]]] = {}
    for match in re.finditer(r'<text class="[^"]*" x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', app.export_screenshot(),
                             re.S):
        text = html.unescape(re.sub("<[^>]+>", "", match.group(3))).replace("\xa0", " ")
        rows.setdefault(float(match.group(2)), []).append((float(match.group(1)), text))
    return ["".join(text for _, text in sorted(parts)) for _, parts in sorted(rows.items())]


async def test_home_at_80x24_in_zh_keeps_each_status_on_its_lesson_row():
    """CJK is two cells wide: a Chinese title padded by its length pushed "80%" onto the next line."""
    from rich.cells import cell_len

    from tutor.i18n import set_language
    from tutor.progress import open_store

    store = open_store(":memory:")
    store.set_lesson_progress("welcome", step=5, steps_total=5, status="done", score=0.8)
    store.set_lesson_progress("attention-basics", step=2, steps_total=5)
    app = new_app(lang="zh", store=store)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot, app)
            course_list = app.screen.query_one("#course-list")
            width = course_list.scrollable_content_region.width
            prompts = [course_list.get_option_at_index(i).prompt.plain for i in range(course_list.option_count)]
            assert all(cell_len(prompt) <= width and "\n" not in prompt for prompt in prompts), prompts
            rows = screen_rows(app)
            first = next(row for row in rows if "欢迎来到 bert-tutor" in row)
            second = next(row for row in rows if "注意力给了我们什么" in row)
            assert "80%" in first and "第 2/5 步" in second, (first, second)
            assert any("复习（到期 0）" in row for row in rows)  # the button's label is whole
    finally:
        set_language("en")


async def test_home_does_not_list_slides_among_a_lessons_exercises():
    app = new_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        index, lesson = next((i, l) for i, l in enumerate(app.course.lessons) if "slide" in l.kinds())
        app.screen.query_one("#course-list").highlighted = index
        await settle(pilot, app)
        meta = visible(app, "#lesson-detail").splitlines()[1]
        exercises = sorted(kind for kind in lesson.kinds() if kind != "slide")
        assert "slide" not in meta and all(kind in meta for kind in exercises), meta
