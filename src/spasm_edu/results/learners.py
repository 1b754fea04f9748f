"""Learners and their attempts (checked answers): saving, reading, and the CSV export."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import Connection, Row, exc, insert, or_, select

from ._errors import StoreError
from ._schema import (
    MAX_ANSWER,
    MAX_CLASS_CODE,
    MAX_CONFIDENCE,
    MAX_ID,
    MAX_NICKNAME,
    attempts,
    check_text,
    check_time,
    from_db,
    learners,
    utc_now,
)
from .database import Database

__all__ = [
    "CSV_COLUMNS",
    "Attempt",
    "Learner",
    "LearnerStore",
    "PendingAttempt",
    "new_learner_id",
]

logger = logging.getLogger(__name__)

# Cells a spreadsheet may read as a formula (OWASP "CSV injection"); tab and CR too.
_FORMULA_PREFIXES: Final = ("=", "+", "-", "@", "\t", "\r")


def new_learner_id() -> str:
    """Return a new random pseudonymous learner id (32 hex characters).

    Returns
    -------
    str
        A UUID4 in hex; it says nothing about the person.
    """
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class Learner:
    """A pseudonymous learner: an id, a class code, an optional nickname."""

    learner_id: str
    class_code: str
    nickname: str | None
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class PendingAttempt:
    """A checked answer not saved yet: validated when created, saved by ``LearnerStore.save``.

    Its fields are the columns of the ``attempts`` table (a test checks that they agree).
    ``answer`` is in the answer encoding (see "Answer encoding" in
    ``spasm_edu/quiz/types.py``); the store keeps any text verbatim. ``answered_at``
    defaults to the moment the object is created, so an attempt that waits in a
    :class:`~spasm_edu.results.PendingQueue` keeps the time the learner answered.
    """

    learner_id: str
    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    class_code: str = ""
    answered_at: dt.datetime = field(default_factory=utc_now)
    confidence: str | None = None  # "How sure are you?", None when not stated

    def __post_init__(self) -> None:
        check_text("learner_id", self.learner_id, MAX_ID)
        check_text("lesson_id", self.lesson_id, MAX_ID)
        check_text("question_id", self.question_id, MAX_ID)
        check_text("answer", self.answer, MAX_ANSWER, allow_empty=True)
        check_text("class_code", self.class_code, MAX_CLASS_CODE, allow_empty=True)
        if not isinstance(self.correct, bool):
            msg = f"correct must be True or False, not {type(self.correct).__name__}."
            raise TypeError(msg)
        object.__setattr__(self, "answered_at", check_time("answered_at", self.answered_at))
        if self.confidence is not None:
            check_text("confidence", self.confidence, MAX_CONFIDENCE)


@dataclass(frozen=True, slots=True)
class Attempt:
    """One saved checked answer: a row of ``attempts`` (the fields of PendingAttempt and an id)."""

    id: int
    class_code: str
    learner_id: str
    lesson_id: str
    question_id: str
    answer: str
    correct: bool
    answered_at: dt.datetime
    confidence: str | None = None


# The export has every column of Attempt, in order; only "id" is renamed.
CSV_COLUMNS: Final = tuple(
    "attempt_id" if f.name == "id" else f.name for f in dataclasses.fields(Attempt)
)


def _attempt_from_row(row: Row[Any]) -> Attempt:
    values = row._asdict()
    values.update(id=int(row.id), correct=bool(row.correct), answered_at=from_db(row.answered_at))
    return Attempt(**values)


def _learner_from_row(row: Row[Any]) -> Learner:
    return Learner(
        learner_id=row.learner_id,
        class_code=row.class_code,
        nickname=row.nickname,
        created_at=from_db(row.created_at),
    )


def _csv_cell(value: object) -> object:
    """A value as a CSV cell: ISO times, true/false, and no text a spreadsheet runs."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


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


