"""Pages in Spanish: `?lang=es` picks the translation, every link keeps the language and the
learner, the switch offers the same page in English, and the page says which language it is in."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import ipywidgets as widgets
import pytest
from markupsafe import Markup

from spasm_edu import show_educator, show_lesson, show_start
from spasm_edu.content import Lesson, load_course
from spasm_edu.links import page_url
from spasm_edu.results import ResultsStore, new_learner_id
from spasm_edu.strings import text
from spasm_edu.widgets._render import language_switch_html
from tests.support.links import page_links

SPANISH, _ = load_course(language="es")
ENGLISH, _ = load_course()


def _html(root: widgets.Widget) -> str:
    out, stack = [], [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, widgets.HTML):
            out.append(widget.value)
        stack.extend(getattr(widget, "children", ()))
    return "\n".join(out)


@pytest.fixture
def spanish_learner(monkeypatch: pytest.MonkeyPatch) -> str:
    store = ResultsStore()
    learner = store.register_learner(new_learner_id(), class_code="CLASE-1", nickname="Eva")
    store.close()
    monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}&lang=es")
    return learner.learner_id


def test_english_addresses_stay_as_they_were() -> None:
    assert page_url("01-x.ipynb", learner="a" * 32, lang="en") == f"01-x.ipynb?learner={'a' * 32}"
    assert page_url("01-x.ipynb", lang="es") == "01-x.ipynb?lang=es"


def test_the_switch_names_each_language_in_itself_and_keeps_the_learner() -> None:
    switch = language_switch_html("05-home-care.ipynb", "es", "b" * 32)
    assert '<span lang="es" aria-current="true"><strong>Español</strong></span>' in switch
    english = page_url("05-home-care.ipynb", learner="b" * 32)
    assert Markup('<a href="{}" lang="en" hreflang="en">English</a>').format(english) in switch
    assert f'aria-label="{text("language_switch", "es")}"' in switch


@pytest.mark.parametrize("lesson", SPANISH.lessons, ids=lambda lesson: lesson.id)
def test_every_spanish_lesson_page_is_spanish_and_keeps_language_and_learner(
    spanish_learner: str, lesson: Lesson
) -> None:
    view = show_lesson(lesson.id)
    body = _html(view)
    assert lesson.title in body and ENGLISH.lesson(lesson.id).title not in body
    assert 'data-spasm-lang="es"' in body
    assert all(s.title in body for s in lesson.sections)
    for href, label in page_links(view):
        query = parse_qs(urlsplit(href).query)
        assert query.get("learner") == [spanish_learner], (label, href)
        # Every link stays in Spanish but the switch's link to English.
        assert query.get("lang") == (None if label == "English" else ["es"]), (label, href)


def test_the_spanish_start_page(spanish_learner: str) -> None:
    body = _html(show_start())
    assert text("start_who", "es") in body
    assert all(lesson.title in body for lesson in SPANISH.lessons)
    assert 'data-spasm-lang="es"' in body


def test_an_unknown_language_is_english(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=xx")
    body = _html(show_lesson("home-care"))
    assert ENGLISH.lesson("home-care").sections[0].title in body
    assert 'data-spasm-lang="en"' in body
    assert "data-spasm-intro-title" not in body  # English pages keep the notebook's own intro


def test_the_educator_page_shows_questions_in_spanish(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "lang=es")
    body = _html(show_educator())
    assert text("disclaimer", "es") in body
    assert 'data-spasm-lang="es"' in body


@pytest.mark.parametrize("page", ["before", "after", "summary"])
def test_the_quick_check_and_the_summary_in_spanish(spanish_learner: str, page: str) -> None:
    from spasm_edu import show_check, show_summary
    from spasm_edu.content.checks import load_checks

    view = show_summary() if page == "summary" else show_check(page)
    body = _html(view)
    assert 'data-spasm-lang="es"' in body
    assert text("disclaimer", "es") in body
    if page != "summary":
        spanish = load_checks(language="es")
        assert (
            spanish.pairs[0].questions[0].prompt in body
            or spanish.pairs[0].questions[1].prompt in body
        )
    for href, label in page_links(view):
        query = parse_qs(urlsplit(href).query)
        assert query.get("learner") == [spanish_learner], (label, href)
        assert query.get("lang") == (None if label == "English" else ["es"]), (label, href)
