"""The results store: attempts and learners in SQLite by default, or any SQLAlchemy database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import sqlite3
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import platformdirs
from sqlalchemy import (
    URL,
    ColumnElement,
    Connection,
    Engine,
    Row,
    Select,
    case,
    create_engine,
    delete,
    event,
    exc,
    func,
    insert,
    or_,
    select,
)
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, Pool, StaticPool

from ._errors import SaveError, StoreError
from ._schema import (
    LATEST_VERSION,
    MAX_ANSWER,
    MAX_CLASS_CODE,
    MAX_ID,
    MAX_NICKNAME,
    apply_migrations,
    attempts,
    learners,
    poll_answers,
    polls,
    read_version,
)

__all__ = [
    "DATABASE_URL_ENV",
    "Attempt",
    "ClassSummary",
    "Deleted",
    "Learner",
    "PendingAttempt",
    "PendingQueue",
    "QuestionStats",
    "ResultsStore",
    "RetryPolicy",
    "WrongAnswer",
    "default_database_url",
    "encode_answer",
    "new_learner_id",
    "resolve_database_url",
]

logger = logging.getLogger(__name__)

DATABASE_URL_ENV: Final = "SPASM_EDU_DATABASE_URL"
CSV_COLUMNS: Final = (
    "attempt_id",
    "class_code",
    "learner_id",
    "lesson_id",
    "question_id",
    "answer",
    "correct",
    "answered_at",
)

# Execution option marking a connection whose transaction must take SQLite's write lock
# at BEGIN (BEGIN IMMEDIATE), so a writer waits in the busy handler instead of failing
# half-way when it upgrades a read lock.
_WRITE_OPTION: Final = "spasm_edu_write"
# Cells a spreadsheet may read as a formula (OWASP "CSV injection"); tab and CR too.
_FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")
# OperationalError covers locked/busy, disk full, read-only file and server down;
# InterfaceError and InternalError cover dropped connections and read-only servers.
_RETRYABLE: Final = (exc.OperationalError, exc.InterfaceError, exc.InternalError)
_UTC: Final = dt.timezone.utc

_T = TypeVar("_T")


# --------------------------------------------------------------------------- URLs


def default_database_url() -> URL:
    """Return the default SQLite URL, in the user's data directory.

    Returns
    -------
    sqlalchemy.URL
        ``sqlite:///<user_data_dir("spasm-edu")>/results.sqlite3``. It is never inside the
        notebooks folder, so results are not shipped or committed with the lessons.
    """
    path = Path(platformdirs.user_data_dir("spasm-edu")) / "results.sqlite3"
    return URL.create("sqlite", database=str(path))


def resolve_database_url(url: str | URL | None = None) -> URL:
    """Return the database URL to use.

    Parameters
    ----------
    url
        Any SQLAlchemy URL. When ``None``, the environment variable
        ``SPASM_EDU_DATABASE_URL`` is used, and when that is unset or empty,
        :func:`default_database_url`.

    Returns
    -------
    sqlalchemy.URL
        The parsed URL.
    """
    if url is None:
        url = os.environ.get(DATABASE_URL_ENV) or None
    if url is None:
        return default_database_url()
    return make_url(url)


def new_learner_id() -> str:
    """Return a new random pseudonymous learner id (32 hex characters).

    Returns
    -------
    str
        A UUID4 in hex; it says nothing about the person.
    """
    return uuid.uuid4().hex


def encode_answer(choice_ids: Iterable[str]) -> str:
    """Encode chosen choice ids as the compact JSON string stored as an attempt's answer.

    Parameters
    ----------
    choice_ids
        The ids of the chosen choices, in the order given.

    Returns
    -------
    str
        For example ``'["rest-briefly","keep-moving"]'``.
    """
    return json.dumps(list(choice_ids), ensure_ascii=False, separators=(",", ":"))


# --------------------------------------------------------------------------- data


def _check_text(name: str, value: object, limit: int, *, allow_empty: bool = False) -> str:
    """Return ``value`` unchanged if it is a storable string, else raise with a clear message."""
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


def _check_time(name: str, value: object) -> dt.datetime:
    """Return ``value`` converted to UTC; it must be a timezone-aware datetime."""
    if not isinstance(value, dt.datetime):
        msg = f"{name} must be a datetime, not {type(value).__name__}."
        raise TypeError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"{name} must be timezone-aware (for example datetime.now(timezone.utc))."
        raise ValueError(msg)
    return value.astimezone(_UTC)


def _now() -> dt.datetime:
    return dt.datetime.now(_UTC)


def _from_db(value: dt.datetime) -> dt.datetime:
    """Return a stored time as aware UTC (SQLite gives naive UTC, PostgreSQL aware)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=_UTC)
    return value.astimezone(_UTC)


