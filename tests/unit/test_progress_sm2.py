"""SM-2 scheduling: the pure rule, then the store's schedule on fixed dates."""
from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.progress import open_store
from tutor.progress import sm2

KEY = ("cloze", "li-hua", "2")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00")


def test_quality_mapping():
    assert sm2.quality(True, 0) == 5
    assert sm2.quality(True, 1) == 3
    assert sm2.quality(True, 4) == 3
    assert sm2.quality(False, 0) == 1
    assert sm2.quality(False, 2) == 1


def test_intervals_grow_1_6_then_times_ease():
    s = sm2.missed(None)
    assert s == sm2.Schedule(2.5, 0, 1)
    s = sm2.next_schedule(s, 5)
    assert s == sm2.Schedule(2.6, 1, 1)
    s = sm2.next_schedule(s, 5)
    assert s == sm2.Schedule(2.7, 2, 6)
    s = sm2.next_schedule(s, 5)
    assert s == sm2.Schedule(2.8, 3, 16)  # round(6 * 2.7)
    s = sm2.next_schedule(s, 3)
    assert s == sm2.Schedule(2.66, 4, 45)  # round(16 * 2.8); hints cost 0.14 ease


def test_failure_resets_and_ease_has_a_floor():
    s = sm2.Schedule(2.7, 5, 40)
    assert sm2.next_schedule(s, 1) == sm2.Schedule(2.5, 0, 1)
    s = sm2.Schedule(1.4, 3, 10)
    assert sm2.missed(s) == sm2.Schedule(1.3, 0, 1)
    assert sm2.missed(sm2.missed(s)).ease == 1.3


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3)), max_size=25))
def test_any_history_keeps_sane_state(answers):
    s = sm2.missed(None)
    for correct, hints in answers:
        before = s
        s = sm2.next_schedule(s, sm2.quality(correct, hints))
        assert sm2.MIN_EASE <= s.ease <= 2.5 + 0.1 * len(answers) + 1e-9
        assert s.interval_days >= 1
        if correct:
            assert s.repetitions == before.repetitions + 1
            if s.repetitions >= 3:
                assert s.interval_days >= before.interval_days
        else:
            assert (s.repetitions, s.interval_days) == (0, 1)


def test_store_schedule_on_fixed_dates():
    store = open_store(":memory:")
    store.record_attempt(*KEY, "are", False, now=at("2024-03-01"))
    assert store.due_reviews(now=at("2024-03-01", 23)) == []
    (item,) = store.due_reviews(now=at("2024-03-02", 8))
    assert (item.ease, item.repetitions, item.interval_days, item.due) == (2.5, 0, 1, "2024-03-02")
    assert item.key == KEY

    item = store.review_result(item, True, now=at("2024-03-02"))
    assert (item.repetitions, item.interval_days, item.due, item.ease) == (1, 1, "2024-03-03", 2.6)
    item = store.review_result(KEY, True, now=at("2024-03-03"))
    assert (item.repetitions, item.interval_days, item.due) == (2, 6, "2024-03-09")
    assert store.due_reviews(now=at("2024-03-08")) == []
    item = store.review_result(item, True, now=at("2024-03-09"))
    assert (item.interval_days, item.due, item.ease) == (16, "2024-03-25", 2.8)
    item = store.review_result(item, True, hints_used=2, now=at("2024-03-25"))
    assert (item.interval_days, item.due, item.ease) == (45, "2024-05-09", 2.66)
    # A miss in a later lesson visit resets it: due tomorrow, ease -0.2.
    store.record_attempt(*KEY, "am", False, now=at("2024-04-01"))
    (item,) = store.due_reviews(now=at("2024-04-02"))
    assert (item.repetitions, item.interval_days, item.due, item.ease) == (0, 1, "2024-04-02", 2.46)
    assert store.due_reviews(now=at("2024-04-02")) == [item]


def test_correct_answer_in_a_lesson_creates_no_review():
    store = open_store(":memory:")
    store.record_attempt(*KEY, "is", True, now=at("2024-03-01"))
    assert store.due_reviews(now=at("2030-01-01")) == []


def test_same_day_retries_cost_ease_once():
    store = open_store(":memory:")
    for hour in (10, 11, 12):
        store.record_attempt(*KEY, "are", False, now=at("2024-03-01", hour))
    (item,) = store.due_reviews(now=at("2024-03-02"))
    assert item.ease == 2.5
    store.record_attempt(*KEY, "are", False, now=at("2024-03-02"))
    (item,) = store.due_reviews(now=at("2024-03-03"))
    assert (item.ease, item.due) == (2.3, "2024-03-03")
    lapses = store.db.execute("SELECT lapses FROM review").fetchone()[0]
    assert lapses == 2


def test_review_of_a_vanished_item_recreates_it():
    store = open_store(":memory:")
    item = store.review_result(("l", "e"), True, now=at("2024-03-01"))
    assert item.blank == "" and item.repetitions == 1 and item.due == "2024-03-02"


def test_reviews_are_per_profile_and_sorted_by_due(tmp_path):
    db = tmp_path / "p.db"
    ana, bo = open_store(db, profile="ana"), open_store(db, profile="bo")
    ana.record_attempt("l", "e", "2", "x", False, now=at("2024-03-05"))
    ana.record_attempt("l", "e", "1", "x", False, now=at("2024-03-01"))
    assert [i.blank for i in ana.due_reviews(now=at("2024-03-10"))] == ["1", "2"]
    assert bo.due_reviews(now=at("2024-03-10")) == []
    ana.close()
    bo.close()
