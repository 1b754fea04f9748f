"""The take-home summary, without a browser: key points of the lessons worked on, the learner's
own before/after, the warning signs with the local number, the flare-up plan and questions for
the doctor; the nickname escaped; the same content in the file to download."""

from __future__ import annotations

import base64
import re

import pytest

from spasm_edu import show_check, show_lesson, show_summary
from spasm_edu.content import load_course
from spasm_edu.results import ResultsStore
from spasm_edu.strings import text
from spasm_edu.widgets.summary import SummaryView
from tests.support.links import page_links
from tests.support.widgets import answer, html_text, right_response, wrong_response

COURSE, _ = load_course()


def _summary() -> SummaryView:
    view = show_summary()
    assert isinstance(view, SummaryView)
    return view


def _download(view: SummaryView) -> str:
    found = re.search(
        r'download="my-summary.html" href="data:text/html;charset=utf-8;base64,([^"]+)"',
        html_text(view),
    )
    assert found, "no download link"
    return base64.b64decode(found.group(1)).decode("utf-8")


def test_summary_alone_has_signs_plan_and_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPASM_EDU_EMERGENCY_NUMBER", "112")
    view = _summary()
    shown = html_text(view)
    assert text("summary_no_lessons") in shown
    assert '<span class="spasm-emergency-number">112</span>' in shown
    assert text("summary_plan") in shown and text("summary_questions") in shown
    questions = COURSE.lesson("living-with-your-back").sections[-1]
    assert questions.id == "questions-for-your-doctor"
    assert "When should I expect to feel better?" in shown
    document = _download(view)
    assert document.startswith("<!DOCTYPE html>")
    assert "112" in document and text("summary_questions") in document


def test_summary_of_a_learner_keeps_only_their_lessons_and_escapes_the_nickname(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nickname = "<script>alert(1)</script>"
    learner = ResultsStore().register_learner("5" * 32, class_code="BIO-7", nickname=nickname)
    monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
    quiz = show_lesson("causes").quiz
    answer(quiz.cards[0], right_response(quiz.cards[0]))
    for stage, right in (("before", False), ("after", True)):
        check = show_check(stage)
        for card in check.quiz.cards:
            answer(card, right_response(card) if right else wrong_response(card))
    view = _summary()
    shown = html_text(view)
    causes = COURSE.lesson("causes")
    home = COURSE.lesson("home-care")
    assert causes.key_points[0].replace("**", "") in shown.replace("<strong>", "").replace(
        "</strong>", ""
    )
    assert home.title not in shown  # not worked on: not in the summary
    assert text("check_mine_before", score=0) in shown
    assert text("check_mine_after", score=100) in shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown and "<script>" not in shown
    assert learner.learner_id not in _download(view)  # nothing personal but the nickname
    assert "&lt;script&gt;" in _download(view)
    for href, _label in page_links(view):
        assert f"learner={learner.learner_id}" in href
