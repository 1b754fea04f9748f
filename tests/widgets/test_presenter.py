"""Presenter mode without a browser: step through screens, send a poll, answers, reveal."""

from __future__ import annotations

import pytest

from spasm_edu import show_lesson
from spasm_edu.results import ResultsStore
from spasm_edu.widgets.lesson import LessonView
from spasm_edu.widgets.poll import StudentPoll
from spasm_edu.widgets.presenter import PresenterView
from tests.support.widgets import (
    answer,
    click,
    feedback,
    find,
    find_all,
    right_response,
    walk,
    wrong_response,
)


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
        getattr(w, "value", "") for w in walk(widget) if isinstance(getattr(w, "value", None), str)
    )


def test_step_through_screens(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    total = len(view.kinds)
    assert total >= 4
    assert view.index == 0 and find(view, "spasm-previous").disabled
    assert "Screen 1 of" in find(view, "spasm-screen-position").value
    click(view, "spasm-next")
    assert view.index == 1 and f"Screen 2 of {total}" in find(view, "spasm-screen-position").value
    shown = []
    for _ in range(total):
        view.step(1)  # what the keyboard widget asks for (tests/widgets/test_presentation.py)
        shown.append(find(view, "spasm-screen-content").value)
    assert any("Key points" in screen for screen in shown)
    assert find(view, "spasm-next").disabled and "Get help now" in shown[-1]
    click(view, "spasm-previous")
    assert view.index == total - 2
    page = html_of(view)
    assert "Get help now" in page and "education, not medical advice" in page


def test_poll_controls_need_the_passcode(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    find(view, "spasm-class-code").value = "BIO-7"
    find(view, "spasm-passcode").value = "nope"
    click(view, "spasm-present-unlock")
    assert view.poll is None and "not right" in find(view, "spasm-present-message").value
    off = presenter(monkeypatch, passcode=None)
    find(off, "spasm-passcode").value = ""
    click(off, "spasm-present-unlock")
    assert off.poll is None and "turned off" in find(off, "spasm-present-message").value


def test_live_poll_send_answer_reveal(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    find(view, "spasm-class-code").value = "BIO-7"
    find(view, "spasm-passcode").value = "s3cret"
    click(view, "spasm-present-unlock")
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
    # Nothing until the presenter sends.
    assert all(find_all(s, "spasm-card") == [] for s in students)
    choose = find(poll, "spasm-poll-choose")
    choose.value = choose.options[0][1]  # the lesson's first question
    click(poll, "spasm-poll-send")
    for n, student in enumerate(students):
        student.refresh()
        card = find(student, "spasm-card")
        assert card is not None
        answer(card, right_response(card) if n < 2 else wrong_response(card))
        assert "Answer sent" in feedback(card)
        assert "Right!" not in feedback(card)  # no feedback before the reveal
    poll.refresh()
    assert "3 answers so far" in find(poll, "spasm-poll-count").value
    assert "<svg" in find(poll, "spasm-poll-chart").value
    click(poll, "spasm-poll-reveal")
    assert "The answer" in find(poll, "spasm-poll-answer").value
    for n, student in enumerate(students):
        student.refresh()
        fb = feedback(find(student, "spasm-card"))
        assert "The answer" in fb
        assert ("Right!" in fb) if n < 2 else ("Not quite." in fb)
    # A student who answers after the reveal cannot change the count.
    late = find(students[2], "spasm-card")
    click(late, "spasm-check")
    poll.refresh()
    assert "3 answers so far" in find(poll, "spasm-poll-count").value
    click(poll, "spasm-poll-close")
    students[0].refresh()
    assert find_all(students[0], "spasm-card") == []
