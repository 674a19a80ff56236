"""Snapshot tests of every screen in Chinese (--lang zh), issue 20: "every screen fits at 80×24
in Chinese".  CJK text is two cells wide, so these are the pictures that catch clipping and
misalignment: home, a step of the Chinese course for each block kind, review, progress,
help, the playground and the model picker, at 80×24 and 120×40 in the dark theme; home also in
the light theme at 80×24 (the English snapshots cover every view in both themes: colours do not
depend on the language, so repeating them here only cost CI time).

Update with ``pytest --snapshot-update tests/app/test_snapshots_zh.py`` after a deliberate
change (or a new translation), then look at the pictures: ``rsvg-convert x.svg -o x.png``.
"""
from __future__ import annotations

import pytest

from tests.app.fake_engine import FakeEngine
from tests.app.test_snapshots import NOW, _after, fixed_models, learner_store  # noqa: F401 (fixture)
from tutor.app import make_app
from tutor.course import load_course
from tutor.i18n import set_language
from tutor.paths import course_dir

VIEWS = [pytest.param((80, 24), "textual-dark", id="80x24-dark"),
         pytest.param((120, 40), "textual-dark", id="120x40-dark")]
LIGHT = pytest.param((80, 24), "textual-light", id="80x24-light")
KINDS = ["prose", "slide", "cloze", "quiz", "fill-mask", "tokens", "masking", "attention", "embeddings",
         "finetune", "pretrain"]


def first_step_with(kind: str) -> tuple[str, int]:
    """(lesson id, 0-based step) of the Chinese course's first step showing a ``kind`` block
    ("prose": a step of Markdown only), so the pictures follow the course as it is edited."""
    for lesson in load_course([course_dir("zh")]).lessons:
        for index, step in enumerate(lesson.steps):
            kinds = {block.kind for block in step.blocks}
            if kind in kinds or (kind == "prose" and kinds <= {"markdown"}):
                return lesson.id, index
    raise AssertionError(f"no step with a {kind} block in the Chinese course")


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def zh_app(theme: str = "textual-dark"):
    app = make_app(engine_factory=lambda model: FakeEngine(), store=learner_store(), settings_path=None, lang="zh")
    app.now = lambda: NOW
    app.theme = theme
    return app


@pytest.mark.parametrize(("size", "theme"), [*VIEWS, LIGHT])
def test_home_zh(snap_compare, size, theme):
    """Home with the Chinese course: lesson titles, summaries and buttons in Chinese."""
    assert snap_compare(zh_app(theme), terminal_size=size, run_before=_after())


@pytest.mark.parametrize(("size", "theme"), VIEWS)
@pytest.mark.parametrize("kind", KINDS)
def test_lesson_step_zh(snap_compare, kind, size, theme):
    """The first step of the Chinese course with a ``kind`` block, as it opens (the block's
    focus may scroll it into view): Chinese prose beside English passages and model output."""
    lesson_id, step = first_step_with(kind)
    assert snap_compare(zh_app(theme), terminal_size=size,
                        run_before=_after(then=lambda app: app.open_lesson(lesson_id, step=step), asks_model=True))


# Screens opened from home by a key, whether the screen asks the model (the playground, after
# a typing pause) and what each picture shows.
SCREENS = {
    "review": (("r",), False, "the first missed blank of the Li Hua cloze, asked again"),
    "stats": (("s",), False, "per-lesson progress, you vs BERT, reviews due now and later"),
    "help": (("question_mark",), False, "every binding and what it does, over home"),
    "playground": (("p",), True, "tab names and the fill-mask tab with the fake engine's guesses"),
}


@pytest.mark.parametrize(("size", "theme"), VIEWS)
@pytest.mark.parametrize("screen", SCREENS)
def test_screen_zh(snap_compare, screen, size, theme):
    """A screen opened from home in Chinese; SCREENS[screen] says what its picture shows."""
    keys, asks_model, _ = SCREENS[screen]
    assert snap_compare(zh_app(theme), terminal_size=size, run_before=_after(*keys, asks_model=asks_model))


@pytest.mark.parametrize(("size", "theme"), VIEWS)
def test_model_picker_zh(snap_compare, fixed_models, size, theme):  # noqa: F811 (the fixture)
    """The model picker in Chinese over home: the bundled model highlighted, the hub-id box."""
    assert snap_compare(zh_app(theme), terminal_size=size,
                        run_before=_after(then=lambda app: app.action_switch_model()))
