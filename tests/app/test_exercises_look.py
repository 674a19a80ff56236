"""How results look (issue 14, 'Layout and look'): BERT's pick coloured by correctness,
percentages beside their bars, readable attention labels, the average-heads note, 'v' as
lesson 6 describes it, no scrollbar inside the tokens table, and names shown literally."""
from __future__ import annotations

import asyncio
import re
from io import StringIO

from rich.console import Console
from textual.widgets import DataTable, Static

from tests.app.conftest import fake_app, settle
from tests.app.test_exercises_progress import Host
from tests.app.test_inside_views import ViewApp
from tests.app.fake_engine import FakeEngine
from tutor.course.blocks import AttentionBlock, BlankSpec, ClozeBlock, FillMaskBlock, TokensBlock
from tutor.errors import TutorError
from tutor.widgets.attention_map import AttentionMap, column_label
from tutor.widgets.cloze import ClozeWidget
from tutor.widgets.fill_mask import FillMaskWidget
from tutor.widgets.tokens_view import TokensView

# The fake prefers "is" (0.7) to "in" (0.6) and "an" (0.55): right on blank 1, wrong on blank 2.
CLOZE = ClozeBlock(id="c", passage="This {1} a pen. She lives {2} Paris.", blanks=(
    BlankSpec(number=1, answers=("is",), options=("is", "on", "at")),
    BlankSpec(number=2, answers=("in",), options=("is", "in", "to"))))


def style_of(text, fragment: str) -> str:
    """The style of the span that starts where ``fragment`` starts in a rich Text."""
    start = text.plain.index(fragment)
    return " ".join(str(span.style) for span in text.spans if span.start <= start < span.end)


def run(scenario):
    asyncio.run(scenario())


def test_berts_pick_is_green_when_right_and_red_when_wrong():
    async def scenario():
        app = Host(ClozeWidget(CLOZE), FakeEngine())
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            await pilot.press("a", "b", "enter")
            await settle(pilot)
            feedback = app.cloze.query_one("#feedback", Static)
            wrong = feedback.render()
            assert "BERT: is ✗" in wrong.plain and "red" in style_of(wrong, "is ✗")
            await pilot.press("left")
            right = feedback.render()
            assert "BERT: is ✓" in right.plain and "green" in style_of(right, "is ✓")
            assert "magenta" not in str(right.spans) + str(wrong.spans)
    run(scenario)


def test_fill_mask_percentages_sit_beside_their_bars():
    async def scenario():
        app = ViewApp(FillMaskWidget(FillMaskBlock(text="The capital of France is [MASK].")))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            bars = str(app.query_one("#bars", Static).render())
            lines = [l for l in bars.splitlines() if "%" in l]
            assert len(lines) == 5 and lines[0].startswith("paris")
            assert all(re.search(r"\d+\.\d% [█▏▎▍▌▋▊▉]", line) for line in lines), lines
    run(scenario)


def test_attention_columns_are_labelled_downwards_and_readable():
    async def scenario():
        block = AttentionBlock(text="The animal didn't cross the street because it was tired.", focus="it")
        app = ViewApp(AttentionMap(block))
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(pilot)
            view = app.query_one(AttentionMap)
            heatmap = view.query_one(".attention-heatmap", Static).content
            lines = ["".join(seg.text for seg in line) for line in heatmap.lines()]
            header = lines[:heatmap.header_height]
            label_width = heatmap.label_width
            for j, token in enumerate(view.tokens):  # read each column top to bottom
                column = "".join(line[label_width + 2 * j] for line in header).rstrip()
                assert column == column_label(token)[:heatmap.header_height], (token, column)
            view.focus()
            await pilot.press("a")
            note = str(view.query_one(".attention-note", Static).render())
            assert "average" in str(view.query_one(".attention-status", Static).render())
            assert "this head" not in note and "heads" in note
            await pilot.press("v")  # lesson 6: "v all heads at once"
            status = str(view.query_one(".attention-status", Static).render())
            assert "all 3 heads at once" in status
            console = Console(file=StringIO(), width=200)
            console.print(view.query_one(".attention-heatmap", Static).content)
            drawn = console.file.getvalue()
            assert "L1" in drawn and "L2" not in drawn and "h3" in drawn
    run(scenario)


def test_tokens_table_has_no_scrollbar_of_its_own():
    text = " ".join(["word"] * 30)
    async def scenario():
        app = ViewApp(TokensView(TokensBlock(text=text)))
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            table = app.query_one(DataTable)
            assert table.row_count == 32
            assert not table.show_vertical_scrollbar and table.size.height >= table.row_count
    run(scenario)


async def test_model_badge_shows_the_name_literally():
    def failing(model):
        raise TutorError(f"cannot load model {model}: offline")

    app = fake_app(model="[b]x[/b] [/oops]", engine_factory=failing)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        app.open_lesson("welcome")
        await settle(pilot)
        badge = str(app.screen.query_one("#model-status", Static).render())
        assert "model: [b]x[/b] [/oops] ✗ failed" in badge


def contrast(style) -> float:
    """WCAG contrast ratio of a rich Style's foreground on its background."""
    def luminance(colour) -> float:
        def channel(c: int) -> float:
            c = c / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        r, g, b = colour.get_truecolor()
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    a, b = sorted((luminance(style.color), luminance(style.bgcolor)), reverse=True)
    return (a + 0.05) / (b + 0.05)


async def test_checked_quiz_choices_are_readable_in_both_themes():
    """Right pick, wrong pick and the rest: text contrast at least 4.5:1 (WCAG AA)."""
    from tests.app.conftest import open_step
    from tutor.widgets.quiz import QuizWidget

    for theme in ("textual-dark", "textual-light"):
        app = fake_app()
        async with app.run_test(size=(100, 34)) as pilot:
            app.theme = theme
            await open_step(pilot, "attention-basics", 2)
            quiz = app.screen.query_one(QuizWidget)
            wrong = next(i for i, c in enumerate(quiz.block.choices) if not c.correct)
            await pilot.press(quiz.key_of(wrong), "enter")
            await settle(pilot)
            buttons = list(quiz.query(".choice"))
            assert any(b.has_class("is-right") for b in buttons) and any(b.has_class("is-wrong") for b in buttons)
            for button in buttons:
                ratio = contrast(button.rich_style)
                assert ratio >= 4.5, (theme, str(button.label), round(ratio, 2))
