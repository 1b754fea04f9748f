"""Tables of the results store, what their columns accept, and the migrations that make them.

To add a column or a table: change the current tables below, append a migration to
``MIGRATIONS``, and (for a new table) give it a module of its own beside ``polls.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    func,
    insert,
    select,
    text,
)

from ._errors import StoreError

# Input limits: the column sizes below, and what check_text enforces before any write.
MAX_CLASS_CODE: Final = 32
MAX_ID: Final = 64
MAX_NICKNAME: Final = 40
MAX_ANSWER: Final = 2000
MAX_CONFIDENCE: Final = 16
UTC: Final = dt.timezone.utc


def check_text(name: str, value: object, limit: int, *, allow_empty: bool = False) -> str:
    """Return ``value`` unchanged if it is a storable string, else raise with a clear message.

    Raises
    ------
    TypeError
        If ``value`` is not a string.
    ValueError
        If it is empty (unless ``allow_empty``), longer than ``limit`` characters, or holds
        text no backend can store the same way (NUL, an unpaired surrogate).
    """
    if not isinstance(value, str):
        msg = f"{name} must be a string, not {type(value).__name__}."
        raise TypeError(msg)
    if not value and not allow_empty:
        msg = f"{name} must not be empty."
        raise ValueError(msg)
    if len(value) > limit:
        msg = f"{name} is {len(value)} characters long; the limit is {limit}."
        raise ValueError(msg)
    # PostgreSQL text cannot hold NUL, and lone surrogates cannot be encoded: refuse both
    # here so every backend stores exactly the same strings.
    if "\x00" in value:
        msg = f"{name} must not contain the NUL character (U+0000)."
        raise ValueError(msg)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        msg = f"{name} contains an unpaired surrogate character and cannot be stored."
        raise ValueError(msg) from None
    return value


def check_time(name: str, value: object) -> dt.datetime:
    """Return ``value`` converted to UTC; it must be a timezone-aware datetime."""
    if not isinstance(value, dt.datetime):
        msg = f"{name} must be a datetime, not {type(value).__name__}."
        raise TypeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{name} must be timezone-aware (for example datetime.now(timezone.utc))."
        raise ValueError(msg)
    return value.astimezone(UTC)


def utc_now() -> dt.datetime:
    """The current time, timezone-aware, in UTC: what every time column stores."""
    return dt.datetime.now(UTC)


def from_db(value: dt.datetime) -> dt.datetime:
    """Return a stored time as aware UTC (SQLite gives naive UTC, PostgreSQL aware)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


# The current shape of the tables, used by queries. Migrations below do not use these
# objects: a migration must keep doing what it did when it was written, even after a
# later migration changes a table here.
metadata = MetaData()

schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

