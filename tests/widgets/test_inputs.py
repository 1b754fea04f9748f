"""The answer inputs (widgets/inputs.py): one per question type, and an answer survives a reload."""

from __future__ import annotations

import pytest

from spasm_edu.content import Question, load_course
from spasm_edu.content.model import QUESTION_TYPES
from spasm_edu.quiz import QuizSession, Status, grade
from spasm_edu.widgets import QuestionCard
from spasm_edu.widgets.inputs import INPUTS

COURSE, _ = load_course()
ONE_OF_EACH = {q.type: (x, q) for x in COURSE.lessons for q in x.quiz.questions}


def right_answer(question: Question) -> object:
    if question.choices:
        ids = question.correct_choice_ids
        return next(iter(ids)) if len(ids) == 1 and question.type != "multiple" else ids
    if question.groups:
        return {i.id: i.answer for i in question.items}
    return tuple(i.id for i in question.items)


def test_every_question_type_has_an_input() -> None:
    assert set(INPUTS) == set(QUESTION_TYPES) == set(ONE_OF_EACH)


@pytest.mark.parametrize("qtype", sorted(ONE_OF_EACH))
def test_a_saved_answer_goes_back_into_the_inputs_and_reads_the_same(qtype: str) -> None:
    lesson, question = ONE_OF_EACH[qtype]
    session = QuizSession(lesson.quiz)
    saved = grade(question, right_answer(question))  # type: ignore[arg-type]
    session.replay([(question.id, saved.answer)])
    card = QuestionCard(session, question.id, 1)
    assert card.status is Status.CORRECT
    card.show_saved_answer()
    assert grade(question, card._response()).answer == saved.answer
