"""What a learner's answer is, what grading says about it, and an answer put into words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# What a learner can submit, by question type (quiz/types.py checks and grades it):
#   single, true_false, myth_fact: one choice id;  multiple: a set of choice ids;
#   match: {item id: group id};  order: item ids in the chosen order.
Response = str | frozenset[str] | Mapping[str, str] | Sequence[str]


class InvalidResponse(ValueError):
    """The response does not fit the question (unknown id, missing part, wrong shape)."""


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
    answer: str  # the answer in the answer encoding (quiz/types.py), as the store keeps it

    @property
    def unsafe(self) -> bool:
        """A wrong answer to a safety question that would not be safe to act on."""
        return any(line.unsafe for line in self.feedback)

    @property
    def n_right_parts(self) -> int:
        """How many parts (choices or items) were right."""
        return sum(1 for line in self.feedback if line.right)


@dataclass(frozen=True)
class AnswerPart:
    """One part of an answer in words: a choice, an item and its group, or a step in its place.

    ``lead`` and then ``key`` read as one phrase ("Numbness between the legs → " and
    "Call now"); a page shows ``key`` in bold. ``note`` says why the part is right (a correct
    choice's feedback), or is "".
    """

    ref: str
    lead: str = ""
    key: str = ""
    note: str = ""

    def __str__(self) -> str:
        return self.lead + self.key


def words(parts: Sequence[AnswerPart], separator: str = "; ") -> str:
    """An answer in plain words, one part after another."""
    return separator.join(str(part) for part in parts)
