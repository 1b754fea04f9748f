"""Grading and quiz sessions: pure Python, no widgets, so the browser cannot change a score."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum

from ..content.model import CHOICE_TYPES, Question, Quiz

# What a learner can submit, by question type:
#   single, true_false, myth_fact: one choice id;  multiple: a set of choice ids;
#   match: {item id: group id};  order: item ids in the chosen order.
Response = str | frozenset[str] | Mapping[str, str] | Sequence[str]


class InvalidResponse(ValueError):
    """The response does not fit the question (unknown id, missing part, wrong shape)."""


class QuestionLocked(RuntimeError):
    """The question takes no answer now: solved, revealed, or checked and awaiting Try again."""


@dataclass(frozen=True)
class FeedbackLine:
    """Feedback on one part of an answer: a chosen choice, or one item."""

    ref: str
    text: str
    right: bool
    unsafe: bool = False  # acting on this part of the answer would not be safe


@dataclass(frozen=True)
class Grade:
    """The result of checking one answer."""

    correct: bool
    feedback: tuple[FeedbackLine, ...]
    misconceptions: tuple[str, ...]
    answer: str

    @property
    def unsafe(self) -> bool:
        """A wrong answer to a safety question that would not be safe to act on."""
        return any(line.unsafe for line in self.feedback)

    @property
    def n_right_parts(self) -> int:
        """How many parts (choices or items) were right."""
        return sum(1 for line in self.feedback if line.right)


def normalise(question: Question, response: Response) -> Response:
    """Check the shape of `response` for `question` and return it in canonical form."""
    if question.type in ("single", "true_false", "myth_fact"):
        if not isinstance(response, str) or response not in {c.id for c in question.choices}:
            raise InvalidResponse("choose one of the answers")
        return response
    if question.type == "multiple":
        if isinstance(response, (str, Mapping)) or not isinstance(
            response, (frozenset, set, list, tuple)
        ):
            raise InvalidResponse("choose one or more answers")
        chosen = frozenset(response)
        if not chosen or not chosen <= {c.id for c in question.choices}:
            raise InvalidResponse("choose one or more answers")
        return chosen
    item_ids = [item.id for item in question.items]
    if question.type == "match":
        if not isinstance(response, Mapping):
            raise InvalidResponse("match every item")
        group_ids = {g.id for g in question.groups}
        if set(response) != set(item_ids) or not set(response.values()) <= group_ids:
            raise InvalidResponse("match every item to a group")
        return dict(response)
    if isinstance(response, (str, Mapping)) or sorted(response) != sorted(item_ids):
        raise InvalidResponse("put every item in a place")
    return tuple(response)


REVEALED_ANSWER = ""  # what the store keeps for "Show answer"
RESTART_QUESTION = "_restart"  # a saved "Start the quiz again" (content ids never start with _)


def decode_answer(question: Question, answer: str) -> Response:
    """Turn a stored answer string (``Grade.answer``) back into a response."""
    if question.type == "multiple":
        return frozenset(answer.split(","))
    if question.type == "match":
        return dict(pair.split("=", 1) for pair in answer.split(",") if "=" in pair)
    if question.type == "order":
        return tuple(answer.split(","))
    return answer


def grade(question: Question, response: Response) -> Grade:
    """Grade `response`; raise InvalidResponse if it does not fit the question."""
    response = normalise(question, response)
    lines: list[FeedbackLine] = []
    misconceptions: list[str] = []
    if question.type in CHOICE_TYPES:
        chosen = {response} if isinstance(response, str) else set(response)
        for choice in question.choices:  # content order, so feedback reads the same each time
            if choice.id in chosen:
                unsafe = question.safety and choice.unsafe
                lines.append(FeedbackLine(choice.id, choice.feedback, choice.correct, unsafe))
                if not choice.correct and choice.misconception:
                    misconceptions.append(choice.misconception)
        correct = chosen == set(question.correct_choice_ids)
        answer = ",".join(sorted(chosen))
    elif question.type == "match":
        assert isinstance(response, Mapping)  # normalise() guarantees it
        # Groups go from most to least urgent: in a safety question, sorting a sign into a
        # less urgent group than its answer is unsafe; a more urgent one is only over-careful.
        urgency = {group.id: n for n, group in enumerate(question.groups)}
        for item in question.items:
            right = response[item.id] == item.answer
            unsafe = question.safety and urgency[response[item.id]] > urgency.get(
                item.answer or "", 0
            )
            lines.append(FeedbackLine(item.id, item.feedback, right, unsafe))
            if not right and item.misconception:
                misconceptions.append(item.misconception)
        correct = all(line.right for line in lines)
        answer = ",".join(f"{item.id}={response[item.id]}" for item in question.items)
    else:
        order = list(response)
        for position, item in enumerate(question.items):
            right = order[position] == item.id
            lines.append(FeedbackLine(item.id, item.feedback, right))
            if not right and item.misconception:
                misconceptions.append(item.misconception)
        correct = all(line.right for line in lines)
        answer = ",".join(order)
    return Grade(correct, tuple(lines), tuple(misconceptions), answer)


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
            ids = [c.id for c in q.choices] or [i.id for i in q.items]
            # Order items are always shuffled (the content lists them in the right order);
            # true/false and myth/fact keep their natural order.
            if q.type == "order":
                ids = _shuffled_not_identity(ids, self.rng or random.Random(q.id))  # noqa: S311 (shuffling, not security)
            elif shuffle and self.rng is not None and q.type in ("single", "multiple"):
                self.rng.shuffle(ids)
            self.choice_orders[q.id] = tuple(ids)
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


def _shuffled_not_identity(ids: list[str], rng: random.Random) -> list[str]:
    out = list(ids)
    for _ in range(10):
        rng.shuffle(out)
        if out != ids:
            return out
    return out[1:] + out[:1]
