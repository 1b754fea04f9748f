"""GIFT export, read back by an independent parser (pygiftparser): every question, answer,
weight and feedback as in the content; hostile text survives the escaping."""

from __future__ import annotations

import html
import io
import re

import pytest
from pygiftparser import parser as gift_parser

from spasm_edu.content import Course, Lesson, Question
from spasm_edu.export import export

WORDS = {"true": "True", "false": "False", "myth": "Myth", "fact": "Fact"}


def _unescape(gift: str) -> str:
    """GIFT text back to plain text: backslash escapes, then HTML references."""
    return html.unescape(re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], gift))


def _general(fragment: str) -> tuple[str, list[str]]:
    """A general feedback fragment: the explanation and the item lines (<li>)."""
    explanation, _, listing = fragment.partition("<ul>")
    lines = re.findall(r"<li>(.*?)</li>", listing, flags=re.DOTALL)
    return _unescape(explanation), [_unescape(line) for line in lines]


def _label(question: Question, choice_id: str) -> str:
    text = question.choice(choice_id).text
    return WORDS[choice_id] if text.lower() == choice_id and choice_id in WORDS else text


def _categories(data: str) -> dict[str, str]:
    """Question name -> the $CATEGORY it is under (read from the lines: pygiftparser
    keeps a category name only up to its first "-")."""
    found, category = {}, ""
    for line in data.splitlines():
        if line.startswith("$CATEGORY: "):
            category = line.removeprefix("$CATEGORY: ")
        elif line.startswith("::"):
            found[line.split("::")[1]] = category
    return found


def _check(lesson: Lesson, question: Question, parsed: gift_parser.Question) -> None:
    """One parsed question against its content."""
    assert parsed.valid
    assert parsed.title == f"{lesson.id}.{question.id}"
    assert parsed.markup == "html"
    assert _unescape(parsed.text) == question.prompt
    explanation, lines = _general(parsed.generalFeedback)
    assert explanation == question.explanation
    answers = parsed.answers
    if question.type == "true_false":
        right = next(c for c in question.choices if c.correct)
        wrong = next(c for c in question.choices if not c.correct)
        assert isinstance(answers, gift_parser.TrueFalseSet)
        assert answers.answer is (right.id == "true")
        assert _unescape(answers.feedbackWrong) == wrong.feedback
        assert _unescape(answers.feedbackCorrect) == right.feedback
    elif question.type in ("single", "myth_fact"):
        assert isinstance(answers, gift_parser.SelectSet)
        got = [(_unescape(a.answer), a.fraction, _unescape(a.feedback)) for a in answers.answers]
        assert got == [
            (_label(question, c.id), 100 if c.correct else 0, c.feedback) for c in question.choices
        ]
    elif question.type == "multiple":
        assert isinstance(answers, gift_parser.MultipleChoicesSet)
        n_right = len(question.correct_choice_ids)
        n_wrong = len(question.choices) - n_right
        got = [(_unescape(a.answer), _unescape(a.feedback)) for a in answers.answers]
        assert got == [(c.text, c.feedback) for c in question.choices]
        for a, c in zip(answers.answers, question.choices, strict=True):
            assert a.fraction == pytest.approx(100 / n_right if c.correct else -100 / n_wrong)
        # The right choices make 100%; choosing every choice scores 0.
        assert sum(a.fraction for a in answers.answers if a.fraction > 0) == pytest.approx(100)
        assert sum(a.fraction for a in answers.answers) == pytest.approx(0, abs=1e-4)
    elif question.type == "match":
        assert isinstance(answers, gift_parser.MatchingSet)
        groups = {g.id: g.text for g in question.groups}
        got = [
            (_unescape(a.question.strip()), _unescape(a.answer.strip())) for a in answers.answers
        ]
        used = {i.answer for i in question.items}
        assert got == [(i.text, groups[i.answer or ""]) for i in question.items] + [
            ("", g.text) for g in question.groups if g.id not in used
        ]
        # No per-item feedback in GIFT: each item's place and feedback in the general one.
        assert len(lines) == len(question.items)
        for line, item in zip(lines, question.items, strict=True):
            assert line == f"{item.text} → {groups[item.answer or '']} — {item.feedback}"
    else:
        pytest.fail(f"a {question.type} question was written to GIFT")


def _round_trip(course: Course) -> None:
    result = export(course, "gift")
    data = result.data.decode("utf-8")
    parsed = gift_parser.parseFile(io.StringIO(data))
    by_name = {q.title: q for q in parsed}
    assert len(by_name) == len(parsed) == len(result.questions)
    categories = _categories(data)
    expected_left_out = []
    for lesson in course.lessons:
        for question in lesson.quiz.questions:
            ref = f"{lesson.id}.{question.id}"
            if question.type == "order":  # GIFT has no ordering question
                expected_left_out.append(ref)
                assert ref not in by_name
                continue
            _check(lesson, question, by_name[ref])
            assert categories[ref] == f"$course$/top/spasm-edu/{lesson.id}"
            assert categories[ref].startswith(by_name[ref].cat)  # pygiftparser: up to a "-"
    assert [left.question for left in result.left_out] == expected_left_out
    assert all("ordering" in left.reason for left in result.left_out)


def test_gift_reads_back_as_the_shipped_questions(course: Course) -> None:
    _round_trip(course)


def test_gift_hostile_text_survives(hostile_course: Course) -> None:
    _round_trip(hostile_course)


def test_gift_escapes_its_special_characters(hostile_course: Course) -> None:
    data = export(hostile_course, "gift").data.decode("utf-8")
    for line in data.splitlines():
        if line.startswith("::"):  # a question's text: no bare special character
            body = line.split("::", 2)[2].removeprefix("[html]").removesuffix(" {")
            assert re.search(r"(?<!\\)[~=#:{}]", body) is None, body
    assert "<script>" not in data  # markup is written as text, never as markup


def test_gift_keeps_not_safe_feedback(course: Course) -> None:
    data = export(course, "gift").data.decode("utf-8")
    unsafe = [
        c.feedback
        for lesson in course.lessons
        for q in lesson.quiz.questions
        if q.safety
        for c in q.choices
        if c.unsafe
    ]
    assert unsafe
    for feedback in unsafe:
        assert feedback.startswith("Not safe")
        assert "#" + feedback.replace(":", "\\:") in data
