"""Answers are kept and shown again, finishing is honest, quizzes are shuffled, a cloze is
never blank (issues 14.5, 14.6, 14.8, 14.10).  Assertions are on visible text, the store
and notifications."""
from __future__ import annotations

import asyncio

from textual.app import App
from textual.reactive import reactive
from textual.widgets import Button

from tests.app.conftest import fake_app, notices, open_step, settle, visible_text
from tests.app.fake_engine import FakeEngine
from tutor.course import load_course
from tutor.course.blocks import NO_WORD, BlankSpec, ClozeBlock
from tutor.paths import LESSONS_DIR
from tutor.progress import open_store
from tutor.screens.lesson import LessonScreen
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.quiz import QuizWidget, shuffled_order


async def test_going_back_shows_the_saved_quiz_and_cloze_answers():
    app = fake_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_step(pilot, "welcome", 3)
        cloze = app.screen.query_one(ClozeWidget)
        picks = [cloze.option_key(spec.options.index(spec.answer)) for spec in cloze.block.blanks]
        await pilot.press(*picks, "enter")
        await pilot.press("ctrl+n")
        await settle(pilot)
        quiz = app.screen.query_one(QuizWidget)
        await pilot.press(quiz.key_of(quiz.block.correct[0]), "enter")
        await settle(pilot)
        await pilot.press("ctrl+b")
        await settle(pilot)
        cloze = app.screen.query_one(ClozeWidget)
        shown = visible_text(cloze)
        assert all(f"{spec.answer} ✓]" in shown for spec in cloze.block.blanks), shown
        assert f"You {len(picks)}/{len(picks)}" in shown
        await pilot.press("ctrl+n")
        await settle(pilot)
        quiz = app.screen.query_one(QuizWidget)
        assert "Right!" in visible_text(quiz)
        right = quiz.block.choices[quiz.block.correct[0]].text
        assert any(str(b.label).endswith(f"{right}  ✓") for b in quiz.query(".choice").results(Button))


async def test_finishing_with_open_exercises_says_what_is_left_and_stays_in_progress():
    store = open_store(":memory:")
    app = fake_app(store=store)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await open_step(pilot, "welcome", len(app.course.get("welcome").steps))
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert app.screen is screen  # still here: nothing was answered
        assert "Still to answer: cloze in step 3, quiz in step 4." in notices(app)
        await pilot.press("ctrl+n")  # a second time leaves, the lesson stays open
        await settle(pilot)
        assert not isinstance(app.screen, LessonScreen)
        assert store.lesson_progress()["welcome"].status == "in-progress"
        assert "Well done" not in notices(app)


async def test_half_right_is_complete_but_not_well_done():
    store = open_store(":memory:")
    app = fake_app(store=store)
    lesson = app.course.get("attention-basics")
    quizzes = [b for b in lesson.blocks() if b.kind == "quiz"]
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot)
        for n, quiz_block in enumerate(quizzes):  # the first right, the second wrong
            step = next(i for i, s in enumerate(lesson.steps, 1) if quiz_block in s.interactive)
            await open_step(pilot, lesson.id, step)
            quiz = app.screen.query_one(QuizWidget)
            wrong = next(i for i, c in enumerate(quiz_block.choices) if not c.correct)
            await pilot.press(quiz.key_of(quiz_block.correct[0] if n == 0 else wrong), "enter")
            await settle(pilot)
            app.pop_screen()
        await open_step(pilot, lesson.id, len(lesson.steps))
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert not isinstance(app.screen, LessonScreen)
        saved = store.lesson_progress()[lesson.id]
        assert saved.status == "done" and saved.score == 0.5
        assert "1/2 right (50%)" in notices(app) and "Well done" not in notices(app)


def test_quiz_order_is_stable_per_learner_and_not_always_first():
    course = load_course([LESSONS_DIR])
    quizzes = [b for lesson in course.lessons for b in lesson.blocks() if b.kind == "quiz"]
    for quiz in quizzes:
        assert shuffled_order(quiz, "ada") == shuffled_order(quiz, "ada")
        assert sorted(shuffled_order(quiz, "ada")) == list(range(len(quiz.choices)))
    first = [shuffled_order(q, "ada").index(q.correct[0]) == 0 for q in quizzes]
    assert sum(first) <= len(quizzes) // 2, f"key 1 is right in {sum(first)} of {len(quizzes)} quizzes"
    assert any(shuffled_order(q, "ada") != shuffled_order(q, "bob") for q in quizzes)


