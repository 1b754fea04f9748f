"""Grading and quiz sessions: pure Python, no widgets, so the browser cannot change a score."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from ..content.model import Question, Quiz
from .answers import Grade, InvalidResponse, Response
from .types import rules_of


class QuestionLocked(RuntimeError):
    """The question takes no answer now: solved, revealed, or checked and awaiting Try again."""


def normalise(question: Question, response: Response) -> Response:
    """Check the shape of `response` for `question` and return it in canonical form."""
    return rules_of(question).normalise(response)


def grade(question: Question, response: Response) -> Grade:
    """Grade `response`; raise InvalidResponse if it does not fit the question."""
    return rules_of(question).grade(response)


def decode_answer(question: Question, answer: str) -> Response:
    """Turn a stored answer string (``Grade.answer``) back into a response."""
    return rules_of(question).decode(answer)


# Saved answers are in the answer encoding ("Answer encoding" in quiz/types.py), and these two:
REVEALED_ANSWER = ""  # what the store keeps for "Show answer"
RESTART_QUESTION = "_restart"  # a saved "Start the quiz again" (content ids never start with _)
REVIEW_QUESTION = "_review"  # a saved "Review my mistakes": the review questions open again

# "How sure are you?": the three steps a learner can say, least sure first. Anything else
# (the browser can send any value) counts as not stated.
CONFIDENCE_LEVELS: tuple[str, ...] = ("guessing", "fairly_sure", "certain")


def confidence_of(value: object) -> str | None:
    """`value` if it is one of CONFIDENCE_LEVELS, else None (not stated)."""
    return value if isinstance(value, str) and value in CONFIDENCE_LEVELS else None


class Status(str, Enum):
    """Where a learner is with one question."""

    OPEN = "open"
    WRONG = "wrong"  # checked and wrong: shows feedback until Try again
    CORRECT = "correct"
    REVEALED = "revealed"


@dataclass
class QuestionState:
    """A learner's progress on one question."""

    status: Status = Status.OPEN
    checks: int = 0
    first_try_correct: bool | None = None
    last: Grade | None = None
    first_confidence: str | None = None  # how sure the learner said they were at the first check
    confidence: str | None = None  # ... and at the last check


@dataclass(frozen=True)
class ScoreBand:
    """Feedback for a range of scores: shown when score / total >= minimum."""

    minimum: float
    message: str


