"""ProgressStore behaviour: attempts, lesson progress, stats, tally, labs, reset, profiles."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from tutor.progress import LessonProgress, default_db_path, open_store

NOW = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def store(tmp_path):
    s = open_store(tmp_path / "progress.db", profile="ana")
    yield s
    s.close()


def test_open_creates_file_without_notice(tmp_path):
    path = tmp_path / "deep" / "dir" / "progress.db"
    with open_store(path) as s:
        assert s.notice is None and s.path == path and not s.in_memory
        assert s.profile == "default"
        assert s.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.db.execute("PRAGMA busy_timeout").fetchone()[0] == 250  # WRITE_WAIT_S: never longer on the UI thread
    assert path.is_file()


def test_default_path_env_and_platformdirs(monkeypatch, tmp_path):
    monkeypatch.setenv("BERT_TUTOR_DB", str(tmp_path / "env.db"))
    assert default_db_path() == tmp_path / "env.db"
    with open_store() as s:
        assert s.path == tmp_path / "env.db"
    with open_store(tmp_path / "explicit.db") as s:  # --db wins over the environment
        assert s.path == tmp_path / "explicit.db"
    monkeypatch.delenv("BERT_TUTOR_DB")
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda app: str(tmp_path / "data" / app))
    assert default_db_path() == tmp_path / "data" / "bert-tutor" / "progress.db"


def test_record_attempt_saves_every_field(store):
    first = store.record_attempt("cloze", "li-hua", "1", "in", True, bert_choice="in",
                                 bert_probability=0.86, hints_used=1, seconds=4.5, now=NOW)
    second = store.record_attempt("cloze", "li-hua", "", "are", False, now=NOW)
    assert second > first
    rows = list(store.db.query("SELECT * FROM attempts ORDER BY id"))
    assert rows[0] == {"id": first, "profile": "ana", "lesson_id": "cloze", "exercise_id": "li-hua",
                       "blank": "1", "answer": "in", "correct": 1, "bert_choice": "in",
                       "bert_probability": 0.86, "hints_used": 1, "seconds": 4.5,
                       "at": "2024-05-01T09:30:00+00:00", "bert_correct": 1}
    assert rows[1]["blank"] == "" and rows[1]["correct"] == 0 and rows[1]["bert_correct"] is None


def test_bert_correct_explicit_or_inferred(store):
    store.record_attempt("l", "e", "1", "is", True, bert_choice="is")           # inferred right
    store.record_attempt("l", "e", "1", "are", False, bert_choice="Are ")       # inferred wrong
    store.record_attempt("l", "e", "1", "is", True, bert_choice="was")          # unknown
    store.record_attempt("l", "e", "2", "am", False, bert_choice="is", bert_correct=True)
    values = [r[0] for r in store.db.execute("SELECT bert_correct FROM attempts ORDER BY id")]
    assert values == [1, 0, None, 1]
    assert store.tally() == (2, 2)


def test_lesson_progress_only_moves_forward(store):
    p = store.set_lesson_progress("cloze", step=2, steps_total=4, now=NOW)
    assert p == LessonProgress("cloze", 2, 4, "in-progress", None, "2024-05-01T09:30:00+00:00", None)
    store.set_lesson_progress("cloze", step=1, steps_total=4, score=0.5)  # going back a page
    later = datetime(2024, 5, 2, tzinfo=timezone.utc)
    done = store.set_lesson_progress("cloze", step=4, steps_total=4, status="done", score=0.75, now=later)
    assert (done.step, done.status, done.score) == (4, "done", 0.75)
    assert done.started == "2024-05-01T09:30:00+00:00" and done.finished == "2024-05-02T00:00:00+00:00"
    again = store.set_lesson_progress("cloze", step=1, steps_total=4, status="in-progress", score=0.25)
    assert (again.step, again.status, again.score, again.finished) == (4, "done", 0.75, done.finished)
    assert store.lesson_progress() == {"cloze": again}


@pytest.mark.parametrize("kwargs", [dict(status="finished"), dict(score=80), dict(step=-1)])
def test_lesson_progress_rejects_bad_values(store, kwargs):
    args = dict(step=1, steps_total=3) | kwargs
    with pytest.raises(ValueError):
        store.set_lesson_progress("l", **args)
    assert store.lesson_progress() == {}


def test_stats_known_retired_and_counts(store):
    store.set_lesson_progress("welcome", step=3, steps_total=3, status="done", score=1.0)
    store.record_attempt("cloze", "li-hua", "1", "in", True, bert_choice="in", bert_correct=True)
    store.record_attempt("cloze", "li-hua", "2", "are", False, bert_choice="is", bert_correct=True)
    store.record_attempt("old-lesson", "q", "", "x", False, now=datetime(2020, 1, 1))
    rows = store.stats({"welcome": "Welcome", "cloze": "The cloze exam", "tokens": "Tokens"})
    assert [r["lesson_id"] for r in rows] == ["welcome", "cloze", "tokens", "old-lesson"]
    by_id = {r["lesson_id"]: r for r in rows}
    assert by_id["welcome"] == {
        "lesson_id": "welcome", "title": "Welcome", "status": "done", "score": 1.0, "step": 3,
        "steps_total": 3, "attempts": 0, "correct": 0, "you": 0, "bert": 0, "due_reviews": 0,
        "retired": False}
    cloze = by_id["cloze"]
    assert (cloze["status"], cloze["attempts"], cloze["you"], cloze["bert"]) == ("in-progress", 2, 1, 2)
    assert cloze["due_reviews"] == 0  # missed just now: due tomorrow
    assert by_id["tokens"]["status"] == "not-started" and not by_id["tokens"]["retired"]
    assert by_id["old-lesson"]["retired"] and by_id["old-lesson"]["due_reviews"] == 1
    assert not any(r["retired"] for r in store.stats())  # without a course nothing is retired
    assert store.tally() == (1, 2)


def test_profiles_are_separate(tmp_path):
    path = tmp_path / "p.db"
    with open_store(path, profile="ana") as ana, open_store(path, profile="bo") as bo:
        ana.record_attempt("l", "e", "", "x", True)
        bo.set_lesson_progress("l", step=1, steps_total=2)
        assert ana.tally() == (1, 0) and bo.tally() == (0, 0)
        assert ana.lesson_progress() == {} and "l" in bo.lesson_progress()
        assert ana.profiles() == ["ana", "bo"]
    with open_store(path, profile="  ") as anon:
        assert anon.profile == "default"


def test_lab_runs_roundtrip(store):
    class FakeArray:  # stands in for numpy/torch values without importing them
        def tolist(self):
            return [0.5, 0.25]

    first = store.save_lab_run("finetune", {"lr": 2e-5, "epochs": 3}, {"bert": FakeArray()},
                               {"bert": 0.91, "scratch": 0.62}, 12.5, now=NOW)
    store.save_lab_run("pretrain", {"steps": 10}, {"loss": [4.0, 3.5]}, {}, 3)
    runs = store.lab_runs("finetune")
    assert runs == [{"id": first, "kind": "finetune", "params": {"lr": 2e-5, "epochs": 3},
                     "curves": {"bert": [0.5, 0.25]}, "accuracies": {"bert": 0.91, "scratch": 0.62},
                     "seconds": 12.5, "at": "2024-05-01T09:30:00+00:00"}]
    assert [r["kind"] for r in store.lab_runs()] == ["finetune", "pretrain"]


def test_reset_one_lesson_or_everything(tmp_path):
    path = tmp_path / "p.db"
    with open_store(path, profile="ana") as ana, open_store(path, profile="bo") as bo:
        for s in (ana, bo):
            s.record_attempt("a", "e", "", "x", False)
            s.record_attempt("b", "e", "", "x", True)
            s.set_lesson_progress("a", step=1, steps_total=2)
            s.save_lab_run("finetune", {}, {}, {}, 1.0)
        assert ana.reset("a") == 3  # progress row, attempt, review item
        assert [r["lesson_id"] for r in ana.stats()] == ["b"] and ana.lab_runs()
        assert ana.reset() == 2
        assert ana.stats() == [] and ana.lab_runs() == [] and ana.tally() == (0, 0)
        assert [r["lesson_id"] for r in bo.stats()] == ["a", "b"] and len(bo.lab_runs()) == 1


def test_each_answer_is_committed_at_once(tmp_path):
    path = tmp_path / "p.db"
    with open_store(path) as s:
        s.record_attempt("l", "e", "1", "x", False)
        # A separate connection (another process, say) sees it before close.
        import sqlite3

        other = sqlite3.connect(path)
        assert other.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1
        assert other.execute("SELECT COUNT(*) FROM review").fetchone()[0] == 1
        other.close()


def test_importing_progress_does_not_import_torch_or_textual():
    code = ("import sys, tutor.progress, tutor.commands.progress_cmds\n"
            "s = tutor.progress.open_store(':memory:'); s.record_attempt('l','e','','x',False)\n"
            "bad = [m for m in ('torch', 'textual', 'transformers') if m in sys.modules]\n"
            "assert not bad, bad\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
