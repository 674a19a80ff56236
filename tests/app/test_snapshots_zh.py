"""Snapshot tests of the Chinese course (--lang zh) at 80x24 and 120x40: CJK text is two cells
wide, so these are the pictures that catch clipping and misalignment in Chinese."""
from __future__ import annotations

import pytest

from tests.app.fake_engine import FakeEngine
from tests.app.test_snapshots import NOW, _after, learner_store
from tutor.app import make_app
from tutor.i18n import set_language

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    set_language("en")


def zh_app():
    app = make_app(engine_factory=lambda model: FakeEngine(), store=learner_store(), settings_path=None, lang="zh")
    app.now = lambda: NOW
    return app


@pytest.mark.parametrize("size", SIZES)
def test_home_zh(snap_compare, size):
    """Home with the Chinese course: lesson titles and summaries in Chinese."""
    assert snap_compare(zh_app(), terminal_size=size, run_before=_after())


@pytest.mark.parametrize("size", SIZES)
def test_lesson_zh(snap_compare, size):
    """Lesson 5 in Chinese, first step: the lecture's slide and Chinese prose."""
    assert snap_compare(zh_app(), terminal_size=size,
                        run_before=_after(then=lambda app: app.open_lesson("cloze-exam", step=0), debounce=1.0))