@dataclass(frozen=True, slots=True)
class PendingAttempt:
    """A checked answer not saved yet: validated when created, saved by ``ResultsStore.save``.

    ``answered_at`` defaults to the moment the object is created, so an attempt that waits
    in a :class:`PendingQueue` keeps the time the learner answered.
    """

    learner_id: str
    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    class_code: str = ""
    answered_at: dt.datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        _check_text("learner_id", self.learner_id, MAX_ID)
        _check_text("lesson_id", self.lesson_id, MAX_ID)
        _check_text("question_id", self.question_id, MAX_ID)
        _check_text("answer", self.answer, MAX_ANSWER, allow_empty=True)
        _check_text("class_code", self.class_code, MAX_CLASS_CODE, allow_empty=True)
        if not isinstance(self.correct, bool):
            msg = f"correct must be True or False, not {type(self.correct).__name__}."
            raise TypeError(msg)
        object.__setattr__(self, "answered_at", _check_time("answered_at", self.answered_at))


@dataclass(frozen=True, slots=True)
class Attempt:
    """One saved checked answer."""

    id: int
    class_code: str
    learner_id: str
    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    answered_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Learner:
    """A pseudonymous learner: an id, a class code, an optional nickname."""

    learner_id: str
    class_code: str
    nickname: str | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class QuestionStats:
    """How a class did on one question, over all its checked answers."""

    lesson_id: str
    question_id: str
    attempts: int
    correct: int
    learners: int

    @property
    def percent_correct(self) -> float:
        """Share of attempts that were correct, 0 to 100 (0 when there are none)."""
        return 100.0 * self.correct / self.attempts if self.attempts else 0.0


@dataclass(frozen=True, slots=True)
class WrongAnswer:
    """A wrong answer given to one question, and how many times it was given."""

    lesson_id: str
    question_id: str
    answer: str
    count: int


@dataclass(frozen=True, slots=True)
class ClassSummary:
    """Pure data for an educator's class page: no charts, no HTML."""

    class_code: str
    learners_joined: int
    questions: tuple[QuestionStats, ...]
    wrong_answers: tuple[WrongAnswer, ...]


