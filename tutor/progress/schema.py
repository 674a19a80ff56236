"""The progress schema as an ordered list of sqlite-utils migrations.

Never edit a migration that has shipped: add a new one. Each runs once per database and is
recorded in ``_sqlite_migrations``, so an old progress.db is upgraded in place and keeps its
data. The store runs them inside one ``BEGIN IMMEDIATE`` transaction, so two processes
opening a fresh file at once cannot both migrate, and a crash mid-way leaves the old schema.
"""
from __future__ import annotations

from functools import lru_cache

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from tutor.i18n import _

MIGRATIONS = Migrations("bert-tutor-progress")

# Review items rebuilt from wrong answers: by migration 002, and by salvage for items whose
# page was lost. Part of a shipped migration: never change it, add a new constant instead.
BACKFILL_REVIEW = """
        INSERT INTO review (profile, lesson_id, exercise_id, blank, ease, repetitions,
                            interval_days, due, lapses, last_reviewed)
        SELECT profile, lesson_id, exercise_id, blank,
               ROUND(MAX(1.3, 2.5 - 0.2 * (COUNT(DISTINCT substr(at, 1, 10)) - 1)), 2), 0, 1,
               date(substr(MAX(at), 1, 10), '+1 day'), COUNT(DISTINCT substr(at, 1, 10)),
               MAX(at)
        FROM attempts WHERE correct = 0
        GROUP BY profile, lesson_id, exercise_id, blank"""


@MIGRATIONS(name="001_initial")
def _initial(db: Database) -> None:
    """v1: profiles, lesson progress, graded attempts and lab runs."""
    db.execute("""
        CREATE TABLE profiles (
            name TEXT PRIMARY KEY,
            created TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE lessons (
            profile TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            step INTEGER NOT NULL DEFAULT 0,
            steps_total INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'not-started',
            score REAL,
            started TEXT,
            finished TEXT,
            updated TEXT,
            PRIMARY KEY (profile, lesson_id)
        )""")
    db.execute("""
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            exercise_id TEXT NOT NULL,
            blank TEXT NOT NULL DEFAULT '',
            answer TEXT,
            correct INTEGER NOT NULL,
            bert_choice TEXT,
            bert_probability REAL,
            hints_used INTEGER NOT NULL DEFAULT 0,
            seconds REAL,
            at TEXT NOT NULL
        )""")
    db.execute("""
        CREATE TABLE lab_runs (
            id INTEGER PRIMARY KEY,
            profile TEXT NOT NULL,
            kind TEXT NOT NULL,
            params TEXT NOT NULL,
            curves TEXT NOT NULL,
            accuracies TEXT NOT NULL,
            seconds REAL,
            at TEXT NOT NULL
        )""")


@MIGRATIONS(name="002_review")
def _review(db: Database) -> None:
    """v2: SM-2 review items, back-filled from the wrong answers a v1 database already holds.

    Replaying v1 history under the store's rule (a wrong answer creates the item; a wrong
    answer on a later day resets it and costs 0.2 ease, at most once a day) gives:
    ease 2.5 - 0.2 * (days with a miss - 1), floor 1.3, due the day after the last miss.
    """
    db.execute("""
        CREATE TABLE review (
            profile TEXT NOT NULL,
            lesson_id TEXT NOT NULL,
            exercise_id TEXT NOT NULL,
            blank TEXT NOT NULL DEFAULT '',
            ease REAL NOT NULL,
            repetitions INTEGER NOT NULL,
            interval_days INTEGER NOT NULL,
            due TEXT NOT NULL,
            lapses INTEGER NOT NULL DEFAULT 0,
            last_reviewed TEXT,
            PRIMARY KEY (profile, lesson_id, exercise_id, blank)
        )""")
    db.execute("CREATE INDEX review_due ON review (profile, due)")
    db.execute("CREATE INDEX attempts_lesson ON attempts (profile, lesson_id)")
    db.execute(BACKFILL_REVIEW)


