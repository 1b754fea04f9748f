"""A student who joined a class stays that student on every page: every link keeps ?learner=.

The student joins on the start page and goes through the course by its own links: the lesson
list, the "next" links, the red-flag box's "Read more" (the link that used to drop the learner,
so answers given after it never reached the class), back to the start page and on to the
educator page. Every page is visited at the address a link gave it, and on each one every link
to a page of this site (as the browser resolves it) must carry the same learner.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from itertools import pairwise
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from spasm_edu.content.moved import MOVED_NOTEBOOKS
from spasm_edu.results import ResultsStore
from spasm_edu.settings import CHECK_AFTER_PAGE, CHECK_BEFORE_PAGE, SUMMARY_PAGE
from spasm_edu.strings import text
from tests.ui.quiz_driver import answer_for, card, check, course, expect_right, fill_in
from tests.ui.quiz_driver import wait_rendered as rendered_with_cards
from tests.ui_class.class_driver import EDUCATOR, START, ClassServer, People, join, rendered

pytestmark = pytest.mark.browser

LESSONS = [lesson.notebook for lesson in course().lessons]
PAGES = {START, EDUCATOR, CHECK_BEFORE_PAGE, CHECK_AFTER_PAGE, SUMMARY_PAGE, *LESSONS}
RED_FLAGS_LESSON = course().lesson("when-to-see-a-doctor")
BACK = "← " + text("nav_start")
# Every link to a page of this site, as the browser resolved its address: not data: downloads,
# other sites, or a place on the same page.
SAME_SITE_LINKS = """els => els
    .filter(a => new URL(a.href).origin === location.origin
                 && !a.getAttribute('href').startsWith('#'))
    .map(a => [a.href, a.textContent.trim()])"""


def links_keep(page: Page, learner: str) -> set[str]:
    """Every same-site link of the page leads to a page of the course with `learner`.

    Returns the notebooks they lead to.
    """
    # Joining updates the page's widgets one message at a time (the red-flag box comes after
    # the join message): wait until no link to a notebook is without a learner, then check
    # each link exactly. A link that never gets one still fails below, with its name.
    with contextlib.suppress(AssertionError):
        expect(page.locator('a[href*=".ipynb"]:not([href*="learner="])')).to_have_count(
            0, timeout=15_000
        )
    found: list[tuple[str, str]] = page.locator("a[href]").evaluate_all(SAME_SITE_LINKS)
    pages = set()
    for href, label in found:
        parts = urlsplit(href)
        notebook = parts.path.rpartition("/")[2]
        where = f"{label!r} on {page.url} leads to {href}"
        assert parts.path.startswith("/voila/render/") and notebook in PAGES, where
        assert parse_qs(parts.query).get("learner") == [learner], where
        pages.add(notebook)
    return pages


def follow(page: Page, name: str, notebook: str, learner: str, *, within: str) -> None:
    """Click a link and wait for the page it leads to, at its address with `learner`."""
    page.locator(within).get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(
        re.compile(re.escape(f"/voila/render/{notebook}?learner={learner}") + "$"),
        wait_until="commit",
    )
    if notebook in LESSONS:
        rendered_with_cards(page, notebook)
        # The page knows the learner: its private link is theirs.
        expect(page.locator(".spasm-keep-link a")).to_have_attribute(
            "href", f"{notebook}?learner={learner}"
        )
    else:
        rendered(page)


def test_every_page_and_link_keeps_the_learner(
    people: People, class_server: ClassServer, class_store: ResultsStore
) -> None:
    code = f"LINK-{uuid.uuid4().hex[:6]}"
    page = people.open(START).page
    join(page, code, "Lee")
    keep = page.locator(".spasm-join-message a").get_attribute("href") or ""
    learner = parse_qs(urlsplit(keep).query)["learner"][0]
    seen = links_keep(page, learner)
    assert seen == PAGES  # the start page links every page (itself: the private link)

    # Lesson 1 from the list, then on by the "next" links; from the lesson before the red-flag
    # lesson, by the red-flag box's link instead.
    lessons = list(course().lessons)
    first = lessons[0]
    name = text("start_open", number=1, title=first.title)
    follow(page, name, first.notebook, learner, within=".spasm-start")
    for n, (here, onward) in enumerate(pairwise(lessons)):
        seen |= links_keep(page, learner)
        if onward == RED_FLAGS_LESSON:
            link = text("red_flags_link")
            follow(page, link, onward.notebook, learner, within=".spasm-redflags")
            # An answer there reaches the class.
            question = onward.quiz.questions[0]
            fill_in(card(page, 1), question, answer_for(question, right=True))
            check(card(page, 1))
            expect_right(card(page, 1), question)
            expect(card(page, 1).locator(".spasm-saved")).to_contain_text(text("saved"))
            saved = class_store.attempts_for_class(code, onward.id)
            assert [(a.learner_id, a.question_id) for a in saved] == [(learner, question.id)]
        else:
            nav = ".spasm-nav >> nth=" + ("0" if n % 2 else "-1")  # the top and the foot one
            name = text("nav_next", title=onward.title) + " →"
            follow(page, name, onward.notebook, learner, within=nav)
        assert here.notebook in seen
    seen |= links_keep(page, learner)  # the final quiz

    # Back to the start page, which knows the class, and on to the educator page.
    follow(page, BACK, START, learner, within=".spasm-nav >> nth=-1")
    expect(page.locator(".spasm-joined")).to_have_text(text("join_done", code=code, nickname="Lee"))
    seen |= links_keep(page, learner)
    follow(page, text("start_educators"), EDUCATOR, learner, within=".spasm-start")
    seen |= links_keep(page, learner)
    assert seen == PAGES

    # A bookmark of a notebook that moved: the server sends it on with the learner kept.
    for old, new in MOVED_NOTEBOOKS.items():
        response = page.request.get(class_server.url(old, f"learner={learner}"), max_redirects=0)
        assert response.status == 301
        assert response.headers["location"].endswith(f"/voila/render/{new}?learner={learner}")