@dataclass(frozen=True, slots=True)
class Deleted:
    """How many rows a retention or delete call removed."""

    attempts: int
    learners: int


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently to retry a failed database operation.

    Retry ``n`` (0-based) waits ``min(max_delay, base_delay * 2 ** n)`` seconds.
    """

    attempts: int = 4
    base_delay: float = 0.1
    max_delay: float = 2.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            msg = f"attempts must be at least 1, not {self.attempts}."
            raise ValueError(msg)
        if self.base_delay < 0 or self.max_delay < 0:
            msg = "base_delay and max_delay must not be negative."
            raise ValueError(msg)

    def delay(self, retry: int) -> float:
        """Return the wait in seconds before retry number ``retry`` (0-based)."""
        return float(min(self.max_delay, self.base_delay * 2**retry))


def _attempt_from_row(row: Row[Any]) -> Attempt:
    return Attempt(
        id=int(row.id),
        class_code=row.class_code,
        learner_id=row.learner_id,
        lesson_id=row.lesson_id,
        question_id=row.question_id,
        answer=row.answer,
        correct=bool(row.correct),
        answered_at=_from_db(row.answered_at),
    )


def _learner_from_row(row: Row[Any]) -> Learner:
    return Learner(
        learner_id=row.learner_id,
        class_code=row.class_code,
        nickname=row.nickname,
        created_at=_from_db(row.created_at),
    )


def _csv_cell(value: str) -> str:
    """Return ``value`` made safe for spreadsheets: formula-like cells get a leading quote."""
    return "'" + value if value.startswith(_FORMULA_PREFIXES) else value


def _reason(err: exc.DBAPIError) -> str:
    """Return the first line of the driver's message, short enough for a learner to see."""
    lines = str(err.orig).strip().splitlines() if err.orig is not None else []
    text = lines[0].strip() if lines else type(err).__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _is_sqlite_memory(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    """Take over transaction control from sqlite3 and switch the file to WAL once."""
    # SQLAlchemy's documented pysqlite recipe: the driver emits no BEGIN, we do (below).
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    try:
        (mode,) = cursor.execute("PRAGMA journal_mode").fetchone()
        if str(mode).lower() not in ("wal", "memory"):
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
            except sqlite3.OperationalError as err:
                # Busy or read-only: WAL is persistent, so the next connection tries again.
                logger.debug("Could not switch the results database to WAL yet: %s", err)
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    """Emit BEGIN IMMEDIATE for writes (take the write lock first), plain BEGIN for reads."""
    write = bool(conn.get_execution_options().get(_WRITE_OPTION, False))
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


# --------------------------------------------------------------------------- store


class ResultsStore:
    """Attempts and learners, saved to SQLite by default or to any SQLAlchemy database.

    Parameters
    ----------
    url
        A SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://...``). ``None`` uses
        ``SPASM_EDU_DATABASE_URL`` or, failing that, :func:`default_database_url`.
    retry
        Retries for busy, full, read-only or unreachable databases.
    sleep
        Called with the backoff delay between retries; tests pass a fake.
    busy_timeout
        Seconds SQLite waits for another writer's lock before reporting "locked".
    connect_timeout
        Seconds PostgreSQL (psycopg) waits to connect, unless the URL sets it.

    Notes
    -----
    Nothing touches the database until the first call: the schema is migrated then. The
    engine uses ``NullPool``, so an idle store (one per student kernel) holds no connection.
    """

    def __init__(
        self,
        url: str | URL | None = None,
        *,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        busy_timeout: float = 3.0,
        connect_timeout: int = 10,
    ) -> None:
        use_default = url is None and not os.environ.get(DATABASE_URL_ENV)
        self._url = resolve_database_url(url)
        self._retry = retry if retry is not None else RetryPolicy()
        self._sleep = sleep
        self._lock = threading.Lock()
        self._retries = 0
        self._schema_ready = False
        if use_default and self._url.database:
            Path(self._url.database).parent.mkdir(parents=True, exist_ok=True)

        connect_args: dict[str, Any] = {}
        poolclass: type[Pool] = NullPool
        backend = self._url.get_backend_name()
        if backend == "sqlite":
            connect_args["timeout"] = busy_timeout
            if _is_sqlite_memory(self._url):
                # A NullPool would give every connection its own empty in-memory database.
                poolclass = StaticPool
                connect_args["check_same_thread"] = False
        elif (
            backend == "postgresql"
            and self._url.get_driver_name() in ("psycopg", "psycopg2")
            and "connect_timeout" not in self._url.query
        ):
            connect_args["connect_timeout"] = connect_timeout
        self._engine = create_engine(self._url, poolclass=poolclass, connect_args=connect_args)
        if backend == "sqlite":
            event.listen(self._engine, "connect", _on_sqlite_connect)
            event.listen(self._engine, "begin", _on_sqlite_begin)

    # ---------------------------------------------------------------- plumbing

    @property
    def url(self) -> str:
        """The database URL, with any password hidden."""
        return self._url.render_as_string(hide_password=True)

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and advanced use)."""
        return self._engine

    @property
    def retries(self) -> int:
        """How many times an operation has been retried since this store was created."""
        return self._retries

    def close(self) -> None:
        """Release the engine's resources; the store can still be used afterwards."""
        self._engine.dispose()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            conn.execution_options(**{_WRITE_OPTION: True})
            with conn.begin():
                yield conn

    def _run(self, op: Callable[[], _T], error: type[StoreError]) -> _T:
        """Run ``op``, retrying database failures with backoff; raise ``error`` at the end."""
        policy = self._retry
        tries = 1
        while True:
            try:
                return op()
            except _RETRYABLE as err:
                if tries >= policy.attempts:
                    raise error(self._message(error, tries, err)) from err
                delay = policy.delay(tries - 1)
                with self._lock:
                    self._retries += 1
                # Never log the data itself: only what went wrong.
                logger.warning(
                    "Results database problem (%s); retry %d of %d in %.2f s.",
                    _reason(err),
                    tries,
                    policy.attempts - 1,
                    delay,
                )
                self._sleep(delay)
                tries += 1
            except exc.DBAPIError as err:
                raise error(self._message(error, tries, err)) from err

    @staticmethod
    def _message(error: type[StoreError], tries: int, err: exc.DBAPIError) -> str:
        action = "save to" if issubclass(error, SaveError) else "read from"
        times = "once" if tries == 1 else f"{tries} times"
        return (
            f"Could not {action} the results database (tried {times}). "
            f"The database said: {_reason(err)}"
        )

    def _ensure_schema(self, error: type[StoreError]) -> None:
        if not self._schema_ready:
            self._migrate(error)

    def _migrate(self, error: type[StoreError]) -> int:
        def current() -> int:
            with self._engine.connect() as conn:
                return read_version(conn)

        def upgrade() -> int:
            with self._write() as conn:
                return apply_migrations(conn, _now())

        # Read first: an up-to-date database (the usual case) needs no write lock.
        version = self._run(current, error)
        if version != LATEST_VERSION:
            version = self._run(upgrade, SaveError)
        self._schema_ready = True
        return version

    def _fetch(self, stmt: Select[Any]) -> list[Row[Any]]:
        self._ensure_schema(StoreError)

        def op() -> list[Row[Any]]:
            with self._engine.connect() as conn:
                return list(conn.execute(stmt).all())

        return self._run(op, StoreError)

    def _write_op(self, op: Callable[[Connection], _T]) -> _T:
        self._ensure_schema(SaveError)

        def run() -> _T:
            with self._write() as conn:
                return op(conn)

        return self._run(run, SaveError)

    @staticmethod
    def _insert_learner_if_missing(conn: Connection, values: dict[str, Any]) -> None:
        dialect = conn.dialect.name
        # Each dialect's insert is imported when used: the PostgreSQL one costs a SQLite-only
        # kernel about 30 ms of start-up.
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            conn.execute(sqlite_insert(learners).values(values).on_conflict_do_nothing())
        elif dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            conn.execute(pg_insert(learners).values(values).on_conflict_do_nothing())
        else:
            exists = conn.execute(
                select(learners.c.learner_id).where(learners.c.learner_id == values["learner_id"])
            ).first()
            if exists is None:
                try:
                    with conn.begin_nested():
                        conn.execute(insert(learners).values(values))
                except exc.IntegrityError:
                    logger.debug("Learner was added concurrently; keeping the existing row.")

    # ---------------------------------------------------------------- schema

    def migrate(self) -> int:
        """Bring the database schema up to date; safe to call any number of times.

        Returns
        -------
        int
            The schema version after migrating.

        Raises
        ------
        StoreError
            If the database cannot be reached or is newer than this spasm-edu.
        """
        return self._migrate(StoreError)

    def schema_version(self) -> int:
        """Return the schema version recorded in the database (0 before the first use).

        Returns
        -------
        int
            The highest applied migration.
        """

        def op() -> int:
            with self._engine.connect() as conn:
                return read_version(conn)

        return self._run(op, StoreError)

    # ---------------------------------------------------------------- writes

    def register_learner(
        self, learner_id: str, *, class_code: str = "", nickname: str | None = None
    ) -> Learner:
        """Add a learner if the id is new; return the stored learner either way.

        Parameters
        ----------
        learner_id
            Pseudonymous id (see :func:`new_learner_id`), at most 64 characters.
        class_code
            The class joined, at most 32 characters; empty for anonymous use.
        nickname
            Optional, at most 40 characters, stored verbatim.

        Returns
        -------
        Learner
            The stored row (an existing learner is not changed).

        Raises
        ------
        ValueError, TypeError
            If an argument is too long or not a string.
        SaveError
            If the learner could not be saved after retrying.
        """
        _check_text("learner_id", learner_id, MAX_ID)
        _check_text("class_code", class_code, MAX_CLASS_CODE, allow_empty=True)
        if nickname is not None:
            _check_text("nickname", nickname, MAX_NICKNAME, allow_empty=True)
        values = {
            "learner_id": learner_id,
            "class_code": class_code,
            "nickname": nickname,
            "created_at": _now(),
        }

        def op(conn: Connection) -> Learner:
            self._insert_learner_if_missing(conn, values)
            row = conn.execute(select(learners).where(learners.c.learner_id == learner_id)).one()
            return _learner_from_row(row)

        return self._write_op(op)

    def record(
        self,
        *,
        learner_id: str,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        class_code: str = "",
        answered_at: dt.datetime | None = None,
    ) -> Attempt:
        """Save one checked answer; return only after it is committed.

        Parameters
        ----------
        learner_id, lesson_id, question_id
            Ids, 1 to 64 characters each. An unknown learner is registered on the fly.
        answer
            The answer, at most 2000 characters (see :func:`encode_answer`).
        correct
            Whether the answer was right.
        class_code
            At most 32 characters; empty for anonymous use.
        answered_at
            Timezone-aware time of the answer; now (UTC) by default.

        Returns
        -------
        Attempt
            The saved attempt, with its database id.

        Raises
        ------
        ValueError, TypeError
            If an argument breaks the limits; nothing is saved.
        SaveError
            If the database stayed locked, full, read-only or unreachable after retrying.
        """
        return self.save(
            PendingAttempt(
                learner_id=learner_id,
                lesson_id=lesson_id,
                question_id=question_id,
                answer=answer,
                correct=correct,
                class_code=class_code,
                answered_at=answered_at if answered_at is not None else _now(),
            )
        )

    def save(self, attempt: PendingAttempt) -> Attempt:
        """Save a :class:`PendingAttempt`; see :meth:`record`.

        Parameters
        ----------
        attempt
            The validated attempt.

        Returns
        -------
        Attempt
            The saved attempt, with its database id.

        Raises
        ------
        SaveError
            If the database stayed unusable after retrying.
        """
        learner = {
            "learner_id": attempt.learner_id,
            "class_code": attempt.class_code,
            "nickname": None,
            "created_at": _now(),
        }
        values = {
            "class_code": attempt.class_code,
            "learner_id": attempt.learner_id,
            "lesson_id": attempt.lesson_id,
            "question_id": attempt.question_id,
            "answer": attempt.answer,
            "correct": attempt.correct,
            "answered_at": attempt.answered_at,
        }

        def op(conn: Connection) -> int:
            self._insert_learner_if_missing(conn, learner)
            # inserted_primary_key works on every backend, with or without RETURNING.
            key = conn.execute(insert(attempts).values(values)).inserted_primary_key
            if key is None or key[0] is None:
                msg = "The database did not report the new attempt's id."
                raise StoreError(msg)
            return int(key[0])

        return Attempt(
            id=self._write_op(op),
            class_code=attempt.class_code,
            learner_id=attempt.learner_id,
            lesson_id=attempt.lesson_id,
            question_id=attempt.question_id,
            answer=attempt.answer,
            correct=attempt.correct,
            answered_at=attempt.answered_at,
        )

    # ---------------------------------------------------------------- reads

    def learner(self, learner_id: str) -> Learner | None:
        """Return a learner by id, or ``None``.

        Parameters
        ----------
        learner_id
            The pseudonymous id.

        Returns
        -------
        Learner or None
            The stored learner.
        """
        rows = self._fetch(select(learners).where(learners.c.learner_id == learner_id))
        return _learner_from_row(rows[0]) if rows else None

    def attempts_for_learner(self, learner_id: str, lesson_id: str | None = None) -> list[Attempt]:
        """Return a learner's attempts, oldest first.

        Parameters
        ----------
        learner_id
            The pseudonymous id.
        lesson_id
            Only this lesson, when given.

        Returns
        -------
        list of Attempt
            Ordered by time, then by save order.
        """
        stmt = select(attempts).where(attempts.c.learner_id == learner_id)
        if lesson_id is not None:
            stmt = stmt.where(attempts.c.lesson_id == lesson_id)
        stmt = stmt.order_by(attempts.c.answered_at, attempts.c.id)
        return [_attempt_from_row(row) for row in self._fetch(stmt)]

    def attempts_for_class(self, class_code: str, lesson_id: str | None = None) -> list[Attempt]:
        """Return a class's attempts, oldest first.

        Parameters
        ----------
        class_code
            The class code (empty for anonymous attempts).
        lesson_id
            Only this lesson, when given.

        Returns
        -------
        list of Attempt
            Ordered by time, then by save order.
        """
        stmt = select(attempts).where(attempts.c.class_code == class_code)
        if lesson_id is not None:
            stmt = stmt.where(attempts.c.lesson_id == lesson_id)
        stmt = stmt.order_by(attempts.c.answered_at, attempts.c.id)
        return [_attempt_from_row(row) for row in self._fetch(stmt)]

    def latest_answers(
        self, learner_id: str, lesson_id: str | None = None
    ) -> dict[tuple[str, str], Attempt]:
        """Return the latest attempt per question, to restore a learner's page after reload.

        Parameters
        ----------
        learner_id
            The pseudonymous id.
        lesson_id
            Only this lesson, when given.

        Returns
        -------
        dict
            ``{(lesson_id, question_id): latest Attempt}``.
        """
        latest: dict[tuple[str, str], Attempt] = {}
        for attempt in self.attempts_for_learner(learner_id, lesson_id):
            latest[(attempt.lesson_id, attempt.question_id)] = attempt  # later ones win
        return latest

    def class_learners(self, class_code: str) -> list[Learner]:
        """Return the learners who joined a class or answered in it, oldest first.

        Parameters
        ----------
        class_code
            The class code.

        Returns
        -------
        list of Learner
            Each learner once.
        """
        answered_here = select(attempts.c.learner_id).where(attempts.c.class_code == class_code)
        stmt = (
            select(learners)
            .where(
                or_(learners.c.class_code == class_code, learners.c.learner_id.in_(answered_here))
            )
            .order_by(learners.c.created_at, learners.c.learner_id)
        )
        return [_learner_from_row(row) for row in self._fetch(stmt)]

    def question_stats(self, class_code: str, lesson_id: str | None = None) -> list[QuestionStats]:
        """Return per-question counts and % correct for a class, over all its attempts.

        Parameters
        ----------
        class_code
            The class code.
        lesson_id
            Only this lesson, when given.

        Returns
        -------
        list of QuestionStats
            Ordered by lesson id, then question id.
        """
        conditions: list[ColumnElement[bool]] = [attempts.c.class_code == class_code]
        if lesson_id is not None:
            conditions.append(attempts.c.lesson_id == lesson_id)
        stmt = (
            select(
                attempts.c.lesson_id,
                attempts.c.question_id,
                func.count().label("n"),
                func.sum(case((attempts.c.correct, 1), else_=0)).label("n_correct"),
                func.count(attempts.c.learner_id.distinct()).label("n_learners"),
            )
            .where(*conditions)
            .group_by(attempts.c.lesson_id, attempts.c.question_id)
            .order_by(attempts.c.lesson_id, attempts.c.question_id)
        )
        return [
            QuestionStats(
                lesson_id=row.lesson_id,
                question_id=row.question_id,
                attempts=int(row.n),
                correct=int(row.n_correct or 0),
                learners=int(row.n_learners),
            )
            for row in self._fetch(stmt)
        ]

    def common_wrong_answers(
        self,
        class_code: str,
        lesson_id: str | None = None,
        question_id: str | None = None,
        *,
        limit: int = 3,
    ) -> list[WrongAnswer]:
        """Return the most common wrong answers per question in a class.

        Parameters
        ----------
        class_code
            The class code.
        lesson_id, question_id
            Narrow to one lesson or one question, when given.
        limit
            At most this many answers per question.

        Returns
        -------
        list of WrongAnswer
            Per question (ordered by lesson, question), most frequent first; ties by answer.
        """
        if limit < 1:
            msg = f"limit must be at least 1, not {limit}."
            raise ValueError(msg)
        conditions: list[ColumnElement[bool]] = [
            attempts.c.class_code == class_code,
            attempts.c.correct.is_(False),
        ]
        if lesson_id is not None:
            conditions.append(attempts.c.lesson_id == lesson_id)
        if question_id is not None:
            conditions.append(attempts.c.question_id == question_id)
        count = func.count().label("n")
        stmt = (
            select(attempts.c.lesson_id, attempts.c.question_id, attempts.c.answer, count)
            .where(*conditions)
            .group_by(attempts.c.lesson_id, attempts.c.question_id, attempts.c.answer)
            .order_by(attempts.c.lesson_id, attempts.c.question_id, count.desc(), attempts.c.answer)
        )
        result: list[WrongAnswer] = []
        per_question: dict[tuple[str, str], int] = {}
        for row in self._fetch(stmt):
            key = (row.lesson_id, row.question_id)
            if per_question.get(key, 0) < limit:
                per_question[key] = per_question.get(key, 0) + 1
                result.append(WrongAnswer(row.lesson_id, row.question_id, row.answer, int(row.n)))
        return result

    def class_summary(
        self, class_code: str, lesson_id: str | None = None, *, wrong_limit: int = 3
    ) -> ClassSummary:
        """Return everything an educator's class page shows, as plain data.

        Parameters
        ----------
        class_code
            The class code.
        lesson_id
            Only this lesson, when given (learners joined is always class-wide).
        wrong_limit
            Most common wrong answers kept per question.

        Returns
        -------
        ClassSummary
            Learners joined, per-question stats, common wrong answers.
        """
        return ClassSummary(
            class_code=class_code,
            learners_joined=len(self.class_learners(class_code)),
            questions=tuple(self.question_stats(class_code, lesson_id)),
            wrong_answers=tuple(
                self.common_wrong_answers(class_code, lesson_id, limit=wrong_limit)
            ),
        )

    def attempts_csv(self, learner_id: str | None = None, class_code: str | None = None) -> str:
        """Return attempts as CSV text with a header row.

        Parameters
        ----------
        learner_id
            Only this learner, when given.
        class_code
            Only this class, when given. With neither, every attempt is exported.

        Returns
        -------
        str
            Columns ``attempt_id, class_code, learner_id, lesson_id, question_id, answer,
            correct, answered_at`` (ISO 8601, UTC). Text cells starting with ``= + - @``
            (or tab/CR) get a leading ``'`` so spreadsheets do not run them as formulas.
        """
        stmt = select(attempts)
        if learner_id is not None:
            stmt = stmt.where(attempts.c.learner_id == learner_id)
        if class_code is not None:
            stmt = stmt.where(attempts.c.class_code == class_code)
        stmt = stmt.order_by(attempts.c.answered_at, attempts.c.id)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(CSV_COLUMNS)
        for row in self._fetch(stmt):
            item = _attempt_from_row(row)
            writer.writerow(
                [
                    item.id,
                    _csv_cell(item.class_code),
                    _csv_cell(item.learner_id),
                    _csv_cell(item.lesson_id),
                    _csv_cell(item.question_id),
                    _csv_cell(item.answer),
                    "true" if item.correct else "false",
                    item.answered_at.isoformat(),
                ]
            )
        return buffer.getvalue()

    # ---------------------------------------------------------------- retention

    def purge_older_than(self, days: float = 180, *, now: dt.datetime | None = None) -> Deleted:
        """Delete attempts older than ``days``, and learners left with no attempts.

        Parameters
        ----------
        days
            Age limit in days (not negative).
        now
            Timezone-aware "now"; the current time by default (tests pass a fixed one).

        Returns
        -------
        Deleted
            Rows removed.

        Raises
        ------
        SaveError
            If the database stayed unusable after retrying.
        """
        if isinstance(days, bool) or not isinstance(days, int | float) or days < 0:
            msg = f"days must be a number of days, 0 or more, not {days!r}."
            raise ValueError(msg)
        cutoff = _check_time("now", now if now is not None else _now()) - dt.timedelta(days=days)

        def op(conn: Connection) -> Deleted:
            n_attempts = conn.execute(delete(attempts).where(attempts.c.answered_at < cutoff))
            conn.execute(delete(poll_answers).where(poll_answers.c.answered_at < cutoff))
            conn.execute(delete(polls).where(polls.c.opened_at < cutoff))
            has_attempts = (
                select(attempts.c.id).where(attempts.c.learner_id == learners.c.learner_id).exists()
            )
            n_learners = conn.execute(
                delete(learners).where(learners.c.created_at < cutoff, ~has_attempts)
            )
            return Deleted(n_attempts.rowcount, n_learners.rowcount)

        return self._write_op(op)

    def delete_learner(self, learner_id: str) -> Deleted:
        """Delete a learner and all their attempts.

        Parameters
        ----------
        learner_id
            The pseudonymous id.

        Returns
        -------
        Deleted
            Rows removed.
        """

        def op(conn: Connection) -> Deleted:
            a = conn.execute(delete(attempts).where(attempts.c.learner_id == learner_id))
            conn.execute(delete(poll_answers).where(poll_answers.c.learner_id == learner_id))
            lr = conn.execute(delete(learners).where(learners.c.learner_id == learner_id))
            return Deleted(a.rowcount, lr.rowcount)

        return self._write_op(op)

    def delete_class(self, class_code: str) -> Deleted:
        """Delete a class: its attempts and the learners who joined it.

        Parameters
        ----------
        class_code
            The class code (``""`` deletes anonymous use).

        Returns
        -------
        Deleted
            Rows removed.
        """

        def op(conn: Connection) -> Deleted:
            a = conn.execute(delete(attempts).where(attempts.c.class_code == class_code))
            class_polls = select(polls.c.id).where(polls.c.class_code == class_code)
            conn.execute(delete(poll_answers).where(poll_answers.c.poll_id.in_(class_polls)))
            conn.execute(delete(polls).where(polls.c.class_code == class_code))
            lr = conn.execute(delete(learners).where(learners.c.class_code == class_code))
            return Deleted(a.rowcount, lr.rowcount)

        return self._write_op(op)


