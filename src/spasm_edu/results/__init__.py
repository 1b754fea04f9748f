"""Results store: every checked answer, in SQLite by default or any SQLAlchemy database.

One module per job; the app holds a :class:`ResultsStore` and reaches everything through it.

- ``_schema.py``: the tables, what their columns accept, and the migrations (add a column
  or a table here first).
- ``database.py``: :class:`Database`: which URL, the engine, retries, migrating on first use.
- ``learners.py``: learners and their attempts (:class:`LearnerStore`), the CSV export.
- ``polls.py``: live polls (:class:`PollStore`).
- ``passcode.py``: wrong educator passcodes and the lockout (:class:`PasscodeTries`).
- ``outbox.py``: attempts waiting to be saved (:class:`PendingQueue`).
- ``store.py``: :class:`ResultsStore`, and retention (deleting across every table).

Answers are stored as the quiz encodes them (``Grade.answer``; see "Answer encoding" in
``spasm_edu/quiz/types.py``); the store keeps them verbatim and never parses them.
"""

from ._errors import SaveError, StoreError
from ._schema import LATEST_VERSION as SCHEMA_VERSION
from .database import (
    DATABASE_URL_ENV,
    Database,
    RetryPolicy,
    default_database_url,
    resolve_database_url,
)
from .learners import Attempt, Learner, LearnerStore, PendingAttempt, new_learner_id
from .outbox import PendingQueue
from .passcode import PasscodeTries
from .polls import Poll, PollStore
from .store import Deleted, ResultsStore

__all__ = [
    "DATABASE_URL_ENV",
    "SCHEMA_VERSION",
    "Attempt",
    "Database",
    "Deleted",
    "Learner",
    "LearnerStore",
    "PasscodeTries",
    "PendingAttempt",
    "PendingQueue",
    "Poll",
    "PollStore",
    "ResultsStore",
    "RetryPolicy",
    "SaveError",
    "StoreError",
    "default_database_url",
    "new_learner_id",
    "resolve_database_url",
]
