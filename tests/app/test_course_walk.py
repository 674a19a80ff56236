"""Walk the whole bundled course with the real model: every step of every lesson, answering
every cloze, quiz and guess-first fill-mask, and finishing each lesson without an error."""
from __future__ import annotations

from tests.app.conftest import settle as shared_settle
from tutor.app import make_app
from tutor.progress import open_store
from tutor.screens.lesson import LessonScreen
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.fill_mask import FillMaskWidget
from tutor.widgets.quiz import QuizWidget


async def settle(pilot, app):
    await shared_settle(pilot)


async def _answer(pilot, app, screen) -> int:
    answered = 0
    for cloze in screen.query(ClozeWidget):
        cloze.focus()
        for number in cloze.numbers:
            spec = cloze.spec(number)
            if spec.options:
                await pilot.press(str(spec.options.index(spec.answer) + 1))
            else:
                cloze.answers[number] = spec.answer
                cloze._move(1)
        cloze.focus()  # a typed blank may have the focus: Enter there submits only that blank
        await pilot.press("enter")
        await settle(pilot, app)
        assert cloze.checked and all(cloze.results.values()), cloze.block.id
        answered += 1
    for quiz in screen.query(QuizWidget):
        quiz.focus()
        for index in quiz.block.correct:
            await pilot.press(quiz.key_of(index))
        await pilot.press("enter")
        await pilot.pause()
        assert quiz.checked and quiz.correct, quiz.block.id
        answered += 1
    for fill in screen.query(FillMaskWidget):
        await settle(pilot, app)
        if fill.guess_mode:
            fill.reveal((fill.block.answers or ("the",))[0])
            assert fill.revealed
        assert fill.results, fill.block.text
        answered += 1
    return answered


async def test_every_lesson_can_be_walked_and_answered(engine):
    store = open_store(":memory:")
    app = make_app(engine_factory=lambda model: engine, store=store)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot, app)
        assert app.engine_status == "ready"
        answered = 0
        for lesson in app.course.lessons:
            assert lesson.ok, [str(p) for p in lesson.problems]
            app.open_lesson(lesson.id, step=0)
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, LessonScreen)
            for _ in lesson.steps:
                answered += await _answer(pilot, app, screen)
                await pilot.press("ctrl+n")
                await settle(pilot, app)
            assert not isinstance(app.screen, LessonScreen), f"{lesson.id} did not finish"
            assert store.lesson_progress()[lesson.id].status == "done"
        exercises = [b for lesson in app.course.lessons for b in lesson.blocks()
                     if b.kind in ("cloze", "quiz", "fill-mask")]
        assert answered == len(exercises) > 20
        you, _ = store.tally()
        assert you > 0
