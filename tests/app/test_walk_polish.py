"""Rough edges a walk through the app found: what the learner sees after each fix.

The tokens view's long text opens at its start; the playground keeps the learner's text
across a language switch; the playground's attention panel shows its whole border; the
lesson title line fits one line at 80×24 (the lesson title gives way, never the counter).
"""
from __future__ import annotations

import re

import pytest
from textual.widgets import Input

from tests.app.conftest import fake_app, open_step, settle, visible_text
from tutor.i18n import set_language
from tutor.widgets.embeddings_view import EmbeddingsView
from tutor.widgets.fill_mask import FillMaskWidget
from tutor.widgets.tokens_view import TokensView


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")  # the language is process-wide: leave it as the other tests expect


def shown_lines(widget) -> list[str]:
    """The widget's lines as drawn on the screen (borders included), as plain text."""
    return [strip.text for strip in widget.render_lines(widget.region.reset_offset)]


def shown_text(field: Input) -> str:
    """The part of a (tall-bordered) Input's text the learner sees."""
    return shown_lines(field)[1].strip(" ▊▎")


async def focus_with_tab(pilot, widget, presses: int = 6) -> None:
    for _ in range(presses):
        if pilot.app.focused is widget:
            return
        await pilot.press("tab")
        await settle(pilot)
    assert pilot.app.focused is widget, pilot.app.focused


async def test_a_long_text_in_the_tokens_view_shows_its_start_when_the_learner_goes_into_it():
    app = fake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_step(pilot, "tokens", 2)
        field = app.screen.query_one(TokensView).query_one(Input)
        assert len(field.value) > field.content_size.width  # longer than the field at 80 columns
        assert shown_text(field).startswith("The children were playing")
        await focus_with_tab(pilot, field)
        # before the fix the field selected everything and scrolled to "… told unbelievably well."
        assert shown_text(field).startswith("The children were playing"), shown_text(field)
        await pilot.press("end", "!")
        await settle(pilot)
        assert field.value.endswith("well.!") and shown_text(field).endswith("unbelievably well.!")
        await pilot.press("home", "A", "space")
        await settle(pilot)
        assert field.value.startswith("A The children") and shown_text(field).startswith("A The children")


async def help_sections(lang: str) -> dict[str, list[tuple[str, str]]]:
    """The help screen's sections as the learner reads them: title -> [(keys, words)]."""
    app = fake_app(lang=lang, settings_path=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        text = str(app.screen.query_one("#help-keys").render())
    sections = {}
    for block in text.strip().split("\n\n"):
        title, *lines = block.splitlines()
        sections[title] = [tuple(re.split(r"\s{2,}", line.strip(), maxsplit=1)) for line in lines]
    return sections


@pytest.mark.parametrize("lang, lesson, review, step_words, item_words",
                         [("en", "Lesson", "Review", "Next step", "Next item"),
                          ("zh", "课程", "复习", "下一步", "下一题")])
async def test_help_lists_keys_that_do_the_same_thing_on_one_line(lang, lesson, review, step_words, item_words):
    sections = await help_sections(lang)
    # before: "ctrl+n  Next step: next step" and "n  Next step: next" (and the same for b, and review's n)
    assert ("n / ctrl+n", step_words) in sections[lesson], sections[lesson]
    assert any(keys == "b / ctrl+b" for keys, _words in sections[lesson]), sections[lesson]
    assert ("n / ctrl+n", item_words) in sections[review], sections[review]
    for title, rows in sections.items():
        words = [row[-1] for row in rows]
        assert len(words) == len(set(words)), (title, words)
        for line in words:  # no "Next blank: next blank" (a description repeated as its own detail)
            head, _sep, detail = line.partition(": " if lang == "en" else "：")
            assert detail.lower() != head.lower(), (title, line)


@pytest.mark.parametrize("lang, counter", [("en", "step {n}/{total}: "), ("zh", "第{n}/{total}步：")])
async def test_the_lesson_title_line_fits_one_line_at_80x24_and_keeps_the_counter(lang, counter):
    app = fake_app(lang=lang, settings_path=None)
    async with app.run_test(size=(80, 24)) as pilot:
        lesson = app.course.lessons[8]  # lesson 9, the longest title of the course
        total = len(lesson.steps)
        await settle(pilot)
        cut = 0
        for n in range(1, total + 1):
            app.open_lesson(lesson.id, step=n - 1)
            await settle(pilot)
            line = app.screen.query_one("#lesson-title")
            lines = [text.rstrip() for text in shown_lines(line)]
            # before: "9 · Pretrain once, fine-tune for many tasks  ─ step 1/4:" and the rest on a second line
            assert line.region.height == 1 and len(lines) == 1, lines
            assert counter.format(n=n, total=total) in lines[0], lines
            assert lines[0].startswith("9 · ") and (lesson.title in lines[0] or "…" in lines[0]), lines
            cut += "…" in lines[0]
            assert line.region.right < app.screen.query_one("#model-status").region.x
        assert cut, "no step of lesson 9 needed cutting: the test no longer covers the long title"


def bar_lines(fill: FillMaskWidget) -> list[str]:
    """The fill-mask view's guess lines ("word  12.3% ███"), without their (translated) heading."""
    return [line for line in visible_text(fill.query_one("#bars")).splitlines() if "%" in line]


async def type_into(pilot, field: Input, text: str) -> None:
    """Replace a field's text the way the learner does: focus it, clear it, type."""
    field.focus()
    await pilot.press("end", "ctrl+u")  # Input: delete everything left of the cursor
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])
    await settle(pilot, 0.6)  # past the views' typing pause


