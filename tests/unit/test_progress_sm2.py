"""SM-2 scheduling: the pure rule, then the store's schedule on fixed dates."""
from __future__ import annotations

from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tutor.progress import open_store
from tutor.progress import sm2

KEY = ("cloze", "li-hua", "2")


def at(day: str, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.fromisoformat(f"{day}T{hour:02d}:{minute:02d}:00")


def test_quality_mapping():
    assert sm2.quality(True, 0) == 5
    assert sm2.quality(True, 1) == 3
    assert sm2.quality(True, 4) == 3
    assert sm2.quality(False, 0) == 1
    assert sm2.quality(False, 2) == 1


def test_a_miss_goes_through_learning_steps_then_sm2_intervals_grow_1_6_then_times_ease():
    s = sm2.missed(None)
    assert s == sm2.Schedule(2.5, 0, 0) and s.learning
    s = sm2.reviewed(s, 5)
    assert s == sm2.Schedule(2.5, 1, 0)  # second learning step
    s = sm2.reviewed(s, 3)
    assert s == sm2.Schedule(2.5, 1, 0)  # a hint repeats the step
    s = sm2.reviewed(s, 5)
    assert s == sm2.Schedule(2.6, 1, 1) and not s.learning  # graduated: 1 day
    s = sm2.reviewed(s, 5)
    assert s == sm2.Schedule(2.7, 2, 6)
    s = sm2.reviewed(s, 5)
    assert s == sm2.Schedule(2.8, 3, 16)  # round(6 * 2.7)
    s = sm2.reviewed(s, 3)
    assert s == sm2.Schedule(2.66, 4, 45)  # round(16 * 2.8); hints cost 0.14 ease


def test_learning_steps_are_minutes_and_graduated_items_are_days():
    moment = at("2024-03-01", 10)
    assert sm2.due(moment, sm2.LEARNING) == "2024-03-01T10:01:00"
    assert sm2.due(moment, sm2.Schedule(2.5, 1, 0)) == "2024-03-01T10:10:00"
    assert sm2.due(moment, sm2.Schedule(2.6, 1, 1)) == "2024-03-02"
    # a day's due text sorts before every moment of that day, after every moment before it
    assert "2024-03-02" <= sm2.moment_key(at("2024-03-02", 0)) and "2024-03-02" > sm2.moment_key(at("2024-03-01", 23))


def test_failure_resets_to_learning_and_ease_has_a_floor():
    s = sm2.Schedule(2.7, 5, 40)
    assert sm2.next_schedule(s, 1) == sm2.Schedule(2.5, 0, 0)
    s = sm2.Schedule(1.4, 3, 10)
    assert sm2.missed(s) == sm2.Schedule(1.3, 0, 0)
    assert sm2.missed(sm2.missed(s)).ease == 1.3
    assert sm2.missed(sm2.Schedule(2.3, 1, 0)) == sm2.Schedule(2.3, 0, 0)  # learning misses cost no ease


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), st.integers(0, 3)), max_size=25))
def test_any_history_keeps_sane_state(answers):
    s = sm2.missed(None)
    for correct, hints in answers:
        before = s
        s = sm2.reviewed(s, sm2.quality(correct, hints))
        assert sm2.MIN_EASE <= s.ease <= 2.5 + 0.1 * len(answers) + 1e-9
        assert s.interval_days >= 0 and s.repetitions >= 0
        if not correct:
            assert (s.repetitions, s.interval_days) == (0, 0)
        elif before.learning:
            assert s.learning or (s.repetitions, s.interval_days) == (1, 1)
            assert s.ease == before.ease or not s.learning
        else:
            assert s.repetitions == before.repetitions + 1
            if s.repetitions >= 3:
                assert s.interval_days >= before.interval_days


def test_store_schedule_on_fixed_dates():
    store = open_store(":memory:")
    store.record_attempt(*KEY, "are", False, now=at("2024-03-01"))
    assert store.due_reviews(now=datetime.fromisoformat("2024-03-01T10:00:59")) == []
    (item,) = store.due_reviews(now=datetime.fromisoformat("2024-03-01T10:01:00"))
    assert (item.ease, item.repetitions, item.interval_days, item.due) == (2.5, 0, 0, "2024-03-01T10:01:00")
    assert item.key == KEY

    item = store.review_result(item, True, now=at("2024-03-01", 11))
    assert (item.repetitions, item.interval_days, item.due) == (1, 0, "2024-03-01T11:10:00")
    item = store.review_result(item, True, now=at("2024-03-01", 12))
    assert (item.repetitions, item.interval_days, item.due, item.ease) == (1, 1, "2024-03-02", 2.6)
    assert store.due_reviews(now=at("2024-03-01", 23)) == []
    item = store.review_result(KEY, True, now=at("2024-03-02"))
    assert (item.repetitions, item.interval_days, item.due) == (2, 6, "2024-03-08")
    assert store.due_reviews(now=at("2024-03-07")) == []
    item = store.review_result(item, True, now=at("2024-03-08"))
    assert (item.interval_days, item.due, item.ease) == (16, "2024-03-24", 2.8)
    item = store.review_result(item, True, hints_used=2, now=at("2024-03-24"))
    assert (item.interval_days, item.due, item.ease) == (45, "2024-05-08", 2.66)
    # Forgotten in a later lesson visit: learning steps again, ease -0.2.
    store.record_attempt(*KEY, "am", False, now=at("2024-04-01"))
    (item,) = store.due_reviews(now=at("2024-04-01", 11))
    assert (item.repetitions, item.interval_days, item.due, item.ease) == (0, 0, "2024-04-01T10:01:00", 2.46)


