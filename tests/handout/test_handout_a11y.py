"""Handouts, quiz sheets and answer keys as HTML in Chromium: axe-core finds nothing serious or
critical; one h1, headings in order, every picture with its alt text, the page's language."""

from __future__ import annotations

import itertools
from functools import cache
from typing import TYPE_CHECKING

import pytest
from axe_playwright_python.sync_playwright import Axe

from spasm_edu.content import Course, load_course
from spasm_edu.handout import answer_key, course_handout, lesson_handout, quiz_sheet
from spasm_edu.local_help import LocalHelp

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
LOCAL = LocalHelp("112", "NHS 111")


@cache
def course() -> Course:
    return load_course()[0]


DOCUMENTS = {
    "handout home-care": lambda: lesson_handout(course(), course().lesson("home-care"), LOCAL),
    "handout living-with-your-back": lambda: lesson_handout(
        course(), course().lesson("living-with-your-back"), LOCAL, "letter"
    ),
    "handout course": lambda: course_handout(course(), LOCAL),
    "quiz sheet when-to-see-a-doctor": lambda: quiz_sheet(course().lesson("when-to-see-a-doctor")),
    "answer key when-to-see-a-doctor": lambda: answer_key(course().lesson("when-to-see-a-doctor")),
    "quiz sheet final-quiz": lambda: quiz_sheet(course().lesson("final-quiz")),
    "answer key home-care": lambda: answer_key(course().lesson("home-care")),
}


@pytest.mark.parametrize("name", DOCUMENTS)
@pytest.mark.parametrize("media", ["screen", "print"])
def test_handout_html_passes_axe(browser: Browser, name: str, media: str) -> None:
    page = browser.new_page(viewport={"width": 900, "height": 1200})
    try:
        page.emulate_media(media=media)  # type: ignore[arg-type]
        page.set_content(str(DOCUMENTS[name]()), wait_until="load")
        response = Axe().run(page).response
        violations = response["violations"]
        for v in violations:
            print(f"{name} ({media}): {v['impact']} {v['id']}: {v['help']}")
        blocking = [v for v in violations if v["impact"] in BLOCKING]
        assert not blocking, "\n".join(
            f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:5]]}"
            for v in blocking
        )
        assert response["passes"], "axe-core ran no checks"
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("h1").count() == 1
        levels = page.evaluate(
            "[...document.querySelectorAll('h1, h2, h3')].map(h => Number(h.tagName[1]))"
        )
        # Headings never skip a level going down (h1 then h2, never h1 then h3).
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
        for img in page.locator("img").all():
            assert (img.get_attribute("alt") or "").strip(), "a picture without alt text"
            assert img.evaluate("i => i.complete && i.naturalWidth > 0"), "a picture did not load"
    finally:
        page.close()
