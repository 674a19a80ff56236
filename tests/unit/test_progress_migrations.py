"""Schema migrations: from nothing, and from a v1 database that already holds a learner's data."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import date

from sqlite_utils import Database

from tutor.progress import open_store
from tutor.progress.schema import MIGRATIONS, migration_names

ALL_TABLES = {"_sqlite_migrations", "profiles", "lessons", "attempts", "lab_runs", "review"}


def applied(path) -> list[str]:
    with Database(path) as db:
        return [m.name for m in MIGRATIONS.applied(db)]


def test_from_empty_applies_every_migration_once(tmp_path):
    path = tmp_path / "progress.db"
    open_store(path).close()
    names = migration_names()
    assert len(names) >= 2 and names[0] == "001_initial"
    assert applied(path) == names
    open_store(path).close()  # reopening applies nothing twice
    with Database(path) as db:
        assert set(db.table_names()) == ALL_TABLES
        assert db["_sqlite_migrations"].count == len(names)
        assert "bert_correct" in db["attempts"].columns_dict
        assert {"review_due", "attempts_lesson"} <= {i.name for i in db["review"].indexes} | {
            i.name for i in db["attempts"].indexes}


def make_v1(path) -> None:
    """A database as the first release left it, with some history in it."""
    with Database(path) as db:
        MIGRATIONS.apply(db, stop_before="002_review")
        assert "review" not in db.table_names()
        db["profiles"].insert({"name": "ana", "created": "2024-01-01T08:00:00"})
        db["lessons"].insert({"profile": "ana", "lesson_id": "cloze", "step": 2, "steps_total": 4,
                              "status": "in-progress", "score": 0.5, "started": "2024-01-01T08:00:00",
                              "finished": None, "updated": "2024-01-02T08:00:00"})
        rows = [  # (exercise, blank, answer, correct, bert_choice, at)
            ("li-hua", "1", "in", 1, "in", "2024-01-01T08:01:00"),
            ("li-hua", "2", "are", 0, "is", "2024-01-01T08:02:00"),
            ("li-hua", "2", "am", 0, "is", "2024-01-01T08:03:00"),    # same day: one lapse
            ("li-hua", "2", "is", 1, "is", "2024-01-02T09:00:00"),
            ("li-hua", "3", "a", 0, "an", "2024-01-03T09:00:00"),     # key never seen: unknown
            ("li-hua", "2", "was", 0, "was", "2024-01-04T09:00:00"),  # BERT wrong too
        ]
        db["attempts"].insert_all(
            {"profile": "ana", "lesson_id": "cloze", "exercise_id": e, "blank": b, "answer": a,
             "correct": c, "bert_choice": bc, "bert_probability": 0.5, "hints_used": 0,
             "seconds": 3.0, "at": at} for e, b, a, c, bc, at in rows)
        db["lab_runs"].insert({"profile": "ana", "kind": "finetune", "params": json.dumps({"lr": 1e-4}),
                               "curves": json.dumps({"loss": [2.0, 1.0]}), "accuracies": "{}",
                               "seconds": 9.0, "at": "2024-01-05T10:00:00"})


def test_from_v1_with_data_keeps_everything(tmp_path):
    path = tmp_path / "progress.db"
    make_v1(path)
    assert applied(path) == ["001_initial"]
    with open_store(path, profile="ana") as store:
        assert store.notice is None
        assert applied(path) == migration_names()
        progress = store.lesson_progress()["cloze"]
        assert (progress.step, progress.steps_total, progress.score) == (2, 4, 0.5)
        assert store.lab_runs()[0]["curves"] == {"loss": [2.0, 1.0]}
        # Review items rebuilt from the old wrong answers.
        items = {i.blank: i for i in store.due_reviews(now=date(2024, 6, 1))}
        assert set(items) == {"2", "3"}
        assert (items["2"].ease, items["2"].due, items["2"].repetitions) == (2.3, "2024-01-05", 0)
        assert (items["3"].ease, items["3"].due) == (2.5, "2024-01-04")
        lapses = dict(store.db.execute("SELECT blank, lapses FROM review").fetchall())
        assert lapses == {"2": 2, "3": 1}
        # BERT's record inferred where the key is known, unknown otherwise.
        bert = [r[0] for r in store.db.execute("SELECT bert_correct FROM attempts ORDER BY id")]
        assert bert == [1, 1, 1, 1, None, 0]
        assert store.tally() == (2, 4)
        # And the upgraded database keeps working.
        store.record_attempt("cloze", "li-hua", "3", "an", True, bert_choice="an")
        assert store.tally() == (3, 5)


def test_interrupted_upgrade_leaves_the_old_schema(tmp_path, monkeypatch):
    path = tmp_path / "progress.db"
    make_v1(path)
    from tutor.progress import opening

    real_apply = opening.MIGRATIONS.apply

    def broken_apply(db):  # on the file: the first new migration runs, then the disk fails
        if db.conn.execute("PRAGMA database_list").fetchone()[2] == "":
            return real_apply(db)  # the in-memory fallback migrates normally
        db.execute("CREATE TABLE review (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(opening.MIGRATIONS, "apply", broken_apply)
    store = open_store(path)
    assert store.in_memory and "cannot write" in store.notice
    store.close()
    monkeypatch.undo()
    assert applied(path) == ["001_initial"]
    with Database(path) as db:
        assert "review" not in db.table_names()
    with open_store(path, profile="ana") as store:
        assert store.notice is None and store.tally() == (2, 4)


def test_sqlite_utils_cli_reads_the_database(tmp_path):
    path = tmp_path / "progress.db"
    with open_store(path) as store:
        store.record_attempt("l", "e", "", "x", False)
    done = subprocess.run([sys.executable, "-m", "sqlite_utils", "tables", str(path), "--counts"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    counts = {t["table"]: t["count"] for t in json.loads(done.stdout)}
    assert set(counts) == ALL_TABLES
    assert counts["attempts"] == 1 and counts["review"] == 1