# --------------------------------------------------------------------------- outbox


class PendingQueue:
    """An in-memory outbox: attempts that could not be saved wait here, in order.

    The UI calls :meth:`record` instead of ``ResultsStore.record``; when it returns
    ``False`` it can say "not saved yet, retrying" and call :meth:`flush` later (on the
    next answer, or from a timer). Nothing is dropped while the kernel runs.

    Parameters
    ----------
    store
        Where attempts are saved.
    """

    def __init__(self, store: ResultsStore) -> None:
        self._store = store
        self._pending: deque[PendingAttempt] = deque()
        self._lock = threading.RLock()
        self._last_error: SaveError | None = None

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> tuple[PendingAttempt, ...]:
        """Attempts still waiting, oldest first."""
        with self._lock:
            return tuple(self._pending)

    @property
    def last_error(self) -> SaveError | None:
        """The most recent save failure, ``None`` once everything is saved."""
        return self._last_error

    def record(
        self,
        *,
        learner_id: str,
        lesson_id: str,
        question_id: str,
        answer: str,
        correct: bool,
        class_code: str = "",
        answered_at: dt.datetime | None = None,
    ) -> bool:
        """Queue one checked answer and try to save everything queued.

        Parameters are those of :meth:`ResultsStore.record`; invalid input raises
        ``ValueError``/``TypeError`` at once and is not queued.

        Returns
        -------
        bool
            ``True`` if this attempt (and everything before it) is saved, ``False`` if it
            waits in the queue.
        """
        return self.add(
            PendingAttempt(
                learner_id=learner_id,
                lesson_id=lesson_id,
                question_id=question_id,
                answer=answer,
                correct=correct,
                class_code=class_code,
                answered_at=answered_at if answered_at is not None else _now(),
            )
        )

    def add(self, attempt: PendingAttempt) -> bool:
        """Queue an attempt, then :meth:`flush`.

        Parameters
        ----------
        attempt
            The attempt to save.

        Returns
        -------
        bool
            ``True`` if the queue is empty afterwards (this attempt is saved).
        """
        with self._lock:
            self._pending.append(attempt)
            self.flush()
            return not self._pending

    def flush(self) -> int:
        """Save queued attempts in order, stopping at the first failure.

        Returns
        -------
        int
            How many attempts were saved by this call.
        """
        saved = 0
        with self._lock:
            while self._pending:
                try:
                    self._store.save(self._pending[0])
                except SaveError as err:
                    self._last_error = err
                    logger.warning("%d attempt(s) not saved yet: %s", len(self._pending), err)
                    break
                self._pending.popleft()
                saved += 1
            else:
                self._last_error = None
        return saved
