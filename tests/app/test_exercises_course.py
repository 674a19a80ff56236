"""The whole course under two stresses from issue 14 ("Done means"):

* paging through every lesson with the step keys at full speed, with the real model — late
  answers from superseded steps must be dropped, never crash the app;
* typing a sentence with every letter into every text field of the course — the letters
  must land in the field, and never fire a command (no step change, nothing checked).
"""
from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.app.conftest import fake_app, settle, step_ready, title
from tutor.app import make_app
from tutor.progress import open_store
from tutor.screens.lesson import LessonScreen

PANGRAM = "sphinx of black quartz judge my vow"  # every letter a-z


@pytest.mark.slow
async def test_paging_every_lesson_at_full_speed_with_the_real_model(engine):
    app = make_app(engine_factory=lambda model: engine, store=open_store(":memory:"))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert app.engine_status == "ready"
        for lesson in app.course.lessons:
            app.open_lesson(lesson.id, step=0)
            await pilot.pause()
            steps = len(lesson.steps)
            await pilot.press(*["ctrl+n"] * (steps - 1))  # no waiting: workers pile up and are superseded
            await pilot.press(*["ctrl+b"] * (steps - 1))
            await pilot.press(*["ctrl+n", "ctrl+b"] * 2)
            assert isinstance(app.screen, LessonScreen) and f"step 1/{steps}:" in title(app), lesson.id
            app.pop_screen()
        await settle(pilot, timeout=180)
        assert app.is_running and app.screen.__class__.__name__ == "HomeScreen"


async def test_typing_every_letter_into_every_text_field_of_the_course():
    store = open_store(":memory:")
    app = fake_app(store=store)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        fields = 0
        for lesson in app.course.lessons:
            app.open_lesson(lesson.id, step=0)
            await pilot.pause()
            screen = app.screen
            for number in range(1, len(lesson.steps) + 1):
                if number > 1:
                    await pilot.press("ctrl+n")  # pages from a text field too
                await step_ready(pilot)  # else, on a busy CPU, the field may not exist yet
                assert app.screen is screen and f"step {number}/" in title(app), (lesson.id, number)
                for field in screen.query("#lesson-body Input, #lesson-body TextArea"):
                    if not all(node.display for node in (field, *field.ancestors[:-2])):
                        continue  # e.g. a cloze's typed-answer field while its blank has options
                    field.focus()
                    before = field.value if isinstance(field, Input) else field.text
                    # no "end" first: a key a field does not handle is bubbled to the app's
                    # bindings and letters sent at full speed overtake it (the pangram would split)
                    await pilot.press(*PANGRAM)
                    after = field.value if isinstance(field, Input) else field.text
                    assert PANGRAM in after and after != before, (lesson.id, number, field)
                    assert app.screen is screen and f"step {number}/" in title(app), (lesson.id, number)
                    fields += 1
            await settle(pilot)
            assert app.screen is screen
            app.pop_screen()
        assert fields >= 15
        assert store.tally() == (0, 0)  # no letter checked an exercise
