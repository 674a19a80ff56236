"""Review in learning steps: misses (and hinted answers) come back in the same sitting."""
from __future__ import annotations

from datetime import datetime, timedelta

from tests.app.test_app import new_app, settle
from tutor.progress import open_store
from tutor.widgets.cloze import ClozeWidget


def label(app, selector: str) -> str:
    widget = app.screen.query_one(selector)
    return str(getattr(widget, "label", None) or widget.render())


async def test_two_misses_are_due_for_review_minutes_later_not_tomorrow():
    """Today "Review (0 due)" right after two misses: they must come back within the sitting."""
    store = open_store(":memory:")
    a_moment_ago = datetime.now() - timedelta(minutes=2)
    store.record_attempt("cloze-exam", "li-hua", "2", "are", False, now=a_moment_ago)
    store.record_attempt("cloze-exam", "li-hua", "4", "on", True, hints_used=1, now=a_moment_ago)
    app = new_app(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert label(app, "#review") == "Review (2 due)"
        assert "2 due now" in label(app, "#review-due")
        await pilot.click("#review")
        await settle(pilot, app)
        assert "item 1 of 2" in label(app, "#review-title")
        cloze = app.screen.query_one(ClozeWidget)
        assert cloze.numbers == [2]


async def test_home_shows_due_later_and_updates_when_the_step_falls_due():
    store = open_store(":memory:")
    store.record_attempt("cloze-exam", "li-hua", "2", "are", False)  # due in 1 minute
    app = new_app(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert label(app, "#review") == "Review (0 due)"
        assert "0 due now · 1 later (next in 1 min)" in label(app, "#review-due")
        app.now = lambda: datetime.now() + timedelta(minutes=5)  # the sitting goes on
        await pilot.press("s")
        await settle(pilot, app)
        assert "1 due now" in label(app, "#stats-title")
        table = app.screen.query_one("#stats-table")
        row = next(table.get_row_at(i) for i in range(table.row_count) if "cloze" in str(table.get_row_at(i)[1]).lower())
        assert str(row[-1]) == "1 now, 0 later"
        await pilot.press("escape")
        await settle(pilot, app)
        assert label(app, "#review") == "Review (1 due)"


async def test_you_vs_bert_compares_only_items_both_took():
    """Quiz answers counted for the learner though BERT never takes quizzes ("39 – 16")."""
    store = open_store(":memory:")
    for number in range(1, 4):
        store.record_attempt("attention-basics", f"quiz-{number}", "", "1", True)
    store.record_attempt("cloze-exam", "li-hua", "1", "in", True, bert_choice="in")
    store.record_attempt("cloze-exam", "li-hua", "2", "are", False, bert_choice="is", bert_correct=True)
    app = new_app(store=store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert "You vs BERT on the same 2 items: you 1, BERT 2" in label(app, "#tally")
        await pilot.press("s")
        await settle(pilot, app)
        assert "You vs BERT on the same 2 items: you 1, BERT 2" in label(app, "#stats-title")
        table = app.screen.query_one("#stats-table")
        rows = {str(table.get_row_at(i)[1]): [str(c) for c in table.get_row_at(i)] for i in range(table.row_count)}
        quiz_row = next(r for title, r in rows.items() if "ttention" in title)
        assert quiz_row[3] == "—"  # you / BERT: no shared items in a quiz lesson
        cloze_row = next(r for title, r in rows.items() if "cloze" in title.lower())
        assert cloze_row[3] == "1/2 (2)"
