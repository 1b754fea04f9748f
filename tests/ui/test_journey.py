"""A learner's path: start page, lesson 1 and its quiz done wrong then right, the final quiz."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from quiz_driver import (
    answer_for,
    card,
    check,
    course,
    expect_right,
    expect_score,
    expect_wrong,
    fill_in,
    lesson_of,
    open_page,
    plain,
    wait_rendered,
)

pytestmark = pytest.mark.browser

LESSON_1 = "01-what-is-a-back-spasm.ipynb"
FINAL_QUIZ = "08-final-quiz.ipynb"


def test_start_page_leads_to_lesson_and_its_quiz_teaches(page: Page, voila_server: str) -> None:
    open_page(page, voila_server, "00-start-here.ipynb")
    lesson = lesson_of(LESSON_1)
    # The start page lists every lesson; its link opens lesson 1.
    start = page.locator(".spasm-start")
    for other in course().lessons:
        expect(start.locator(f'a[href="{other.notebook}"]').first).to_be_visible()
    start.locator(f'a[href="{LESSON_1}"]').click()
    page.wait_for_url(f"**/voila/render/{LESSON_1}")
    wait_rendered(page, LESSON_1)

    expect(page).to_have_title(lesson.title)
    expect(page.get_by_role("heading", level=1, name=lesson.title, exact=True)).to_be_visible()
    for section in lesson.sections:
        expect(page.get_by_role("heading", level=2, name=plain(section.title))).to_be_visible()

    questions = lesson.quiz.questions
    for number, question in enumerate(questions, 1):
        card_ = card(page, number)
        expect(card_.locator("h3")).to_have_text(plain(question.prompt))
        fill_in(card_, question, answer_for(question, right=False))
        check(card_)
        expect_wrong(card_)
        card_.locator(".spasm-try-again").click()
        expect(card_.locator(".spasm-feedback-wrong")).to_be_hidden()
        fill_in(card_, question, answer_for(question, right=True))
        check(card_)
        expect_right(card_, question)
        if number < len(questions):
            expect(page.locator(".spasm-score")).to_have_count(0)
    # Score counts first tries only: every first try was wrong.
    expect_score(page, 0, len(questions))
    expect(page.locator(".spasm-restart")).to_be_visible()


def test_final_quiz_right_first_time(page: Page, voila_server: str) -> None:
    open_page(page, voila_server, FINAL_QUIZ)
    quiz = lesson_of(FINAL_QUIZ).quiz
    for number, question in enumerate(quiz.questions, 1):
        card_ = card(page, number)
        expect(card_.locator("h3")).to_have_text(plain(question.prompt))
        fill_in(card_, question, answer_for(question, right=True))
        check(card_)
        expect_right(card_, question)
    expect_score(page, len(quiz.questions), len(quiz.questions))
