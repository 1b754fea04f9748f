"""A learner's saved progress: who they are, saving each checked answer, and resuming.

Pure logic between the quiz engine and the results store; no widgets.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from .content import Question
from .quiz import (
    RESTART_QUESTION,
    REVEALED_ANSWER,
    REVIEW_QUESTION,
    Grade,
    QuizSession,
    confidence_of,
)
from .results import PendingAttempt, PendingQueue, ResultsStore, StoreError
from .voila.handshake import wait_for_visitor

log = logging.getLogger(__name__)
LEARNER_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class SaveStatus:
    """What to tell the learner after an answer: saved, or waiting to be saved."""

    saved: bool
    pending: int


def request_param(name: str) -> str:
    """A parameter of the page address (``?name=value``), which Voilà gives the kernel."""
    wait_for_visitor()
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get(name, [])
    return values[0] if values else ""


def learner_from_request() -> str | None:
    """The learner id in the page address (``?learner=...``), if it is well formed."""
    value = request_param("learner")
    return value if LEARNER_RE.match(value) else None


class LearnerProgress:
    """Saves a learner's answers for one lesson and replays them after a reload."""

    def __init__(
        self, store: ResultsStore, learner_id: str, lesson_id: str, class_code: str = ""
    ) -> None:
        self.store = store
        self.learner_id = learner_id
        self.lesson_id = lesson_id
        self.class_code = class_code
        self._queue = PendingQueue(store)

    @classmethod
    def open(cls, store: ResultsStore, learner_id: str, lesson_id: str) -> LearnerProgress:
        """Progress of a known learner (their class comes from the store)."""
        learner = store.learner(learner_id)
        return cls(store, learner_id, lesson_id, learner.class_code if learner else "")

    @property
    def pending(self) -> int:
        """Answers not saved yet."""
        return len(self._queue)

    def record(self, question: Question, result: Grade, confidence: object = None) -> SaveStatus:
        """Save one checked answer (kept in memory and retried if the database fails).

        `confidence` is kept only if it is one of quiz.CONFIDENCE_LEVELS (else not stated).
        """
        return self._add(question.id, result.answer, result.correct, confidence_of(confidence))

    def record_review(self) -> SaveStatus:
        """Save that the learner started reviewing their mistakes (a reload reopens them)."""
        return self._add(REVIEW_QUESTION, "", False)

    def record_reveal(self, question: Question) -> SaveStatus:
        """Save that the learner asked to see the answer."""
        return self._add(question.id, REVEALED_ANSWER, False)

    def record_restart(self) -> SaveStatus:
        """Save that the learner started the quiz again (a reload then starts fresh too)."""
        return self._add(RESTART_QUESTION, "", False)

    def _add(
        self, question_id: str, answer: str, correct: bool, confidence: str | None = None
    ) -> SaveStatus:
        saved = self._queue.add(
            PendingAttempt(
                learner_id=self.learner_id,
                lesson_id=self.lesson_id,
                question_id=question_id,
                answer=answer,
                correct=correct,
                class_code=self.class_code,
                confidence=confidence,
            )
        )
        return SaveStatus(saved, len(self._queue))

    def flush(self) -> SaveStatus:
        """Try again to save what is waiting."""
        self._queue.flush()
        return SaveStatus(not len(self._queue), len(self._queue))

    def resume(self, session: QuizSession) -> int:
        """Replay this learner's saved answers into `session`; return how many were replayed."""
        try:
            attempts = self.store.attempts_for_learner(self.learner_id, self.lesson_id)
        except StoreError:
            log.warning("could not read saved answers of learner %s", self.learner_id)
            return 0
        history = [
            (a.question_id, a.answer, a.confidence)
            for a in sorted(attempts, key=lambda a: (a.answered_at, a.id))
        ]
        session.replay(history)
        return len(history)
