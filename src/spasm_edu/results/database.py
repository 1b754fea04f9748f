"""The results database: which URL, the SQLAlchemy engine, retries, and schema migrations.

Every other part of the store reads and writes through :class:`Database` (``read`` and
``write``), so locking, retrying and migrating live here and nowhere else.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, TypeVar

import platformdirs
from sqlalchemy import URL, Connection, Engine, Row, Select, create_engine, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool, Pool, StaticPool

from .._signals import interrupts_held
from ..settings import DATABASE_URL_ENV, database_url
from ._errors import SaveError, StoreError
from ._schema import LATEST_VERSION, apply_migrations, read_version, utc_now

__all__ = [
    "DATABASE_URL_ENV",
    "Database",
    "RetryPolicy",
    "default_database_url",
    "resolve_database_url",
]

logger = logging.getLogger(__name__)

# Execution option marking a connection whose transaction must take SQLite's write lock
# at BEGIN (BEGIN IMMEDIATE), so a writer waits in the busy handler instead of failing
# half-way when it upgrades a read lock.
_WRITE_OPTION: Final = "spasm_edu_write"
# OperationalError covers locked/busy, disk full, read-only file and server down;
# InterfaceError and InternalError cover dropped connections and read-only servers.
_RETRYABLE: Final = (exc.OperationalError, exc.InterfaceError, exc.InternalError)

_T = TypeVar("_T")


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
        url = database_url()
    if url is None:
        return default_database_url()
    return make_url(url)


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


class Database:
    """One results database: reads and writes with retries, the schema migrated on first use.

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
        use_default = url is None and database_url() is None
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
        """How many times an operation has been retried since this database was opened."""
        return self._retries

    def close(self) -> None:
        """Release the engine's resources; the database can still be used afterwards."""
        self._engine.dispose()

    # ---------------------------------------------------------------- the interface

    def read(self, stmt: Select[Any]) -> list[Row[Any]]:
        """Run a query and return all its rows, retrying failures.

        Parameters
        ----------
        stmt
            A ``select(...)`` on the tables of ``_schema``.

        Returns
        -------
        list of Row
            Every row, read in one transaction.

        Raises
        ------
        StoreError
            If the database stayed unusable after retrying.
        """
        self._ensure_schema(StoreError)

        def op() -> list[Row[Any]]:
            with self._engine.connect() as conn:
                return list(conn.execute(stmt).all())

        return self._run(op, StoreError)

    def write(self, op: Callable[[Connection], _T]) -> _T:
        """Run ``op(conn)`` in one write transaction, retrying it whole on failure.

        Parameters
        ----------
        op
            Does the writing through ``conn`` and returns what the caller needs. It may run
            more than once, so it must not change anything outside the database.

        Returns
        -------
        object
            What ``op`` returned, once the transaction is committed.

        Raises
        ------
        SaveError
            If the database stayed locked, full, read-only or unreachable after retrying.
        """

        def run() -> _T:
            with self._write() as conn:
                return op(conn)

        with interrupts_held():
            self._ensure_schema(SaveError)
            return self._run(run, SaveError)

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

    # ---------------------------------------------------------------- plumbing

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
                return apply_migrations(conn, utc_now())

        # Read first: an up-to-date database (the usual case) needs no write lock.
        version = self._run(current, error)
        if version != LATEST_VERSION:
            version = self._run(upgrade, SaveError)
        self._schema_ready = True
        return version
