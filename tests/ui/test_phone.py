"""On a 375 px wide phone: no sideways scrolling on lessons and quizzes, and a question works."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from quiz_driver import (
    answer_for,
    card,
    check,
    course,
    expect_right,
    fill_in,
    horizontal_overflow,
    lesson_of,
    open_page,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
# The start page, a lesson with a match question, one with an order question, the newest lesson
# (a wide three-step picture and a download link), the final quiz.
PAGES = (
    "00-start-here.ipynb",
    "01-what-is-a-back-spasm.ipynb",
    "04-symptoms.ipynb",
    "08-living-with-your-back.ipynb",
    course().lesson("final-quiz").notebook,
)


def _fits(page: Page, notebook: str) -> None:
    overflow = horizontal_overflow(page)
    assert not overflow, f"{notebook} scrolls sideways at 375 px: {overflow}"
    # Every control is inside the screen, not cut off at the right edge.
    outside = page.evaluate(
        """(width) => [...document.querySelectorAll('.spasm-page button, .spasm-page select,'
                     + ' .spasm-page input, .spasm-page a')]
          .filter(el => el.offsetParent !== null && el.getBoundingClientRect().right > width + 1)
          .map(el => el.outerHTML.slice(0, 80))""",
        PHONE["width"],
    )
    assert not outside, f"{notebook}: controls past the right edge: {outside}"


@pytest.mark.parametrize("notebook", PAGES)
def test_page_fits_a_phone(page: Page, voila_server: str, notebook: str) -> None:
    page.set_viewport_size(PHONE)
    open_page(page, voila_server, notebook)
    _fits(page, notebook)
    if notebook == PAGES[0]:
        return
    # Answer the quiz's match or order question (the widest controls), or its first question.
    questions = lesson_of(notebook).quiz.questions
    number = next((n for n, q in enumerate(questions, 1) if q.type in ("match", "order")), 1)
    question = questions[number - 1]
    card_ = card(page, number)
    card_.scroll_into_view_if_needed()
    fill_in(card_, question, answer_for(question, right=True))
    check(card_)
    expect_right(card_, question)
    expect(card_.locator(".spasm-feedback-right")).to_be_in_viewport()
    _fits(page, f"{notebook} with feedback")
