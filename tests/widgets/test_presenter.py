"""Presenter mode without a browser: step through screens, send a poll, answers, reveal."""

from __future__ import annotations

import pytest

from spasm_edu import show_lesson
from spasm_edu.results import ResultsStore
from spasm_edu.widgets.lesson import LessonView
from spasm_edu.widgets.poll import StudentPoll
from spasm_edu.widgets.presenter import PresenterView
from tests.widgets.test_quiz_widgets import _walk, answer, right_response, wrong_response


def presenter(monkeypatch: pytest.MonkeyPatch, passcode: str | None = "s3cret") -> PresenterView:
    monkeypatch.setenv("QUERY_STRING", "present=1")
    if passcode:
        monkeypatch.setenv("SPASM_EDU_EDUCATOR_PASSCODE", passcode)
    else:
        monkeypatch.delenv("SPASM_EDU_EDUCATOR_PASSCODE", raising=False)
    view = show_lesson("causes")
    assert isinstance(view, PresenterView)
    return view


def html_of(widget) -> str:
    return " ".join(
        getattr(w, "value", "") for w in _walk(widget) if isinstance(getattr(w, "value", None), str)
    )


def test_step_through_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    total = len(view._screens)
    assert total >= 4
    assert view.index == 0 and view._previous.disabled
    assert "Screen 1 of" in view._position.value
    view._next.click()
    assert view.index == 1 and f"Screen 2 of {total}" in view._position.value
    view._slider.value = total  # the arrow keys move this slider
    assert view._next.disabled and "Key points" in view._screen.value
    view._previous.click()
    assert view.index == total - 2
    page = html_of(view)
    assert "Get help now" in page and "education, not medical advice" in page


def test_poll_controls_need_the_passcode(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    view._code.value = "BIO-7"
    view._passcode.value = "nope"
    view._unlock.click()
    assert view.poll is None and "not right" in view._message.value
    off = presenter(monkeypatch, passcode=None)
    off._passcode.value = ""
    off._unlock.click()
    assert off.poll is None and "turned off" in off._message.value


def test_live_poll_send_answer_reveal(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    view._code.value = "BIO-7"
    view._passcode.value = "s3cret"
    view._unlock.click()
    assert view.poll is not None
    poll = view.poll
    store = ResultsStore()
    students = []
    for n in range(3):
        learner = store.register_learner(f"{n + 1:032x}", class_code="BIO-7", nickname=f"S{n}")
        monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
        page = show_lesson("causes")
        assert isinstance(page, LessonView)
        assert isinstance(page.live_poll, StudentPoll)
        students.append(page.live_poll)
    assert all(s._card is None for s in students)  # nothing until the presenter sends
    poll._choose.value = poll._lesson.quiz.questions[0].id
    poll._send_button.click()
    for n, student in enumerate(students):
        student.refresh()
        card = student._card
        assert card is not None
        answer(card, right_response(card) if n < 2 else wrong_response(card))
        assert "Answer sent" in card._feedback.value
        assert "Right!" not in card._feedback.value  # no feedback before the reveal
    poll.refresh()
    assert "3 answers so far" in poll._count.value
    assert "<svg" in poll._chart.value
    poll._reveal.click()
    assert "The answer" in poll._answer.value
    for n, student in enumerate(students):
        student.refresh()
        fb = student._card._feedback.value
        assert "The answer" in fb
        assert ("Right!" in fb) if n < 2 else ("Not quite." in fb)
    # A student who answers after the reveal cannot change the count.
    late = students[2]._card
    late._check.click()
    poll.refresh()
    assert "3 answers so far" in poll._count.value
    poll._close.click()
    students[0].refresh()
    assert students[0]._card is None
