"""Print-ready handouts (HTML and tagged PDF), paper quizzes and answer keys; no widgets.

``lesson`` builds a lesson's or the course's handout, ``paperquiz`` a quiz sheet and its key,
``output`` writes them (PDF with WeasyPrint, the `educator` extra), ``command`` is
``spasm-edu handout``. The names below are loaded on first use: every ``spasm-edu`` command
builds its parser with ``command``, and should not pay for loading the content to do so.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._options import FORMATS, PAPERS, Format, Paper
    from .lesson import course_handout, lesson_handout
    from .output import (
        Document,
        PdfUnavailable,
        handout_documents,
        pdf_bytes,
        quiz_documents,
        write_documents,
    )
    from .paperquiz import PRINTERS, answer_key, quiz_sheet, shown_order

_HOMES = {
    "FORMATS": "_options",
    "PAPERS": "_options",
    "Format": "_options",
    "Paper": "_options",
    "course_handout": "lesson",
    "lesson_handout": "lesson",
    "Document": "output",
    "PdfUnavailable": "output",
    "handout_documents": "output",
    "pdf_bytes": "output",
    "quiz_documents": "output",
    "write_documents": "output",
    "PRINTERS": "paperquiz",
    "answer_key": "paperquiz",
    "quiz_sheet": "paperquiz",
    "shown_order": "paperquiz",
}
__all__ = [
    "FORMATS",
    "PAPERS",
    "PRINTERS",
    "Document",
    "Format",
    "Paper",
    "PdfUnavailable",
    "answer_key",
    "course_handout",
    "handout_documents",
    "lesson_handout",
    "pdf_bytes",
    "quiz_documents",
    "quiz_sheet",
    "shown_order",
    "write_documents",
]


def __getattr__(name: str) -> object:
    """Load a public name from its module on first use (PEP 562)."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
