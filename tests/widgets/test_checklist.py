"""A section marked `checklist: true` (e.g. "Questions to ask your doctor") can be downloaded as
a small page to print or keep: the same data-link mechanism as "Download my results"."""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest

from spasm_edu import show_lesson
from spasm_edu.content import Section, check_paths, checklist_lines
from spasm_edu.strings import text
from spasm_edu.widgets import LessonView
from spasm_edu.widgets._render import checklist_page, section_html
from tests.support.lessons import valid_lesson, write_lesson
from tests.support.widgets import (
    find,
)

LESSON = "living-with-your-back"
CHECKLIST = "questions-for-your-doctor"
LINK = re.compile(
    r'<a class="spasm-download-link" download="([^"]+)" '
    r'href="data:text/html;charset=utf-8;base64,([A-Za-z0-9+/=]+)">([^<]+)</a>'
)


def _downloads(html: str) -> list[tuple[str, str, str]]:
    """(file name, file text, label) of every download link in `html`."""
    return [
        (name, base64.b64decode(data).decode("utf-8"), label)
        for name, data, label in LINK.findall(html)
    ]


def test_the_doctor_questions_download_as_a_page_to_print() -> None:
    view = show_lesson(LESSON)
    assert isinstance(view, LessonView)
    section = next(s for s in view.lesson.sections if s.id == CHECKLIST)
    assert section.checklist
    ((name, page, label),) = _downloads(find(view, "spasm-lesson-body").value)
    assert name == f"{CHECKLIST}.html"
    assert label == text("checklist_download")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert f"<title>{section.title}</title>" in page
    lines = checklist_lines(section.body)
    assert len(lines) >= 5
    # Every question once, each with a box to tick; room for notes; the disclaimer.
    assert page.count('<input type="checkbox">') == len(lines)
    for line in lines:
        assert line in page
    assert text("checklist_notes") in page and text("disclaimer") in page
    assert "<script" not in page and "http" not in page  # a plain page: nothing runs or loads
    # The link sits in its own section, after the questions and before the sources.
    body = find(view, "spasm-lesson-body").value
    start = body.index(f'<h2 id="{CHECKLIST}">')
    assert start < body.index("spasm-checklist-download") < body.index("spasm-sources", start)


def test_other_sections_have_no_download() -> None:
    view = show_lesson("home-care")
    assert isinstance(view, LessonView)
    assert _downloads(find(view, "spasm-lesson-body").value) == []


HOSTILE = Section(
    id="hostile",
    title='Q&A <b>"bold"</b>',
    body=(
        "Intro <script>alert(1)</script>\n\n"
        "- <img src=x onerror=alert(1)> first\n"
        '- "quoted" & **bold** </li></ul><h1>x</h1>\n'
        "- third 'one'"
    ),
    sources=("R4",),
    reviewed=dt.date(2026, 12, 1),
    checklist=True,
)


def test_checklist_text_is_escaped_in_the_page_and_the_file() -> None:
    from spasm_edu.content import load_course

    course, _ = load_course()
    page = checklist_page(HOSTILE)
    assert "<img" not in page and "<script" not in page and "<h1>x" not in page
    assert "<b>" not in page and "</li></ul><h1>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; first" in page
    assert "&#34;quoted&#34; &amp; <strong>bold</strong>" in page
    assert "<title>Q&amp;A &lt;b&gt;&#34;bold&#34;&lt;/b&gt;</title>" in page
    # The intro paragraph is not a checklist line.
    assert "Intro" not in page
    html = section_html(HOSTILE, course)
    ((name, file_text, _label),) = _downloads(html)
    assert name == "hostile.html" and file_text == page
    assert "<img" not in html and "<script" not in html


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("yes", "sections[0].checklist: expected true or false, got text"),
        (True, 'sections[0].checklist: a checklist needs at least 3 "- " lines in body'),
    ],
)
def test_the_checklist_field_is_validated(tmp_path: Path, value: object, problem: str) -> None:
    data = valid_lesson()
    data["sections"][0]["checklist"] = value  # its body has one "- " line
    found = [
        str(p) for p in check_paths([write_lesson(tmp_path, data)], today=dt.date(2026, 12, 1))
    ]
    assert any(problem in p for p in found), found


def test_a_checklist_with_three_lines_is_valid(tmp_path: Path) -> None:
    data = valid_lesson()
    data["sections"][0].update(body="Ask:\n\n- One?\n- Two?\n- Three?", checklist=True)
    assert check_paths([write_lesson(tmp_path, data)], today=dt.date(2026, 12, 1)) == []
