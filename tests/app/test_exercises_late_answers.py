"""A model answer that arrives after its step was left is dropped quietly (issues 14.1, 15.2).

Each test opens a step whose view asks a slow model, leaves the step at once, lets the
worker finish, and checks the app is still running on the next step: before the fix the
late answer reached a widget without children (``NoMatches``) and the app exited.
"""
from __future__ import annotations

import pytest

from tests.app.conftest import fake_app, settle
from tests.app.fake_engine import FakeEngine
from tutor.screens.lesson import LessonScreen

# (lesson, 1-based step) with a view that asks the model as the step opens
STEPS = {
    "masking": ("self-supervision", 4),
    "tokens": ("tokens", 2),
    "attention": ("inside-attention", 2),
    "embeddings": ("contextual-embeddings", 2),
    "fill-mask": ("welcome", 5),
    "cloze": ("cloze-exam", 2),
}


class SlowFailingEngine(FakeEngine):
    """Slow, and every answer is an error: the failure path must be dropped as well."""

    def _wait(self) -> None:
        super()._wait()
        raise RuntimeError("boom")

    def tokens(self, text):
        self._wait()
        return super().tokens(text)

    def attention(self, text):
        self._wait()
        return super().attention(text)

    def word_vectors(self, sentence, word):
        self._wait()
        return super().word_vectors(sentence, word)

    def hidden_states(self, text):
        self._wait()
        return super().hidden_states(text)


@pytest.mark.parametrize("failing", [False, True], ids=["answer", "error"])
@pytest.mark.parametrize("kind", sorted(STEPS))
async def test_leaving_a_step_before_the_model_answers_is_quiet(kind, failing):
    lesson_id, step = STEPS[kind]
    engine = (SlowFailingEngine if failing else FakeEngine)(delay=0.4)
    app = fake_app(engine=engine)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        app.open_lesson(lesson_id, step=step - 1)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.step_index == step - 1
        screen.action_previous_step()  # leave while the worker still runs
        await pilot.pause()
        screen.action_next_step()  # and come back: a fresh widget, a fresh request
        await pilot.pause()
        screen.action_previous_step()
        await settle(pilot, 0.5)
        assert app.is_running and app.screen is screen and screen.step_index == step - 2
