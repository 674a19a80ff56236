"""Pilot tests of the TUI with the deterministic fake engine (fast UI logic)."""
from __future__ import annotations

from datetime import date, timedelta

from tests.app.fake_engine import FakeEngine
from tutor.app import make_app
from tutor.progress import open_store
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.fill_mask import FillMaskWidget
from tutor.widgets.quiz import QuizWidget



def new_app(**kwargs):
    kwargs.setdefault("engine_factory", lambda model: FakeEngine())
    kwargs.setdefault("store", open_store(":memory:"))
    kwargs.setdefault("settings_path", None)  # never read or write the learner's own settings
    return make_app(**kwargs)


async def settle(pilot, app):
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_home_lists_the_course_and_model_becomes_ready():
    app = new_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "HomeScreen"
        assert app.engine_status == "ready"
        course_list = app.screen.query_one("#course-list")
        assert course_list.option_count == len(app.course.lessons) >= 11


async def test_li_hua_cloze_is_graded_with_berts_choices_and_saved():
    store = open_store(":memory:")
    app = new_app(store=store)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, app)
        app.open_lesson("cloze-exam")
        await settle(pilot, app)
        for _ in range(8):  # find the step with the cloze
            if app.screen.query(ClozeWidget):
                break
            await pilot.press("n")
            await settle(pilot, app)
        cloze = app.screen.query_one(ClozeWidget)
        assert cloze.block.id == "li-hua" and len(cloze.numbers) == 10
        cloze.focus()
        keys = {spec.number: spec.options.index(spec.answer) for spec in cloze.block.blanks}
        for number in cloze.numbers:  # answer every blank right except blank 2
            choice = keys[number] if number != 2 else (keys[number] + 1) % 4
            await pilot.press(str(choice + 1))
        await settle(pilot, app)
        await pilot.press("c")
        await settle(pilot, app)
        assert cloze.checked
        assert sum(cloze.results.values()) == 9 and not cloze.results[2]
        assert set(cloze.bert) == set(cloze.numbers)  # BERT ranked every blank
        assert "BERT" in str(app.screen.query_one("#feedback").render())
        you, bert = store.tally()
        assert you == 9 and bert > 0
        assert [r.blank for r in store.due_reviews(now=date.today() + timedelta(days=2))] == ["2"]


async def test_hints_remove_a_distractor_then_reveal():
    app = new_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, app)
        app.open_lesson("cloze-exam")
        await settle(pilot, app)
        while not app.screen.query(ClozeWidget):
            await pilot.press("n")
            await settle(pilot, app)
        cloze = app.screen.query_one(ClozeWidget)
        cloze.focus()
        await pilot.press("h", "h")
        assert len(cloze.removed[cloze.current]) == 1
        await pilot.press("h")
        assert cloze.answers[cloze.current] == cloze.spec().answer
        assert cloze.hints[cloze.current] == 3


async def test_quiz_check_is_graded_and_saved():
    app = new_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, app)
        app.open_lesson("attention-basics")
        await settle(pilot, app)
        while not app.screen.query(QuizWidget):
            await pilot.press("n")
            await settle(pilot, app)
        quiz = app.screen.query_one(QuizWidget)
        quiz.focus()
        right = quiz.block.correct[0]
        await pilot.press(str(right + 1), "c")
        await settle(pilot, app)
        assert quiz.checked and quiz.correct
        assert app.store.tally()[0] == 1


async def test_fill_mask_guess_first_hides_then_reveals():
    app = new_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, app)
        app.open_lesson("cloze-exam")
        await settle(pilot, app)
        while not app.screen.query(FillMaskWidget):
            await pilot.press("n")
            await settle(pilot, app)
        widget = app.screen.query_one(FillMaskWidget)
        await pilot.pause(0.5)
        await settle(pilot, app)
        assert widget.results and not widget.revealed
        widget.reveal("paris")
        await settle(pilot, app)
        assert widget.revealed
        assert "#1" in str(widget.query_one("#status").render())


async def test_fill_mask_without_blank_shows_a_message():
    app = new_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, app)
        app.open_lesson("welcome")
        await settle(pilot, app)
        while not app.screen.query(FillMaskWidget):
            await pilot.press("n")
            await settle(pilot, app)
        widget = app.screen.query_one(FillMaskWidget)
        widget.query_one("#sentence").value = "no blank at all"
        await pilot.pause(0.6)
        await settle(pilot, app)
        assert "No blank" in str(widget.query_one("#status").render())


async def test_broken_lesson_shows_its_error_and_the_rest_works(tmp_path):
    (tmp_path / "broken.md").write_text("---\nid: broken\ntitle: [unclosed\n---\n## Step\ntext\n")
    app = new_app(lesson_dirs=[tmp_path])
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        ids = [lesson.id for lesson in app.course.lessons]
        assert "welcome" in ids and len(app.course.lessons) >= 12
        broken = app.course.lessons[-1]
        assert broken.errors
        app.open_lesson(broken.id)
        await settle(pilot, app)
        assert app.screen.__class__.__name__ == "LessonScreen"
        app.pop_screen()
        app.open_lesson("welcome")
        await settle(pilot, app)
        assert app.screen.lesson.id == "welcome"


async def test_model_failure_is_shown_not_raised():
    from tutor.errors import TutorError

    def failing(model):
        raise TutorError("cannot load model nope: offline")

    app = new_app(engine_factory=failing)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.engine_status == "failed"
        assert "offline" in app.engine_message
        app.open_lesson("cloze-exam")
        await settle(pilot, app)  # lessons still open without a model


async def test_help_lists_bindings_and_theme_toggles():
    app = new_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HelpScreen"
        await pilot.press("escape")
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before


async def test_review_session_reasks_a_missed_blank():
    store = open_store(":memory:")
    store.record_attempt("cloze-exam", "li-hua", "3", "a", False, now=date.today() - timedelta(days=3))
    app = new_app(store=store)
    async with app.run_test(size=(100, 34)) as pilot:
        await settle(pilot, app)
        assert len(store.due_reviews()) == 1
        app.action_review()
        await settle(pilot, app)
        cloze = app.screen.query_one(ClozeWidget)
        assert cloze.numbers == [3]
        cloze.focus()
        answer_index = cloze.spec().options.index(cloze.spec().answer)
        await pilot.press(str(answer_index + 1), "c")
        await settle(pilot, app)
        assert store.due_reviews() == []


async def test_progress_is_saved_per_step():
    store = open_store(":memory:")
    app = new_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        app.open_lesson("welcome")
        await settle(pilot, app)
        await pilot.press("n")
        await settle(pilot, app)
        saved = store.lesson_progress()["welcome"]
        assert saved.step == 2 and saved.status == "in-progress"
