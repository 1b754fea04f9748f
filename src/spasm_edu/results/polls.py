"""Live polls: the presenter sends a question to a class, students answer, the presenter reveals."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import Connection, exc, insert, select, update

from ._schema import (
    MAX_ANSWER,
    MAX_CLASS_CODE,
    MAX_ID,
    check_text,
    from_db,
    poll_answers,
    polls,
    utc_now,
)
from .database import Database

OPEN, REVEALED, CLOSED = "open", "revealed", "closed"


@dataclass(frozen=True)
class Poll:
    """A question sent to a class; state is open, revealed or closed."""

    id: int
    class_code: str
    lesson_id: str
    question_id: str
    state: str
    opened_at: dt.datetime


class PollStore:
    """Live polls kept in the results database, so every student kernel can see them.

    The app reaches it as ``ResultsStore.polls``. Answers are ``Grade.answer`` strings, in
    the answer encoding ("Answer encoding" in ``spasm_edu/quiz/types.py``), like attempts.

    Parameters
    ----------
    database
        Where the ``polls`` and ``poll_answers`` tables live.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def open_poll(self, class_code: str, lesson_id: str, question_id: str) -> Poll:
        """Close the class's current poll, if any, and open a new one."""
        check_text("class_code", class_code, MAX_CLASS_CODE)
        check_text("lesson_id", lesson_id, MAX_ID)
        check_text("question_id", question_id, MAX_ID)
        now = utc_now()

        def op(conn: Connection) -> int:
            conn.execute(
                update(polls)
                .where(polls.c.class_code == class_code, polls.c.state != CLOSED)
                .values(state=CLOSED)
            )
            result = conn.execute(
                insert(polls).values(
                    class_code=class_code,
                    lesson_id=lesson_id,
                    question_id=question_id,
                    state=OPEN,
                    opened_at=now,
                )
            )
            key = result.inserted_primary_key
            if key is None:
                raise RuntimeError("the database did not return the new poll's id")
            return int(key[0])

        poll_id = self._database.write(op)
        return Poll(poll_id, class_code, lesson_id, question_id, OPEN, now)

    def set_state(self, poll_id: int, state: str) -> None:
        """Reveal or close a poll."""
        if state not in (OPEN, REVEALED, CLOSED):
            raise ValueError(f"unknown poll state {state!r}")
        self._database.write(
            lambda conn: conn.execute(
                update(polls).where(polls.c.id == poll_id).values(state=state)
            )
        )

    def active_poll(self, class_code: str) -> Poll | None:
        """The class's open or revealed poll, or None."""
        rows = self._database.read(
            select(polls)
            .where(polls.c.class_code == class_code, polls.c.state != CLOSED)
            .order_by(polls.c.id.desc())
            .limit(1)
        )
        if not rows:
            return None
        r = rows[0]
        return Poll(
            int(r.id), r.class_code, r.lesson_id, r.question_id, r.state, from_db(r.opened_at)
        )

    def answer(self, poll_id: int, learner_id: str, answer: str, correct: bool) -> bool:
        """Save a learner's answer to an open poll; False if closed or already answered."""
        check_text("learner_id", learner_id, MAX_ID)
        check_text("answer", answer, MAX_ANSWER)

        def op(conn: Connection) -> bool:
            state = conn.execute(select(polls.c.state).where(polls.c.id == poll_id)).scalar()
            if state != OPEN:
                return False
            try:
                with conn.begin_nested():
                    conn.execute(
                        insert(poll_answers).values(
                            poll_id=poll_id,
                            learner_id=learner_id,
                            answer=answer,
                            correct=correct,
                            answered_at=utc_now(),
                        )
                    )
            except exc.IntegrityError:
                return False  # one answer per learner; the first one counts
            return True

        return self._database.write(op)

    def counts(self, poll_id: int) -> Counter[str]:
        """How many learners gave each answer."""
        rows = self._database.read(
            select(poll_answers.c.answer).where(poll_answers.c.poll_id == poll_id)
        )
        return Counter(r.answer for r in rows)

    def my_answer(self, poll_id: int, learner_id: str) -> str | None:
        """The answer this learner gave, if any."""
        rows = self._database.read(
            select(poll_answers.c.answer).where(
                poll_answers.c.poll_id == poll_id, poll_answers.c.learner_id == learner_id
            )
        )
        return rows[0].answer if rows else None
