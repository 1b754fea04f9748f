"""What every export format shares: question ids, text, the result and the left-out report."""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar
from xml.etree import ElementTree as ET

from ..content.model import Choice, Lesson, Question, QuestionType
from ..quiz.types import rules_of

T = TypeVar("T")

# Names a question keeps in every format (its "name", "title" or "id" field), so that results
# coming back from an LMS can be matched to our content: "<lesson id>.<question id>". Content
# ids are lowercase words joined by "-", so the "." is never part of an id.
SEPARATOR = "."
# Identifiers in XML formats (QTI idents) start with this, so they are valid XML names even
# when a lesson id starts with a digit.
ID_PREFIX = "spasm-edu."


class CannotExpress(Exception):
    """Raised by a writer when this one question cannot be written faithfully in the format."""


@dataclass(frozen=True)
class Unsupported:
    """A format's table entry for a question type the format cannot express, and why."""

    reason: str


# A format's table: for each question type, a writer of one question, or why it cannot.
Writer = Callable[[Lesson, Question], T]
Table = Mapping[QuestionType, Writer[T] | Unsupported]


@dataclass(frozen=True)
class LeftOut:
    """A question the export left out, and why."""

    question: str  # its reference, "<lesson id>.<question id>"
    type: QuestionType
    reason: str

    def __str__(self) -> str:
        return f"{self.question} ({self.type}): {self.reason}"


@dataclass(frozen=True)
class Export:
    """One export: the bytes to write, the questions it holds and those it left out."""

    format: str
    filename: str  # the default file name
    data: bytes
    questions: tuple[str, ...]  # references of the questions written, in course order
    left_out: tuple[LeftOut, ...]


@dataclass(frozen=True)
class Converted(Generic[T]):
    """The questions of one lesson that a format could write, each converted."""

    lesson: Lesson
    questions: tuple[tuple[Question, T], ...]


def question_ref(lesson: Lesson, question: Question) -> str:
    """The name a question keeps in every format: "<lesson id>.<question id>"."""
    return f"{lesson.id}{SEPARATOR}{question.id}"


def xml_id(*parts: str) -> str:
    """An XML identifier made of our ids, valid even if an id starts with a digit."""
    return ID_PREFIX + SEPARATOR.join(parts)


def convert(lessons: Iterable[Lesson], table: Table[T]) -> tuple[list[Converted[T]], list[LeftOut]]:
    """Convert every question of `lessons` with the format's `table`; collect what it cannot."""
    done: list[Converted[T]] = []
    left_out: list[LeftOut] = []
    for lesson in lessons:
        converted = []
        for question in lesson.quiz.questions:
            entry = table[question.type]
            ref = question_ref(lesson, question)
            if isinstance(entry, Unsupported):
                left_out.append(LeftOut(ref, question.type, entry.reason))
                continue
            try:
                converted.append((question, entry(lesson, question)))
            except CannotExpress as exc:
                left_out.append(LeftOut(ref, question.type, str(exc)))
        done.append(Converted(lesson, tuple(converted)))
    return done, left_out


def refs(converted: Iterable[Converted[T]]) -> tuple[str, ...]:
    """References of every converted question, in course order."""
    return tuple(question_ref(c.lesson, q) for c in converted for q, _ in c.questions)


# ---- text --------------------------------------------------------------------------------


def choice_text(lesson: Lesson, question: Question, choice: Choice) -> str:
    """The words of a choice as the app shows them (True/False/Myth/Fact when left out)."""
    return rules_of(question).label(choice.id, lesson.language)


def item_lines(lesson: Lesson, question: Question) -> tuple[str, ...]:
    """For match and order questions: each item in its right place, with its feedback.

    No format has feedback per placed item, so these lines go into the general feedback:
    the app's "Show answer" words ("Numbness between the legs → Call now") and the item's
    feedback, which the app shows after every check.
    """
    if not question.items:
        return ()
    parts = rules_of(question).correct_answer(lesson.language)
    feedback = {item.id: item.feedback for item in question.items}
    return tuple(f"{part} — {feedback[part.ref]}" for part in parts)


_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f]")


def html_text(text: str) -> str:
    """Text as an HTML fragment that shows exactly this text.

    Control characters (which XML cannot carry) become character references, and so does
    white space at either end (importers trim it).
    """
    body = text.strip()
    start = text.index(body) if body else len(text)
    head, tail = text[:start], text[start + len(body) :]
    escaped = html.escape(body, quote=False)
    escaped = _CONTROL_RE.sub(lambda m: f"&#{ord(m.group())};", escaped)
    return "".join(f"&#{ord(c)};" for c in head) + escaped + "".join(f"&#{ord(c)};" for c in tail)


def general_feedback_html(lesson: Lesson, question: Question) -> str:
    """The question's explanation (and item lines, see item_lines) as an HTML fragment."""
    lines = item_lines(lesson, question)
    out = html_text(question.explanation)
    if lines:
        out += "<ul>" + "".join(f"<li>{html_text(line)}</li>" for line in lines) + "</ul>"
    return out


# XML 1.0 has no way to write these characters, not even as character references.
_NOT_XML_RE = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def texts(question: Question) -> Iterable[str]:
    """Every text of a question (prompt, explanation, choices, groups, items, feedback)."""
    yield question.prompt
    yield question.explanation
    for choice in question.choices:
        yield from (choice.text, choice.feedback)
    for group in question.groups:
        yield group.text
    for item in question.items:
        yield from (item.text, item.feedback)


def require_xml_text(question: Question) -> None:
    """Raise CannotExpress if a text of the question holds a character XML cannot carry."""
    for value in texts(question):
        bad = _NOT_XML_RE.search(value)
        if bad:
            raise CannotExpress(
                f"its text holds the control character U+{ord(bad.group()):04X}, "
                "which XML cannot carry"
            )


# ---- writing files -----------------------------------------------------------------------


XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class Xml:
    """Builds the elements of a document whose default namespace is `namespace`.

    Elements get plain names and the root an xmlns attribute: ElementTree's own
    default_namespace option refuses attributes without a namespace.
    """

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace

    def tag(self, name: str) -> str:
        """The name of an element `name` of this document (see the class docstring)."""
        return name

    def root(self, name: str, attrs: Mapping[str, str] | None = None) -> ET.Element:
        """A document's root element, which declares the namespace."""
        return ET.Element(name, {"xmlns": self.namespace, **(attrs or {})})

    def sub(
        self,
        parent: ET.Element,
        name: str,
        attrs: Mapping[str, str] | None = None,
        text: str | None = None,
    ) -> ET.Element:
        """A child element of `parent`, with attributes and text."""
        element = ET.SubElement(parent, name, dict(attrs or {}))
        element.text = text
        return element

    def document(self, root: ET.Element, schema_location: str | None = None) -> bytes:
        """The document's bytes (see xml_bytes)."""
        if schema_location:
            root.set(f"{{{XSI}}}schemaLocation", f"{self.namespace} {schema_location}")
        return xml_bytes(root)


def xml_bytes(root: ET.Element) -> bytes:
    """An XML document, indented, with its declaration; same tree, same bytes."""
    ET.indent(root, space="  ")
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True)) + b"\n"


# Zip entries get this fixed time (the earliest a zip can hold), so the bytes never change.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of `files` (name -> bytes) in name order, with fixed times and permissions.

    A name ending in "/" is a folder entry.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.create_system = 3  # Unix, whatever machine writes it
            is_dir = name.endswith("/")
            info.external_attr = (0o40755 if is_dir else 0o100644) << 16
            info.compress_type = zipfile.ZIP_STORED if is_dir else zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name])
    return buffer.getvalue()
