"""Widgets without a browser: the quick check before and after, the learner's own result, the
start page links, and the educator's before/after and "sure, but wrong" views."""

from __future__ import annotations

import re

import ipywidgets as widgets
import pytest

from spasm_edu import show_check, show_educator, show_start
from spasm_edu.content.checks import load_checks
from spasm_edu.quiz.checks import CHECK_LESSON_IDS, check_questions, learner_rng
from spasm_edu.results import ResultsStore
from spasm_edu.settings import CHECK_AFTER_PAGE, CHECK_BEFORE_PAGE
from spasm_edu.strings import text
from spasm_edu.widgets.checks import CheckView
from spasm_edu.widgets.educator import EducatorView
from tests.support.links import page_links
from tests.support.widgets import (
    answer,
    click,
    find,
    html_text,
    question_of,
    right_response,
    wrong_response,
)

CHECKS = load_checks()


def _check(stage: str) -> CheckView:
    view = show_check(stage)
    assert isinstance(view, CheckView)
    return view


def _do_check(
    monkeypatch: pytest.MonkeyPatch, learner: str, stage: str, n_right: int, sure: str | None
) -> CheckView:
    """A learner does one stage: the first `n_right` questions (course order) right."""
    monkeypatch.setenv("QUERY_STRING", f"learner={learner}")
    view = _check(stage)
    order = [q.id for q in check_questions(CHECKS, stage, learner_rng(learner))]  # type: ignore[arg-type]
    for card in view.quiz.cards:
        right = order.index(question_of(card).id) < n_right
        if sure is not None:
            find(card, "spasm-confidence", widgets.RadioButtons).value = sure
        answer(card, right_response(card) if right else wrong_response(card))
    return view


def test_check_alone_draws_saves_and_resumes(monkeypatch: pytest.MonkeyPatch) -> None:
    view = _check("before")
    assert view.quiz._learner is not None
    learner = view.quiz._learner.learner_id
    asked = {question_of(c).id for c in view.quiz.cards}
    assert asked == {q.id for q in check_questions(CHECKS, "before", learner_rng(learner))}
    assert text("check_mine_waiting") in html_text(view)
    first = view.quiz.cards[0]
    answer(first, right_response(first))
    saved = ResultsStore().attempts_for_learner(learner)
    assert [(a.lesson_id, a.question_id) for a in saved] == [
        (CHECK_LESSON_IDS["before"], question_of(first).id)
    ]
    monkeypatch.setenv("QUERY_STRING", f"learner={learner}")
    again = _check("before")
    assert [question_of(c).id for c in again.quiz.cards] == [
        question_of(c).id for c in view.quiz.cards
    ]
    assert again.quiz.session.answered == 1
    after = _check("after")
    assert not asked & {question_of(c).id for c in after.quiz.cards}  # new questions


def test_learner_sees_own_before_and_after(monkeypatch: pytest.MonkeyPatch) -> None:
    learner = "1" * 32
    n = len(CHECKS.pairs)
    before = _do_check(monkeypatch, learner, "before", 2, None)
    assert text("check_mine_done_before") in html_text(before)
    after = _do_check(monkeypatch, learner, "after", n, "certain")
    shown = find(after, "spasm-check-mine").value
    assert text("check_mine_before", score=round(200 / n)) in shown
    assert text("check_mine_after", score=100) in shown
    assert CHECKS.pairs[-1].idea in shown  # an idea that moved up


def test_after_without_before_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    after = _do_check(monkeypatch, "2" * 32, "after", 1, None)
    shown = find(after, "spasm-check-mine").value
    assert text("check_mine_no_before") in shown


def test_start_page_links_both_checks_keeping_the_learner(monkeypatch: pytest.MonkeyPatch) -> None:
    learner = ResultsStore().register_learner("3" * 32, class_code="BIO-7")
    monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
    html = html_text(show_start())
    for page in (CHECK_BEFORE_PAGE, CHECK_AFTER_PAGE):
        assert re.search(rf'href="{re.escape(page)}\?learner={learner.learner_id}', html), page


def test_educator_sees_gain_and_sure_but_wrong_for_a_class_of_three(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = ResultsStore()
    n = len(CHECKS.pairs)
    names = ["Ana", "<b>Bo</b>", "Cy"]
    for k, nickname in enumerate(names):
        store.register_learner(f"{k:032x}", class_code="BIO-7", nickname=nickname)
    # Ana: 3 right before, all after. Bo: 0 before (all wrong and certain), n-1 after.
    # Cy: before only (counted apart).
    _do_check(monkeypatch, f"{0:032x}", "before", 3, None)
    _do_check(monkeypatch, f"{0:032x}", "after", n, None)
    _do_check(monkeypatch, f"{1:032x}", "before", 0, "certain")
    _do_check(monkeypatch, f"{1:032x}", "after", n - 1, None)
    _do_check(monkeypatch, f"{2:032x}", "before", n, None)
    monkeypatch.setenv("SPASM_EDU_EDUCATOR_PASSCODE", "s3cret")
    monkeypatch.delenv("QUERY_STRING")
    view = find(show_educator(), kind=EducatorView)
    find(view, "spasm-class-code").value = "BIO-7"
    find(view, "spasm-passcode").value = "s3cret"
    click(view, "spasm-edu-open")
    ba = find(view, "spasm-edu-before-after").value
    assert text("edu_ba_counts", both=2, before_only=1, after_only=0) in ba
    avg_before = (round(300 / n) + 0) / 2
    avg_after = (100 + round(100 * (n - 1) / n)) / 2
    gain = (avg_after - avg_before) / (100 - avg_before)
    assert f"Gain: {gain:.2f}." in ba
    assert "▲" in ba and "Moved up" in ba
    cw = find(view, "spasm-edu-confident-wrong").value
    assert text("edu_cw_title") in cw
    safety_rows = cw.index("spasm-cw-safety")
    assert safety_rows < cw.index("spasm-cw-row")  # safety questions come first
    assert "<b>Bo</b>" not in cw and "<b>Bo</b>" not in ba  # no names there, and escaped anyway
    # A wrong passcode hides it again.
    find(view, "spasm-passcode").value = "nope"
    click(view, "spasm-edu-open")
    assert find(view, "spasm-edu-confident-wrong").value == ""
    assert find(view, "spasm-edu-before-after").value == ""


def test_check_pages_keep_the_learner_in_every_link(monkeypatch: pytest.MonkeyPatch) -> None:
    learner = ResultsStore().register_learner("4" * 32, class_code="BIO-7")
    monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
    for stage in ("before", "after"):
        found = page_links(_check(stage))
        assert found, stage
        for href, label in found:
            assert f"learner={learner.learner_id}" in href, (stage, label, href)
