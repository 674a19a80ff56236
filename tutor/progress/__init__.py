"""The learner progress store: SQLite, migrations, SM-2 review scheduling.

Imports neither torch nor textual, so the CLI and the TUI can open it instantly::

    from tutor.progress import open_store
    store = open_store(profile="ana")      # never raises for a corrupt/unwritable/newer file
    if store.notice:
        print(store.notice)                # e.g. "progress DB was corrupt; moved to ...; recovered ..."
    store.record_attempt(...)              # returns at once, even while another program locks the file
    for message in store.take_messages():  # "Saving progress is delayed: ..." (said once), "... saved"
        print(message)
    store.close()                          # saves what is queued (bounded), keeps the rest for next time
"""
from tutor.progress.models import DONE, IN_PROGRESS, NOT_STARTED, STATUSES, LessonProgress, ReviewItem
from tutor.progress.opening import default_db_path
from tutor.progress.store import DEFAULT_PROFILE, ProgressStore, open_store

__all__ = [
    "DEFAULT_PROFILE", "DONE", "IN_PROGRESS", "NOT_STARTED", "STATUSES",
    "LessonProgress", "ProgressStore", "ReviewItem", "default_db_path", "open_store",
]
