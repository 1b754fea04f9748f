"""How sure the learner was is kept with each check; reviewing mistakes never changes the score."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from spasm_edu.content import Lesson, Question, load_lesson_file
from spasm_edu.quiz import (
    REVIEW_QUESTION,
    QuestionLocked,
    QuizSession,
    Response,
    Status,
    confidence_of,
)
from tests.support.answers import answer_for, response_of
from tests.support.lessons import valid_lesson, write_lesson


@pytest.fixture
def lesson(tmp_path: Path) -> Lesson:
    data = valid_lesson()
    data["quiz"]["shuffle"] = True
    # More choices than the test lesson has, so a reshuffle is very unlikely to be the same.
    data["quiz"]["questions"][0]["choices"] += [
        {"id": cid, "text": f"Choice {cid}", "correct": False, "feedback": "Because."}
        for cid in ("d", "e", "f", "g")
    ]
    return load_lesson_file(write_lesson(tmp_path, data), today=dt.date(2026, 11, 25))


def _response(question: Question, *, right: bool) -> Response:
    """The shared right or wrong answer as the engine takes it (order: the ids in order)."""
    response = response_of(question, answer_for(question, right=right))
    if question.type == "order":
        return tuple(sorted(response, key=lambda iid: int(response[iid])))
    return response


def _answer(session: QuizSession, qid: str, *, right: bool, confidence: object = None) -> None:
    q = session.question(qid)
    session.check(qid, _response(q, right=right), confidence)


def test_confidence_levels_only() -> None:
    assert [confidence_of(v) for v in ("guessing", "fairly_sure", "certain")] == [
        "guessing",
        "fairly_sure",
        "certain",
    ]
    for forged in ("Certain", "certain ", "", "<b>", 1, None, ["certain"]):
        assert confidence_of(forged) is None


def test_confidence_is_kept_first_and_last(lesson: Lesson) -> None:
    s = QuizSession(lesson.quiz)
    _answer(s, "one", right=False, confidence="certain")
    state = s.states["one"]
    assert (state.first_confidence, state.confidence) == ("certain", "certain")
    s.try_again("one")
    _answer(s, "one", right=True, confidence="hacked")
    assert (state.first_confidence, state.confidence) == ("certain", None)
    assert state.first_try_correct is False


def _finish(s: QuizSession) -> None:
    """one: wrong; tf: right but guessing; many: right and certain; the rest right, unstated."""
    for qid in s.question_order:
        if qid == "one":
            _answer(s, qid, right=False, confidence="certain")
        elif qid == "tf":
            _answer(s, qid, right=True, confidence="guessing")
        elif qid == "many":
            _answer(s, qid, right=True, confidence="certain")
        else:
            _answer(s, qid, right=True)


def test_review_opens_wrong_and_guessed_questions_and_keeps_the_score(lesson: Lesson) -> None:
    s = QuizSession(lesson.quiz, random.Random(1))
    with pytest.raises(QuestionLocked):
        s.start_review()  # not before the quiz is done
    _finish(s)
    assert s.score == 5 and s.finished
    expected = tuple(q for q in s.question_order if q in ("one", "tf"))
    assert s.review_ids() == expected
    before = s.choice_orders["one"]
    assert s.start_review(random.Random(99)) == expected
    assert s.reviewing == expected
    assert s.states["one"].status is Status.OPEN and s.states["tf"].status is Status.OPEN
    assert s.states["many"].status is Status.CORRECT
    assert sorted(s.choice_orders["one"]) == sorted(before)
    assert s.choice_orders["one"] != before  # shuffled anew (seeded: always this result)
    # Right this time, and certain: the first answers still decide the score.
    _answer(s, "one", right=True, confidence="certain")
    _answer(s, "tf", right=False)
    assert s.score == 5
    assert s.states["one"].first_try_correct is False
    assert s.states["tf"].first_try_correct is True
    assert s.states["tf"].first_confidence == "guessing"
    assert s.review_ids() == expected  # still the ones to look at again


def test_review_shuffle_is_seeded(lesson: Lesson) -> None:
    orders = []
    for _ in range(2):
        s = QuizSession(lesson.quiz, random.Random(1))
        _finish(s)
        s.start_review(random.Random(7))
        orders.append(s.choice_orders["one"])
    assert orders[0] == orders[1]


def test_replay_brings_back_confidence_and_review(lesson: Lesson) -> None:
    s = QuizSession(lesson.quiz, random.Random(1))
    history: list[tuple[str, str, str | None]] = []
    for qid in s.question_order:
        q = s.question(qid)
        right = qid != "one"
        sure = "certain" if qid == "one" else None
        result = s.check(qid, _response(q, right=right), sure)
        history.append((qid, result.answer, sure))
    history.append((REVIEW_QUESTION, "", None))
    one = s.question("one")
    history.append(("one", answer_for(one, right=True).choices[0], "fairly_sure"))

    again = QuizSession(lesson.quiz, random.Random(1))
    again.replay(history)
    assert again.reviewing == ("one",)
    assert again.states["one"].status is Status.CORRECT
    assert again.states["one"].first_try_correct is False
    assert again.states["one"].first_confidence == "certain"
    assert again.states["one"].confidence == "fairly_sure"
    assert again.score == again.total - 1
    # Old two-part history (saved before confidence existed) still replays.
    old = QuizSession(lesson.quiz)
    old.replay([(qid, ans) for qid, ans, _ in history[:-2]])
    assert old.finished and old.states["one"].first_confidence is None
