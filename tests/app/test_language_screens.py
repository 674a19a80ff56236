"""The interface in Chinese: every screen's labels, the footer, help and the palette, and the
switch between languages inside the app (no restart, remembered for the next launch)."""
from __future__ import annotations

import json
import re
from datetime import datetime, timedelta

import pytest
from textual.widgets import DataTable, OptionList, TabbedContent
from textual.widgets._footer import FooterKey

from tests.app.conftest import fake_app, notices, settle, visible_text
from tutor.i18n import set_language
from tutor.progress import open_store
from tutor.screens.lesson import LessonScreen
from tutor.screens.palette import LessonCommands


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")  # the language is process-wide: leave it as the other tests expect


def footer_text(app) -> str:
    """The footer as the learner reads it: each key and its description."""
    return "  ".join(f"{key.key_display} {key.description}".strip() for key in app.screen.query(FooterKey))


async def press(pilot, *keys: str) -> str:
    """Press ``keys``, wait for the app, return what the screen now shows."""
    await pilot.press(*keys)
    await settle(pilot)
    return visible_text(pilot.app.screen)


def home_text(app) -> str:
    course = "\n".join(str(option.prompt) for option in app.screen.query_one(OptionList).options)
    return course + "\n" + visible_text(app.screen)


async def test_every_screen_shows_chinese_labels_in_zh():
    store = open_store(":memory:")
    store.record_attempt("cloze-exam", "li-hua", "2", "are", False, now=datetime.now() - timedelta(minutes=5))
    app = fake_app(lang="zh", settings_path=None, store=store)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        home = home_text(app)
        for zh in ("继续 ▶", "练习场", "复习（到期 1）", "课程 · 已完成 0/11 课", "步骤"):
            assert zh in home, zh
        for en in ("Continue", "Playground", "Review (1 due)", "lessons done", "Steps"):
            assert en not in home, en
        assert "c 继续" in footer_text(app) and "? 帮助" in footer_text(app)
        assert "Continue" not in footer_text(app) and "Help" not in footer_text(app)

        app.open_lesson("welcome", step=0)
        await settle(pilot)
        lesson = visible_text(app.screen)
        assert "第1/5步：" in lesson and "step 1/5" not in lesson
        assert "esc 主页" in lesson and "esc home" not in lesson  # the step's key line
        assert "^n 下一步" in footer_text(app) and "Next step" not in footer_text(app)
        await press(pilot, "escape")

        review = await press(pilot, "r")
        assert "复习 · 第 1/1 题 · 来自“完形填空考试”" in review and "item 1 of 1" not in review
        assert "^n 下一题" in footer_text(app) and "Next item" not in footer_text(app)
        await press(pilot, "escape")

        stats = await press(pilot, "s")
        columns = [str(column.label) for column in app.screen.query_one(DataTable).columns.values()]
        assert "进度 · 档案 default" in stats and "仅在内存中（不保存）" in stats
        assert columns[1:] == ["课程", "进度", "你/BERT(题)", "复习"]
        assert "profile" not in stats and "in memory" not in stats
        await press(pilot, "escape")

        await press(pilot, "p")
        tabs = [str(tab.label) for tab in app.screen.query_one(TabbedContent).query("Tab")]
        assert tabs == ["遮蔽填空", "词元", "遮蔽", "注意力", "嵌入", "实验"]
        assert "练习场 · 每个视图都可以用你自己的文本" in visible_text(app.screen)
        assert "^→ 下一页签" in footer_text(app) and "Next tab" not in footer_text(app)


async def test_help_in_zh_lists_translated_descriptions():
    app = fake_app(lang="zh", settings_path=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-keys").render())
    sections = {block.splitlines()[0]: block.splitlines()[1:] for block in text.strip().split("\n\n")}
    for title in ("全局", "主页", "课程", "复习", "进度", "练习场", "选择模型"):
        assert title in sections, (title, list(sections))
        for row in sections[title]:  # "key   description": each description is Chinese
            description = row.split("  ")[-1].strip()
            assert any("\u4e00" <= ch <= "\u9fff" for ch in description), (title, row)
    # section titles made up from class names: none is left in English (a new view needs N_ in help.py)
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in title) for title in sections), list(sections)
    assert "?                帮助" in text and "n / ctrl+n       下一步" in text
    assert "Help" not in text and "Next step" not in text


