"""Theme remembered across launches; switching models safely from the picker."""
from __future__ import annotations

import json

from tests.app.test_app import new_app, settle
from tests.app.test_screens_shell import named_fake, notices, visible
from tests.unit.test_contrast import THEMES, fixed
from tutor.errors import TutorError
from tutor.screens.model_picker import ModelPickerScreen


async def test_theme_is_remembered_across_launches(tmp_path):
    path = tmp_path / "config" / "settings.json"
    app = new_app(settings_path=path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        assert app.theme == "textual-dark"
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme == "textual-light"
    assert json.loads(path.read_text()) == {"theme": "textual-light"}
    again = new_app(settings_path=path)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot, again)
        assert again.theme == "textual-light"


async def test_a_corrupt_or_odd_settings_file_means_defaults_and_a_notice(tmp_path):
    path = tmp_path / "settings.json"
    for content in ("{not json", '["a list"]', '{"theme": "no-such-theme"}', "\xff\xfe"):
        path.write_text(content, encoding="latin-1")
        app = new_app(settings_path=path)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await settle(pilot, app)
            assert app.theme == "textual-dark"
            assert app.screen.__class__.__name__ == "HomeScreen"
            if content.startswith(("{not", "[")):
                assert "not valid JSON" in notices(app)
            await pilot.press("ctrl+t")
            await pilot.pause()
        assert json.loads(path.read_text())["theme"] == "textual-light"


def failing_for_hub_ids(model):
    if model and "/" in model:
        raise TutorError(f"cannot load model {model}: offline and not in the cache")
    return named_fake(model)


async def test_a_failed_model_switch_keeps_the_working_model():
    app = new_app(engine_factory=failing_for_hub_ids, model="bert-tutor-mini")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot, app)
        working = app.engine
        app.action_switch_model()
        await pilot.pause()
        await pilot.click("#model-input")
        await pilot.press(*"someone/bert-base-nope", "enter")
        await settle(pilot, app)
        assert app.engine is working and app.engine_status == "ready"
        assert "ready" in visible(app, "#model-status") and "bert-tutor-mini" in visible(app, "#model-status")
        text = notices(app)
        assert "Could not load someone/bert-base-nope" in text and "Still using bert-tutor-mini" in text


async def test_picker_enter_loads_at_once_and_the_palette_cannot_stack_pickers():
    loaded = []

    def factory(model):
        loaded.append(model)
        return named_fake(model)

    app = new_app(engine_factory=factory, model="bert-tutor-mini")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot, app)
        for _ in range(2):  # "Switch model" from the palette twice: one picker
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*"switch model")
            await pilot.pause(0.3)
            await pilot.press("enter")
            await settle(pilot, app)
        assert sum(isinstance(s, ModelPickerScreen) for s in app.screen_stack) == 1
        assert app.screen.query_one("#model-list").highlighted is not None
        await pilot.press("enter")  # the current model: nothing to reload
        await settle(pilot, app)
        assert not isinstance(app.screen, ModelPickerScreen)
        assert loaded == ["bert-tutor-mini"] and "Already using bert-tutor-mini" in notices(app)


async def test_the_running_app_uses_the_readable_colours():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for theme in THEMES:
            app.theme = theme
            await pilot.pause()
            assert app.theme_variables["text-success"] == fixed(theme)["text-success"]
            assert app.theme_variables["block-cursor-background"] == fixed(theme)["block-cursor-background"]
