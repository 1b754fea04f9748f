"""Results store: every checked answer, in SQLite by default or any SQLAlchemy database."""

from ._errors import SaveError, StoreError
from ._schema import LATEST_VERSION as SCHEMA_VERSION
from .store import (
    DATABASE_URL_ENV,
    Attempt,
    ClassSummary,
    Deleted,
    Learner,
    PendingAttempt,
    PendingQueue,
    QuestionStats,
    ResultsStore,
    RetryPolicy,
    WrongAnswer,
    default_database_url,
    encode_answer,
    new_learner_id,
    resolve_database_url,
)

__all__ = [
    "DATABASE_URL_ENV",
    "SCHEMA_VERSION",
    "Attempt",
    "ClassSummary",
    "Deleted",
    "Learner",
    "PendingAttempt",
    "PendingQueue",
    "QuestionStats",
    "ResultsStore",
    "RetryPolicy",
    "SaveError",
    "StoreError",
    "WrongAnswer",
    "default_database_url",
    "encode_answer",
    "new_learner_id",
    "resolve_database_url",
]
