"""Keys never surprise (issues 14.3, 14.4, 14.11): a printable key either types into the
focused field or is a command, never both; each exercise takes the focus when its step
opens; option letters only choose options; PageUp/PageDown scroll instead of changing step.
Every assertion is on what the learner sees: field contents, the step title, the passage."""
from __future__ import annotations

from textual.widgets import Input, Static

from tests.app.conftest import fake_app, open_step, settle, title, visible_text
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.quiz import QuizWidget


def nav_line(app) -> str:
    return str(app.screen.query_one(".step-nav", Static).render())


async def test_fill_mask_guess_has_the_focus_and_letters_type_into_it():
    """Typing "football" on arrival goes into the guess; the 'b' does not go back."""
    app = fake_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await open_step(pilot, "welcome", 5)
        guess = app.screen.query_one("#guess", Input)
        assert app.focused is guess
        await pilot.press(*"football")
        await settle(pilot)
        assert guess.value == "football" and "step 5/" in title(app)
        assert "typing here" in nav_line(app) and "ctrl+n" in nav_line(app)


async def test_ctrl_n_and_ctrl_b_change_step_from_a_text_field():
    app = fake_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await open_step(pilot, "welcome", 5)
        assert isinstance(app.focused, Input)
        await pilot.press("ctrl+b")
        await settle(pilot)
        assert "step 4/" in title(app)
        await pilot.press("ctrl+n")
        await settle(pilot)
        assert "step 5/" in title(app)


async def test_escape_leaves_the_field_then_letters_are_commands():
    app = fake_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await open_step(pilot, "self-supervision", 4)
        masking_text = app.screen.query_one(".masking-text", Input)
        masking_text.focus()
        await pilot.press(*"run", "escape")
        assert masking_text.value.endswith("run") and "step 4/" in title(app)
        assert "n or ctrl+n" in nav_line(app)  # no field has the focus now: letters are commands
        await pilot.press("b")
        await settle(pilot)
        assert "step 3/" in title(app)


async def test_cloze_letters_only_choose_options_and_enter_checks():
    """'c' picks option C (it used to check), 'b' picks B (it used to also mean back)."""
    app = fake_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await open_step(pilot, "cloze-exam", 2)
        cloze = app.screen.query_one(ClozeWidget)
        assert app.focused is cloze
        first, second = cloze.block.blanks[0], cloze.block.blanks[1]
        await pilot.press("c", "b")
        await settle(pilot)
        passage = str(cloze.query_one("#passage", Static).render())
        assert f"[1: {first.options[2]}]" in passage and f"[2: {second.options[1]}]" in passage
        assert "step 2/" in title(app) and "You " not in visible_text(cloze)  # not checked
        assert "letters answer here" in nav_line(app)
        await pilot.press("enter")
        await settle(pilot)
        assert f"You {int(first.accepts(first.options[2])) + int(second.accepts(second.options[1]))}/10" \
            in visible_text(cloze)


async def test_page_keys_scroll_a_long_step_instead_of_changing_it():
    """PageDown past the end of a step (or on a short one) used to go to the next step."""
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        for lesson_id, step in (("welcome", 2), ("cloze-exam", 2), ("attention-basics", 1)):
            await open_step(pilot, lesson_id, step)
            body = app.screen.query_one("#lesson-body")
            await pilot.press(*["pagedown"] * 8)
            await settle(pilot)
            assert body.scroll_y == body.max_scroll_y and f"step {step}/" in title(app), (lesson_id, step)
            await pilot.press(*["pageup"] * 8)
            await settle(pilot)
            assert body.scroll_y == 0 and f"step {step}/" in title(app), (lesson_id, step)
            app.pop_screen()


async def test_quiz_takes_the_focus_and_enter_checks():
    app = fake_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await open_step(pilot, "attention-basics", 2)
        quiz = app.screen.query_one(QuizWidget)
        assert app.focused is quiz
        await pilot.press(quiz.key_of(quiz.block.correct[0]), "enter")
        await settle(pilot)
        assert "Right!" in visible_text(quiz)


async def test_every_exercise_says_how_to_leave_it():
    app = fake_app()
    async with app.run_test(size=(100, 34)) as pilot:
        for lesson_id, step in (("welcome", 3), ("welcome", 4), ("welcome", 5), ("self-supervision", 4),
                                ("tokens", 2), ("inside-attention", 2), ("contextual-embeddings", 2)):
            screen = await open_step(pilot, lesson_id, step)
            exercise = screen.query_one("#lesson-body .exercise")
            assert any(word in visible_text(exercise) for word in ("tab leaves", "esc leaves", "tab moves")), \
                (lesson_id, step)
            app.pop_screen()
