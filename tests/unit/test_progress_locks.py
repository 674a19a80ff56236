"""Another program holding progress.db's lock: no hang at start, no frozen UI, no lost answer."""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tutor.progress import delayed, open_store, opening, store as store_module

REPO = Path(__file__).resolve().parents[2]
HANG = 60  # seconds: only a hang gets near this (a liveness bound, not a timing claim)


def make_db(path: Path, profile: str = "ana") -> None:
    with open_store(path, profile=profile) as store:
        store.record_attempt("l", "e", "", "old", True)


def exclusive_lock(path: Path) -> sqlite3.Connection:
    """What a tool using ``PRAGMA locking_mode=EXCLUSIVE`` does: even readers are shut out."""
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("PRAGMA locking_mode = EXCLUSIVE")
    blocker.execute("BEGIN EXCLUSIVE")
    blocker.execute("INSERT INTO profiles (name, created) VALUES ('blocker', 'now')")
    return blocker


def write_lock(path: Path) -> sqlite3.Connection:
    """An ordinary long write transaction in another program (readers still read)."""
    blocker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    return blocker


def in_thread(action):
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = action()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(HANG)
    assert not thread.is_alive(), "hung"
    if "error" in box:
        raise box["error"]
    return box["value"]


def file_attempts(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT answer FROM attempts ORDER BY id")]
    finally:
        conn.close()


@pytest.fixture
def quick(monkeypatch):
    monkeypatch.setattr(opening, "BUSY_TIMEOUT_S", 0.05)
    monkeypatch.setattr(opening, "COPY_WAIT_S", 0.1)
    monkeypatch.setattr(delayed, "FLUSH_WAIT_S", 0.05)
    monkeypatch.setattr(delayed, "CLOSE_WAIT_S", 0.3)
    monkeypatch.setattr(store_module, "BACKGROUND_WAIT_S", 0.05)


def test_exclusive_lock_does_not_hang_start_up(tmp_path, quick):
    path = tmp_path / "progress.db"
    make_db(path)
    blocker = exclusive_lock(path)
    try:
        store = in_thread(lambda: open_store(path, profile="ana"))
        assert store.in_memory and "locked by another program" in store.notice
        assert "not be saved" in store.notice
        store.record_attempt("l", "e", "", "x", True)  # usable, from memory
        store.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()


def test_progress_json_with_an_exclusive_lock_answers(tmp_path):
    path = tmp_path / "progress.db"
    make_db(path)
    blocker = exclusive_lock(path)
    env = {**os.environ, "BERT_TUTOR_DB": str(path), "PYTHONPATH": str(REPO)}
    try:
        result = subprocess.run([sys.executable, "-m", "tutor.cli", "progress", "--json"], cwd=REPO,
                                env=env, capture_output=True, text=True, timeout=HANG)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["db"] is None
    assert "locked by another program" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_write_lock_queues_writes_that_reads_see_and_saves_them_later(tmp_path, quick):
    path = tmp_path / "progress.db"
    make_db(path)
    store = open_store(path, profile="ana")
    blocker = write_lock(path)
    try:
        in_thread(lambda: store.record_attempt("l", "e", "", "new", False))
        item = store.review_result(("l", "e", ""), True)
        store.set_lesson_progress("l", step=2, steps_total=3)
        assert store.saving_delayed
        # read-your-writes: the old answer and the queued one
        assert [(r["attempts"], r["correct"]) for r in store.stats()] == [(2, 1)]
        assert store.lesson_progress()["l"].step == 2
        assert [r.key for r in store.due_reviews()] == [] and item.repetitions == 1
        (news,) = store.take_messages()  # said once, however many writes wait
        assert "Saving progress is delayed" in news and "locked by another program" in news
        assert file_attempts(path) == ["old"]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    deadline = time.monotonic() + HANG
    while store.saving_delayed and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not store.saving_delayed
    assert file_attempts(path) == ["old", "new"]
    assert store.take_messages() == ["Delayed progress saved (3 record(s))."]
    store.close()
    with open_store(path, profile="ana") as again:
        assert again.lesson_progress()["l"].step == 2 and again.tally() == (1, 0)
        assert again.due_reviews(now=None) == [] and not list(tmp_path.glob("*.pending-*"))


def test_the_ui_thread_never_waits_out_the_background_wait(tmp_path, monkeypatch):
    """On a thread running an event loop (Textual's UI thread) a write queues after
    WRITE_WAIT_S; were it to wait BACKGROUND_WAIT_S (set past the hang bound) it would hang."""
    import asyncio

    monkeypatch.setattr(store_module, "BACKGROUND_WAIT_S", HANG * 2)
    monkeypatch.setattr(delayed, "CLOSE_WAIT_S", 0.1)
    path = tmp_path / "progress.db"
    make_db(path)
    store = open_store(path, profile="ana")
    blocker = write_lock(path)

    async def answer_on_the_ui_thread() -> bool:
        store.record_attempt("l", "e", "", "from the UI", True)
        return store.saving_delayed

    try:
        assert in_thread(lambda: asyncio.run(answer_on_the_ui_thread()))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    store.close()
    assert file_attempts(path) == ["old", "from the UI"]


def test_a_lock_that_outlasts_the_session_is_saved_next_time(tmp_path, quick):
    path = tmp_path / "progress.db"
    make_db(path)
    blocker = write_lock(path)
    try:
        store = open_store(path, profile="ana")
        store.record_attempt("l", "e", "", "kept", True)
        store.close()  # gives up after CLOSE_WAIT_S
        assert "kept in" in store.take_messages()[-1]
        assert file_attempts(path) == ["old"]
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with open_store(path, profile="bo") as other:  # another profile leaves it alone
        assert other.take_messages() == []
    (side,) = tmp_path.glob("progress.db.pending-*.json")
    # this process is alive, so the side file counts as another store's; pretend it ended
    side.rename(side.with_name("progress.db.pending-999999999-1.json"))
    from click.testing import CliRunner

    from tutor.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(path), "--profile", "ana", "progress", "--json"])
    assert result.stderr == "bert-tutor: Saved 1 progress record(s) left unsaved by an earlier session.\n"
    assert json.loads(result.stdout)["tally"]["you"] == 2
    assert file_attempts(path) == ["old", "kept"] and not list(tmp_path.glob("*.pending-*"))
    with open_store(path, profile="ana") as store:  # saved once, not again
        assert store.take_messages() == [] and store.tally() == (2, 0)


KILLED = """
import os, sys
from tutor.progress import open_store
store = open_store(sys.argv[1], profile="ana")
for n in range(3):
    store.record_attempt("l", "e", "", "answer %d" % n, True)
print(store.saving_delayed, flush=True)
os._exit(0)  # like a kill: no close, no flush
"""


def test_a_killed_process_loses_no_queued_answer(tmp_path):
    path = tmp_path / "progress.db"
    make_db(path)
    blocker = write_lock(path)
    try:
        result = subprocess.run([sys.executable, "-c", KILLED, str(path)], cwd=REPO, capture_output=True,
                                text=True, timeout=HANG, env={**os.environ, "PYTHONPATH": str(REPO)})
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert result.stdout.strip() == "True", result.stderr
    with open_store(path, profile="ana") as store:
        assert store.tally() == (4, 0)
    assert file_attempts(path) == ["old", "answer 0", "answer 1", "answer 2"]
