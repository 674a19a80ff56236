"""ProgressStore: what one learner (profile) did, kept in SQLite.

Every write is its own short ``BEGIN IMMEDIATE`` transaction committed before the call
returns, so a graded answer survives the app being killed a moment later. The TUI writes
from its UI thread, so a write there never waits more than ``WRITE_WAIT_S`` for another
program's lock (elsewhere ``BACKGROUND_WAIT_S``): past that it is queued
(:mod:`tutor.progress.delayed`), applied at once to an in-memory copy that every later read uses, and saved by a background thread; ``take_messages`` says
so once. Reads need no lock in WAL mode. One ``RLock`` makes a store safe to share between
threads. Each write is a named ``_op_<name>`` with JSON-able parameters, so a queued write
can outlive the process in a side file.
"""
from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from datetime import date, datetime, time as dtime
from pathlib import Path
from typing import Any, Iterable

from sqlite_utils import Database

from tutor.errors import TutorError
from tutor.i18n import _
from tutor.progress import sm2
from tutor.progress.delayed import DelayedWrites
from tutor.progress.models import DONE, IN_PROGRESS, NOT_STARTED, STATUSES, LessonProgress, ReviewItem
from tutor.progress.opening import default_db_path, error_kind, open_database

DEFAULT_PROFILE = "default"
WRITE_WAIT_S = 0.25     # the longest the UI thread (a running event loop) waits for another program's lock
BACKGROUND_WAIT_S = 5.0  # other callers (the CLI, worker threads) may wait this long before queueing
Key = tuple[str, str, str]