async def test_palette_commands_are_translated():
    app = fake_app(lang="zh", settings_path=None)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "切换语言：English / 中文" in titles and "打开练习场" in titles and "主题" in titles
        assert "Theme" not in titles and "Open playground" not in titles
        await pilot.press("ctrl+p")
        await settle(pilot)
        assert app.screen.query_one("CommandInput").placeholder == "搜索命令…"
        entries = list(LessonCommands(app.screen)._entries())
        assert entries[0][0] == "第 1 课：欢迎来到 bert-tutor"
        assert entries[0][1].startswith("打开第 1 课（5 步")


async def test_switching_language_redraws_open_screens_at_once_and_is_remembered(tmp_path):
    settings = tmp_path / "settings.json"
    app = fake_app(lang="en", settings_path=settings)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.open_lesson("welcome", step=2)
        await settle(pilot)
        await pilot.press("1", "enter")  # answer the first blank of the step's cloze and check it
        await settle(pilot)
        answered = visible_text(app.screen)
        assert "step 3/5" in answered and "^n Next step" in footer_text(app)
        blank = re.search(r"\[1: [^\]]*[✓✗][^\]]*\]", answered).group(0)  # e.g. "[1: for ✓]"

        app.action_switch_language()
        await settle(pilot)
        assert isinstance(app.screen, LessonScreen)
        lesson = visible_text(app.screen)
        assert "第3/5步：" in lesson and "step 3/5" not in lesson
        assert "^n 下一步" in footer_text(app) and "Next step" not in footer_text(app)
        assert blank in lesson  # the checked blank is shown again (its answer comes from the store)

        await pilot.press("escape", "escape")
        await settle(pilot)
        home = home_text(app)
        assert "继续 ▶" in home and "Continue" not in home and "c 继续" in footer_text(app)

        app.action_switch_language()
        await settle(pilot)
        home = home_text(app)
        assert "Continue ▶" in home and "继续" not in home and "c Continue" in footer_text(app)
        app.action_switch_language()
        await settle(pilot)
    assert json.loads(settings.read_text())["language"] == "zh"

    set_language("en")
    again = fake_app(settings_path=settings)  # no --lang: the remembered choice
    async with again.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        assert "继续 ▶" in home_text(again) and "c 继续" in footer_text(again)


async def test_switching_from_the_palette_keeps_a_checked_review_item_on_screen(tmp_path):
    store = open_store(":memory:")
    store.record_attempt("cloze-exam", "li-hua", "2", "are", False, now=datetime.now() - timedelta(minutes=5))
    app = fake_app(lang="en", settings_path=tmp_path / "settings.json", store=store)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("1", "enter")
        await settle(pilot)
        answered = visible_text(app.screen)
        blank = re.search(r"\[2: [^\]]*[✓✗][^\]]*\]", answered).group(0)
        assert "item 1 of 1" in answered

        await pilot.press("ctrl+p", *"switch language", "enter")  # the palette's command
        await settle(pilot)
        review = visible_text(app.screen)
        assert "复习 · 第 1/1 题" in review and "item 1 of 1" not in review
        assert blank in review  # the checked answer is still shown
        assert "^n 下一题" in footer_text(app) and "esc 完成" in footer_text(app)


async def test_notices_are_in_the_chosen_language(tmp_path):
    settings = tmp_path / "settings.json"
    settings.write_text("{not json")
    app = fake_app(lang="zh", settings_path=settings)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        said = notices(app)
    assert f"设置: 设置文件 {settings} 不是有效的 JSON；使用默认设置" in said, said
    assert "not valid JSON" not in said
