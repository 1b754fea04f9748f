"""Safety without a browser: the "Not safe." verdict, one verdict per card, the local number."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from spasm_edu import show_lesson, show_start
from spasm_edu.content import Question, load_course
from spasm_edu.local_help import EMERGENCY_NUMBER_ENV, URGENT_CARE_ENV
from spasm_edu.widgets import QuestionCard
from spasm_edu.widgets.question import without_verdict
from tests.support.widgets import (
    answer,
    click,
    feedback,
    html_text,
    lesson_quiz,
    question_of,
    right_response,
    wrong_response,
)

COURSE, _ = load_course()
VERDICTS = re.compile(r"Not quite|Not safe")
RIGHT_VERDICT = re.compile(r"\bRight[!.,]")


def card_of(lesson_id: str, question_id: str) -> QuestionCard:
    return next(c for c in lesson_quiz(lesson_id).cards if question_of(c).id == question_id)


def unsafe_response(question: Question):
    """An answer that would not be safe to act on."""
    if question.type == "match":
        last = question.groups[-1].id
        first = next(i for i in question.items if i.answer != last)
        return {i.id: last if i is first else i.answer for i in question.items}
    unsafe = next(c.id for c in question.choices if c.unsafe)
    if question.type == "multiple":
        return {c.id for c in question.choices if c.correct} | {unsafe}
    return unsafe


def test_a_wrong_answer_to_a_red_flag_question_says_not_safe_once_with_the_reason() -> None:
    card = card_of("when-to-see-a-doctor", "leaking-pee-action")
    answer(card, "book-visit")
    said = feedback(card)
    assert card.status == "wrong"
    assert "spasm-feedback-unsafe" in said and "⚠" in said
    assert said.count("Not safe") == 1 and "Not quite" not in said
    assert "This needs help now. Leaking pee with back pain" in said  # the reason
    click(card, "spasm-try-again")
    answer(card, "call-now")
    assert card.status == "correct"
    assert "Not safe" not in feedback(card)


def test_a_safety_match_question_is_unsafe_only_when_a_sign_is_put_off() -> None:
    card = card_of("when-to-see-a-doctor", "match-tiers")
    right = right_response(card)
    answer(card, {**right, "saddle-numbness": "see-doctor"})
    put_off = feedback(card)
    assert "Not safe." in put_off and "Not quite" not in put_off
    click(card, "spasm-try-again")
    answer(card, {**right, "not-better-weeks": "emergency"})
    over_careful = feedback(card)
    assert "Not quite." in over_careful and "Not safe" not in over_careful


def test_a_mistake_that_is_not_unsafe_stays_not_quite() -> None:
    card = card_of("home-care", "cold-or-heat")  # ice first: a myth, not a danger
    answer(card, "ice-first")
    assert "Not quite." in feedback(card) and "Not safe" not in feedback(card)


SAFETY = [(x.id, q.id) for x in COURSE.lessons for q in x.quiz.questions if q.safety]


@pytest.mark.parametrize(("lesson_id", "question_id"), SAFETY, ids=[q for _, q in SAFETY])
def test_every_safety_question_shows_the_safety_verdict_once(
    lesson_id: str, question_id: str
) -> None:
    card = card_of(lesson_id, question_id)
    answer(card, unsafe_response(question_of(card)))
    said = feedback(card)
    assert VERDICTS.findall(said) == ["Not safe"], said


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda x: x.id)
def test_no_card_ever_shows_a_verdict_twice(lesson) -> None:
    for card in lesson_quiz(lesson.id).cards:
        qid = question_of(card).id
        answer(card, wrong_response(card))
        assert len(VERDICTS.findall(feedback(card))) == 1, (qid, feedback(card))
        assert not RIGHT_VERDICT.search(feedback(card)), qid
        click(card, "spasm-try-again")
        answer(card, right_response(card))
        assert len(RIGHT_VERDICT.findall(feedback(card))) == 1, qid
        assert not VERDICTS.search(feedback(card)), qid


def test_show_answer_repeats_no_verdict() -> None:
    card = card_of("when-to-see-a-doctor", "numbness-wait-myth")
    click(card, "spasm-show-answer")
    assert "The answer" in feedback(card)
    assert "It is a myth. This is an emergency sign." in feedback(card)
    assert not RIGHT_VERDICT.search(feedback(card))


@pytest.mark.parametrize(
    ("feedback", "shown"),
    [
        ("Not quite. Most people feel better.", "Most people feel better."),
        ("Right, it is a myth.", "It is a myth."),
        ("Not safe: this needs help now. Call.", "This needs help now. Call."),
        ("NOT SAFE! Stop now.", "Stop now."),
        ("Right after lifting, rest.", "Right after lifting, rest."),
        ("Not quite right, but close.", "Not quite right, but close."),
        ("Not safe.", "Not safe."),
        ("Yes. Smoking raises the risk.", "Yes. Smoking raises the risk."),
    ],
)
def test_without_verdict(feedback: str, shown: str) -> None:
    assert without_verdict(feedback) == shown


def page_html(view: widgets.Widget) -> str:
    return html_text(view)


def test_the_box_says_your_local_emergency_number_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(EMERGENCY_NUMBER_ENV, raising=False)
    monkeypatch.delenv(URGENT_CARE_ENV, raising=False)
    html = page_html(show_lesson("causes"))
    assert (
        'Call <span class="spasm-emergency-number">your local emergency number</span> now' in html
    )
    assert "from a doctor or urgent care" in html
    # As whole numbers: the page's links carry a random learner id, which may hold "911".
    assert not re.search(r"\b(911|999)\b", html)


@pytest.mark.parametrize("page", ["start", "lesson", "final quiz"])
def test_the_emergency_number_from_the_environment_is_on_every_page_and_escaped(
    monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv(EMERGENCY_NUMBER_ENV, "<script>alert(1)</script>")
    monkeypatch.setenv(URGENT_CARE_ENV, 'NHS 111 " onmouseover="x')
    view = {
        "start": show_start,
        "lesson": lambda: show_lesson("causes"),
        "final quiz": lambda: show_lesson("final-quiz"),
    }[page]()
    html = page_html(view)
    assert (
        '<span class="spasm-emergency-number">&lt;script&gt;alert(1)&lt;/script&gt;</span>' in html
    )
    assert "<script>" not in html
    assert "from a doctor or NHS 111 &#34; onmouseover=&#34;x if back pain" in html
    assert '" onmouseover="' not in html


def test_a_plain_emergency_number_reads_naturally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(EMERGENCY_NUMBER_ENV, "  112\n")
    monkeypatch.setenv(URGENT_CARE_ENV, "NHS 111")
    html = page_html(show_lesson("when-to-see-a-doctor"))
    assert 'Call <span class="spasm-emergency-number">112</span> now if back pain' in html
    assert "Get help the same day from a doctor or NHS 111 if back pain" in html