def test_correct_answer_in_a_lesson_creates_no_review_but_a_hinted_one_does():
    store = open_store(":memory:")
    store.record_attempt(*KEY, "is", True, now=at("2024-03-01"))
    assert store.due_reviews(now=at("2030-01-01")) == []
    store.record_attempt("cloze", "li-hua", "3", "is", True, hints_used=1, now=at("2024-03-01"))
    (item,) = store.due_reviews(now=at("2024-03-01", 11))
    assert (item.blank, item.interval_days, item.due) == ("3", 0, "2024-03-01T10:01:00")
    # a later hinted answer does not restart an item already scheduled
    store.review_result(item, True, now=at("2024-03-01", 11))
    store.record_attempt("cloze", "li-hua", "3", "is", True, hints_used=2, now=at("2024-03-01", 12))
    assert store.due_reviews(now=at("2024-03-01", 11, 5)) == []


def test_review_outlook_counts_due_now_and_later():
    store = open_store(":memory:")
    assert store.review_outlook(now=at("2024-03-01")) == {"due_now": 0, "due_later": 0, "next_due": None}
    store.record_attempt(*KEY, "are", False, now=at("2024-03-01"))
    store.record_attempt("cloze", "li-hua", "5", "x", False, now=at("2024-03-01", 11))
    outlook = store.review_outlook(now=at("2024-03-01", 10, 30))
    assert outlook == {"due_now": 1, "due_later": 1, "next_due": datetime.fromisoformat("2024-03-01T11:01:00")}
    assert store.reviews_by_lesson(now=at("2024-03-01", 10, 30)) == {"cloze": {"due_now": 1, "due_later": 1}}
    rows = {row["lesson_id"]: row for row in store.stats(now=at("2024-03-01", 10, 30))}
    assert rows["cloze"]["due_reviews"] == 1


def test_same_day_retries_cost_no_ease_until_the_item_was_learned():
    store = open_store(":memory:")
    for hour in (10, 11, 12):
        store.record_attempt(*KEY, "are", False, now=at("2024-03-01", hour))
    (item,) = store.due_reviews(now=at("2024-03-02"))
    assert item.ease == 2.5
    store.record_attempt(*KEY, "are", False, now=at("2024-03-02"))
    (item,) = store.due_reviews(now=at("2024-03-03"))
    assert (item.ease, item.interval_days) == (2.5, 0)
    for minutes in (1, 11):  # both learning steps: graduates
        item = store.review_result(item, True, now=at("2024-03-03", 10, minutes))
    store.record_attempt(*KEY, "are", False, now=at("2024-03-05"))
    store.record_attempt(*KEY, "are", False, now=at("2024-03-05", 11))
    (item,) = store.due_reviews(now=at("2024-03-06"))
    assert (item.ease, item.interval_days) == (2.4, 0)  # 2.6 after graduating, -0.2 once
    lapses = store.db.execute("SELECT lapses FROM review").fetchone()[0]
    assert lapses == 2


def test_review_of_a_vanished_item_recreates_it():
    store = open_store(":memory:")
    item = store.review_result(("l", "e"), True, now=at("2024-03-01"))
    assert item.blank == "" and item.repetitions == 1 and item.due == "2024-03-02"


def test_old_day_dues_stay_due_from_the_start_of_their_day(tmp_path):
    """Items a v2 database scheduled by day still come due at midnight of that day."""
    store = open_store(":memory:")
    store.db.execute("INSERT INTO review (profile, lesson_id, exercise_id, blank, ease, repetitions,"
                     " interval_days, due) VALUES ('default', 'l', 'e', '', 2.5, 0, 1, '2024-03-02')")
    assert store.due_reviews(now=at("2024-03-01", 23)) == []
    assert [i.due for i in store.due_reviews(now=at("2024-03-02", 0))] == ["2024-03-02"]


def test_reviews_are_per_profile_and_sorted_by_due(tmp_path):
    db = tmp_path / "p.db"
    ana, bo = open_store(db, profile="ana"), open_store(db, profile="bo")
    ana.record_attempt("l", "e", "2", "x", False, now=at("2024-03-05"))  # due 10:01 that day
    ana.record_attempt("l", "e", "1", "x", False, now=at("2024-03-01"))
    assert [i.blank for i in ana.due_reviews(now=at("2024-03-10"))] == ["1", "2"]
    assert bo.due_reviews(now=at("2024-03-10")) == []
    ana.close()
    bo.close()


def test_you_vs_bert_counts_only_items_both_took_once_each():
    store = open_store(":memory:")
    store.record_attempt("quiz-lesson", "q1", "", "1", True)  # BERT never takes quizzes
    store.record_attempt("cloze", "li-hua", "1", "in", True, bert_choice="in")  # inferred: BERT right
    store.record_attempt("cloze", "li-hua", "2", "are", False, bert_choice="is", bert_correct=True)
    store.record_attempt("cloze", "li-hua", "2", "is", True, bert_choice="is", bert_correct=True)  # a retry
    store.record_attempt("cloze", "li-hua", "3", "on", True)  # model not ready: BERT unknown
    assert store.versus_by_lesson() == {"cloze": {"items": 2, "you": 1, "bert": 2}}
    assert store.versus() == {"items": 2, "you": 1, "bert": 2}
    assert open_store(":memory:").versus() == {"items": 0, "you": 0, "bert": 0}