class LearnerStore:
    """Learners and their attempts, kept in a :class:`Database`.

    Parameters
    ----------
    database
        Where the ``learners`` and ``attempts`` tables live.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    @property
    def database(self) -> Database:
        """The database these learners and attempts are kept in."""
        return self._database

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
        check_text("learner_id", learner_id, MAX_ID)
        check_text("class_code", class_code, MAX_CLASS_CODE, allow_empty=True)
        if nickname is not None:
            check_text("nickname", nickname, MAX_NICKNAME, allow_empty=True)
        values = {
            "learner_id": learner_id,
            "class_code": class_code,
            "nickname": nickname,
            "created_at": utc_now(),
        }

        def op(conn: Connection) -> Learner:
            _insert_learner_if_missing(conn, values)
            row = conn.execute(select(learners).where(learners.c.learner_id == learner_id)).one()
            return _learner_from_row(row)

        return self._database.write(op)

    def save(self, attempt: PendingAttempt) -> Attempt:
        """Save one checked answer; return only after it is committed.

        An unknown learner is registered on the fly, in the same transaction.

        Parameters
        ----------
        attempt
            The answer, validated when the :class:`PendingAttempt` was made.

        Returns
        -------
        Attempt
            The saved attempt, with its database id.

        Raises
        ------
        SaveError
            If the database stayed locked, full, read-only or unreachable after retrying.
        """
        values = dataclasses.asdict(attempt)
        learner = {
            "learner_id": attempt.learner_id,
            "class_code": attempt.class_code,
            "nickname": None,
            "created_at": utc_now(),
        }

        def op(conn: Connection) -> int:
            _insert_learner_if_missing(conn, learner)
            # inserted_primary_key works on every backend, with or without RETURNING.
            key = conn.execute(insert(attempts).values(values)).inserted_primary_key
            if key is None or key[0] is None:
                msg = "The database did not report the new attempt's id."
                raise StoreError(msg)
            return int(key[0])

        return Attempt(id=self._database.write(op), **values)

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
        rows = self._database.read(select(learners).where(learners.c.learner_id == learner_id))
        return _learner_from_row(rows[0]) if rows else None

    def attempts_for_learner(self, learner_id: str, lesson_id: str | None = None) -> list[Attempt]:
        """Return a learner's attempts, oldest first (what a reload replays).

        Parameters
        ----------
        learner_id
            The pseudonymous id.
        lesson_id
            Only this lesson, when given.

        Returns
        -------
        list of Attempt
            Ordered by the time of the answer, then by save order.
        """
        stmt = select(attempts).where(attempts.c.learner_id == learner_id)
        if lesson_id is not None:
            stmt = stmt.where(attempts.c.lesson_id == lesson_id)
        stmt = stmt.order_by(attempts.c.answered_at, attempts.c.id)
        return [_attempt_from_row(row) for row in self._database.read(stmt)]

    def attempts_for_class(self, class_code: str, lesson_id: str | None = None) -> list[Attempt]:
        """Return a class's attempts, oldest first (what the class report counts).

        Parameters
        ----------
        class_code
            The class code (empty for anonymous attempts).
        lesson_id
            Only this lesson, when given.

        Returns
        -------
        list of Attempt
            Ordered by the time of the answer, then by save order.
        """
        stmt = select(attempts).where(attempts.c.class_code == class_code)
        if lesson_id is not None:
            stmt = stmt.where(attempts.c.lesson_id == lesson_id)
        stmt = stmt.order_by(attempts.c.answered_at, attempts.c.id)
        return [_attempt_from_row(row) for row in self._database.read(stmt)]

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
        return [_learner_from_row(row) for row in self._database.read(stmt)]

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
            The columns of :data:`CSV_COLUMNS` (``attempt_id, class_code, learner_id,
            lesson_id, question_id, answer, correct, answered_at, confidence``), times in ISO 8601 UTC.
            Text cells starting with ``= + - @`` (or tab/CR) get a leading ``'`` so
            spreadsheets do not run them as formulas.
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
        for row in self._database.read(stmt):
            item = _attempt_from_row(row)
            writer.writerow([_csv_cell(getattr(item, f.name)) for f in dataclasses.fields(Attempt)])
        return buffer.getvalue()
