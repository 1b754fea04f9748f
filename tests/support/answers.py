"""One description of "the answer for a question", right or wrong, for every question type.

The drivers differ in how they give it (the widget tests set widget values, the browser tests
click, the benchmark client sends protocol messages); what they pick comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from spasm_edu.content import Question
from spasm_edu.strings import text

#: Question types answered with radio buttons (one choice id).
ONE_CHOICE = ("single", "true_false", "myth_fact")


@dataclass(frozen=True)
class Answer:
    """What to pick for one question, by id: choice ids, or (item id, value) pairs.

    The value is a group id for `match` and a 1-based position ("1", "2", ...) for `order`.
    """

    choices: tuple[str, ...] = ()
    items: tuple[tuple[str, str], ...] = ()


def answer_for(question: Question, *, right: bool) -> Answer:
    """The right answer from the content, or a wrong one built from it."""
    q = question
    if q.type in ONE_CHOICE:
        return Answer(choices=(next(c.id for c in q.choices if c.correct is right),))
    if q.type == "multiple":
        # Right: exactly the correct ones. Wrong: one wrong choice alone.
        if right:
            return Answer(choices=tuple(c.id for c in q.choices if c.correct))
        wrong = [c.id for c in q.choices if not c.correct]
        return Answer(choices=tuple(wrong[:1]) or (q.choices[0].id,))
    if q.type == "match":
        groups = [g.id for g in q.groups]
        return Answer(
            items=tuple(
                (i.id, (i.answer or "") if right else next(g for g in groups if g != i.answer))
                for i in q.items
            )
        )
    # order: the content lists items in the right order; wrong = every item one place on.
    n = len(q.items)
    return Answer(
        items=tuple(
            (item.id, str(pos + 1 if right else (pos + 1) % n + 1))
            for pos, item in enumerate(q.items)
        )
    )


def response_of(question: Question, answer: Answer):
    """The answer as the engine's response: a choice id, a set of them, or item id -> value."""
    if question.type in ONE_CHOICE:
        return answer.choices[0]
    if question.type == "multiple":
        return set(answer.choices)
    return dict(answer.items)


def choice_label(question: Question, choice_id: str, language: str = "en") -> str:
    """The label a choice has on screen (true/false and myth/fact use the app's words)."""
    choice = question.choice(choice_id)
    fixed = question.type in ("true_false", "myth_fact") and choice.text.lower() == choice_id
    return text(choice_id, language) if fixed else choice.text


def labels_of(
    question: Question, answer: Answer, language: str = "en"
) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The answer as a learner sees it: choice labels, and (item label, option label) pairs."""
    choices = tuple(choice_label(question, cid, language) for cid in answer.choices)
    items = {i.id: i.text for i in question.items}
    groups = {g.id: g.text for g in question.groups} if question.type == "match" else {}
    selects = tuple((items[iid], groups.get(value, value)) for iid, value in answer.items)
    return choices, selects