@dataclass
class QuizSession:
    """One learner taking one quiz: question order, checks, score.

    The score counts questions answered right at the first check; Try again helps learning
    but does not raise the score, and Show answer ends the question. Review (``start_review``)
    opens the questions missed or guessed once more, with their choices shuffled; it does not
    change the score either.
    """

    quiz: Quiz
    rng: random.Random | None = None
    question_order: tuple[str, ...] = field(init=False)
    choice_orders: dict[str, tuple[str, ...]] = field(init=False)
    states: dict[str, QuestionState] = field(init=False)
    reviewing: tuple[str, ...] = field(init=False, default=())

    def __post_init__(self) -> None:
        questions = list(self.quiz.questions)
        shuffle = self.quiz.shuffle and self.rng is not None
        if shuffle and self.rng is not None:
            self.rng.shuffle(questions)
        self.question_order = tuple(q.id for q in questions)
        self.choice_orders = {}
        for q in questions:
            # Each type knows its order: order items are always shuffled (the content lists
            # them in the right order), true/false and myth/fact keep their natural order.
            self.choice_orders[q.id] = rules_of(q).arrange(self.rng, shuffle)
        self.states = {q.id: QuestionState() for q in questions}

    @property
    def questions(self) -> tuple[Question, ...]:
        """Questions in the order this learner sees them."""
        by_id = {q.id: q for q in self.quiz.questions}
        return tuple(by_id[qid] for qid in self.question_order)

    def question(self, question_id: str) -> Question:
        """The question with this id (KeyError if not in this quiz)."""
        for q in self.quiz.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def check(self, question_id: str, response: Response, confidence: object = None) -> Grade:
        """Grade an answer and record it; raise QuestionLocked when it takes no answer now.

        `confidence` is how sure the learner said they were (CONFIDENCE_LEVELS); any other
        value is kept as not stated (None).
        """
        state = self.states[question_id]
        if state.status is not Status.OPEN:
            raise QuestionLocked(question_id)
        result = grade(self.question(question_id), response)
        state.checks += 1
        state.confidence = confidence_of(confidence)
        if state.first_try_correct is None:
            state.first_try_correct = result.correct
            state.first_confidence = state.confidence
        state.status = Status.CORRECT if result.correct else Status.WRONG
        state.last = result
        return result

    def try_again(self, question_id: str) -> None:
        """Open a wrongly answered question for another answer."""
        state = self.states[question_id]
        if state.status is not Status.WRONG:
            raise QuestionLocked(question_id)
        state.status = Status.OPEN

    def reveal(self, question_id: str) -> None:
        """Show the right answer; the question is then closed (a wrong first try stays wrong)."""
        state = self.states[question_id]
        if state.status is Status.CORRECT:
            return
        if state.first_try_correct is None:
            state.first_try_correct = False
        state.status = Status.REVEALED

    def review_ids(self) -> tuple[str, ...]:
        """Questions to review, in the learner's order: wrong at first, or a guess."""
        return tuple(
            qid
            for qid in self.question_order
            if self.states[qid].first_try_correct is False
            or self.states[qid].first_confidence == "guessing"
        )

    def start_review(self, rng: random.Random | None = None) -> tuple[str, ...]:
        """Open the questions of ``review_ids`` again, choices shuffled with `rng` (or the
        session's). The first answers keep deciding the score. Return the questions opened."""
        if not self.finished:
            raise QuestionLocked(REVIEW_QUESTION)
        rng = rng or self.rng or random.Random()  # noqa: S311 (shuffling, not security)
        self.reviewing = self.review_ids()
        for qid in self.reviewing:
            state = self.states[qid]
            state.status = Status.OPEN
            state.last = None
            self.choice_orders[qid] = rules_of(self.question(qid)).arrange(rng, True)
        return self.reviewing

    def replay(self, history: Sequence[tuple[str, str] | tuple[str, str, str | None]]) -> None:
        """Rebuild progress from saved (question id, answer[, confidence]), oldest first.

        Saved answers that no longer fit (the content changed) are skipped, not fatal.
        """
        for entry in history:
            question_id, answer = entry[0], entry[1]
            confidence = entry[2] if len(entry) > 2 else None
            if question_id == RESTART_QUESTION:
                self.states = {qid: QuestionState() for qid in self.states}
                self.reviewing = ()
                continue
            if question_id == REVIEW_QUESTION:
                if self.finished:
                    self.start_review()
                continue
            state = self.states.get(question_id)
            if state is None:
                continue
            if answer == REVEALED_ANSWER:
                self.reveal(question_id)
                continue
            if state.status is Status.WRONG:
                self.try_again(question_id)
            try:
                question = self.question(question_id)
                self.check(question_id, decode_answer(question, answer), confidence)
            except (InvalidResponse, QuestionLocked, ValueError):
                continue

    @property
    def answered(self) -> int:
        """Questions with at least one check or revealed."""
        return sum(1 for s in self.states.values() if s.first_try_correct is not None)

    @property
    def total(self) -> int:
        """Number of questions."""
        return len(self.states)

    @property
    def score(self) -> int:
        """Questions answered right at the first check."""
        return sum(1 for s in self.states.values() if s.first_try_correct)

    @property
    def finished(self) -> bool:
        """True when every question has been answered or revealed."""
        return self.answered == self.total

    def band(self, bands: Sequence[ScoreBand]) -> ScoreBand:
        """The score band that fits the current score (bands sorted high to low)."""
        ratio = self.score / self.total if self.total else 0.0
        for b in sorted(bands, key=lambda b: b.minimum, reverse=True):
            if ratio >= b.minimum:
                return b
        return bands[-1]