class ProgressStore:
    """One profile's view of a progress database. Build it with :func:`open_store`."""

    def __init__(self, db: Database, *, profile: str | None = None, path: Path | None = None,
                 notice: str | None = None) -> None:
        self._db = db
        self._conn = db.conn
        self._lock = threading.RLock()
        self.profile = normalize_profile(profile)
        self.path = path  # None: in memory, nothing is saved
        self.notice = notice
        self._messages: list[str] = []
        self._delayed = DelayedWrites(path, self._run, self._lock, self._messages.append, self.profile)
        self._busy_wait = -1.0
        if path is not None:
            self._wait_at_most(WRITE_WAIT_S)  # reads too: only an EXCLUSIVE lock blocks them
            self._save_leftovers()

    def _save_leftovers(self) -> None:
        ops, claimed = self._delayed.claim_leftovers()
        failed = 0
        for name, params in ops:
            try:
                self._write(name, params)
            except (TutorError, sqlite3.Error, TypeError, ValueError, AttributeError):
                failed += 1  # a record this version cannot write: say so, drop it
        for side in claimed:
            side.unlink(missing_ok=True)
        if ops:
            kept, queued = len(ops) - failed, self._delayed.active
            if failed:
                message = (_("Queued {n} progress record(s) left unsaved by an earlier session; {failed} could "
                             "not be written and were dropped.") if queued else
                           _("Saved {n} progress record(s) left unsaved by an earlier session; {failed} could "
                             "not be written and were dropped."))
            else:
                message = (_("Queued {n} progress record(s) left unsaved by an earlier session.") if queued else
                           _("Saved {n} progress record(s) left unsaved by an earlier session."))
            self._messages.append(message.format(n=kept, failed=failed))

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def in_memory(self) -> bool:
        return self.path is None

    @property
    def db(self) -> Database:
        """The sqlite-utils Database, for tools and tests; the API below is the contract."""
        return self._db

    @property
    def saving_delayed(self) -> bool:
        """True while some writes wait for another program to release the database."""
        with self._lock:
            return self._delayed.active

    def take_messages(self) -> list[str]:
        """News about saving since the last call, each said once ("saving is delayed…",
        "delayed progress saved"); the UI shows them as notifications."""
        with self._lock:
            messages, self._messages[:] = list(self._messages), []
            return messages

    def close(self) -> None:
        """Save what is queued (waiting at most ``CLOSE_WAIT_S``), then close; anything
        still unsaved stays in a side file that the next open saves."""
        self._delayed.close()
        with self._lock:
            self._conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- attempts and review ---------------------------------------------------------------
    def record_attempt(self, lesson_id: str, exercise_id: str, blank: str, answer: str | None,
                       correct: bool, *, bert_choice: str | None = None,
                       bert_probability: float | None = None, bert_correct: bool | None = None,
                       hints_used: int = 0, seconds: float | None = None,
                       now: datetime | None = None) -> int:
        """Save one graded answer (committed before returning, or queued: see the module
        docstring) and return its id (provisional while saving is delayed).

        A wrong answer creates the blank's review item, or sends it back to the first
        learning step; a right answer after hints creates it if it is new. A clean
        correct one leaves the schedule alone: only :meth:`review_result` advances it, so a
        review session must call that *instead of* this method, not as well.
        ``bert_correct`` defaults to what can be inferred: BERT chose what the learner
        answered, so it is right iff the learner is; otherwise unknown (NULL).
        """
        key = _key((lesson_id, exercise_id, blank))
        if bert_correct is None and bert_choice is not None and answer is not None \
                and _same(bert_choice, answer):
            bert_correct = bool(correct)
        return self._write("attempt", {
            "key": list(key), "answer": answer, "correct": bool(correct), "bert_choice": bert_choice,
            "bert_probability": _float(bert_probability),
            "bert_correct": None if bert_correct is None else bool(bert_correct),
            "hints_used": int(hints_used), "seconds": _float(seconds), "at": _iso(_moment(now))})

    def _op_attempt(self, conn: sqlite3.Connection, *, key: list[str], answer: str | None,
                    correct: bool, bert_choice: str | None, bert_probability: float | None,
                    bert_correct: bool | None, hints_used: int, seconds: float | None, at: str) -> int:
        cursor = conn.execute(
            "INSERT INTO attempts (profile, lesson_id, exercise_id, blank, answer, correct,"
            " bert_choice, bert_probability, bert_correct, hints_used, seconds, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.profile, *key, answer, int(correct), bert_choice, bert_probability,
             None if bert_correct is None else int(bert_correct), hints_used, seconds, at))
        moment = datetime.fromisoformat(at)
        if not correct:
            self._apply(conn, _key(key), sm2.QUALITY_WRONG, moment)
        elif hints_used > 0:  # right only after a hint: practise it again this sitting
            self._apply(conn, _key(key), sm2.QUALITY_HINTED, moment, new_only=True)
        return int(cursor.lastrowid)

    def review_result(self, item_or_key: ReviewItem | Iterable[str], correct: bool, *,
                      hints_used: int = 0, now: datetime | None = None) -> ReviewItem:
        """Apply one review answer (SM-2) to the item and return its new state.

        ``item_or_key`` is a :class:`ReviewItem` or ``(lesson_id, exercise_id, blank)``; an
        item that no longer exists (reset meanwhile) is created rather than refused.
        """
        key = _key(item_or_key.key if isinstance(item_or_key, ReviewItem) else item_or_key)
        return self._write("review", {"key": list(key), "grade": sm2.quality(correct, hints_used),
                                      "at": _iso(_moment(now))})

    def _op_review(self, conn: sqlite3.Connection, *, key: list[str], grade: int, at: str) -> ReviewItem:
        return self._apply(conn, _key(key), grade, datetime.fromisoformat(at))

    def due_reviews(self, now: datetime | None = None) -> list[ReviewItem]:
        """Items due at ``now`` (learning steps to the minute, graduated items from the start
        of their day), the longest-waiting first."""
        rows = self._rows(
            "SELECT lesson_id, exercise_id, blank, ease, interval_days, repetitions, due"
            " FROM review WHERE profile = ? AND due <= ?"
            " ORDER BY due, lesson_id, exercise_id, blank",
            (self.profile, sm2.moment_key(_moment(now))))
        return [ReviewItem(**row) for row in rows]

    def review_outlook(self, now: datetime | None = None) -> dict[str, Any]:
        """How many review items are due now, how many later, and when the next one is.

        ``{"due_now": int, "due_later": int, "next_due": datetime | None}``; ``next_due`` is
        the earliest moment a not-yet-due item falls due (learning steps are minutes away).
        """
        now_key = sm2.moment_key(_moment(now))
        row = self._rows(
            "SELECT COALESCE(SUM(due <= ?), 0) AS due_now, COALESCE(SUM(due > ?), 0) AS due_later,"
            " MIN(CASE WHEN due > ? THEN due END) AS next_due FROM review WHERE profile = ?",
            (now_key, now_key, now_key, self.profile))[0]
        next_due = sm2.due_moment(row["next_due"]) if row["next_due"] else None
        return {"due_now": int(row["due_now"]), "due_later": int(row["due_later"]), "next_due": next_due}

    def reviews_by_lesson(self, now: datetime | None = None) -> dict[str, dict[str, int]]:
        """``{lesson_id: {"due_now": n, "due_later": m}}`` for every lesson with review items."""
        now_key = sm2.moment_key(_moment(now))
        return {row.pop("lesson_id"): row for row in self._rows(
            "SELECT lesson_id, SUM(due <= ?) AS due_now, SUM(due > ?) AS due_later FROM review"
            " WHERE profile = ? GROUP BY lesson_id", (now_key, now_key, self.profile))}

    def _apply(self, conn: sqlite3.Connection, key: Key, grade: int, moment: datetime, *,
               new_only: bool = False) -> ReviewItem:
        """Schedule one answer; ``new_only``: start learning steps only if the item is new."""
        row = conn.execute(
            "SELECT ease, repetitions, interval_days, due FROM review"
            " WHERE profile = ? AND lesson_id = ? AND exercise_id = ? AND blank = ?",
            (self.profile, *key)).fetchone()
        previous = sm2.Schedule(row[0], row[1], row[2]) if row else None
        if new_only and row:
            return ReviewItem(*key, ease=row[0], repetitions=row[1], interval_days=row[2], due=row[3])
        schedule = sm2.LEARNING if new_only else sm2.reviewed(previous, grade)
        due = sm2.due(moment, schedule)
        conn.execute(
            "INSERT INTO review (profile, lesson_id, exercise_id, blank, ease, repetitions,"
            " interval_days, due, lapses, last_reviewed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (profile, lesson_id, exercise_id, blank) DO UPDATE SET"
            " ease = excluded.ease, repetitions = excluded.repetitions,"
            " interval_days = excluded.interval_days, due = excluded.due,"
            " lapses = review.lapses + excluded.lapses, last_reviewed = excluded.last_reviewed",
            (self.profile, *key, schedule.ease, schedule.repetitions, schedule.interval_days,
             due, int(sm2.is_lapse(previous, grade)), _iso(moment)))
        return ReviewItem(*key, ease=schedule.ease, interval_days=schedule.interval_days,
                          repetitions=schedule.repetitions, due=due)

    # -- lessons ---------------------------------------------------------------------------
    def set_lesson_progress(self, lesson_id: str, *, step: int, steps_total: int,
                            status: str | None = None, score: float | None = None,
                            now: datetime | None = None) -> LessonProgress:
        """Record how far the learner got. The step reached and the status only move
        forward (not-started → in-progress → done) and the best score is kept; use
        :meth:`reset` to start a lesson over. ``done`` stamps ``finished`` once."""
        if status is not None and status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        if step < 0 or steps_total < 0:
            raise ValueError("step and steps_total must be >= 0")
        if score is not None and not 0.0 <= score <= 1.0:
            raise ValueError(f"score is a fraction between 0 and 1, not {score!r}")
        return self._write("lesson", {"lesson_id": str(lesson_id), "step": int(step),
                                      "steps_total": int(steps_total), "status": status,
                                      "score": _float(score), "at": _iso(_moment(now))})

    def _op_lesson(self, conn: sqlite3.Connection, *, lesson_id: str, step: int, steps_total: int,
                   status: str | None, score: float | None, at: str) -> LessonProgress:
        row = conn.execute(
            "SELECT step, status, score, started, finished FROM lessons"
            " WHERE profile = ? AND lesson_id = ?", (self.profile, lesson_id)).fetchone()
        old_step, old_status, old_score, started, finished = row or (0, NOT_STARTED, None, None, None)
        new_status = max(old_status, status or IN_PROGRESS, key=_status_rank)
        new_score = max((s for s in (old_score, score) if s is not None), default=None)
        if new_status != NOT_STARTED:
            started = started or at
        if new_status == DONE:
            finished = finished or at
        record = LessonProgress(lesson_id, max(old_step, step), steps_total, new_status, new_score,
                                started, finished)
        conn.execute(
            "INSERT OR REPLACE INTO lessons (profile, lesson_id, step, steps_total, status,"
            " score, started, finished, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.profile, lesson_id, record.step, record.steps_total, record.status,
             record.score, record.started, record.finished, at))
        return record

    def lesson_progress(self) -> dict[str, LessonProgress]:
        rows = self._rows(
            "SELECT lesson_id, step, steps_total, status, score, started, finished FROM lessons"
            " WHERE profile = ? ORDER BY lesson_id", (self.profile,))
        return {row["lesson_id"]: LessonProgress(**row) for row in rows}

    # -- labs --------------------------------------------------------------------------------
    def save_lab_run(self, kind: str, params: dict, curves: dict, accuracies: dict,
                     seconds: float, now: datetime | None = None) -> int:
        """Keep a fine-tuning/pretraining lab run (its settings, loss curves, accuracies)."""
        return self._write("lab_run", {"values": [
            str(kind), _dumps(params), _dumps(curves), _dumps(accuracies), _float(seconds),
            _iso(_moment(now))]})

    def _op_lab_run(self, conn: sqlite3.Connection, *, values: list) -> int:
        return int(conn.execute(
            "INSERT INTO lab_runs (profile, kind, params, curves, accuracies, seconds, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)", (self.profile, *values)).lastrowid)

    def lab_runs(self, kind: str | None = None) -> list[dict[str, Any]]:
        """This profile's lab runs, oldest first, with the JSON columns decoded."""
        sql = "SELECT id, kind, params, curves, accuracies, seconds, at FROM lab_runs WHERE profile = ?"
        params: tuple = (self.profile,)
        if kind is not None:
            sql, params = sql + " AND kind = ?", (*params, kind)
        rows = self._rows(sql + " ORDER BY id", params)
        for row in rows:
            for column in ("params", "curves", "accuracies"):
                row[column] = json.loads(row[column])
        return rows

    # -- summaries ----------------------------------------------------------------------------
    def stats(self, known_lessons: dict[str, str] | None = None,
              now: datetime | None = None) -> list[dict[str, Any]]:
        """One row per lesson: the known ones in their given order (even if untouched), then
        any others the database still remembers, marked ``retired`` when ``known_lessons``
        is given and no longer lists them."""
        progress = self.lesson_progress()
        counts = {row.pop("lesson_id"): row for row in self._rows(
            "SELECT lesson_id, COUNT(*) AS attempts, SUM(correct) AS correct,"
            " SUM(bert_correct = 1) AS bert FROM attempts WHERE profile = ? GROUP BY lesson_id",
            (self.profile,))}
        due = {lesson_id: n["due_now"] for lesson_id, n in self.reviews_by_lesson(now).items() if n["due_now"]}
        remembered = sorted(set(progress) | set(counts) | set(due))
        known = dict(known_lessons or {})
        out = []
        for lesson_id in [*known, *(i for i in remembered if i not in known)]:
            lesson = progress.get(lesson_id)
            count = counts.get(lesson_id, {})
            status = lesson.status if lesson else (IN_PROGRESS if count else NOT_STARTED)
            correct = int(count.get("correct") or 0)
            out.append({
                "lesson_id": lesson_id,
                "title": known.get(lesson_id) or lesson_id,
                "status": status,
                "score": lesson.score if lesson else None,
                "step": lesson.step if lesson else 0,
                "steps_total": lesson.steps_total if lesson else 0,
                "attempts": int(count.get("attempts") or 0),
                "correct": correct,
                "you": correct,
                "bert": int(count.get("bert") or 0),
                "due_reviews": due.get(lesson_id, 0),
                "retired": known_lessons is not None and lesson_id not in known,
            })
        return out

    def tally(self) -> tuple[int, int]:
        """(your correct answers, BERT's correct choices) over all of this profile's attempts."""
        row = self._rows("SELECT COALESCE(SUM(correct), 0) AS you,"
                         " COALESCE(SUM(bert_correct = 1), 0) AS bert"
                         " FROM attempts WHERE profile = ?", (self.profile,))[0]
        return int(row["you"]), int(row["bert"])

    def versus_by_lesson(self) -> dict[str, dict[str, int]]:
        """You vs BERT on the same items: ``{lesson_id: {"items": n, "you": x, "bert": y}}``.

        Only items BERT answered too (``bert_correct`` known; BERT never takes quizzes) count,
        each once, by the learner's first attempt that BERT was scored on.
        """
        return {row.pop("lesson_id"): row for row in self._rows(
            "SELECT lesson_id, COUNT(*) AS items, SUM(correct) AS you, SUM(bert_correct) AS bert"
            " FROM attempts a WHERE profile = ? AND bert_correct IS NOT NULL AND id = ("
            "  SELECT MIN(id) FROM attempts b WHERE b.profile = a.profile AND b.lesson_id = a.lesson_id"
            "  AND b.exercise_id = a.exercise_id AND b.blank = a.blank AND b.bert_correct IS NOT NULL)"
            " GROUP BY lesson_id", (self.profile,))}

    def answered_exercises(self, lesson_id: str) -> set[str]:
        """The ids of the lesson's exercises this profile has answered (a lesson file edited
        since may have lost some: see ``tutor.course.lost_exercises``)."""
        return {row["exercise_id"] for row in self._rows(
            "SELECT DISTINCT exercise_id FROM attempts WHERE profile = ? AND lesson_id = ?",
            (self.profile, str(lesson_id)))}

    def versus(self) -> dict[str, int]:
        """:meth:`versus_by_lesson` summed over the course: ``{"items", "you", "bert"}``."""
        rows = self.versus_by_lesson().values()
        return {key: sum(row[key] for row in rows) for key in ("items", "you", "bert")}

    def profiles(self) -> list[str]:
        """Every profile the database knows (it has written something)."""
        return [row["name"] for row in self._rows("SELECT name FROM profiles ORDER BY name", ())]

    def reset(self, lesson_id: str | None = None) -> int:
        """Delete this profile's progress: one lesson's (progress, attempts, reviews) or,
        with no lesson, everything including lab runs. Returns the rows deleted."""
        return self._write("reset", {"lesson_id": None if lesson_id is None else str(lesson_id)})

    def _op_reset(self, conn: sqlite3.Connection, *, lesson_id: str | None) -> int:
        tables = ("lessons", "attempts", "review") if lesson_id is not None else \
            ("lessons", "attempts", "review", "lab_runs")
        where, params = "profile = ?", (self.profile,)
        if lesson_id is not None:
            where, params = where + " AND lesson_id = ?", (*params, lesson_id)
        return sum(conn.execute(f"DELETE FROM {t} WHERE {where}", params).rowcount for t in tables)

    # -- plumbing -----------------------------------------------------------------------------
    def _rows(self, sql: str, params: tuple) -> list[dict[str, Any]]:
        with self._lock:
            conn = self._delayed.overlay or self._conn  # queued writes are visible at once
            self._wait_at_most(WRITE_WAIT_S if _on_event_loop() else BACKGROUND_WAIT_S)
            try:
                cursor = conn.execute(sql, params)
            except sqlite3.OperationalError as exc:
                if error_kind(exc) == "busy":  # only an EXCLUSIVE lock blocks WAL readers
                    raise TutorError(_("cannot read {path}: it is locked by another program").format(
                        path=self.path)) from exc
                raise
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row)) for row in cursor.fetchall()]

    def _write(self, name: str, params: dict[str, Any]) -> Any:
        """Run the write ``name`` in its own committed transaction; while another program
        holds the lock past the caller's wait, queue it instead (see the module docstring)."""
        with self._lock:
            if not self._delayed.active:
                self._wait_at_most(WRITE_WAIT_S if _on_event_loop() else BACKGROUND_WAIT_S)
                try:
                    return self._run(self._conn, name, params)
                except sqlite3.OperationalError as exc:
                    if error_kind(exc) != "busy" or self.path is None:
                        raise TutorError(_("cannot save progress to {path}: {error}").format(
                            path=self.path or _("memory"), error=exc)) from exc
                    self._delayed.start(self._conn)
            return self._delayed.add(name, params)

    def _wait_at_most(self, seconds: float) -> None:
        if seconds != self._busy_wait:
            self._conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
            self._busy_wait = seconds

    def _run(self, conn: sqlite3.Connection, name: str, params: dict[str, Any]) -> Any:
        """One write transaction on ``conn`` (the file, its in-memory stand-in, or the
        background saver's own connection)."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("INSERT OR IGNORE INTO profiles (name, created) VALUES (?, ?)",
                         (self.profile, _iso(_moment(None))))
            result = getattr(self, f"_op_{name}")(conn, **params)
            conn.execute("COMMIT")
            return result
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise


def open_store(db_path: str | Path | None = None, profile: str | None = None) -> ProgressStore:
    """Open the progress store: ``db_path`` (":memory:" works), else ``$BERT_TUTOR_DB``, else
    the user data dir. Never raises for a corrupt or unwritable file; see ``store.notice``."""
    opened = open_database(Path(db_path) if db_path else default_db_path())
    return ProgressStore(opened.db, profile=profile, path=opened.path, notice=opened.notice)


def _on_event_loop() -> bool:
    """Whether the caller runs on a thread that drives an asyncio loop (the TUI's UI thread),
    which must never wait long; a thread without one (CLI, workers) may."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def normalize_profile(profile: str | None) -> str:
    return (profile or "").strip() or DEFAULT_PROFILE


def _key(parts: Iterable[str]) -> Key:
    values = [str(p) for p in parts]
    if len(values) == 2:  # (lesson, exercise) for an exercise with a single unnamed blank
        values.append("")
    if len(values) != 3:
        raise ValueError("a review key is (lesson_id, exercise_id, blank)")
    return values[0], values[1], values[2]


def _moment(now: datetime | date | None) -> datetime:
    if now is None:
        return datetime.now().astimezone()
    if not isinstance(now, datetime):  # a plain date: the start of that day
        return datetime.combine(now, dtime())
    return now


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _status_rank(status: str) -> int:
    return STATUSES.index(status) if status in STATUSES else 0


def _same(a: str, b: str) -> bool:
    return a.strip().casefold() == b.strip().casefold()


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_jsonable)


def _jsonable(value: Any) -> Any:
    """numpy arrays/scalars (and torch tensors) from the labs, without importing either."""
    for method in ("tolist", "item"):
        if callable(getattr(value, method, None)):
            return getattr(value, method)()
    raise TypeError(f"cannot store {type(value).__name__} as JSON")