learners = Table(
    "learners",
    metadata,
    Column("learner_id", String(MAX_ID), primary_key=True),
    Column("class_code", String(MAX_CLASS_CODE), nullable=False, default=""),
    Column("nickname", String(MAX_NICKNAME), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# One row per checked answer. The columns are the fields of learners.Attempt (a test checks
# that they agree); ``answer`` is in the answer encoding ("Answer encoding" in
# spasm_edu/quiz/types.py), stored verbatim and never parsed here.
attempts = Table(
    "attempts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_code", String(MAX_CLASS_CODE), nullable=False, default=""),
    Column("learner_id", String(MAX_ID), nullable=False),
    Column("lesson_id", String(MAX_ID), nullable=False),
    Column("question_id", String(MAX_ID), nullable=False),
    Column("answer", String(MAX_ANSWER), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    # "How sure are you?" (quiz.CONFIDENCE_LEVELS), NULL when not stated or saved before v4.
    Column("confidence", String(MAX_CONFIDENCE), nullable=True),
    Index("ix_attempts_learner_lesson", "learner_id", "lesson_id"),
    Index("ix_attempts_class_code", "class_code"),
    Index("ix_attempts_answered_at", "answered_at"),
)

polls = Table(
    "polls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("class_code", String(MAX_CLASS_CODE), nullable=False),
    Column("lesson_id", String(MAX_ID), nullable=False),
    Column("question_id", String(MAX_ID), nullable=False),
    Column("state", String(16), nullable=False),
    Column("opened_at", DateTime(timezone=True), nullable=False),
    Index("ix_polls_class_code", "class_code"),
)

poll_answers = Table(
    "poll_answers",
    metadata,
    Column("poll_id", Integer, primary_key=True, autoincrement=False),
    Column("learner_id", String(MAX_ID), primary_key=True),
    Column("answer", String(MAX_ANSWER), nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
)

# Wrong educator passcodes, counted across every kernel and server on this database
# (passcode.py): one row per count, today only "educator-passcode".
passcode_tries = Table(
    "passcode_tries",
    metadata,
    Column("name", String(MAX_ID), primary_key=True),
    Column("misses", Integer, nullable=False),
    Column("locked_at", DateTime(timezone=True), nullable=True),
)

Migration = Callable[[Connection], None]


def _m1_create_tables(conn: Connection) -> None:
    """Create ``learners`` and ``attempts`` (frozen copy of their first shape)."""
    v1 = MetaData()
    Table(
        "learners",
        v1,
        Column("learner_id", String(64), primary_key=True),
        Column("class_code", String(32), nullable=False),
        Column("nickname", String(40), nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False),
    )
    Table(
        "attempts",
        v1,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("class_code", String(32), nullable=False),
        Column("learner_id", String(64), nullable=False),
        Column("lesson_id", String(64), nullable=False),
        Column("question_id", String(64), nullable=False),
        Column("answer", String(2000), nullable=False),
        Column("correct", Boolean, nullable=False),
        Column("answered_at", DateTime(timezone=True), nullable=False),
        Index("ix_attempts_learner_lesson", "learner_id", "lesson_id"),
        Index("ix_attempts_class_code", "class_code"),
        Index("ix_attempts_answered_at", "answered_at"),
    )
    v1.create_all(conn)


def _m2_live_polls(conn: Connection) -> None:
    """Add ``polls`` and ``poll_answers`` for presenter-mode live polls."""
    v2 = MetaData()
    Table(
        "polls",
        v2,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("class_code", String(32), nullable=False),
        Column("lesson_id", String(64), nullable=False),
        Column("question_id", String(64), nullable=False),
        Column("state", String(16), nullable=False),
        Column("opened_at", DateTime(timezone=True), nullable=False),
        Index("ix_polls_class_code", "class_code"),
    )
    Table(
        "poll_answers",
        v2,
        Column("poll_id", Integer, primary_key=True, autoincrement=False),
        Column("learner_id", String(64), primary_key=True),
        Column("answer", String(2000), nullable=False),
        Column("correct", Boolean, nullable=False),
        Column("answered_at", DateTime(timezone=True), nullable=False),
    )
    v2.create_all(conn)


def _m3_passcode_tries(conn: Connection) -> None:
    """Add ``passcode_tries``, so a reload no longer resets the passcode lockout."""
    v3 = MetaData()
    Table(
        "passcode_tries",
        v3,
        Column("name", String(64), primary_key=True),
        Column("misses", Integer, nullable=False),
        Column("locked_at", DateTime(timezone=True), nullable=True),
    )
    v3.create_all(conn)


def _m4_attempt_confidence(conn: Connection) -> None:
    """Add ``attempts.confidence`` ("How sure are you?"), NULL for every earlier attempt."""
    conn.execute(text("ALTER TABLE attempts ADD COLUMN confidence VARCHAR(16)"))


# Ordered: entry i brings the schema to version i + 1. To change the schema, write
# ``def _m2_...(conn)`` (DDL/data changes through ``conn``), append it here and update
# the current tables above; ``migrate`` applies whatever a database has not seen yet.
MIGRATIONS: Final[tuple[Migration, ...]] = (
    _m1_create_tables,
    _m2_live_polls,
    _m3_passcode_tries,
    _m4_attempt_confidence,
)
LATEST_VERSION: Final = len(MIGRATIONS)

# Any constant works: it only has to be the same in every process migrating one database.
_PG_MIGRATION_LOCK_KEY: Final = 0x5EA5_ED00


def read_version(conn: Connection) -> int:
    """Return the schema version recorded in the database, 0 if it has no tables yet."""
    if not conn.dialect.has_table(conn, "schema_version"):
        return 0
    version = conn.execute(select(func.max(schema_version.c.version))).scalar_one()
    return int(version) if version is not None else 0


def apply_migrations(conn: Connection, now: dt.datetime) -> int:
    """Apply pending migrations inside the caller's (write) transaction; return the version."""
    if conn.dialect.name == "postgresql":
        # Serialise concurrent first starts (many kernels at once) on one database.
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK_KEY})
    schema_version.create(conn, checkfirst=True)
    current = read_version(conn)
    if current > LATEST_VERSION:
        msg = (
            f"The results database has schema version {current}, newer than this "
            f"spasm-edu understands ({LATEST_VERSION}). Please upgrade spasm-edu."
        )
        raise StoreError(msg)
    for version in range(current + 1, LATEST_VERSION + 1):
        MIGRATIONS[version - 1](conn)
        conn.execute(insert(schema_version).values(version=version, applied_at=now))
    return LATEST_VERSION
