"""Educator passcode tries, counted in the results database so that a reload cannot reset them.

The rule (kept from when the count lived in the page's kernel): after 5 wrong passcodes in a
row every try is refused for 30 seconds, the right one too; a right passcode starts the
count again. :class:`TryCount` is the rule; :class:`PasscodeTries` keeps one count in the
``passcode_tries`` table, read and changed in one write transaction per try.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlalchemy import Connection, exc, insert, select, update

from ._schema import check_time, from_db, passcode_tries, utc_now
from .database import Database

__all__ = ["LOCK_SECONDS", "MAX_MISSES", "PASSCODE_COUNT", "PasscodeTries", "TryCount"]

MAX_MISSES: Final = 5
LOCK_SECONDS: Final = 30.0
_LOCK: Final = dt.timedelta(seconds=LOCK_SECONDS)

# One count for the whole database (every page, kernel and server on it), not one per page
# kind, class code or visitor. The passcode is one secret for the server: a count per class
# code or page would give a guesser five more tries for every code they type, and one per
# visitor starts again in a new tab, as the kernel's count did on a reload. The price is
# that a student can make the educator wait, so the wait stays short and bounded: 30 s from
# the fifth miss, never extended by the tries refused meanwhile, and the count starts again
# from 0 when a lock starts. Locking the educator out for longer means failing five times
# again every 30 s, and the educator gets in 30 s after that stops.
PASSCODE_COUNT: Final = "educator-passcode"


@dataclass(frozen=True, slots=True)
class TryCount:
    """Wrong passcodes in a row, and when the last lock started (None: not locked)."""

    misses: int = 0
    locked_at: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        """True while tries are refused: within 30 s of the lock's start by `now`'s clock."""
        if self.locked_at is None:
            return False
        # Bounded whatever the clocks say: a lock stamped by a server whose clock runs ahead,
        # or before this clock was set back, is not honoured for longer than the lock itself.
        return abs(now - self.locked_at) < _LOCK

    def after_try(self, right: bool, now: dt.datetime) -> tuple[TryCount, bool]:
        """The count after a try at `now`, and whether the try gets in (right, not locked)."""
        if self.locked(now):
            return self, False  # refused without counting: a lock is never extended
        if right:
            return TryCount(), True
        if self.misses + 1 >= MAX_MISSES:
            return TryCount(0, now), False
        return TryCount(self.misses + 1), False


class PasscodeTries:
    """The educator passcode's count of wrong tries, shared by every kernel on one database.

    The app reaches it as ``ResultsStore.passcode_tries``.

    Parameters
    ----------
    database
        Where the ``passcode_tries`` table lives.
    clock
        Returns the current time, timezone-aware; tests pass a fake.
    name
        Which count (one row of the table).
    """

    def __init__(
        self,
        database: Database,
        *,
        clock: Callable[[], dt.datetime] = utc_now,
        name: str = PASSCODE_COUNT,
    ) -> None:
        self._database = database
        self._clock = clock
        self._name = name

    @property
    def clock(self) -> Callable[[], dt.datetime]:
        """What this count takes the time from (a kernel's own count uses it too)."""
        return self._clock

    def now(self) -> dt.datetime:
        """The current time by :attr:`clock`, in UTC."""
        return check_time("now", self._clock())

    def count(self) -> TryCount:
        """The count as stored now.

        Raises
        ------
        StoreError
            If the database cannot be read.
        """
        rows = self._database.read(
            select(passcode_tries.c.misses, passcode_tries.c.locked_at).where(
                passcode_tries.c.name == self._name
            )
        )
        return _from_row(rows[0].misses, rows[0].locked_at) if rows else TryCount()

    def locked(self) -> bool:
        """True while tries are refused.

        Raises
        ------
        StoreError
            If the database cannot be read.
        """
        return self.count().locked(self.now())

    def attempt(self, right: bool) -> bool:
        """Count one try (`right`: the passcode matched); True if it gets in.

        Read and written in one write transaction, so tries from many kernels at once are
        all counted: SQLite takes its write lock at BEGIN, PostgreSQL locks the row.

        Raises
        ------
        SaveError
            If the database stayed unusable after retrying.
        """
        now = self.now()

        def op(conn: Connection) -> bool:
            before = self._lock_row(conn)
            after, accepted = before.after_try(right, now)
            if after != before:
                conn.execute(
                    update(passcode_tries)
                    .where(passcode_tries.c.name == self._name)
                    .values(misses=after.misses, locked_at=after.locked_at)
                )
            return accepted

        return self._database.write(op)

    def _lock_row(self, conn: Connection) -> TryCount:
        """Read this count's row for update, creating it first if needed."""
        query = (
            select(passcode_tries.c.misses, passcode_tries.c.locked_at)
            .where(passcode_tries.c.name == self._name)
            .with_for_update()
        )
        row = conn.execute(query).first()
        if row is not None:
            return _from_row(row.misses, row.locked_at)
        try:
            with conn.begin_nested():
                conn.execute(insert(passcode_tries).values(name=self._name, misses=0))
        except exc.IntegrityError:
            pass  # another kernel created it first; its row is read (and locked) below
        row = conn.execute(query).one()
        return _from_row(row.misses, row.locked_at)


def _from_row(misses: int, locked_at: dt.datetime | None) -> TryCount:
    return TryCount(int(misses), from_db(locked_at) if locked_at is not None else None)
