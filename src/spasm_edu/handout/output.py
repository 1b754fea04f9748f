"""Which files a handout run writes, and writing them as HTML and as tagged PDF (WeasyPrint)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..content import Course, Lesson
from ..local_help import LocalHelp
from ._options import Format, Paper
from .lesson import course_handout, lesson_handout
from .paperquiz import answer_key, quiz_sheet

COURSE_STEM = "00-course"  # the whole course's handout sorts before the lessons'
# PDF/UA-1: tagged (a structure tree of headings, lists, figures with their alt text) and with
# the document's language, so screen readers and reflow work on the PDF too.
PDF_VARIANT = "pdf/ua-1"
INSTALL_HINT = "install spasm-edu[educator]: pip install 'spasm-edu[educator]'"


class PdfUnavailable(RuntimeError):
    """WeasyPrint (the `educator` extra) cannot be imported: PDF files cannot be made."""


@dataclass(frozen=True)
class Document:
    """One file to write: its name without the extension, and its HTML."""

    stem: str
    html: Markup


def _stem(lesson: Lesson) -> str:
    return lesson.notebook.removesuffix(".ipynb")


def handout_documents(
    course: Course, lessons: Sequence[Lesson], local: LocalHelp, paper: Paper, *, whole: bool
) -> list[Document]:
    """A handout per lesson (quizzes have no lesson text: none), and with `whole` the course's."""
    docs = [Document(COURSE_STEM, course_handout(course, local, paper))] if whole else []
    docs += [
        Document(_stem(lesson), lesson_handout(course, lesson, local, paper))
        for lesson in lessons
        if lesson.kind == "lesson"
    ]
    return docs


def quiz_documents(lessons: Iterable[Lesson], paper: Paper) -> list[Document]:
    """A quiz sheet and its answer key per lesson (the final quiz is the whole course's)."""
    docs: list[Document] = []
    for lesson in lessons:
        if lesson.quiz.questions:
            docs.append(Document(f"{_stem(lesson)}-quiz", quiz_sheet(lesson, paper)))
            docs.append(Document(f"{_stem(lesson)}-answer-key", answer_key(lesson, paper)))
    return docs


def _weasyprint_html() -> Any:
    """WeasyPrint's HTML class; PdfUnavailable when WeasyPrint, or the Pango it needs, is missing."""
    try:
        from weasyprint import HTML  # type: ignore[import-untyped,unused-ignore]  # no types
    except (ImportError, OSError) as exc:  # OSError: WeasyPrint is there, Pango is not
        raise PdfUnavailable(f"PDF handouts need WeasyPrint: {INSTALL_HINT} ({exc})") from exc
    return HTML


def pdf_bytes(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of an HTML document, made by WeasyPrint (PdfUnavailable)."""
    return bytes(_weasyprint_html()(string=html).write_pdf(pdf_variant=PDF_VARIANT))


def write_documents(docs: Iterable[Document], folder: Path, fmt: Format = "both") -> list[Path]:
    """Write each document as HTML, PDF or both into `folder`; return the paths written."""
    if fmt != "html":
        _weasyprint_html()  # no WeasyPrint: say so before any file is written
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for doc in docs:
        if fmt in ("html", "both"):
            path = folder / f"{doc.stem}.html"
            path.write_text(str(doc.html), encoding="utf-8")
            written.append(path)
        if fmt in ("pdf", "both"):
            path = folder / f"{doc.stem}.pdf"
            path.write_bytes(pdf_bytes(str(doc.html)))
            written.append(path)
    return written
