"""A learner's path: start page, a lesson and its quiz done wrong then right, the final quiz."""

from __future__ import annotations

from pathlib import Path

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

from spasm_edu.content.loader import checklist_lines

pytestmark = pytest.mark.browser

LESSON_1 = "01-what-is-a-back-spasm.ipynb"
# The newest lesson too: its sections, picture, checklist download and quiz of every type.
LIVING = "08-living-with-your-back.ipynb"
FINAL_QUIZ = course().lesson("final-quiz").notebook


@pytest.mark.parametrize("notebook", [LESSON_1, LIVING])
def test_start_page_leads_to_lesson_and_its_quiz_teaches(
    page: Page, voila_server: str, notebook: str
) -> None:
    open_page(page, voila_server, "00-start-here.ipynb")
    lesson = lesson_of(notebook)
    # The start page lists every lesson; its link opens lesson 1.
    start = page.locator(".spasm-start")
    for other in course().lessons:
        expect(start.locator(f'a[href="{other.notebook}"]').first).to_be_visible()
    start.locator(f'a[href="{notebook}"]').click()
    page.wait_for_url(f"**/voila/render/{notebook}")
    wait_rendered(page, notebook)

    expect(page).to_have_title(lesson.title)
    expect(page.get_by_role("heading", level=1, name=lesson.title, exact=True)).to_be_visible()
    for section in lesson.sections:
        expect(page.get_by_role("heading", level=2, name=plain(section.title))).to_be_visible()
    # A checklist ("Questions to ask your doctor") saves as a page to print, with every line.
    for section in (s for s in lesson.sections if s.checklist):
        link = page.locator(f'a.spasm-download-link[download="{section.id}.html"]')
        with page.expect_download() as info:
            link.click()
        saved = Path(info.value.path()).read_text(encoding="utf-8")
        assert info.value.suggested_filename == f"{section.id}.html"
        for line in checklist_lines(section.body):
            assert plain(line) in saved

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


@pytest.mark.parametrize("language", ["en", "es"])
def test_final_quiz_right_first_time(page: Page, voila_server: str, language: str) -> None:
    """Every question across the course, in each language, answered right at the first try."""
    open_page(page, voila_server, FINAL_QUIZ, language)
    quiz = lesson_of(FINAL_QUIZ, language).quiz
    for number, question in enumerate(quiz.questions, 1):
        card_ = card(page, number)
        expect(card_.locator("h3")).to_have_text(plain(question.prompt))
        fill_in(card_, question, answer_for(question, right=True, language=language))
        check(card_)
        expect_right(card_, question, language)
    expect_score(page, len(quiz.questions), len(quiz.questions), language)
