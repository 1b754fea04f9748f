"""Export the question bank for an LMS: Moodle GIFT and XML, Canvas QTI 1.2, QTI 2.1.

Each format module has one table keyed by question type (``FORMATS[name].table``): a writer
of one question, or ``Unsupported(reason)``. A question a format cannot express is left out
and reported (``Export.left_out``), never written wrongly. Same content, same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..content.model import Course, Lesson
from ._common import Export, LeftOut, Table, Unsupported, question_ref
from .canvas import CANVAS, export_canvas
from .gift import GIFT, export_gift
from .moodle import MOODLE_XML, export_moodle_xml
from .qti21 import QTI21, export_qti21


class ExportError(Exception):
    """The export cannot be made as asked (an unknown lesson, nothing to export, ...)."""


@dataclass(frozen=True)
class Format:
    """One export format: its question-type table and the function that writes it."""

    name: str
    description: str
    table: Table[object]
    write: Callable[[tuple[Lesson, ...]], Export]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("gift", "Moodle GIFT text", GIFT, export_gift),
        Format("moodle-xml", "Moodle XML", MOODLE_XML, export_moodle_xml),
        Format(
            "canvas-qti", "QTI 1.2 zip for Canvas, laid out as text2qti does", CANVAS, export_canvas
        ),
        Format("qti21", "IMS QTI 2.1 content package, a zip", QTI21, export_qti21),
    )
}


def export(course: Course, fmt: str, lesson_ids: Sequence[str] = ()) -> Export:
    """Export the questions of `lesson_ids` (default: the whole course) in format `fmt`.

    Raises ExportError for an unknown format or lesson, or when no question can be written.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format '{fmt}': choose one of {', '.join(FORMATS)}")
    known = {lesson.id for lesson in course.lessons}
    unknown = [lesson_id for lesson_id in lesson_ids if lesson_id not in known]
    if unknown:
        raise ExportError(
            f"no lesson with id {', '.join(repr(u) for u in unknown)}; "
            f"lessons: {', '.join(sorted(known))}"
        )
    chosen = tuple(lesson for lesson in course.lessons if not lesson_ids or lesson.id in lesson_ids)
    result = FORMATS[fmt].write(chosen)
    if not result.questions:
        reasons = (
            "; ".join(str(left) for left in result.left_out) or "the lessons have no questions"
        )
        raise ExportError(f"no question can be written as {fmt}: {reasons}")
    return result


__all__ = [
    "FORMATS",
    "Export",
    "ExportError",
    "Format",
    "LeftOut",
    "Unsupported",
    "export",
    "question_ref",
]
