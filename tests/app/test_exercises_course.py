"""The whole course under two stresses from issue 14 ("Done means"):

* paging through every lesson with the step keys at full speed, with the real model — late
  answers from superseded steps must be dropped, never crash the app;
* typing a sentence with every letter into every text field of the course — the letters
  must land in the field, and never fire a command (no step change, nothing checked).

Both walk one lesson per test (each with its own app), so the two xdist workers share them.
"""
from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.app.conftest import fake_app, settle, step_ready, title
from tutor.app import make_app
from tutor.course import load_course
from tutor.paths import course_dir
from tutor.progress import open_store
from tutor.screens.lesson import LessonScreen

PANGRAM = "sphinx of black quartz judge my vow"  # every letter a-z
COURSE = load_course([course_dir("en")]).lessons
LESSONS = [lesson.id for lesson in COURSE]
# Blocks whose view has a text field the learner types into (a cloze only for typed blanks).
TYPED = {"attention", "embeddings", "fill-mask", "masking", "pretrain", "tokens"}


def test_the_course_has_many_text_fields():
    """The typing walk below is split by lesson; together its parts type into at least this many."""
    assert sum(block.kind in TYPED for lesson in COURSE for block in lesson.blocks()) >= 15


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", LESSONS)
async def test_paging_every_lesson_at_full_speed_with_the_real_model(engine, lesson_id):
    app = make_app(engine_factory=lambda model: engine, store=open_store(":memory:"))
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        assert app.engine_status == "ready"
        lesson = next(lesson for lesson in app.course.lessons if lesson.id == lesson_id)
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


@pytest.mark.parametrize("lesson_id", LESSONS)
async def test_typing_every_letter_into_every_text_field_of_the_course(lesson_id):
    store = open_store(":memory:")
    app = fake_app(store=store)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        assert [lesson.id for lesson in app.course.lessons] == LESSONS  # the parts cover the course
        lesson = next(lesson for lesson in app.course.lessons if lesson.id == lesson_id)
        fields = 0
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
        # every block with a text field was typed into (the course-wide count is checked above)
        assert fields >= sum(block.kind in TYPED for block in lesson.blocks()), (lesson.id, fields)
        assert store.tally() == (0, 0)  # no letter checked an exercise
