"""Walk the whole bundled course with the real model, in English and in Chinese (issue 20,
"Done means": a Pilot test walks every zh lesson with the real model and answers every
exercise).  Every step of every lesson, answering every cloze, quiz and guess-first
fill-mask with the keys a learner uses, and finishing each lesson.

The assertions are on what the learner sees, in a form that holds in both languages: the
cloze's passage marks every blank ``[n: answer ✓]`` and its score line reads ``n/n``; every
right quiz choice is marked ✓ and none ✗; the fill-mask's bars show the word BERT ranks
first (computed here from the same model); the lesson's completion notice names the lesson
(its title in that language) and says ``right/total``.

One test per lesson and language (each with its own app and store), so the two xdist workers
share the walk instead of one of them walking a whole course while the other idles.
"""
from __future__ import annotations

import pytest
from textual.widgets import Input

from tests.app.conftest import notices, settle, step_ready, visible_text
from tutor.app import make_app
from tutor.course import load_course
from tutor.i18n import set_language
from tutor.paths import course_dir
from tutor.progress import open_store
from tutor.screens.lesson import LessonScreen
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.fill_mask import FillMaskWidget
from tutor.widgets.quiz import QuizWidget

EXERCISES = ("cloze", "quiz", "fill-mask")
# The same ids in both languages (test_zh_lessons checks the files pair up).
LESSONS = [lesson.id for lesson in load_course([course_dir("en")]).lessons]


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


async def _answer_cloze(pilot, cloze: ClozeWidget) -> None:
    cloze.take_focus()
    await pilot.pause()
    for number in cloze.numbers:
        spec = cloze.spec(number)
        if spec.options:
            await pilot.press(str(spec.options.index(spec.answer) + 1))  # 1–9 choose, and move on
        else:  # a typed blank: its field has the focus
            await pilot.press(*spec.answer, "enter")
        await pilot.pause()
    cloze.focus()  # a typed last blank leaves the focus in the cloze already; Enter checks
    await pilot.press("enter")
    await settle(pilot)
    passage, shown = str(cloze.passage_text()), visible_text(cloze)
    for number in cloze.numbers:
        assert f"[{number}: {cloze.spec(number).answer} ✓]" in shown, (cloze.block.id, number, passage)
    total = len(cloze.numbers)
    assert "✗ →" not in shown and f"{total}/{total}" in shown, (cloze.block.id, shown)


async def _answer_quiz(pilot, quiz: QuizWidget) -> None:
    quiz.focus()
    await pilot.pause()
    await pilot.press(*[quiz.key_of(index) for index in quiz.block.correct], "enter")
    await settle(pilot)
    shown = visible_text(quiz)
    for index in quiz.block.correct:
        line = next(line for line in shown.splitlines() if f"{quiz.key_of(index)}. " in line)
        assert line.rstrip().endswith("✓"), (quiz.block.id, line)
    assert "✗" not in shown, (quiz.block.id, shown)


async def _answer_fill_mask(pilot, fill: FillMaskWidget, engine) -> None:
    if fill.guess_mode:
        guess = fill.query_one("#guess", Input)
        guess.focus()
        await pilot.pause()
        await pilot.press(*(fill.block.answers or ("the",))[0], "enter")
    await settle(pilot)
    top_word = engine.fill_mask(fill.text, top_k=1)[0][0][0]  # what the network computes
    assert top_word in visible_text(fill), (fill.block.id, top_word, visible_text(fill))


async def _walk(pilot, app, engine, lesson) -> int:
    answered = 0
    app.open_lesson(lesson.id, step=0)
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, LessonScreen)
    for _ in lesson.steps:
        await step_ready(pilot)
        for cloze in screen.query(ClozeWidget):
            await _answer_cloze(pilot, cloze)
            answered += 1
        for quiz in screen.query(QuizWidget):
            await _answer_quiz(pilot, quiz)
            answered += 1
        for fill in screen.query(FillMaskWidget):
            await _answer_fill_mask(pilot, fill, engine)
            answered += 1
        await pilot.press("ctrl+n")
        await settle(pilot)
    return answered


def test_the_walk_covers_a_course_with_many_exercises():
    """The walk below is split by lesson; together its parts answer every exercise."""
    for lang in ("en", "zh"):
        lessons = load_course([course_dir(lang)]).lessons
        assert [lesson.id for lesson in lessons] == LESSONS, lang
        assert len([b for lesson in lessons for b in lesson.blocks() if b.kind in EXERCISES]) > 20, lang


@pytest.mark.slow
@pytest.mark.parametrize("lesson_id", LESSONS)
@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_lesson_can_be_walked_and_answered(engine, lang, lesson_id):
    """A lesson of the course in ``lang``: each exercise answered right, the lesson finished
    with its completion notice, progress recorded as done."""
    store = open_store(":memory:")
    app = make_app(engine_factory=lambda model: engine, store=store, settings_path=None, lang=lang)
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        assert app.engine_status == "ready"
        assert [lesson.id for lesson in app.course.lessons] == LESSONS  # the parts cover the course
        lesson = next(lesson for lesson in app.course.lessons if lesson.id == lesson_id)
        if lang == "zh":  # the Chinese course: the same files, ids and answers, in Chinese
            assert lesson.path.parent.name == "zh"
        assert lesson.ok, [str(p) for p in lesson.problems]
        answered = await _walk(pilot, app, engine, lesson)
        assert not isinstance(app.screen, LessonScreen), f"{lesson.id} did not finish"
        said, progress = notices(app), store.lesson_progress()[lesson.id]
        assert lesson.title in said and progress.status == "done", (lesson.id, said)
        if any(b.graded for b in lesson.blocks()):  # "… n/n right (100%) …"
            assert progress.score == 1.0 and any(f"{n}/{n}" in said for n in range(1, 60)), (lesson.id, said)
            you, _ = store.tally()
            assert you > 0
        assert answered == len([b for b in lesson.blocks() if b.kind in EXERCISES])
