"""Every link from a page to another page keeps the learner: built for a learner who joined a class.

A link without ``?learner=`` opens the next page for a new, anonymous learner, so the answers a
student gives there never reach the class (the red-flag box's "Read more" link did this).
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import ipywidgets as widgets
import pytest
from markupsafe import Markup

from spasm_edu import app, show_educator, show_lesson, show_start
from spasm_edu.content import Lesson, Problem, load_course
from spasm_edu.links import page_link, page_url
from spasm_edu.results import ResultsStore, new_learner_id
from spasm_edu.settings import (
    CHECK_AFTER_PAGE,
    CHECK_BEFORE_PAGE,
    EDUCATOR_PAGE,
    START_PAGE,
    SUMMARY_PAGE,
)
from spasm_edu.strings import text
from spasm_edu.widgets import StartPage
from spasm_edu.widgets.learner import JoinClass
from tests.support.links import page_links
from tests.support.widgets import (
    click,
    find,
)

COURSE, _ = load_course()
PAGES = {
    START_PAGE,
    EDUCATOR_PAGE,
    CHECK_BEFORE_PAGE,
    CHECK_AFTER_PAGE,
    SUMMARY_PAGE,
    *(lesson.notebook for lesson in COURSE.lessons),
}
RED_FLAGS_LESSON = COURSE.lesson("when-to-see-a-doctor").notebook


def assert_links_keep(root: widgets.Widget, learner_id: str) -> list[tuple[str, str]]:
    """Every page link of `root` names a page of the course and carries `learner_id`."""
    found = page_links(root)
    for href, label in found:
        parts = urlsplit(href)
        assert parts.path in PAGES, f"{label!r} links to {href!r}, not a page of the course"
        assert parse_qs(parts.query).get("learner") == [learner_id], (
            f"{label!r} ({href}) drops the learner"
        )
    return found


@pytest.fixture
def joined(monkeypatch: pytest.MonkeyPatch) -> str:
    """A learner who joined a class, in the page address as after following their link."""
    store = ResultsStore()
    learner = store.register_learner(new_learner_id(), class_code="BIO-7", nickname="Ana")
    store.close()
    monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
    return learner.learner_id


def test_the_start_page_keeps_the_learner(joined: str) -> None:
    found = assert_links_keep(show_start(), joined)
    hrefs = {urlsplit(href).path for href, _ in found}
    # Every page is linked: every lesson and quiz, the educator page, and (the join message)
    # the start page itself.
    assert hrefs == PAGES
    assert (
        page_url(RED_FLAGS_LESSON, learner=joined),
        text("red_flags_link"),
    ) in found


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_every_lesson_page_keeps_the_learner(joined: str, lesson: Lesson) -> None:
    view = show_lesson(lesson.id)
    found = assert_links_keep(view, joined)
    labels = [label for _, label in found]
    # The red-flag box (the link that lost the learner), both navs and the private link.
    assert text("red_flags_link") in labels
    assert labels.count("← " + text("nav_start")) == 2
    assert text("keep_link_label") in labels


def test_joining_on_the_start_page_puts_the_new_learner_in_every_link() -> None:
    page = show_start()
    assert isinstance(page, StartPage)
    before = page_links(page)
    assert before and all("learner=" not in href for href, _ in before)  # nobody known yet
    join = find(page, kind=JoinClass)
    find(join, "spasm-join-code").value = "BIO-7"
    click(join, "spasm-join")
    assert page.learner is not None
    found = assert_links_keep(page, page.learner.learner_id)
    assert len(found) == len(before) + 1  # and the private link to come back to the start page


def test_a_broken_lesson_page_keeps_the_learner(
    joined: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        app,
        "load_course",
        lambda strict=False: (COURSE, {"causes": [Problem("02-causes.yaml", 3, "title", "x")]}),
    )
    found = assert_links_keep(app.show_lesson("causes"), joined)
    assert {label for _, label in found} == {"← " + text("nav_start"), text("red_flags_link")}


def test_the_educator_page_has_no_link_that_drops_the_learner(joined: str) -> None:
    assert_links_keep(show_educator(), joined)


def test_page_url_keeps_the_learner_and_escapes_nothing_it_should_not() -> None:
    assert page_url("01-a.ipynb") == "01-a.ipynb"
    assert page_url("01-a.ipynb", learner=None, lang=None) == "01-a.ipynb"
    assert page_url("01-a.ipynb", learner="ab12") == "01-a.ipynb?learner=ab12"
    assert page_url("01-a.ipynb", learner="ab12", lang="es", present="1") == (
        "01-a.ipynb?learner=ab12&lang=es&present=1"
    )
    assert page_url("a b.ipynb", learner="x&y=z") == "a%20b.ipynb?learner=x%26y%3Dz"


def test_page_link_escapes_text_and_keeps_markup() -> None:
    assert page_link("01-a.ipynb", "<b>", learner="ab12", present="1") == Markup(
        '<a href="01-a.ipynb?learner=ab12&amp;present=1">&lt;b&gt;</a>'
    )
    assert page_link("01-a.ipynb", Markup("<b>A</b>"), aria_label='say "A"') == Markup(
        '<a href="01-a.ipynb" aria-label="say &#34;A&#34;"><b>A</b></a>'
    )
