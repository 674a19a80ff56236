"""Faults: corrupt files, unwritable places, locks, concurrent writers and a killed writer."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tutor.progress import open_store
from tutor.progress import opening

REPO = Path(__file__).resolve().parents[2]

WRITER = """
import sys
from tutor.progress import open_store
store = open_store(sys.argv[1], profile=sys.argv[2])
limit = int(sys.argv[3])
n = 0
while limit == 0 or n < limit:
    n += 1
    i = store.record_attempt("l%d" % (n % 3), "e%d" % (n % 7), str(n % 4), "x" * (n % 50),
                             n % 2 == 0, bert_choice="x", seconds=0.5)
    store.set_lesson_progress("l%d" % (n % 3), step=n, steps_total=1000000)
    print(i, flush=True)
"""


def writer(path: Path, profile: str, limit: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), profile, str(limit)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_corrupt_file_is_moved_aside_and_replaced(tmp_path):
    path = tmp_path / "my-progress.sqlite"
    garbage = b"this is not sqlite\x00" + bytes(range(256)) * 20
    path.write_bytes(garbage)
    (tmp_path / "my-progress.sqlite-wal").write_bytes(b"stale wal")
    with open_store(path) as store:
        assert store.notice and "corrupt" in store.notice
        assert store.path == path and not store.in_memory
        (original,) = tmp_path.glob("my-progress.sqlite.corrupt-*[0-9]")
        assert original.read_bytes() == garbage and str(original) in store.notice
        live_wal = tmp_path / "my-progress.sqlite-wal"  # the stale WAL must not reach the new file
        assert not live_wal.exists() or not live_wal.read_bytes().startswith(b"stale")
        store.record_attempt("l", "e", "", "x", True)
        assert store.tally() == (1, 0)
    assert integrity(path) == "ok"
    with open_store(path) as again:
        assert again.notice is None and again.tally() == (1, 0)


@pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges there")
def test_corrupt_file_behind_a_symlink_is_moved_in_its_real_folder(tmp_path):
    real = tmp_path / "synced" / "real.db"
    real.parent.mkdir()
    real.write_bytes(b"garbage" * 100)
    link = tmp_path / "progress.db"
    link.symlink_to(real)
    with open_store(link) as store:
        assert "corrupt" in store.notice
        store.record_attempt("l", "e", "", "x", True)
    assert link.is_symlink() and len(list(real.parent.glob("real.db.corrupt-*"))) == 1
    assert integrity(real) == "ok"


def test_damaged_pages_count_as_corrupt(tmp_path):
    path = tmp_path / "progress.db"
    with open_store(path) as store:
        for i in range(200):
            store.record_attempt(f"lesson-{i % 5}", "ex", "1", "answer text " * 5, i % 2 == 0)
    with open(path, "r+b") as f:  # trash one page in the middle of the file
        f.seek(4096 * 3)
        f.write(bytes(range(256)) * 16)
    with open_store(path) as store:  # page 4 holds an index here: every row is rescued
        assert "corrupt" in store.notice and "recovered 200 answers" in store.notice
        assert store.tally() == (100, 0)
    assert len(list(tmp_path.glob("progress.db.corrupt-*"))) == 1


def test_rows_on_intact_pages_are_salvaged_row_by_row(tmp_path):
    path = tmp_path / "progress.db"
    with open_store(path, profile="ana") as store:
        store.set_lesson_progress("l0", step=3, steps_total=9, score=0.5)
        for i in range(300):
            store.record_attempt(f"l{i % 5}", "ex", str(i), "answer text " * 5, i % 2 == 0)
        store.save_lab_run("finetune", {"lr": 1}, {"loss": [1.0]}, {}, 2.0)
    conn = sqlite3.connect(path)
    leaves = conn.execute("SELECT pageno, ncell FROM dbstat WHERE name = 'attempts' AND pagetype = 'leaf'"
                          " ORDER BY pageno").fetchall()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    lost_ids = {row[0] for row in conn.execute("SELECT id FROM attempts")}
    conn.close()
    smashed, cells = leaves[2]
    with open(path, "r+b") as f:
        f.seek(page_size * (smashed - 1))
        f.write(b"\xff" * page_size)
    with open_store(path, profile="ana") as store:
        kept = 300 - cells
        assert f"recovered {kept} answers, 1 lesson record, 150 review items and 1 lab run" in store.notice
        saved = {row[0] for row in store.db.execute("SELECT id FROM attempts")}
        assert len(saved) == kept and saved < lost_ids  # the same rows, ids kept
        assert store.lesson_progress()["l0"].step == 3 and store.lab_runs()[0]["params"] == {"lr": 1}
        assert store.profiles() == ["ana"]
    assert integrity(path) == "ok"


def test_a_file_that_is_not_sqlite_has_nothing_to_salvage(tmp_path):
    path = tmp_path / "progress.db"
    path.write_bytes(b"not a database" * 100)
    with open_store(path) as store:
        assert store.notice.endswith("started a fresh one; nothing in it could be recovered")


def test_path_under_a_file_falls_back_to_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with open_store(blocker / "sub" / "progress.db") as store:
        assert store.in_memory and store.path is None
        assert "cannot write" in store.notice and "progress will not be saved" in store.notice
        store.record_attempt("l", "e", "", "x", False)
        store.set_lesson_progress("l", step=1, steps_total=2)
        assert store.tally() == (0, 0) and len(store.stats()) == 1
    assert blocker.read_text() == "x"


def test_path_that_is_a_folder_falls_back_to_memory(tmp_path):
    with open_store(tmp_path) as store:
        assert store.in_memory and "folder" in store.notice


def test_unwritable_file_is_shown_from_a_memory_copy(tmp_path, monkeypatch):
    path = tmp_path / "progress.db"
    with open_store(path, profile="ana") as store:
        store.record_attempt("l", "e", "", "x", True)

    def readonly(p):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(opening, "_open_file", readonly)  # works the same when run as root
    with open_store(path, profile="ana") as store:
        assert store.in_memory and "not be saved" in store.notice and "showing" in store.notice
        assert store.tally() == (1, 0)
        store.record_attempt("l", "e", "", "x", True)
        assert store.tally() == (2, 0)
    monkeypatch.undo()
    with open_store(path, profile="ana") as store:
        assert store.notice is None and store.tally() == (1, 0)


def test_two_processes_write_at_once(tmp_path):
    path = tmp_path / "progress.db"
    procs = [writer(path, name, limit=40) for name in ("ana", "bo")]  # both create + migrate
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    ids = [int(line) for out, _ in outs for line in out.split()]
    assert len(ids) == len(set(ids)) == 80
    with open_store(path, profile="ana") as ana, open_store(path, profile="bo") as bo:
        assert ana.tally()[0] == bo.tally()[0] == 20
    assert integrity(path) == "ok"


def test_two_threads_with_their_own_stores(tmp_path):
    path = tmp_path / "progress.db"
    errors: list[BaseException] = []

    def work(profile: str) -> None:
        try:
            with open_store(path, profile=profile) as s:
                for i in range(30):
                    s.record_attempt("l", "e", str(i), "x", True)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(p,)) for p in ("ana", "bo")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    with open_store(path, profile="bo") as s:
        assert s.tally() == (30, 0)
        assert s.db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 60


def test_sigkill_mid_write_loses_nothing_reported(tmp_path):
    path = tmp_path / "progress.db"
    rng = random.Random(1234)
    reported: list[int] = []
    for round_no in range(8):
        proc = writer(path, "killme")
        if round_no == 0:
            time.sleep(0.15)  # likely while opening / migrating the new file
        else:
            for _ in range(rng.randint(1, 25)):
                line = proc.stdout.readline()
                if not line:
                    break
                reported.append(int(line))
        proc.send_signal(signal.SIGKILL)
        rest, _ = proc.communicate(timeout=30)
        reported += [int(line) for line in rest.split()]  # flushed before the kill: committed
        assert proc.returncode == -signal.SIGKILL
    assert integrity(path) == "ok"
    conn = sqlite3.connect(path)
    saved = {row[0] for row in conn.execute("SELECT id FROM attempts")}
    conn.close()
    assert reported and set(reported) <= saved
    with open_store(path, profile="killme") as store:
        assert store.notice is None
        assert sum(r["attempts"] for r in store.stats()) == len(saved)
