"""Every footer label is whole: at 80×24 and 120×40, in English and Chinese, on the home
screen, a lesson step of every block kind (and its next focus stop), every playground tab
and the review.  Textual's Footer let keys run off its edge ("^→ Next ta", "? Hel") or
squeezed the palette key; the footer now leaves out what does not fit, the focused widget's
keys first (its key line lists them), "? Help" last.
"""
from __future__ import annotations

import pytest
from textual.widgets import Footer
from textual.widgets._footer import FooterKey, FooterLabel

from tests.app.conftest import fake_app, settle, step_ready

# one step of each block kind (and prose only, and a slide), in both courses
STEPS = {"slide": ("welcome", 1), "prose": ("welcome", 2), "cloze": ("welcome", 3), "quiz": ("welcome", 4),
         "fill-mask": ("welcome", 5), "masking": ("self-supervision", 4), "tokens": ("tokens", 2),
         "attention": ("inside-attention", 2), "word2vec+embeddings": ("bert-vs-word2vec", 4),
         "finetune": ("fine-tuning", 3), "pretrain": ("pretrain-yourself", 2)}
HELP = {"en": "? Help", "zh": "? 帮助"}
PALETTE = {"en": "^p palette", "zh": "^p 命令"}


def bottom_line(app) -> str:
    """The screen's last row as the learner sees it (the footer, clipped where the screen ends)."""
    return app.screen._compositor.render_strips()[-1].text


def assert_footer_whole(app, where: str, lang: str) -> None:
    line = bottom_line(app)
    footer = app.screen.query_one(Footer)
    labels = [f"{key.key_display} {key.description}".strip() for key in footer.query(FooterKey)]
    labels += [str(label.render()) for label in footer.query(FooterLabel)]
    assert len(labels) >= 3, (where, line)
    for label in labels:
        assert label in line, f"{where}: {label!r} is not whole in {line!r}"
    assert line.rstrip().endswith(PALETTE[lang]), (where, line)
    if any(key.action == "help" for key in footer.query(FooterKey)):
        assert HELP[lang] in line, (where, line)


async def walk(pilot, app, lang: str, steps: dict[str, tuple[str, int]], *, tabs: tuple[str, ...] = ()) -> None:
    await settle(pilot)
    assert_footer_whole(app, "home", lang)
    for kind, (lesson, number) in steps.items():
        app.open_lesson(lesson, step=number - 1)
        await settle(pilot)
        await step_ready(pilot)
        await settle(pilot)
        assert_footer_whole(app, f"{kind} ({lesson} step {number})", lang)
        if kind in tabs:  # the next focus stop shows other keys (the masking view's r/s from its buttons)
            await pilot.press("tab")
            await settle(pilot)
            assert_footer_whole(app, f"{kind} ({lesson} step {number}) after tab", lang)
        app.pop_screen()
        await settle(pilot)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_footer_label_is_whole_at_80_columns(lang):
    app = fake_app(lang=lang, settings_path=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await walk(pilot, app, lang, STEPS, tabs=("masking", "finetune", "pretrain"))
        app.action_playground()
        await settle(pilot)
        for tab in range(6):
            assert_footer_whole(app, f"playground tab {tab + 1}", lang)
            await pilot.press("ctrl+n")
            await settle(pilot)
        app.pop_screen()
        app.action_review()
        await settle(pilot)
        assert_footer_whole(app, "review", lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_footer_label_is_whole_at_120_columns(lang):
    app = fake_app(lang=lang, settings_path=None)
    async with app.run_test(size=(120, 40)) as pilot:
        # lesson 6's attention map: its keys and the lesson's ended in "? Hel" at 120 columns
        await walk(pilot, app, lang, {kind: STEPS[kind] for kind in ("attention", "finetune", "cloze")})
        app.open_lesson("inside-attention", step=1)
        await settle(pilot)
        await step_ready(pilot)
        await settle(pilot)
        shown = bottom_line(app)
        if lang == "en":  # the map's keys fit in part: the last ones give way, the lesson's stay
            assert "lL Layer" in shown and "^n Next step" in shown and "? Help" in shown, shown


async def test_the_footer_gives_its_keys_back_when_the_screen_widens():
    app = fake_app(settings_path=None)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_lesson("inside-attention", step=1)
        await settle(pilot)
        await step_ready(pilot)
        await settle(pilot)
        assert "w Words" not in bottom_line(app)
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        assert "w Words" in bottom_line(app) and "? Help" in bottom_line(app), bottom_line(app)
        assert_footer_whole(app, "attention at 160 columns", "en")
