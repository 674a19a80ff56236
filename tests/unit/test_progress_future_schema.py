"""A progress.db from a newer bert-tutor (or edited by hand): one clear line, the file untouched."""
from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from tutor.cli import cli
from tutor.progress import open_store


def make_store(path: Path) -> None:
    with open_store(path, profile="ana") as store:
        store.record_attempt("cloze", "e", "", "x", True)
        store.set_lesson_progress("cloze", step=1, steps_total=2)


def alter(path: Path, *statements: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for sql in statements:
            conn.execute(sql)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


FUTURES = {
    "newer migration, renamed table": ([
        "ALTER TABLE lessons RENAME TO lesson_state",
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('bert-tutor-progress', '004_rename_lessons', '2030-01-01')",
        "PRAGMA user_version = 4"], "migration '004_rename_lessons' is unknown here"),
    "schema version ahead": (["PRAGMA user_version = 99"], "schema version 99"),
    "table renamed by hand": (["ALTER TABLE attempts RENAME TO answers"], "no table 'attempts'"),
    "new NOT NULL column": ([
        "ALTER TABLE attempts RENAME TO old_attempts",
        "CREATE TABLE attempts (id INTEGER PRIMARY KEY, profile TEXT NOT NULL, lesson_id TEXT NOT NULL,"
        " exercise_id TEXT NOT NULL, blank TEXT NOT NULL DEFAULT '', answer TEXT, correct INTEGER NOT NULL,"
        " bert_choice TEXT, bert_probability REAL, hints_used INTEGER NOT NULL DEFAULT 0, seconds REAL,"
        " at TEXT NOT NULL, bert_correct INTEGER, device TEXT NOT NULL)",
        "INSERT INTO attempts SELECT *, 'laptop' FROM old_attempts",
        "DROP TABLE old_attempts"], "new column 'device'"),
}


@pytest.mark.parametrize("name", FUTURES)
def test_future_schema_is_one_line_and_the_file_is_untouched(tmp_path, name):
    statements, why = FUTURES[name]
    path = tmp_path / "progress.db"
    make_store(path)
    alter(path, *statements)
    before = fingerprint(tmp_path)
    with open_store(path, profile="ana") as store:
        assert store.in_memory and why in store.notice and "\n" not in store.notice
        assert "left untouched" in store.notice and "not be saved" in store.notice
        store.record_attempt("cloze", "e", "", "y", True)  # the app still works, from memory
        assert store.tally() == (1, 0)
    assert fingerprint(tmp_path) == before


@pytest.mark.parametrize("name", FUTURES)
def test_progress_command_says_one_line(tmp_path, name):
    path = tmp_path / "progress.db"
    make_store(path)
    alter(path, *FUTURES[name][0])
    for args in (["progress", "--json"], ["progress"]):
        result = CliRunner().invoke(cli, ["--db", str(path), "--profile", "ana", *args])
        assert result.exit_code == 0, result.output
        assert result.stderr.count("\n") == 1 and FUTURES[name][1] in result.stderr
    assert json.loads(CliRunner().invoke(cli, ["--db", str(path), "progress", "--json"]).stdout)["db"] is None


async def test_the_tui_starts_and_shows_the_line(tmp_path):
    from textual.widgets._toast import Toast

    from tests.app.fake_engine import FakeEngine
    from tutor.app import make_app

    path = tmp_path / "progress.db"
    make_store(path)
    alter(path, *FUTURES["new NOT NULL column"][0])
    before = fingerprint(tmp_path)
    app = make_app(db_path=str(path), profile="ana", engine_factory=lambda model: FakeEngine())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen.__class__.__name__ == "HomeScreen"
        shown = " ".join(n.message for n in app._notifications)  # what the toasts show
        assert "new column 'device'" in shown and "not be saved" in shown
        app.store.close()
    assert fingerprint(tmp_path) == before
