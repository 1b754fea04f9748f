"""The course in Spanish in a real browser: a Spanish-speaking visitor arrives, finds the switch,
takes a lesson and its quiz and keeps the answers in English; no English is left on a Spanish
page. (Every page in Spanish also goes through axe-core in test_a11y.py, the keyboard-only run in
test_keyboard.py, the final quiz in test_journey.py, the lost connection in
test_connection_lost.py, and a mixed class in ui_class/test_presenter_poll.py.)"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from quiz_driver import (
    START,
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

from spasm_edu.strings import STRINGS, text

pytestmark = pytest.mark.browser

ES = "es"
HOME_CARE = "05-home-care.ipynb"
SPANISH_BROWSER = [{"locale": "es-MX"}]  # Accept-Language: es-MX


@pytest.mark.parametrize("context", SPANISH_BROWSER, indirect=True)
def test_a_spanish_browser_gets_the_course_in_spanish(page: Page, voila_server: str) -> None:
    page.goto(f"{voila_server}/voila/render/{START}")  # no ?lang: the browser's preference
    page.wait_for_url(re.compile(r"lang=es"))
    wait_rendered(page, START)
    expect(page.locator("html")).to_have_attribute("lang", ES)
    name = text("course_name", ES)
    expect(page.get_by_role("heading", level=1, name=name, exact=True)).to_be_visible()
    expect(page).to_have_title(name)
    switch = page.get_by_role("navigation", name=text("language_switch", ES)).first
    expect(switch.get_by_role("link", name="English")).to_be_visible()

    lesson = lesson_of(HOME_CARE, ES)
    page.locator(".spasm-start").get_by_role(
        "link", name=re.compile(re.escape(lesson.title))
    ).click()
    page.wait_for_url(re.compile(rf"{re.escape(HOME_CARE)}\?.*lang=es"))
    wait_rendered(page, HOME_CARE)
    expect(page.locator("html")).to_have_attribute("lang", ES)
    expect(page.get_by_role("heading", level=1, name=lesson.title, exact=True)).to_be_visible()
    expect(page).to_have_title(lesson.title)
    for section in lesson.sections:
        expect(page.get_by_role("heading", level=2, name=plain(section.title))).to_be_visible()

    questions = lesson.quiz.questions
    for number, question in enumerate(questions, 1):
        card_ = card(page, number)
        if number == 1:  # wrong first: the feedback is Spanish too
            fill_in(card_, question, answer_for(question, right=False, language=ES))
            check(card_)
            expect_wrong(card_, ES)
            card_.locator(".spasm-try-again").click()
        fill_in(card_, question, answer_for(question, right=True, language=ES))
        check(card_)
        expect_right(card_, question, ES)
    expect_score(page, len(questions) - 1, len(questions), ES)

    # The switch keeps the learner: the same page in English still has the answers.
    page.get_by_role("navigation", name=text("language_switch", ES)).first.get_by_role(
        "link", name="English"
    ).click()
    page.wait_for_url(re.compile(rf"{re.escape(HOME_CARE)}\?learner=[0-9a-f]{{32}}$"))
    wait_rendered(page, HOME_CARE)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    english = lesson_of(HOME_CARE)
    expect(page.get_by_role("heading", level=1, name=english.title, exact=True)).to_be_visible()
    expect_score(page, len(questions) - 1, len(questions))


def _english_sentences() -> set[str]:
    """What only English has: the app's strings and the lessons' text, line by line."""
    found: set[str] = set()
    for value in STRINGS["en"].values():
        found.update(line.strip() for line in value.split("\n"))
    for lesson in course().lessons:
        found.update((lesson.title, lesson.summary, *lesson.objectives, *lesson.key_points))
        for section in lesson.sections:
            found.add(plain(section.title))
            found.update(plain(line).lstrip("- ").strip() for line in section.body.splitlines())
        for question in lesson.quiz.questions:
            found.update((plain(question.prompt), plain(question.explanation)))
            found.update(plain(c.text) for c in question.choices)
            found.update(plain(c.feedback) for c in question.choices)
    # Placeholders, and words that are the same in both languages (names of things).
    return {s for s in found if len(s.split()) >= 3 and "{" not in s}


@pytest.mark.parametrize("notebook", [START, HOME_CARE, "07-when-to-see-a-doctor.ipynb"])
def test_no_english_left_on_a_spanish_page(page: Page, voila_server: str, notebook: str) -> None:
    open_page(page, voila_server, notebook, ES)
    expect(page.locator("html")).to_have_attribute("lang", ES)
    shown = page.locator("body").inner_text()
    # The sources keep their own titles (English documents); everything else is Spanish.
    shown_without_sources = "\n".join(
        line for line in shown.splitlines() if "http" not in line and "Source" not in line
    )
    left = sorted(s for s in _english_sentences() if s in shown_without_sources)
    assert left == [], f"English on a Spanish page: {left[:10]}"
    assert text("red_flags_title", ES) in shown
    assert text("disclaimer", ES) in shown
