"""The question types: one QuestionRules class per type, the one place that knows each type.

Each class checks the shape of an answer (``normalise``), grades it, writes and reads it in the
answer encoding below, and puts an answer, or the right answer, into words. Everything else
(the session, the class report, the live poll, the widgets) asks ``rules_of(question)``.

A new question type: its name in ``QuestionType`` and a row in ``SHAPES`` (content/model.py),
a class here and a row in ``RULES``, an input class and a row in ``INPUTS`` (widgets/inputs.py),
and a row in each exporter that writes answers in another format (none yet: the class CSV
keeps the encoded answer). Nothing else branches on ``Question.type``.

Answer encoding
---------------
The one text form of an answer, made by ``grade()`` as ``Grade.answer``, saved verbatim by the
results store (attempts and poll answers) and read back by ``decode_answer()``. Saved answers
live in databases, so it never changes. Plain text, not JSON; parts are joined by ",". Content
ids are lowercase words joined by "-", so an id never holds "," or "=".

    single, true_false, myth_fact  the chosen choice id                 keep-moving
    multiple                       the chosen choice ids, sorted        rest,walk
    match                          item=group, in content item order    numb=now,ache=home
    order                          the item ids in the learner's order  b,a,c

"Show answer" is saved as ``REVEALED_ANSWER`` (""), "Start the quiz again" as an attempt at
``RESTART_QUESTION`` (quiz/engine.py). Decoding never fails: an answer saved before the
content changed decodes to a response that ``normalise`` may then refuse.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import ClassVar

from ..content.model import Question, QuestionType
from ..strings import text
from .answers import AnswerPart, FeedbackLine, Grade, InvalidResponse, Response


class QuestionRules:
    """How one question type takes, grades, encodes and words an answer.

    Built per question (``rules_of(question)``); subclasses fill in the methods that raise
    NotImplementedError here.
    """

    one_choice: ClassVar[bool] = False  # the answer is one choice: a poll charts each choice
    has_parts: ClassVar[bool] = False  # items each right or wrong: feedback says how many

    def __init__(self, question: Question) -> None:
        self.question = question

    # ---- taking and grading an answer ----------------------------------------------------

    def normalise(self, response: Response) -> Response:
        """Check the shape of `response` and return it in canonical form (InvalidResponse)."""
        raise NotImplementedError

    def grade(self, response: Response) -> Grade:
        """Grade `response`; raise InvalidResponse if it does not fit the question."""
        response = self.normalise(response)
        lines = self.feedback(response)
        return Grade(
            self.is_correct(response, lines),
            lines,
            self.misconceptions(response),
            self.encode(response),
        )

    def feedback(self, response: Response) -> tuple[FeedbackLine, ...]:
        """Feedback on each part of a normalised response, in content order."""
        raise NotImplementedError

    def is_correct(self, response: Response, lines: tuple[FeedbackLine, ...]) -> bool:
        """The whole answer is right (by default: every part is)."""
        return all(line.right for line in lines)

    def misconceptions(self, response: Response) -> tuple[str, ...]:
        """Misconceptions the wrong parts reveal; works on any decoded answer, even stale."""
        raise NotImplementedError

    # ---- the answer encoding (see the module docstring) ----------------------------------

    def encode(self, response: Response) -> str:
        """A normalised response in the answer encoding."""
        raise NotImplementedError

    def decode(self, answer: str) -> Response:
        """An encoded answer back as a response (never fails; normalise() checks it)."""
        raise NotImplementedError

    # ---- showing the question and answers ------------------------------------------------

    def part_ids(self) -> tuple[str, ...]:
        """The ids of the parts the learner answers with (choices or items), content order."""
        raise NotImplementedError

    def arrange(self, rng: random.Random | None, shuffle: bool) -> tuple[str, ...]:
        """The order the learner sees the parts in (`shuffle`: the quiz shuffles, with `rng`)."""
        return self.part_ids()

    def label(self, ref: str, language: str = "en") -> str:
        """Words for one choice or item id (the id itself if the content no longer has it)."""
        raise NotImplementedError

    def describe(self, response: Response, language: str = "en") -> tuple[AnswerPart, ...]:
        """A (decoded) answer in words, part by part."""
        raise NotImplementedError

    def correct_answer(self, language: str = "en") -> tuple[AnswerPart, ...]:
        """The right answer in words, part by part."""
        raise NotImplementedError

    def brief(self, response: Response, language: str = "en") -> str:
        """An answer in a few words, short enough to tell answers apart in a chart."""
        raise NotImplementedError


class _Choices(QuestionRules):
    """Questions answered by choosing: the shared half of single, multiple and the pairs."""

    def part_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.question.choices)

    def arrange(self, rng: random.Random | None, shuffle: bool) -> tuple[str, ...]:
        ids = list(self.part_ids())
        if shuffle and rng is not None:
            rng.shuffle(ids)
        return tuple(ids)

    def feedback(self, response: Response) -> tuple[FeedbackLine, ...]:
        chosen, q = _chosen(response), self.question
        return tuple(
            FeedbackLine(c.id, c.feedback, c.correct, q.safety and c.unsafe)
            for c in q.choices  # content order, so feedback reads the same each time
            if c.id in chosen
        )

    def is_correct(self, response: Response, lines: tuple[FeedbackLine, ...]) -> bool:
        return _chosen(response) == self.question.correct_choice_ids

    def misconceptions(self, response: Response) -> tuple[str, ...]:
        chosen = _chosen(response)
        return tuple(
            c.misconception
            for c in self.question.choices
            if c.misconception and c.id in chosen and not c.correct
        )

    def label(self, ref: str, language: str = "en") -> str:
        return next((c.text for c in self.question.choices if c.id == ref), ref)

    def _in_content_order(self, response: Response) -> list[str]:
        chosen = _chosen(response)
        known = [c.id for c in self.question.choices if c.id in chosen]
        return known + sorted(chosen - set(known))

    def describe(self, response: Response, language: str = "en") -> tuple[AnswerPart, ...]:
        return tuple(
            AnswerPart(ref, key=self.label(ref, language))
            for ref in self._in_content_order(response)
        )

    def correct_answer(self, language: str = "en") -> tuple[AnswerPart, ...]:
        return tuple(
            AnswerPart(c.id, key=self.label(c.id, language), note=c.feedback)
            for c in self.question.choices
            if c.correct
        )

    def brief(self, response: Response, language: str = "en") -> str:
        return ", ".join(self.label(ref, language) for ref in self._in_content_order(response))


class Single(_Choices):
    """``single``: exactly one choice is right; the answer is one choice id."""

    one_choice = True

    def normalise(self, response: Response) -> Response:
        if not isinstance(response, str) or response not in self.part_ids():
            raise InvalidResponse("choose one of the answers")
        return response

    def encode(self, response: Response) -> str:
        return ",".join(sorted(_chosen(response)))

    def decode(self, answer: str) -> Response:
        return answer


class Multiple(_Choices):
    """``multiple`` ("select all that apply"): right when exactly the right choices are chosen."""

    def normalise(self, response: Response) -> Response:
        if isinstance(response, (str, Mapping)) or not isinstance(
            response, (frozenset, set, list, tuple)
        ):
            raise InvalidResponse("choose one or more answers")
        chosen = frozenset(response)
        if not chosen or not chosen <= set(self.part_ids()):
            raise InvalidResponse("choose one or more answers")
        return chosen

    def encode(self, response: Response) -> str:
        return ",".join(sorted(_chosen(response)))

    def decode(self, answer: str) -> Response:
        return frozenset(answer.split(","))


class _Pair(Single):
    """A single choice between two fixed ids, kept in their natural order, text optional."""

    def arrange(self, rng: random.Random | None, shuffle: bool) -> tuple[str, ...]:
        return self.part_ids()

    def label(self, ref: str, language: str = "en") -> str:
        label = super().label(ref, language)
        # Text left out (or just the id): the app's own word, in the page's language.
        return text(ref, language) if label.lower() == ref and ref in self.part_ids() else label


class TrueFalse(_Pair):
    """``true_false``: the choices ``true`` and ``false``."""


class MythFact(_Pair):
    """``myth_fact``: the choices ``myth`` and ``fact``."""


class _Items(QuestionRules):
    """Questions whose items are each placed: right only when every item is."""

    has_parts = True

    def part_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.question.items)

    def label(self, ref: str, language: str = "en") -> str:
        return next((i.text for i in self.question.items if i.id == ref), ref)


class Match(_Items):
    """``match``: each item goes into a group; the groups go from most to least urgent."""

    def normalise(self, response: Response) -> Response:
        if not isinstance(response, Mapping):
            raise InvalidResponse("match every item")
        group_ids = {g.id for g in self.question.groups}
        if set(response) != set(self.part_ids()) or not set(response.values()) <= group_ids:
            raise InvalidResponse("match every item to a group")
        return dict(response)

    def feedback(self, response: Response) -> tuple[FeedbackLine, ...]:
        given, q = _placed(response), self.question
        # In a safety question, sorting a sign into a less urgent group than its answer is
        # unsafe; a more urgent one is only over-careful.
        urgency = {group.id: n for n, group in enumerate(q.groups)}
        return tuple(
            FeedbackLine(
                item.id,
                item.feedback,
                given[item.id] == item.answer,
                q.safety and urgency[given[item.id]] > urgency.get(item.answer or "", 0),
            )
            for item in q.items
        )

    def misconceptions(self, response: Response) -> tuple[str, ...]:
        given = _placed(response)
        return tuple(
            i.misconception
            for i in self.question.items
            if i.misconception and given.get(i.id) != i.answer
        )

    def encode(self, response: Response) -> str:
        given = _placed(response)
        return ",".join(f"{item.id}={given[item.id]}" for item in self.question.items)

    def decode(self, answer: str) -> Response:
        return dict(pair.split("=", 1) for pair in answer.split(",") if "=" in pair)

    def group_label(self, group_id: str) -> str:
        """Words for a group id (the id itself if the content no longer has it)."""
        return next((g.text for g in self.question.groups if g.id == group_id), group_id)

    def describe(self, response: Response, language: str = "en") -> tuple[AnswerPart, ...]:
        return tuple(
            AnswerPart(iid, f"{self.label(iid, language)} → ", self.group_label(gid))
            for iid, gid in _placed(response).items()
        )

    def correct_answer(self, language: str = "en") -> tuple[AnswerPart, ...]:
        groups = {g.id: g.text for g in self.question.groups}
        return tuple(
            AnswerPart(i.id, f"{i.text} → ", groups.get(i.answer or "", ""))
            for i in self.question.items
        )

    def brief(self, response: Response, language: str = "en") -> str:
        return ", ".join(_placed(response).values())  # the group ids, as given: short


class Order(_Items):
    """``order``: the items in the right order (the content lists them so; the app shuffles)."""

    def normalise(self, response: Response) -> Response:
        if isinstance(response, (str, Mapping)) or sorted(response) != sorted(self.part_ids()):
            raise InvalidResponse("put every item in a place")
        return tuple(response)

    def arrange(self, rng: random.Random | None, shuffle: bool) -> tuple[str, ...]:
        # Always shuffled, even in a quiz that does not shuffle: the content order is the answer.
        rng = rng or random.Random(self.question.id)  # noqa: S311 (shuffling, not security)
        return tuple(_shuffled_not_identity(list(self.part_ids()), rng))

    def feedback(self, response: Response) -> tuple[FeedbackLine, ...]:
        order = _sequence(response)
        return tuple(
            FeedbackLine(item.id, item.feedback, order[position] == item.id)
            for position, item in enumerate(self.question.items)
        )

    def misconceptions(self, response: Response) -> tuple[str, ...]:
        order = _sequence(response)
        return tuple(
            i.misconception
            for n, i in enumerate(self.question.items)
            if i.misconception and (n >= len(order) or order[n] != i.id)
        )

    def encode(self, response: Response) -> str:
        return ",".join(_sequence(response))

    def decode(self, answer: str) -> Response:
        return tuple(answer.split(","))

    def describe(self, response: Response, language: str = "en") -> tuple[AnswerPart, ...]:
        return tuple(AnswerPart(iid, self.label(iid, language)) for iid in _sequence(response))

    def correct_answer(self, language: str = "en") -> tuple[AnswerPart, ...]:
        return tuple(
            AnswerPart(i.id, f"{n}. {i.text}") for n, i in enumerate(self.question.items, 1)
        )

    def brief(self, response: Response, language: str = "en") -> str:
        return ", ".join(_sequence(response))  # the item ids, as given: short


# The one table of question types in the engine (the widgets have theirs in widgets/inputs.py).
RULES: Mapping[QuestionType, type[QuestionRules]] = {
    "single": Single,
    "multiple": Multiple,
    "true_false": TrueFalse,
    "myth_fact": MythFact,
    "match": Match,
    "order": Order,
}


def rules_of(question: Question) -> QuestionRules:
    """The rules of this question's type, for this question."""
    return RULES[question.type](question)


def _chosen(response: Response) -> frozenset[str]:
    if isinstance(response, str):
        return frozenset({response})
    return frozenset(response)


def _placed(response: Response) -> Mapping[str, str]:
    return response if isinstance(response, Mapping) else {}


def _sequence(response: Response) -> Sequence[str]:
    if isinstance(response, (str, Mapping)):
        return ()
    return tuple(response)


def _shuffled_not_identity(ids: list[str], rng: random.Random) -> list[str]:
    out = list(ids)
    for _ in range(10):
        rng.shuffle(out)
        if out != ids:
            return out
    return out[1:] + out[:1]
