"""The quiz engine grades every question type and keeps the score on the kernel side."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from spasm_edu.content import Lesson, check_paths, load_lesson_file
from spasm_edu.quiz import InvalidResponse, QuestionLocked, QuizSession, ScoreBand, Status, grade
from tests.support.lessons import valid_lesson, write_lesson


@pytest.fixture
def lesson(tmp_path: Path) -> Lesson:
    path = write_lesson(tmp_path, valid_lesson())
    assert check_paths([path], today=dt.date(2026, 11, 25)) == []
    return load_lesson_file(path, today=dt.date(2026, 11, 25))


def q(lesson: Lesson, qid: str):
    return next(x for x in lesson.quiz.questions if x.id == qid)


def test_single_choice(lesson: Lesson) -> None:
    right = grade(q(lesson, "one"), "a")
    assert right.correct
    assert [(f.ref, f.right) for f in right.feedback] == [("a", True)]
    wrong = grade(q(lesson, "one"), "b")
    assert not wrong.correct
    assert wrong.feedback[0].text == "Because of this reason."


def test_multiple_needs_exactly_the_right_set(lesson: Lesson) -> None:
    question = q(lesson, "many")
    assert grade(question, frozenset({"a", "b"})).correct
    assert not grade(question, frozenset({"a"})).correct
    partial = grade(question, frozenset({"a", "c"}))
    assert not partial.correct
    assert [(f.ref, f.right) for f in partial.feedback] == [("a", True), ("c", False)]


def test_true_false_and_myth_fact_tag_misconceptions(lesson: Lesson) -> None:
    assert grade(q(lesson, "tf"), "true").correct
    assert not grade(q(lesson, "tf"), "false").correct
    wrong = grade(q(lesson, "mf"), "fact")
    assert not wrong.correct
    assert wrong.misconceptions == ("bed-rest-cures",)
    assert grade(q(lesson, "mf"), "myth").misconceptions == ()


def test_match_every_item(lesson: Lesson) -> None:
    question = q(lesson, "match")
    assert grade(question, {"x": "g1", "y": "g2", "z": "g1"}).correct
    result = grade(question, {"x": "g2", "y": "g2", "z": "g1"})
    assert not result.correct
    assert result.n_right_parts == 2


def test_order(lesson: Lesson) -> None:
    question = q(lesson, "order")
    assert grade(question, ["p1", "p2", "p3"]).correct
    result = grade(question, ["p2", "p1", "p3"])
    assert not result.correct
    assert [f.right for f in result.feedback] == [False, False, True]


@pytest.mark.parametrize(
    ("qid", "response"),
    [
        ("one", "zzz"),
        ("one", 3),
        ("one", None),
        ("many", frozenset()),
        ("many", "a"),
        ("many", frozenset({"a", "nope"})),
        ("match", {"x": "g1"}),
        ("match", {"x": "g1", "y": "g9", "z": "g1"}),
        ("order", ["p1", "p2"]),
        ("order", ["p1", "p1", "p2"]),
        ("order", "p1"),
        ("tf", "maybe"),
    ],
)
def test_out_of_range_answers_are_refused(lesson: Lesson, qid: str, response: object) -> None:
    with pytest.raises(InvalidResponse):
        grade(q(lesson, qid), response)  # type: ignore[arg-type]


def test_session_score_counts_first_tries(lesson: Lesson) -> None:
    s = QuizSession(lesson.quiz)
    assert s.check("one", "b").correct is False
    assert s.states["one"].status is Status.WRONG
    with pytest.raises(QuestionLocked):
        s.check("one", "a")  # must press Try again first
    s.try_again("one")
    assert s.check("one", "a").correct
    with pytest.raises(QuestionLocked):
        s.check("one", "a")  # solved questions take no more answers
    assert s.score == 0  # a second try helps learning, not the score
    s.check("tf", "true")
    assert s.score == 1
    s.reveal("mf")
    assert s.states["mf"].status is Status.REVEALED
    with pytest.raises(QuestionLocked):
        s.check("mf", "myth")
    assert s.score == 1
    assert s.answered == 3
    assert not s.finished
    s.check("many", frozenset({"a", "b"}))
    s.check("match", {"x": "g1", "y": "g2", "z": "g1"})
    s.check("order", ["p1", "p2", "p3"])
    assert s.finished
    assert (s.score, s.total) == (4, 6)


def test_score_bands(lesson: Lesson) -> None:
    bands = (ScoreBand(0.8, "high"), ScoreBand(0.5, "mid"), ScoreBand(0.0, "low"))
    s = QuizSession(lesson.quiz)
    assert s.band(bands).message == "low"
    for qid, answer in [
        ("one", "a"),
        ("tf", "true"),
        ("mf", "myth"),
        ("many", frozenset({"a", "b"})),
    ]:
        s.check(qid, answer)
    assert s.band(bands).message == "mid"
    s.check("order", ["p1", "p2", "p3"])
    assert s.band(bands).message == "high"


def test_order_items_are_never_shown_in_the_right_order(lesson: Lesson) -> None:
    s = QuizSession(lesson.quiz)
    assert s.choice_orders["order"] != ("p1", "p2", "p3")


def test_seeded_shuffling_is_repeatable_and_varies(lesson: Lesson) -> None:
    from dataclasses import replace

    quiz = replace(lesson.quiz, shuffle=True)
    a = QuizSession(quiz, random.Random(7))
    b = QuizSession(quiz, random.Random(7))
    assert a.question_order == b.question_order
    assert a.choice_orders == b.choice_orders
    orders = {QuizSession(quiz, random.Random(seed)).question_order for seed in range(20)}
    assert len(orders) > 5
    assert sorted(a.question_order) == sorted(x.id for x in quiz.questions)
    # true/false keeps its natural order even when shuffling
    assert a.choice_orders["tf"] == ("true", "false")


def test_no_shuffle_without_the_flag(lesson: Lesson) -> None:
    s = QuizSession(lesson.quiz, random.Random(3))
    assert s.question_order == tuple(x.id for x in lesson.quiz.questions)
    assert s.choice_orders["one"] == ("a", "b", "c")


def test_engine_imports_no_widgets() -> None:
    import subprocess
    import sys

    code = (
        "import sys, spasm_edu.quiz, spasm_edu.content, spasm_edu.results; "
        "print(sorted(m for m in sys.modules if m.startswith(('ipywidgets', 'traitlets'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_unsafe_choice_of_a_safety_question_is_graded_unsafe(lesson: Lesson) -> None:
    import dataclasses

    question = q(lesson, "many")
    unsafe_c = dataclasses.replace(question.choices[2], feedback="Not safe. It can harm you.")
    safety = dataclasses.replace(question, safety=True, choices=(*question.choices[:2], unsafe_c))
    assert grade(safety, frozenset({"a", "b"})).unsafe is False  # right
    assert grade(safety, frozenset({"a"})).unsafe is False  # wrong, but nothing unsafe chosen
    result = grade(safety, frozenset({"a", "c"}))
    assert not result.correct and result.unsafe
    assert [(f.ref, f.unsafe) for f in result.feedback] == [("a", False), ("c", True)]
    # The same feedback in a question not marked safety: never "unsafe".
    plain = dataclasses.replace(safety, safety=False)
    assert grade(plain, frozenset({"a", "c"})).unsafe is False


def test_a_safety_match_is_unsafe_only_when_a_sign_goes_to_a_less_urgent_group(
    lesson: Lesson,
) -> None:
    import dataclasses

    question = dataclasses.replace(q(lesson, "match"), safety=True)  # g1 is more urgent
    right = {"x": "g1", "y": "g2", "z": "g1"}
    assert not grade(question, right).unsafe
    over_careful = grade(question, {**right, "y": "g1"})
    assert not over_careful.correct and not over_careful.unsafe
    too_late = grade(question, {**right, "x": "g2"})
    assert not too_late.correct and too_late.unsafe
    assert [f.ref for f in too_late.feedback if f.unsafe] == ["x"]
