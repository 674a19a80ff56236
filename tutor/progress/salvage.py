"""Rescue what still reads from a damaged progress.db before the learner starts over.

A smashed page usually takes a few rows with it, not the whole file. So, table by table, the
rowids are walked (stepping over pages that fail to read), then each row is read on its own;
whatever reads is copied into the fresh database. Review items lost with their page are
rebuilt from the wrong answers that survived, as migration 002 builds them for old files.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterator

from sqlite_utils import Database

from tutor.i18n import _, ngettext
from tutor.progress.schema import BACKFILL_REVIEW, expected_tables

FIRST = -(2 ** 63)
LAST = 2 ** 63 - 1
WHAT = {"attempts": lambda n: ngettext("{n} answer", "{n} answers", n),
        "lessons": lambda n: ngettext("{n} lesson record", "{n} lesson records", n),
        "review": lambda n: ngettext("{n} review item", "{n} review items", n),
        "lab_runs": lambda n: ngettext("{n} lab run", "{n} lab runs", n)}  # rows copied, in words


def salvage(damaged: Path, db: Database) -> dict[str, int]:
    """Copy every readable row of ``damaged`` into ``db`` (a fresh, migrated progress
    database); returns the rows copied per table."""
    # Its moved WAL may hold the newest pages (mode=ro reads it); without one, immutable=1
    # reads the file alone and leaves no -shm beside it.
    wal = damaged.with_name(damaged.name + "-wal").exists()
    try:
        source = sqlite3.connect(f"{damaged.resolve().as_uri()}?{'mode=ro' if wal else 'immutable=1'}",
                                 uri=True, timeout=1.0)
    except (sqlite3.Error, OSError, ValueError):
        return {}
    copied: dict[str, int] = {}
    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        for table, ours in expected_tables().items():
            copied[table] = _copy_table(source, conn, table, ours)
        for table in ("attempts", "lessons"):  # the profiles table may be the page that broke
            conn.execute(f"INSERT OR IGNORE INTO profiles (name, created) SELECT profile, MIN(COALESCE("
                         f"{'at' if table == 'attempts' else 'started'}, '')) FROM {table} GROUP BY profile")
        before = conn.execute("SELECT COUNT(*) FROM review").fetchone()[0]
        conn.execute(BACKFILL_REVIEW.replace("INSERT INTO", "INSERT OR IGNORE INTO", 1))
        copied["review"] = copied.get("review", 0) + conn.execute(
            "SELECT COUNT(*) FROM review").fetchone()[0] - before
        conn.execute("COMMIT")
    except sqlite3.Error:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        return {}
    finally:
        source.close()
    return copied


def describe(copied: dict[str, int]) -> str:
    """'recovered 9 answers, 1 lesson record and 2 review items' (or that nothing was)."""
    parts = [WHAT[t](copied[t]).format(n=copied[t]) for t in WHAT if copied.get(t)]
    if not parts:
        return _("nothing in it could be recovered")
    listed = parts[0] if len(parts) == 1 else _("{first} and {last}").format(first=_(", ").join(parts[:-1]),
                                                                            last=parts[-1])
    return _("recovered {what} from it").format(what=listed)


def _copy_table(source: sqlite3.Connection, target: sqlite3.Connection, table: str,
                ours: tuple[str, ...]) -> int:
    try:
        theirs = {row[1] for row in source.execute(f'PRAGMA table_info("{table}")')}
    except sqlite3.DatabaseError:
        return 0
    columns = [c for c in ours if c in theirs]
    if not columns:
        return 0
    names = ", ".join(f'"{c}"' for c in columns)
    select = f'SELECT {names} FROM "{table}" WHERE rowid = ?'
    insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    copied = 0
    for rowid in _rowids(source, table):
        try:
            row = source.execute(select, (rowid,)).fetchone()
        except sqlite3.DatabaseError:
            continue  # this row's overflow page is gone; its neighbours may not be
        if row is not None:
            copied += target.execute(insert, row).rowcount
    return copied


def _rowids(source: sqlite3.Connection, table: str) -> Iterator[int]:
    """Every rowid whose b-tree path still reads, in order, stepping over broken pages."""
    after = FIRST
    scan = f'SELECT rowid FROM "{table}" WHERE rowid > ? ORDER BY rowid'
    while True:
        try:
            for (rowid,) in source.execute(scan, (after,)):
                yield rowid
                after = rowid
            return
        except sqlite3.DatabaseError:
            resume = _next_readable(source, table, after)
            if resume is None:
                return
            yield resume  # a seek reaches it even where a scan through it fails: go past it
            after = resume


def _next_readable(source: sqlite3.Connection, table: str, after: int) -> int | None:
    """The first rowid past ``after`` that a seek can reach: probe ever further (1, 2, 4…
    rowids on), then close in on the first probe that reads (binary search)."""
    probe_sql = f'SELECT rowid FROM "{table}" WHERE rowid >= ? ORDER BY rowid LIMIT 1'

    def probe(start: int) -> tuple[bool, int | None]:
        try:
            row = source.execute(probe_sql, (start,)).fetchone()
        except sqlite3.DatabaseError:
            return False, None
        return True, None if row is None else row[0]

    step, failed = 1, after
    while True:
        start = after + step
        if start > LAST:
            return None
        readable, found = probe(start)
        if readable:
            break
        failed, step = start, step * 2
    while start - failed > 1:
        middle = (failed + start) // 2
        readable, maybe = probe(middle)
        if readable:
            start, found = middle, maybe
        else:
            failed = middle
    return found
