"""Hardening 15.9: an edit that drops an exercise the learner answered is said when the lesson opens."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.app.conftest import fake_app, settle
from tests.app.test_screens_shell import notices
from tutor.progress import open_store

LESSONS = Path(__file__).resolve().parents[2] / "lessons"


async def test_opening_a_lesson_that_lost_an_answered_quiz_warns(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    text = (LESSONS / "02-attention-basics.md").read_text(encoding="utf-8")
    text = text.replace("id: attention-basics", "id: my-attention", 1)
    (folder / "my-attention.md").write_text(text, encoding="utf-8")
    store = open_store(":memory:")
    store.record_attempt("my-attention", "gone-quiz", "", "b", False)
    store.record_attempt("my-attention", "fill-that-stays", "", "x", True)
    app = fake_app(lesson_dirs=[folder], store=store, settings_path=None)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.open_lesson("my-attention")
        await settle(pilot)
        shown = notices(app)
        assert "gone-quiz" in shown and "an edit may have lost some" in shown, shown


async def test_no_warning_when_nothing_was_lost():
    store = open_store(":memory:")
    app = fake_app(store=store, settings_path=None)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        app.open_lesson("attention-basics")
        await settle(pilot)
        assert "graded exercise" not in notices(app)
