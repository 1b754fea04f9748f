"""Moodle GIFT: the question bank as text, a $CATEGORY per lesson.

Texts are written in GIFT's [html] format, so that they show exactly as in the lessons: HTML
special characters become references, and GIFT's own (~ = # :) are escaped with a backslash.
A backslash, { and } are written as references (&#92; &#123; &#125;) instead: Moodle keeps an
escaped backslash as two, and some GIFT readers (pygiftparser) end an answer at an escaped }.
"""

from __future__ import annotations

import re

from ..content.model import Lesson, Question
from ..strings import text
from ._common import (
    CannotExpress,
    Export,
    Table,
    Unsupported,
    choice_text,
    convert,
    general_feedback_html,
    html_text,
    question_ref,
    refs,
)
from .moodle import CATEGORY_ROOT, check_match, multiple_weights, percent

_GIFT_SPECIAL_RE = re.compile(r"([~=#{}:])")


def gift_text(value: str) -> str:
    """Any text as GIFT [html] text that shows exactly `value` (see the module docstring)."""
    return _gift_html(html_text(value))


def _gift_html(fragment: str) -> str:
    """An HTML fragment (its text already escaped for HTML) made safe for GIFT."""
    for char, reference in (("\\", "&#92;"), ("{", "&#123;"), ("}", "&#125;")):
        fragment = fragment.replace(char, reference)
    return _GIFT_SPECIAL_RE.sub(r"\\\1", fragment).replace("\n", "\\n")


def _question(lesson: Lesson, question: Question, answers: list[str]) -> str:
    """One GIFT question: a comment, its name and text, its answers and general feedback."""
    ref = question_ref(lesson, question)
    lines = [
        f"// {ref} ({question.type})",
        f"::{ref}::[html]{gift_text(question.prompt)} {{",
        *answers,
        f"####{_gift_html(general_feedback_html(lesson, question))}",
        "}",
    ]
    return "\n".join(lines)


def _choices(lesson: Lesson, question: Question) -> str:
    """single and myth_fact: one right choice (=), the others wrong (~), each with feedback."""
    if len(question.choices) < 2:
        raise CannotExpress("GIFT reads a question with only one answer as a short answer")
    answers = [
        f"{'=' if c.correct else '~'}{gift_text(choice_text(lesson, question, c))}"
        f"#{gift_text(c.feedback)}"
        for c in question.choices
    ]
    return _question(lesson, question, answers)


def _multiple(lesson: Lesson, question: Question) -> str:
    """multiple: weights so the right choices add up to 100% and choosing all scores 0."""
    right, wrong = multiple_weights(question)
    answers = [
        f"~%{percent(right if c.correct else wrong)}%{gift_text(choice_text(lesson, question, c))}"
        f"#{gift_text(c.feedback)}"
        for c in question.choices
    ]
    return _question(lesson, question, answers)


def _true_false(lesson: Lesson, question: Question) -> str:
    """true_false: GIFT's {TRUE#feedback if wrong#feedback if right}, when the words are."""
    labels = [choice_text(lesson, question, c) for c in question.choices]
    if labels != [text(c.id, lesson.language) for c in question.choices]:
        return _choices(lesson, question)  # the choices have their own words: keep them
    right = next(c for c in question.choices if c.correct)
    wrong = next(c for c in question.choices if not c.correct)
    answer = "TRUE" if right.id == "true" else "FALSE"
    return _question(
        lesson, question, [f"{answer}#{gift_text(wrong.feedback)}#{gift_text(right.feedback)}"]
    )


def _match(lesson: Lesson, question: Question) -> str:
    """match: each item -> its group; a group no item goes to is an extra answer (= -> it)."""
    check_match(question)
    groups = {g.id: g.text for g in question.groups}
    answers = [
        f"={gift_text(i.text)} -> {gift_text(groups[i.answer or ''])}" for i in question.items
    ]
    used = {i.answer for i in question.items}
    answers += [f"= -> {gift_text(g.text)}" for g in question.groups if g.id not in used]
    return _question(lesson, question, answers)


# The one table of question types for GIFT: a writer, or why GIFT cannot express the type.
GIFT: Table[str] = {
    "single": _choices,
    "multiple": _multiple,
    "true_false": _true_false,
    "myth_fact": _choices,  # a choice between "Myth" and "Fact", not GIFT's True/False
    "match": _match,
    "order": Unsupported(
        "GIFT has no ordering question (Moodle's ordering question is a plugin, not core)"
    ),
}


def export_gift(lessons: tuple[Lesson, ...]) -> Export:
    """The question bank of `lessons` as one GIFT file."""
    converted, left_out = convert(lessons, GIFT)
    blocks = ["// spasm-edu question bank (Moodle GIFT). Question names: <lesson>.<question>."]
    for part in converted:
        blocks.append(f"$CATEGORY: {CATEGORY_ROOT}/{part.lesson.id}")
        blocks.extend(written for _, written in part.questions)
    data = ("\n\n".join(blocks) + "\n").encode("utf-8")
    return Export("gift", "spasm-edu-gift.txt", data, refs(converted), tuple(left_out))
