"""Writes that cannot wait: what the store does while another program holds the write lock.

The TUI saves each answer from its UI thread, so a write must return at once. When the file
is busy, the store hands the write here: it runs immediately on an in-memory copy of the
database (the caller gets its result, and every read until the queue drains uses that copy),
is appended to a queue, and a daemon thread saves the queue to the file in order, each try
bounded by ``FLUSH_WAIT_S``. The queue is mirrored in a side file next to the database, so
neither a lock that outlasts the session nor a killed process loses an answer: the next
open of the same profile saves what a finished process left behind.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable

from tutor.i18n import _
from tutor.progress.opening import copy_database, error_kind, memory_database

FLUSH_WAIT_S = 2.0   # one background try waits this long for the lock
CLOSE_WAIT_S = 5.0   # close() gives the queue this long before leaving it to the side file
COPY_WAIT_S = 1.0    # building the in-memory copy
MAX_BACKOFF_S = 2.0

Run = Callable[[sqlite3.Connection, str, dict], Any]
Op = tuple[str, dict]


class DelayedWrites:
    """The queue of one store; every method but the thread's runs under the store's lock."""

    _instances = 0

    def __init__(self, path: Path | None, run: Run, lock: threading.RLock,
                 say: Callable[[str], None], profile: str) -> None:
        self.path = path
        self.overlay: sqlite3.Connection | None = None
        self._run = run
        self._cond = threading.Condition(lock)
        self._say = say
        self._profile = profile
        self._queue: deque[Op] = deque()
        self._thread: threading.Thread | None = None
        self._closing_at: float | None = None
        self._saved = 0
        DelayedWrites._instances += 1
        self._side = None if path is None else \
            path.with_name(f"{path.name}.pending-{os.getpid()}-{DelayedWrites._instances}.json")

    @property
    def active(self) -> bool:
        return bool(self._queue)

    # -- the caller's side (under the store's lock) -------------------------------------------
    def start(self, source: sqlite3.Connection) -> None:
        """The file is busy: build the in-memory copy that stands in for it until the queue drains."""
        self.overlay = sqlite3.connect(":memory:", check_same_thread=False)
        name = self.path.name if self.path else _("the progress database")
        if copy_database(source, self.overlay, COPY_WAIT_S) is None:
            self._say(_("Saving progress is delayed: {name} is locked by another program. Your "
                        "answers are kept and will be saved as soon as it is free.").format(name=name))
            return
        self.overlay.close()  # even reading is locked: show this session's answers only
        self.overlay = memory_database().conn
        self._say(_("Saving progress is delayed: {name} is locked by another program, even for "
                    "reading. New answers are kept and saved when it is free; older progress "
                    "is not shown meanwhile.").format(name=name))

    def add(self, name: str, params: dict) -> Any:
        assert self.overlay is not None
        result = self._run(self.overlay, name, params)
        self._queue.append((name, params))
        self._mirror()
        if self._thread is None:
            self._saved = 0
            self._thread = threading.Thread(target=self._save_loop, name="progress-saver", daemon=True)
            self._thread.start()
        return result

    def claim_leftovers(self) -> tuple[list[Op], list[Path]]:
        """What finished processes of this profile could not save (their side files), each
        file renamed first so that no other bert-tutor takes it too; the caller writes the
        ops, then deletes the returned files."""
        ops: list[Op] = []
        claimed: list[Path] = []
        if self.path is None:
            return ops, claimed
        for side in sorted(self.path.parent.glob(f"{self.path.name}.pending-*.json")):
            if not _alive_owner(side):
                taken = _claim(side, self._profile, ops)
                if taken is not None:
                    claimed.append(taken)
        return ops, claimed

    def close(self) -> None:
        """Let the saver try until ``CLOSE_WAIT_S`` has passed, then stop it."""
        with self._cond:
            self._closing_at = time.monotonic() + CLOSE_WAIT_S
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(CLOSE_WAIT_S + FLUSH_WAIT_S + 5)  # each of its waits is bounded
        with self._cond:
            if self._queue:
                self._say(_("{n} progress record(s) could not be saved yet; they are kept in {path} and saved "
                            "the next time this profile opens.").format(n=len(self._queue), path=self._side))
            if self.overlay is not None:
                self.overlay.close()
                self.overlay = None

    # -- the saver thread -------------------------------------------------------------------
    def _save_loop(self) -> None:
        conn: sqlite3.Connection | None = None
        backoff = 0.05
        told: set[str] = set()
        try:
            while True:
                with self._cond:
                    if not self._queue or (self._closing_at and time.monotonic() > self._closing_at):
                        self._thread = None
                        self._finish()
                        return
                    name, params = self._queue[0]
                try:
                    conn = conn or self._connect()
                    self._run(conn, name, params)
                except sqlite3.Error as exc:
                    reason = str(exc)
                    if error_kind(exc) != "busy" and reason not in told:
                        told.add(reason)
                        self._say(_("Progress is still not saved ({reason}); bert-tutor keeps trying.")
                                  .format(reason=reason))
                    with self._cond:
                        self._cond.wait(backoff)  # close() wakes it for a last round of tries
                    backoff = min(backoff * 2, MAX_BACKOFF_S)
                    continue
                backoff = 0.05
                with self._cond:
                    self._queue.popleft()
                    self._saved += 1
                    self._mirror()
        finally:
            if conn is not None:
                conn.close()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), timeout=FLUSH_WAIT_S, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(FLUSH_WAIT_S * 1000)}")
        conn.execute("PRAGMA synchronous = FULL")
        return conn

    def _finish(self) -> None:
        if self._queue:
            return  # closing with writes left: they stay in the side file
        if self.overlay is not None:
            self.overlay.close()
            self.overlay = None
        if self._saved:
            self._say(_("Delayed progress saved ({n} record(s)).").format(n=self._saved))

    def _mirror(self) -> None:
        """Keep the side file equal to the queue (written whole, then renamed into place)."""
        assert self._side is not None
        if not self._queue:
            self._side.unlink(missing_ok=True)
            return
        data = {"profile": self._profile, "ops": [[name, params] for name, params in self._queue]}
        temporary = self._side.with_suffix(".tmp")
        try:
            temporary.write_text(json.dumps(data), encoding="utf-8")
            os.replace(temporary, self._side)
        except OSError as exc:  # the queue in memory still holds them
            self._say(_("Could not keep unsaved progress in {path}: {error}").format(
                path=self._side, error=exc.strerror or exc))


def _alive_owner(side: Path) -> bool:
    """Whether the process that wrote ``side`` (``…pending-<pid>-<n>.json``) still runs."""
    try:
        pid = int(side.name.rsplit(".pending-", 1)[1].split("-")[0])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True  # another store in this process owns it
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, but not ours to signal
    return True


def _claim(side: Path, profile: str, ops: list[Op]) -> Path | None:
    """Move a dead process's side file of this profile aside and read it into ``ops``;
    files of other profiles are left for them."""
    try:
        data = json.loads(side.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("profile") != profile:
        return None
    taken = side.with_suffix(".claimed")
    try:
        os.replace(side, taken)
    except OSError:
        return None
    ops.extend((str(name), dict(params)) for name, params in data.get("ops", []))
    return taken
