"""Widgets without a browser: "How sure are you?" on each card, gentle feedback when sure and
wrong, saving and resuming it, and "Review my mistakes" at the end of a quiz."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from spasm_edu import show_lesson
from spasm_edu.quiz import CONFIDENCE_LEVELS
from spasm_edu.results import ResultsStore
from spasm_edu.strings import text
from spasm_edu.widgets._style import is_visible
from spasm_edu.widgets.quiz import QuizWidget
from tests.support.widgets import (
    answer,
    click,
    feedback,
    find,
    question_of,
    right_response,
    wrong_response,
)


def _sure(card: widgets.Widget) -> widgets.RadioButtons:
    return find(card, "spasm-confidence", widgets.RadioButtons)


def _quiz(lesson_id: str) -> QuizWidget:
    quiz = show_lesson(lesson_id).quiz
    assert isinstance(quiz, QuizWidget)
    return quiz


def test_every_card_asks_how_sure_with_a_name_and_nothing_chosen() -> None:
    quiz = _quiz("what-is-a-back-spasm")
    for card in quiz.cards:
        sure = _sure(card)
        assert sure.value is None  # optional: not stated until the learner says
        assert sure.description == text("confidence_label")
        assert [v for _, v in sure.options] == list(CONFIDENCE_LEVELS)
        assert is_visible(sure) and not sure.disabled


def test_sure_and_wrong_gets_gentle_specific_feedback_and_is_saved() -> None:
    quiz = _quiz("when-to-see-a-doctor")
    card = next(c for c in quiz.cards if question_of(c).safety)
    _sure(card).value = "certain"
    answer(card, wrong_response(card))
    shown = feedback(card)
    assert text("confident_wrong_safety").split(":")[0] in shown
    assert _sure(card).disabled  # closed with the question
    learner = quiz._learner
    assert learner is not None
    saved = ResultsStore().attempts_for_learner(learner.learner_id)
    assert [(a.question_id, a.confidence) for a in saved] == [(question_of(card).id, "certain")]
    # Try again clears it: the next answer is stated anew (here: not stated).
    click(card, "spasm-try-again")
    assert _sure(card).value is None and not _sure(card).disabled
    answer(card, right_response(card))
    assert "spasm-confident-wrong" not in feedback(card)
    saved = ResultsStore().attempts_for_learner(learner.learner_id)
    assert [a.confidence for a in saved] == ["certain", None]


def test_unsure_or_right_answers_get_no_such_note() -> None:
    quiz = _quiz("causes")
    first, second = quiz.cards[0], quiz.cards[1]
    _sure(first).value = "guessing"
    answer(first, wrong_response(first))
    assert "spasm-confident-wrong" not in feedback(first)
    _sure(second).value = "certain"
    answer(second, right_response(second))
    assert "spasm-confident-wrong" not in feedback(second)


def test_confidence_comes_back_after_a_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    quiz = _quiz("causes")
    card = quiz.cards[0]
    _sure(card).value = "fairly_sure"
    answer(card, wrong_response(card))
    assert quiz._learner is not None
    monkeypatch.setenv("QUERY_STRING", f"learner={quiz._learner.learner_id}")
    again = _quiz("causes")
    assert _sure(again.cards[0]).value == "fairly_sure"
    assert again.session.states[question_of(again.cards[0]).id].first_confidence == "fairly_sure"


def test_review_my_mistakes_opens_only_missed_and_guessed_and_keeps_the_score(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiz = _quiz("symptoms")
    review = find(quiz, "spasm-review", widgets.Button)
    cards = quiz.cards
    assert len(cards) >= 3
    answer(cards[0], wrong_response(cards[0]))
    assert not is_visible(review)
    _sure(cards[1]).value = "guessing"
    answer(cards[1], right_response(cards[1]))
    for card in cards[2:]:
        answer(card, right_response(card))
    score = quiz.score
    assert score == len(cards) - 1
    assert is_visible(review)
    review.click()
    ids = [question_of(c).id for c in quiz.cards]
    assert ids == [question_of(cards[0]).id, question_of(cards[1]).id]
    assert all(c.status == "open" for c in quiz.cards)
    assert text("review_intro", count=2) in find(quiz, "spasm-review-note").value
    assert not is_visible(review)  # until the review questions are answered
    for card in quiz.cards:
        answer(card, right_response(card))
    assert quiz.score == score  # the first answers count
    assert is_visible(review)  # another round is allowed
    # A reload brings back the review with its answers, and the same score.
    assert quiz._learner is not None
    monkeypatch.setenv("QUERY_STRING", f"learner={quiz._learner.learner_id}")
    again = _quiz("symptoms")
    assert [question_of(c).id for c in again.cards] == ids
    assert all(c.status == "correct" for c in again.cards)
    assert again.score == score


def test_nothing_to_review_hides_the_button_and_a_forged_click_does_nothing() -> None:
    quiz = _quiz("symptoms")
    review = find(quiz, "spasm-review", widgets.Button)
    review.click()  # before the end: nothing happens
    assert len(quiz.cards) == quiz.session.total
    for card in quiz.cards:
        answer(card, right_response(card))
    assert not is_visible(review)
    review.click()
    assert len(quiz.cards) == quiz.session.total
    assert find(quiz, "spasm-review-note").value == ""