async def open_playground(pilot):
    app = pilot.app
    await settle(pilot)
    app.action_playground()
    await settle(pilot)
    return app.screen, app.screen.query_one("TabbedContent")


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)


async def test_the_playground_keeps_typed_text_and_results_when_the_language_changes():
    app = fake_app(settings_path=None)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, tabs = await open_playground(pilot)
        fill = screen.query_one(FillMaskWidget)
        await type_into(pilot, fill.query_one("#sentence", Input), "dogs [MASK] loudly")
        guesses = bar_lines(fill)
        assert guesses
        await press(pilot, "ctrl+n")
        assert tabs.active == "tokens"
        await type_into(pilot, screen.query_one(TokensView).query_one(Input), "zebras gallop")
        await press(pilot, "ctrl+n", "ctrl+n", "ctrl+n")
        assert tabs.active == "embeddings"
        await type_into(pilot, screen.query_one(EmbeddingsView).query_one(".emb-word", Input), "river")
        await press(pilot, "ctrl+b", "ctrl+b", "ctrl+b")
        assert tabs.active == "tokens"

        app.action_switch_language()  # English -> Chinese: the playground redraws
        await settle(pilot, 0.6)
        tabs = screen.query_one("TabbedContent")
        assert app.screen is screen and tabs.active == "tokens"
        assert "练习场" in visible_text(screen.query_one("#playground-title"))
        # before the fix every view started again from its example sentence
        tokens = screen.query_one(TokensView)
        assert tokens.query_one(Input).value == "zebras gallop"
        shown = visible_text(tokens)
        assert "zebras" in shown and "gallop" in shown and "playing" not in shown, shown
        await press(pilot, "ctrl+b")
        assert tabs.active == "fill-mask"
        fill = screen.query_one(FillMaskWidget)
        assert fill.query_one("#sentence", Input).value == "dogs [MASK] loudly"
        assert bar_lines(fill) == guesses  # BERT's answer to the typed sentence, not to the example
        await press(pilot, "ctrl+b", "ctrl+b")
        assert tabs.active == "embeddings"
        assert screen.query_one(EmbeddingsView).query_one(".emb-word", Input).value == "river"


async def test_ctrl_n_from_a_text_field_of_the_playground_goes_to_the_next_tab():
    app = fake_app(settings_path=None)
    async with app.run_test(size=(100, 32)) as pilot:
        screen, tabs = await open_playground(pilot)
        await press(pilot, "ctrl+n", "ctrl+n", "ctrl+n")
        assert tabs.active == "attention"
        await type_into(pilot, screen.query_one(".attention-text", Input), "it was tired")
        # before: the field's view took the focus back and the tab bar stayed where it was
        # (when the next tab was still to be built, as the first visit builds it)
        await press(pilot, "ctrl+n")
        assert tabs.active == "embeddings" and screen.query_one("TabPane#embeddings") in app.focused.ancestors
        await type_into(pilot, screen.query_one(EmbeddingsView).query_one(".emb-word", Input), "river")
        await press(pilot, "ctrl+n")
        assert tabs.active == "labs" and screen.query_one("TabPane#labs") in app.focused.ancestors


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_playground_attention_panel_shows_its_whole_border(size):
    from tutor.widgets.attention_map import AttentionMap

    app = fake_app(settings_path=None)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        app.action_playground()
        await settle(pilot)
        app.screen.query_one("TabbedContent").active = "attention"
        await settle(pilot)
        view = app.screen.query_one(AttentionMap)
        pane = app.screen.query_one("TabPane#attention")
        lines = shown_lines(view)
        assert lines[0].startswith("╭") and lines[0].endswith("╮")
        assert all(line.startswith("│") and line.endswith("│") for line in lines[1:-1])
        # before: the panel was one row taller than its tab, so its bottom row sat under the footer
        assert lines[-1].startswith("╰") and lines[-1].endswith("╯")
        assert view.region.bottom <= pane.region.bottom and view.region.right <= pane.region.right
