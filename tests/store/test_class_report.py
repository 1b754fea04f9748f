"""The educator's class report, computed from a real store on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from spasm_edu.classreport import QuestionRow, build_report
from spasm_edu.content import Question, load_course
from spasm_edu.quiz import RESTART_QUESTION, REVEALED_ANSWER, grade
from spasm_edu.results import PendingAttempt, ResultsStore

COURSE, _ = load_course()
LESSON = COURSE.lesson("causes")
# Two one-answer questions (single, true_false, myth_fact); Q1 has two wrong choices or more.
ONE_ANSWER = [q for q in LESSON.quiz.questions if len(q.correct_choice_ids) == 1]
Q1 = next(q for q in ONE_ANSWER if len(q.choices) >= 3)
Q2 = next(q for q in ONE_ANSWER if q is not Q1)
(RIGHT,) = Q1.correct_choice_ids
X, Y = [c.id for c in Q1.choices if not c.correct][:2]


def _answer(
    store: ResultsStore, learner: str, question: Question, choice: str, class_code: str = "C1"
) -> None:
    """Save a learner's answer the way a quiz page does: graded by the engine."""
    graded = grade(question, choice)
    store.save(
        PendingAttempt(learner, LESSON.id, question.id, graded.answer, graded.correct, class_code)
    )


def _row(rows: tuple[QuestionRow, ...], question: Question) -> QuestionRow:
    return next(r for r in rows if (r.lesson_id, r.question.id) == (LESSON.id, question.id))


def test_report_counts_answers_and_the_most_common_wrong_one(store: ResultsStore) -> None:
    store.register_learner("quiet", class_code="C1", nickname="Joined, never answered")
    for learner, choice in [("a", X), ("a", RIGHT), ("b", X), ("c", Y), ("c", RIGHT)]:
        _answer(store, learner, Q1, choice)
    (q2_right,) = Q2.correct_choice_ids
    _answer(store, "a", Q2, q2_right)
    _answer(store, "other", Q1, X, class_code="C2")
    # "Show answer" and "Start again" are saved too, but are not answers to count.
    store.save(PendingAttempt("b", LESSON.id, Q1.id, REVEALED_ANSWER, False, "C1"))
    store.save(PendingAttempt("b", LESSON.id, RESTART_QUESTION, "", False, "C1"))

    report = build_report(store, COURSE, "C1")

    assert report.joined == 4  # a, b, c and quiet
    assert report.nicknames == ("", "", "", "Joined, never answered")
    q1 = _row(report.questions, Q1)
    # First answers only, as scores count them: a's X (then right) and c's Y; b started the
    # lesson again, so b's X no longer counts.
    assert q1.attempts == 2
    assert q1.percent_correct == pytest.approx(0.0)
    assert (q1.common_wrong, q1.common_wrong_count) == (Q1.choice(X).text, 1)
    q2 = _row(report.questions, Q2)
    assert (q2.attempts, q2.percent_correct, q2.common_wrong) == (1, 100.0, "")

    other = build_report(store, COURSE, "C2")
    assert other.joined == 1
    assert _row(other.questions, Q1).attempts == 1
    one_lesson = build_report(store, COURSE, "C1", lesson_id=LESSON.id)
    assert _row(one_lesson.questions, Q1) == q1
    elsewhere = build_report(store, COURSE, "C1", lesson_id=COURSE.lessons[0].id)
    assert all(r.attempts == 0 for r in elsewhere.questions)


def test_report_counts_a_learner_who_answered_in_the_class(store: ResultsStore) -> None:
    # Registered elsewhere (or anonymously), then answered with the class code: they count.
    store.register_learner("moved", class_code="C2", nickname="Moved")
    _answer(store, "moved", Q1, RIGHT)

    report = build_report(store, COURSE, "C1")

    assert (report.joined, report.nicknames) == (1, ("Moved",))
    assert _row(report.questions, Q1).attempts == 1
    assert build_report(store, COURSE, "nobody").joined == 0
