"""ResultsStore: the one object the app holds: learners and attempts, polls, passcode tries,
retention."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import URL, Connection, Engine, delete, select

from ._schema import attempts, check_time, learners, poll_answers, polls, utc_now
from .database import Database, RetryPolicy
from .learners import LearnerStore
from .passcode import PasscodeTries
from .polls import PollStore

__all__ = ["Deleted", "ResultsStore"]


@dataclass(frozen=True, slots=True)
class Deleted:
    """How many rows a retention or delete call removed."""

    attempts: int
    learners: int


class ResultsStore(LearnerStore):
    """Attempts, learners and live polls, saved to SQLite by default or any SQLAlchemy database.

    The learner and attempt methods come from :class:`LearnerStore`; live polls are
    :attr:`polls`; the educator passcode's wrong tries are :attr:`passcode_tries`; locking,
    retries and migrations are :attr:`database`. Forgetting data
    (:meth:`purge_older_than`, :meth:`delete_learner`, :meth:`delete_class`) lives here,
    because it spans every table that holds a learner's data.

    Parameters
    ----------
    url, retry, sleep, busy_timeout, connect_timeout
        Passed to :class:`Database`: ``None`` for ``url`` uses ``SPASM_EDU_DATABASE_URL``
        or, failing that, a SQLite file in the user's data directory.
    clock
        Returns the current time, timezone-aware, for the passcode lockout; tests pass a fake.

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
        clock: Callable[[], dt.datetime] = utc_now,
    ) -> None:
        database = Database(
            url,
            retry=retry,
            sleep=sleep,
            busy_timeout=busy_timeout,
            connect_timeout=connect_timeout,
        )
        super().__init__(database)
        self._polls = PollStore(database)
        self._passcode_tries = PasscodeTries(database, clock=clock)

    @property
    def polls(self) -> PollStore:
        """Live polls, kept in the same database."""
        return self._polls

    @property
    def passcode_tries(self) -> PasscodeTries:
        """Wrong educator passcodes, counted for every kernel on this database."""
        return self._passcode_tries

    # ---------------------------------------------------------------- the database

    @property
    def url(self) -> str:
        """The database URL, with any password hidden."""
        return self.database.url

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for tests and advanced use)."""
        return self.database.engine

    @property
    def retries(self) -> int:
        """How many times an operation has been retried since this store was created."""
        return self.database.retries

    def migrate(self) -> int:
        """Bring the schema up to date (see :meth:`Database.migrate`); return its version."""
        return self.database.migrate()

    def schema_version(self) -> int:
        """Return the schema version recorded in the database (0 before the first use)."""
        return self.database.schema_version()

    def close(self) -> None:
        """Release the engine's resources; the store can still be used afterwards."""
        self.database.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    # ---------------------------------------------------------------- retention

    def purge_older_than(self, days: float = 180, *, now: dt.datetime | None = None) -> Deleted:
        """Delete attempts and polls older than ``days``, and learners left with no attempts.

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
        cutoff = check_time("now", now if now is not None else utc_now()) - dt.timedelta(days=days)

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

        return self.database.write(op)

    def delete_learner(self, learner_id: str) -> Deleted:
        """Delete a learner, all their attempts and their poll answers.

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

        return self.database.write(op)

    def delete_class(self, class_code: str) -> Deleted:
        """Delete a class: its attempts, its polls and the learners who joined it.

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

        return self.database.write(op)
