"""The lecture's slides on screen: Chinese and English, CJK two cells wide, no markup, the
live parameter count (issue 17 §2)."""
from __future__ import annotations

from rich.cells import cell_len
from textual.geometry import Region
from textual.widgets import Static

from tests.app.fake_engine import FakeEngine
from tests.app.test_inside_views import ViewApp
from tutor.app import make_app
from tutor.course.blocks import SlideBlock
from tutor.params import BERT_LARGE, count_parameters, millions
from tutor.progress import open_store
from tutor.widgets.slide import SlideView

ZH = "Attention到底给了我们什么？\n- 那就来吧，先来340M参数\n- [b]不是标记[/b]"
EN = "What did attention really give us?\n- So let's go, starting with 340M parameters\n- [b]not markup[/b]"


def slide(**kwargs) -> SlideBlock:
    return SlideBlock(zh=kwargs.pop("zh", ZH), en=kwargs.pop("en", EN), title="3.1 测试",
                      source="the lecture's slides", **kwargs)


def visible_lines(widget: Static) -> list[str]:
    """What the widget paints, line by line (trailing padding dropped)."""
    width, height = widget.content_region.size
    strips = widget.render_lines(Region(0, 0, width, height))
    return [strip.text.rstrip() for strip in strips if strip.text.strip()]


async def test_chinese_and_english_are_shown_as_written_side_by_side_when_wide():
    view = SlideView(slide())
    async with ViewApp(view).run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        zh, en = view.query_one("#slide-zh-text", Static), view.query_one("#slide-en-text", Static)
        assert visible_lines(zh) == ZH.split("\n")  # "[b]" is text, not bold markup
        assert visible_lines(en) == EN.split("\n")
        assert zh.region.y == en.region.y and zh.region.right <= en.region.x  # beside
        assert "Lecture slide · 3.1 测试" in str(view.query_one(".slide-title", Static).render())
        assert "Source: the lecture's slides" in str(view.query_one(".slide-source", Static).render())


async def test_narrow_puts_english_below_and_cjk_takes_two_cells():
    view = SlideView(slide())
    async with ViewApp(view).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        zh, en = view.query_one("#slide-zh-text", Static), view.query_one("#slide-en-text", Static)
        assert en.region.y >= zh.region.bottom  # below
        lines = visible_lines(zh)
        assert lines == ZH.split("\n")
        # 什么？ etc. are wide: the painted line is as many cells as Rich measures, none cut.
        assert cell_len(lines[0]) == len("Attention") + 2 * len("到底给了我们什么？")
        assert all(cell_len(line) <= zh.content_region.width for line in lines)


async def test_live_parameters_show_the_three_counts_from_one_formula():
    view = SlideView(slide(live="parameters"))
    async with ViewApp(view).run_test(size=(80, 30)) as pilot:
        await pilot.pause()
        text = "\n".join(visible_lines(view.query_one("#slide-live", Static)))
        assert "bert-tutor-mini (ours)" in text and "22.7 M" in text
        assert "BERT-base" in text and "109.5 M" in text and "110 M" in text
        assert "BERT-large" in text and millions(count_parameters(BERT_LARGE).total) in text
        assert "340 M" in text and "15× our parameters" in text


async def test_a_slide_without_live_has_no_count():
    view = SlideView(slide())
    async with ViewApp(view).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not view.query("#slide-live")


def new_app():
    return make_app(engine_factory=lambda model: FakeEngine(), store=open_store(":memory:"))


async def _open(pilot, lesson_id: str):
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    pilot.app.open_lesson(lesson_id)
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_lessons_that_follow_a_slide_open_with_it():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(pilot, "attention-basics")
        view = app.screen.query_one(SlideView)
        assert "那就来吧，先来340M参数" in str(view.query_one("#slide-zh-text", Static).render())
        assert view.query("#slide-live")


def test_slide_step_at_80x24(snap_compare):
    async def open_slide(pilot):
        await _open(pilot, "tokens")

    assert snap_compare(new_app(), terminal_size=(80, 24), run_before=open_slide)


def test_slide_with_live_parameters_at_120x40(snap_compare):
    async def open_slide(pilot):
        await _open(pilot, "attention-basics")

    assert snap_compare(new_app(), terminal_size=(120, 40), run_before=open_slide)
