"""A review date never takes a lesson away from learners: validate reports it, the page shows it."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import ipywidgets as widgets
import pytest

from spasm_edu import show_lesson
from spasm_edu.cli import main
from spasm_edu.content import CONTENT_DIR, check_paths, load_course, loader
from spasm_edu.widgets import LessonView

# The day validate checks against: the newest review date of the shipped lessons, so that the
# others are valid and this test moves with the content, never with the clock. A served page
# never asks for a day.
TODAY = max(s.reviewed for lesson in load_course(strict=False)[0].lessons for s in lesson.sections)


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the shipped content, served by the app instead of the package's."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(loader, "CONTENT_DIR", folder)
    return folder


def set_review_dates(path: Path, day: dt.date) -> None:
    text = path.read_text(encoding="utf-8")
    new, count = re.subn(r"(?m)^(\s*reviewed:) .*$", rf"\g<1> {day.isoformat()}", text)
    assert count, "no review date to change"
    path.write_text(new, encoding="utf-8")


def page_html(view: widgets.Widget) -> str:
    out = [view.value] if isinstance(view, widgets.HTML) else []
    for child in getattr(view, "children", ()):
        out.append(page_html(child))
    return " ".join(out)


@pytest.mark.parametrize(
    ("reviewed", "problem"),
    [
        (TODAY - dt.timedelta(days=3 * 365), "is more than two years old"),
        (TODAY + dt.timedelta(days=30), "review date is in the future"),
    ],
    ids=["three-years-old", "in-the-future"],
)
def test_a_lesson_due_for_review_is_still_served(
    content: Path, reviewed: dt.date, problem: str
) -> None:
    lesson_file = content / "lessons" / "02-causes.yaml"
    set_review_dates(lesson_file, reviewed)

    # Authors and CI are told ...
    found = [str(p) for p in check_paths([content], today=TODAY)]
    own = [p for p in found if str(lesson_file) in p]
    assert own, "check_paths accepted the date"
    assert all(problem in p for p in own), own
    # The translations of the lesson are now out of step with it (dates, source hash): said too.
    assert all(p in own or "/translations/" in p for p in found), found
    assert main(["validate", str(content), "--today", TODAY.isoformat()]) == 1

    # ... while learners still get the lesson, with the date it was checked.
    view = show_lesson("causes")
    assert isinstance(view, LessonView), "the lesson was replaced by the broken-lesson page"
    html = page_html(view)
    assert "cannot be shown right now" not in html
    line = f'<p class="spasm-reviewed">Checked against sources on {reviewed.isoformat()}.</p>'
    assert html.count(line) == len(view.lesson.sections)
    # Visible: not folded away inside the Sources <details>.
    before = html[: html.index(line)]
    assert before.count("<details") == before.count("</details>")
