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


@dataclass(frozen=True)
class ScoreBand:
    """Feedback for a range of scores: shown when score / total >= minimum."""

    minimum: float
    message: str


@dataclass
class QuizSession:
    """One learner taking one quiz: question order, checks, score.

    The score counts questions answered right at the first check; Try again helps learning
    but does not raise the score, and Show answer ends the question.
    """

    quiz: Quiz
    rng: random.Random | None = None
    question_order: tuple[str, ...] = field(init=False)
    choice_orders: dict[str, tuple[str, ...]] = field(init=False)
    states: dict[str, QuestionState] = field(init=False)

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

    def check(self, question_id: str, response: Response) -> Grade:
        """Grade an answer and record it; raise QuestionLocked when it takes no answer now."""
        state = self.states[question_id]
        if state.status is not Status.OPEN:
            raise QuestionLocked(question_id)
        result = grade(self.question(question_id), response)
        state.checks += 1
        if state.first_try_correct is None:
            state.first_try_correct = result.correct
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

    def replay(self, history: Sequence[tuple[str, str]]) -> None:
        """Rebuild progress from saved (question id, answer) pairs, oldest first.

        Saved answers that no longer fit (the content changed) are skipped, not fatal.
        """
        for question_id, answer in history:
            if question_id == RESTART_QUESTION:
                self.states = {qid: QuestionState() for qid in self.states}
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
                self.check(question_id, decode_answer(self.question(question_id), answer))
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