async def test_final_quiz_is_not_passed_by_pressing_1_everywhere():
    store = open_store(":memory:")
    app = fake_app(store=store)
    async with app.run_test(size=(100, 60)) as pilot:
        await open_step(pilot, "final-exam", 3)
        for quiz in app.screen.query(QuizWidget):
            quiz.focus()
            await pilot.press("1", "enter")
        await settle(pilot)
        you, _ = store.tally()
        assert you < len(app.screen.query(QuizWidget))


class Host(App):
    """One cloze, with an engine that is slow, missing or failed."""

    engine_status = reactive("loading")

    def __init__(self, cloze, engine=None, status="ready"):
        super().__init__()
        self.cloze, self._engine, self._status, self.engine = cloze, engine, status, None
        self.graded = []

    def compose(self):
        yield self.cloze

    def on_mount(self) -> None:
        if self._status == "ready":
            self.engine = self._engine
        self.engine_status = self._status

    def on_exercise_graded(self, event) -> None:
        self.graded.append(event)


LI_HUA = next(b for lesson in load_course([LESSONS_DIR]).lessons for b in lesson.blocks() if b.id == "li-hua")


def test_cloze_shows_passage_and_options_before_bert_answers():
    async def scenario():
        app = Host(ClozeWidget(LI_HUA), FakeEngine(delay=3.0))
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            shown = visible_text(app.cloze)
            assert "[1: ____]" in shown and LI_HUA.blanks[0].options[0] in shown
            assert all(str(b.label).strip() for b in app.cloze.query(".option").results(Button) if b.display)
            assert any(w.is_running for w in app.workers)  # BERT is still thinking
            await pilot.press("a", "enter")
            await pilot.pause()
            assert "BERT is still thinking" in visible_text(app.cloze)
    asyncio.run(scenario())


def test_cloze_grades_without_a_model():
    async def scenario():
        app = Host(ClozeWidget(LI_HUA), status="failed")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await pilot.press("a", "enter")
            await pilot.pause()
            assert "You " in visible_text(app.cloze) and "BERT: unavailable" in visible_text(app.cloze)
            assert len(app.graded) == 1 and app.graded[0].items[0].bert_choice is None
    asyncio.run(scenario())


NO_WORD_CLOZE = ClozeBlock(id="nw", passage="He is {1} old teacher. I like {2} music.", blanks=(
    BlankSpec(number=1, answers=("an",), options=("a", "an", "the", NO_WORD),
              why=(("a", "'a' goes before a consonant sound; 'old' starts with a vowel."),
                   ("an", "'an' before the vowel sound of 'old'."))),
    BlankSpec(number=2, answers=(NO_WORD,), options=("a", "the", NO_WORD),
              explain="Music in general takes no article."),
))


def test_no_word_option_is_read_as_nothing_and_each_pick_explains_itself():
    async def scenario():
        engine = FakeEngine()
        app = Host(ClozeWidget(NO_WORD_CLOZE), engine)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            asked = [(text, options) for method, text, options in engine.asked if method == "rank_options"]
            assert ("He is [MASK] old teacher. I like music.", ("a", "an", "the", "")) in asked
            assert ("He is an old teacher. I like [MASK] music.", ("a", "the", "")) in asked
            await pilot.press("a", "c", "enter")  # blank 1: 'a' (wrong); blank 2: (no word) (right)
            await settle(pilot)
            shown = visible_text(app.cloze)  # the cursor stayed on blank 2
            assert f"you: {NO_WORD} ✓" in shown and "Music in general takes no article." in shown
            await pilot.press("left")
            shown = visible_text(app.cloze)
            assert "Why a: 'a' goes before a consonant sound" in shown
            assert "Why an: 'an' before the vowel sound" in shown  # the key's own why, since the pick was wrong
    asyncio.run(scenario())
