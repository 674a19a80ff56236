"""The course in Chinese: --lang, the saved choice, and switching from the palette."""
from __future__ import annotations

import json

from textual.widgets import OptionList

from tests.app.test_app import new_app, settle
from tutor.i18n import set_language


def home_text(app) -> str:
    return "\n".join(str(option.prompt) for option in app.screen.query_one(OptionList).options)


async def test_lang_zh_opens_the_chinese_course_and_switching_is_remembered(tmp_path):
    path = tmp_path / "settings.json"
    app = new_app(lang="zh", settings_path=path)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, app)
            assert "欢迎来到" in home_text(app)
            app.action_switch_language()
            await settle(pilot, app)
            assert "Welcome" in home_text(app) and "欢迎来到" not in home_text(app)
        assert json.loads(path.read_text())["language"] == "en"
        # the saved choice is used when no --lang is given
        path.write_text(json.dumps({"language": "zh"}))
        again = new_app(settings_path=path)
        async with again.run_test(size=(120, 40)) as pilot:
            await settle(pilot, again)
            assert "欢迎来到" in home_text(again)
            again.open_lesson("cloze-exam")
            await settle(pilot, again)
            assert "完形填空" in str(again.screen.query_one("#lesson-title").render())
    finally:
        set_language("en")
