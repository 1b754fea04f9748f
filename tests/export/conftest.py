"""Fixtures of the export tests: the shipped course and a course of hostile text."""

from __future__ import annotations

import pytest

from spasm_edu.content import Choice, Course, Group, Item, Lesson, Question, Quiz, load_course
from tests.support.hostile import PAYLOADS


@pytest.fixture(scope="session")
def course() -> Course:
    """The shipped course."""
    loaded, _ = load_course()
    return loaded


def _questions(n: int, text: str) -> tuple[Question, ...]:
    """One question of each type whose every text is `text` (with a suffix where two differ)."""
    return (
        Question(
            f"single-{n}",
            "single",
            text,
            text,
            choices=(
                Choice("a", f"{text} a", True, f"{text} fa"),
                Choice("b", f"{text} b", False, f"Not safe: {text}"),
            ),
            safety=True,
        ),
        Question(
            f"multiple-{n}",
            "multiple",
            text,
            text,
            choices=(
                Choice("a", f"{text} a", True, f"{text} fa"),
                Choice("b", f"{text} b", True, f"{text} fb"),
                Choice("c", f"{text} c", False, f"{text} fc"),
            ),
        ),
        Question(
            f"true-false-{n}",
            "true_false",
            text,
            text,
            choices=(
                Choice("true", "true", False, f"{text} ft"),
                Choice("false", "false", True, f"{text} ff"),
            ),
        ),
        Question(
            f"myth-fact-{n}",
            "myth_fact",
            text,
            text,
            choices=(
                Choice("myth", "myth", True, f"{text} fm"),
                Choice("fact", "fact", False, f"{text} ff"),
            ),
        ),
        Question(
            f"match-{n}",
            "match",
            text,
            text,
            groups=(
                Group("g1", f"{text} g1"),
                Group("g2", f"{text} g2"),
                Group("g3", f"{text} g3"),
            ),
            items=(
                Item("i1", f"{text} i1", f"{text} fi1", answer="g1"),
                Item("i2", f"{text} i2", f"{text} fi2", answer="g2"),
            ),
            safety=True,
        ),
        Question(
            f"order-{n}",
            "order",
            text,
            text,
            items=(
                Item("i1", f"{text} i1", f"{text} fi1"),
                Item("i2", f"{text} i2", f"{text} fi2"),
            ),
        ),
    )


@pytest.fixture(scope="session")
def hostile_course() -> Course:
    """Two lessons whose questions (every type) hold hostile text in every text field.

    Built directly, past the loader's rules (which refuse markup): the export must still
    write the text as text, whatever an author or a later loader lets through.
    """
    halves = (PAYLOADS[::2], PAYLOADS[1::2])
    lessons = tuple(
        Lesson(
            id=f"hostile-{half}",
            order=half + 1,
            title=f"Hostile <b>{half}</b> {{x}} :: #",
            summary="<script>alert(1)</script>",
            quiz=Quiz(
                tuple(q for n, text in enumerate(payloads) for q in _questions(n, text)),
                title="<i>quiz</i>",
            ),
            kind="lesson",
            sections=(),
            objectives=(),
        )
        for half, payloads in enumerate(halves)
    )
    return Course(lessons)
