"""The educator page's gradebook button: only after the passcode, files equal to the CLI's."""

from __future__ import annotations

import base64
import io
import re
import sys
from pathlib import Path

import openpyxl
import pytest

from spasm_edu.content import load_course
from spasm_edu.gradebook import build_gradebook, long_table, to_csv, wide_table
from spasm_edu.quiz import grade
from spasm_edu.results import PendingAttempt, ResultsStore
from spasm_edu.widgets.educator import EducatorView
from tests.support.answers import answer_for, response_of
from tests.support.widgets import classes, click, find

COURSE, _ = load_course()
LESSON = COURSE.lesson("causes")
LINK = re.compile(r'download="([^"]+)" href="data:([^;]+)(?:;charset=utf-8)?;base64,([^"]+)"')


def _page(tmp_path: Path) -> tuple[EducatorView, ResultsStore]:
    store = ResultsStore(f"sqlite:///{tmp_path / 'class.sqlite3'}")
    for n, nickname in enumerate(["=1+2", None]):
        store.register_learner(f"g{n}", class_code="BIO-7", nickname=nickname)
        for question in LESSON.quiz.questions:
            graded = grade(question, response_of(question, answer_for(question, right=n == 0)))
            store.save(
                PendingAttempt(
                    f"g{n}", LESSON.id, question.id, graded.answer, graded.correct, "BIO-7"
                )
            )
    return EducatorView(COURSE, store, "s3cret"), store


def _open(view: EducatorView, passcode: str) -> None:
    find(view, "spasm-passcode").value = passcode
    find(view, "spasm-class-code").value = "BIO-7"
    click(view, "spasm-edu-open")


def _files(view: EducatorView) -> dict[str, tuple[str, bytes]]:
    html = find(view, "spasm-gradebook-links").value
    return {name: (mime, base64.b64decode(data)) for name, mime, data in LINK.findall(html)}


def test_gradebook_files_only_after_the_passcode(tmp_path: Path) -> None:
    view, store = _page(tmp_path)
    box, button = find(view, "spasm-edu-gradebook"), find(view, "spasm-gradebook")
    assert "spasm-hidden" in classes(box)
    # The browser can fire a hidden button: before the passcode, a click makes nothing.
    click(view, "spasm-gradebook")
    assert _files(view) == {}
    _open(view, "wrong")
    click(view, "spasm-gradebook")
    assert _files(view) == {}

    _open(view, "s3cret")
    assert "spasm-hidden" not in classes(box)
    click(view, "spasm-gradebook")
    files = _files(view)
    assert sorted(files) == ["answers.csv", "gradebook.csv", "gradebook.xlsx"]
    book = build_gradebook(store, COURSE, "BIO-7")
    assert files["gradebook.csv"] == ("text/csv", to_csv(wide_table(book)).encode())
    assert files["answers.csv"] == ("text/csv", to_csv(long_table(book)).encode())
    mime, xlsx = files["gradebook.xlsx"]
    assert mime.endswith("spreadsheetml.sheet")
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[2:]] == ["'=1+2", "Student 2"]
    assert "Gradebook of class BIO-7" in find(view, "spasm-gradebook-links").value
    assert button.description == "Make a gradebook of this class"

    # A wrong passcode locks the page again: the links go, the button hides and does nothing.
    _open(view, "wrong")
    assert _files(view) == {} and "spasm-hidden" in classes(box)
    click(view, "spasm-gradebook")
    assert _files(view) == {}


def test_without_openpyxl_the_page_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view, _ = _page(tmp_path)
    _open(view, "s3cret")
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if not installed
    click(view, "spasm-gradebook")
    assert sorted(_files(view)) == ["answers.csv", "gradebook.csv"]
    assert "pip install &#39;spasm-edu[educator]&#39;" in find(view, "spasm-gradebook-links").value
