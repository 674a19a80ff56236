"""Find, open and migrate progress.db, turning every file-level fault into a notice.

A tutor must start even when its database cannot be used, so nothing here raises for
an environment problem: a corrupt file is moved aside and replaced by a fresh one; a
location that cannot be written (or a database another program keeps locked) falls back
to an in-memory database, seeded read-only from the file when it can be read, so the
learner still sees their progress but is told it will not be saved.
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from tutor.i18n import _
from tutor.progress.salvage import describe, salvage
from tutor.progress.schema import MIGRATIONS, UnknownSchema, check_known, check_tables, schema_version

ENV_DB = "BERT_TUTOR_DB"
APP_NAME = "bert-tutor"
DB_NAME = "progress.db"
BUSY_TIMEOUT_S = 1.0  # each open try waits this long for another program's lock
OPEN_TRIES = 3       # so a locked file costs start-up about 3.6 s, then we run from memory
COPY_WAIT_S = 1.0    # reading a file that is locked even for readers gives up after this


def default_db_path() -> Path:
    """``$BERT_TUTOR_DB`` if set, else ``<user data dir>/bert-tutor/progress.db``."""
    override = os.environ.get(ENV_DB)
    if override:
        return Path(override).expanduser()
    import platformdirs  # small, but only needed here

    return Path(platformdirs.user_data_dir(APP_NAME)) / DB_NAME


@dataclass
class Opened:
    db: Database
    path: Path | None  # None when the data lives only in memory
    notice: str | None = None


class CorruptDatabase(sqlite3.DatabaseError):
    """``PRAGMA quick_check`` found damage the open itself did not trip over."""


def error_kind(exc: BaseException) -> str:
    """'busy', 'corrupt' or 'other' for an sqlite3 error (message fallback for Python 3.10)."""
    if isinstance(exc, CorruptDatabase):
        return "corrupt"
    name = getattr(exc, "sqlite_errorname", "") or ""
    message = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in message or "busy" in message:
        return "busy"
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")) or "not a database" in message \
            or "malformed" in message:
        return "corrupt"
    return "other"


def open_database(path: Path | str) -> Opened:
    """Open (creating and migrating as needed) the database at ``path``; never raises for
    a corrupt, locked or unwritable file."""
    if str(path) == ":memory:":
        return Opened(_memory_db(None), None)
    path = Path(path).expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        blocker = next((p for p in path.parents if p.exists()), None)
        if blocker is not None and not blocker.is_dir():
            return _fallback(path, _("{path} is a file, not a folder").format(path=blocker))
        return _fallback(path, _reason(exc))
    if path.is_dir():
        return _fallback(path, _("that is a folder"))
    error: sqlite3.Error | None = None
    for attempt in range(OPEN_TRIES):
        try:
            return Opened(_open_file(path), path)
        except UnknownSchema as exc:
            return Opened(memory_database(), None, _("cannot use {path}: {error}; the file is left untouched "
                                                     "and progress will not be saved").format(path=path, error=exc))
        except ReadOnlyFile:
            return _fallback(path, _("the file is read-only"))
        except sqlite3.Error as exc:
            error = exc
            if error_kind(exc) != "busy":
                break
            time.sleep(0.1 * (attempt + 1))
    assert error is not None
    kind = error_kind(error)
    if kind == "busy":
        return _fallback(path, _("it is locked by another program"))
    if kind != "corrupt":
        denied = not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK))
        return _fallback(path, _("no permission to write there") if denied else _reason(error))
    damaged: Path | None = None
    try:
        damaged = move_aside(path)
        moved = _("moved to {path}").format(path=damaged)
    except FileNotFoundError:  # another bert-tutor found it corrupt at the same moment
        moved = _("already moved aside")
    except OSError as exc:
        return _fallback(path, _("it is corrupt and could not be moved: {error}").format(error=_reason(exc)),
                         seed=False)
    try:
        db = _open_file(path)
    except (sqlite3.Error, UnknownSchema) as exc:
        return _fallback(path, _("it was corrupt and a fresh one failed: {error}").format(error=_reason(exc)),
                         seed=False)
    notice = _("progress DB was corrupt ({error}); {moved}; started a fresh one").format(error=error, moved=moved)
    rescued = f"; {describe(salvage(damaged, db))}" if damaged is not None else ""
    return Opened(db, path, notice + rescued)


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm) to ``<name>.corrupt-<timestamp>``
    in the same folder; a symlink is followed, so the link keeps pointing at the new file."""
    path = path.resolve()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    os.replace(path, target)
    # A stale WAL would be replayed into the fresh file, so it goes with its database.
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    return target