@MIGRATIONS(name="003_bert_correct")
def _bert_correct(db: Database) -> None:
    """v3: remember whether BERT's choice was right, for the "you vs BERT" tally.

    Old rows are back-filled where the key can be inferred: BERT was right if its choice
    equals an answer that was graded correct for the same blank, wrong if such an answer
    exists and differs; otherwise it stays unknown (NULL) rather than guessed.
    """
    db.execute("ALTER TABLE attempts ADD COLUMN bert_correct INTEGER")
    db.execute("""
        UPDATE attempts SET bert_correct = EXISTS (
            SELECT 1 FROM attempts k
            WHERE k.correct = 1 AND k.lesson_id = attempts.lesson_id
              AND k.exercise_id = attempts.exercise_id AND k.blank = attempts.blank
              AND lower(trim(k.answer)) = lower(trim(attempts.bert_choice)))
        WHERE bert_choice IS NOT NULL AND EXISTS (
            SELECT 1 FROM attempts k
            WHERE k.correct = 1 AND k.lesson_id = attempts.lesson_id
              AND k.exercise_id = attempts.exercise_id AND k.blank = attempts.blank)""")


class UnknownSchema(Exception):
    """The file was written by a newer bert-tutor (or changed by hand): leave it alone."""


def check_known(db: Database) -> None:
    """Raise :class:`UnknownSchema` when ``db`` is ahead of this code: a migration we do not
    have, a ``user_version`` past ours, or (with nothing left to migrate) tables and columns
    that differ from ours in a way our SQL would trip over. Reads only."""
    ours = set(_names())
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in ours]
    if unknown:
        raise UnknownSchema(_("it was written by a newer bert-tutor (migration '{name}' is unknown here)")
                            .format(name=unknown[-1]))
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > schema_version():
        raise UnknownSchema(_("it was written by a newer bert-tutor (schema version {version}, this one knows "
                              "{known})").format(version=version, known=schema_version()))
    if not MIGRATIONS.pending(db):
        check_tables(db)


def check_tables(db: Database) -> None:
    """Every table and column we use is there, and no extra column demands a value we never give."""
    for table, wanted in expected_tables().items():
        found = {row[1]: row for row in db.execute(f"PRAGMA table_info({table})").fetchall()}
        if not found:
            raise UnknownSchema(_("its schema is not one this bert-tutor knows (no table '{table}')")
                                .format(table=table))
        missing = [name for name in wanted if name not in found]
        if missing:
            raise UnknownSchema(_("its schema is not one this bert-tutor knows (table '{table}' has no column "
                                  "'{column}')").format(table=table, column=missing[0]))
        for name, (_cid, _name, _type, notnull, default, pk) in found.items():
            if name not in wanted and notnull and default is None and not pk:
                raise UnknownSchema(_("its schema is not one this bert-tutor knows (table '{table}' needs a value "
                                      "for the new column '{column}')").format(table=table, column=name))


def schema_version() -> int:
    """The number of migrations; kept in ``PRAGMA user_version`` so that other tools (and
    older bert-tutors) can tell the file's age without knowing sqlite-utils."""
    return len(_names())


def migration_names() -> list[str]:
    """All migrations in order (what ``pending`` reports for an empty database)."""
    return list(_names())


@lru_cache(maxsize=1)
def _names() -> tuple[str, ...]:
    with Database(memory=True) as empty:
        return tuple(m.name for m in MIGRATIONS.pending(empty))


@lru_cache(maxsize=1)
def expected_tables() -> dict[str, tuple[str, ...]]:
    """Table -> columns, as the migrations build them (profiles first, as they were created)."""
    with Database(memory=True) as db:
        MIGRATIONS.apply(db)
        return {table: tuple(db[table].columns_dict) for table in db.table_names()
                if not table.startswith("_")}
