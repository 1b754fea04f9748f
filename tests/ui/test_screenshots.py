"""Screenshots for the README: start page, a lesson, quiz feedback on desktop and on a phone.

Taken on every run (cheap) into a temporary folder; `make screenshots` sets
SPASM_EDU_SCREENSHOTS=docs/screenshots to refresh the README's pictures.
The tests check that each picture was taken, never that it matches an earlier one.
"""

from __future__ import annotations

import os
import struct
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page
from quiz_driver import answer_for, card, check, expect_wrong, fill_in, lesson_of, open_page

pytestmark = pytest.mark.browser

# A test run must not rewrite tracked files: only `make screenshots` writes to docs/.
OUT = Path(os.environ.get("SPASM_EDU_SCREENSHOTS") or tempfile.mkdtemp(prefix="spasm-shots-"))
OUT.mkdir(parents=True, exist_ok=True)
LESSON = "01-what-is-a-back-spasm.ipynb"
DESKTOP_WIDTH, PHONE_WIDTH = 1280, 375
MAX_HEIGHT = 4000  # a picture for a README, not a scroll of the whole course


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _content_height(page: Page) -> int:
    # Voilà's lab template scrolls #rendered_cells, not the document: measure that.
    scrollers = "[document.scrollingElement, document.querySelector('#rendered_cells')]"
    return int(
        page.evaluate(f"() => Math.max(...{scrollers}.filter(Boolean).map(e => e.scrollHeight))")
    )


def _fit_height_to(page: Page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": min(max(height, 200), MAX_HEIGHT)})


def _wrong_feedback(page: Page, number: int, language: str = "en") -> Locator:
    questions = lesson_of(LESSON, language).quiz.questions
    card_ = card(page, number)
    question = questions[number - 1]
    fill_in(card_, question, answer_for(question, right=False, language=language))
    check(card_)
    expect_wrong(card_, language)
    return card_


@pytest.fixture(scope="module", autouse=True)
def out_dir() -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    return OUT


def test_start_page(page: Page, voila_server: str) -> None:
    open_page(page, voila_server, "00-start-here.ipynb")
    _fit_height_to(page, DESKTOP_WIDTH, _content_height(page))
    path = OUT / "start.png"
    page.screenshot(path=path)
    assert _png_size(path)[0] == DESKTOP_WIDTH


def test_lesson(page: Page, voila_server: str) -> None:
    open_page(page, voila_server, LESSON)
    path = OUT / "lesson.png"
    page.screenshot(path=path)  # the top of the lesson, as a learner first sees it
    assert _png_size(path) == (DESKTOP_WIDTH, 900)


def test_quiz_feedback_desktop(page: Page, voila_server: str) -> None:
    open_page(page, voila_server, LESSON)
    card_ = _wrong_feedback(page, 1)
    card_.evaluate("el => el.scrollIntoView({block: 'center'})")
    path = OUT / "quiz-feedback.png"
    page.screenshot(path=path)
    assert _png_size(path) == (DESKTOP_WIDTH, 900)


def test_quiz_feedback_phone(page: Page, voila_server: str) -> None:
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 667})
    open_page(page, voila_server, LESSON)
    number = next(n for n, q in enumerate(lesson_of(LESSON).quiz.questions, 1) if q.type == "match")
    card_ = _wrong_feedback(page, number)
    # The card with its feedback is taller than a phone screen: make the screen as tall.
    box = card_.bounding_box()
    assert box is not None
    _fit_height_to(page, PHONE_WIDTH, int(box["height"]) + 40)
    path = OUT / "quiz-feedback-phone.png"
    card_.screenshot(path=path)
    width, _height = _png_size(path)
    assert width <= PHONE_WIDTH


def test_spanish_lesson_and_feedback_on_a_phone(page: Page, voila_server: str) -> None:
    """The Spanish lesson as a phone shows it first, and a quiz card's Spanish feedback."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 667})
    open_page(page, voila_server, LESSON, "es")
    path = OUT / "spanish-lesson-phone.png"
    page.screenshot(path=path)
    assert _png_size(path)[0] == PHONE_WIDTH
    card_ = _wrong_feedback(page, 1, "es")
    box = card_.bounding_box()
    assert box is not None
    _fit_height_to(page, PHONE_WIDTH, int(box["height"]) + 40)
    path = OUT / "spanish-feedback-phone.png"
    card_.screenshot(path=path)
    assert _png_size(path)[0] <= PHONE_WIDTH