def migrate(db: Database) -> None:
    """Apply pending migrations inside one write-locked transaction (all or nothing)."""
    if not MIGRATIONS.pending(db):
        return
    db.conn.execute("BEGIN IMMEDIATE")  # serialises racing first opens; re-checked below
    try:
        MIGRATIONS.apply(db)  # nested atomic() blocks become savepoints
        db.conn.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        raise


class ReadOnlyFile(Exception):
    """SQLite opened the file read-only (its permissions, a read-only mount)."""


def _connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` as SQLite does for us: read-write, or read-only when it may not write."""
    return sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, check_same_thread=False)


def _writable(conn: sqlite3.Connection) -> bool:
    """Ask SQLite itself (root ignores file modes, so ``os.access`` is no answer): a header
    write inside a transaction that is rolled back. A lock held elsewhere counts as writable:
    the saver deals with locks."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA user_version = {int(version)}")
        return True
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith("SQLITE_READONLY") or "readonly" in str(exc):
            return False
        if error_kind(exc) == "busy":
            return True
        raise
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")


def _open_file(path: Path) -> Database:
    conn = _connect(path)
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        check = [row[0] for row in conn.execute("PRAGMA quick_check")]  # NOTADB surfaces here
        if check != ["ok"]:
            raise CorruptDatabase("; ".join(str(c) for c in check[:3]))
        db = Database(conn, execute_plugins=False)
        check_known(db)  # a newer schema is left exactly as it is: nothing has written yet
        if not _writable(conn):
            raise ReadOnlyFile()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")  # each graded answer survives a power cut
        migrate(db)
        check_tables(db)
        if conn.execute("PRAGMA user_version").fetchone()[0] < schema_version():
            conn.execute(f"PRAGMA user_version = {schema_version()}")
        return db
    except BaseException:
        conn.close()
        raise


def memory_database() -> Database:
    """A fresh, migrated in-memory progress database."""
    return _memory_db(None)


def copy_database(source: sqlite3.Connection, target: sqlite3.Connection, wait_s: float) -> str | None:
    """Copy ``source`` into ``target``, giving up after ``wait_s`` of lock contention:
    None when copied, else why not ('busy' or 'other').

    ``Connection.backup`` alone retries a locked source forever (an EXCLUSIVE lock held by
    another program hung start-up); its progress callback is called after every step, so
    raising there once the deadline passes bounds the wait.
    """
    deadline = time.monotonic() + wait_s

    def give_up_when_late(status: int, remaining: int, total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise TimeoutError("the database stayed locked")

    try:
        source.backup(target, progress=give_up_when_late)
        return None
    except TimeoutError:
        return "busy"
    except sqlite3.Error as exc:
        return error_kind(exc)


def _memory_db(seed_from: Path | None) -> Database:
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    if seed_from is not None and not _copy_into(seed_from, conn):
        conn.close()
        return _memory_db(None)
    db = Database(conn, execute_plugins=False)
    try:
        if seed_from is not None:
            check_known(db)
        migrate(db)
        check_tables(db)
    except (sqlite3.Error, UnknownSchema):
        if seed_from is None:
            raise
        db.close()  # the copy is not a progress DB we can use: start empty
        return _memory_db(None)
    return db


def _copy_into(path: Path, target: sqlite3.Connection) -> bool:
    """Copy a database we may not write into ``target``. ``mode=ro`` sees a pending WAL but
    needs to create -shm; ``immutable=1`` works in a read-only folder (a cleanly closed
    store has no WAL left, so nothing is missed there). Bounded: a lock ends the copy."""
    for flags in ("mode=ro", "immutable=1"):
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=COPY_WAIT_S)
        except (sqlite3.Error, OSError, ValueError):
            continue
        try:
            why_not = copy_database(source, target, COPY_WAIT_S)
        finally:
            source.close()
        if why_not is None:
            return True
        if why_not == "busy":  # immutable=1 would ignore the lock and could read a torn file
            return False
    return False


def _fallback(path: Path, reason: str, *, seed: bool = True) -> Opened:
    db = _memory_db(path if seed and path.is_file() else None)
    if _has_rows(db):
        notice = _("cannot write {path} ({reason}); progress will not be saved (showing what it holds)")
    else:
        notice = _("cannot write {path} ({reason}); progress will not be saved")
    return Opened(db, None, notice.format(path=path, reason=reason))


def _has_rows(db: Database) -> bool:
    return bool(db.conn.execute("SELECT EXISTS (SELECT 1 FROM attempts UNION ALL "
                                "SELECT 1 FROM lessons)").fetchone()[0])


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
