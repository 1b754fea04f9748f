"""Moodle XML, and what Moodle's two formats (GIFT, XML) share: categories and grades."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..content.model import Lesson, Question
from ..strings import text
from ._common import (
    CannotExpress,
    Export,
    Table,
    Unsupported,
    choice_text,
    convert,
    general_feedback_html,
    html_text,
    question_ref,
    refs,
    require_xml_text,
    xml_bytes,
)

# Each lesson is a question category under this one, named by the lesson id.
CATEGORY_ROOT = "$course$/top/spasm-edu"

MAX_ID_NUMBER = 100  # the longest question ID number Moodle stores

# The grades Moodle accepts for an answer, in percent (its question/format.php refuses others
# on import unless told to round to the nearest).
MOODLE_GRADES = (
    100.0, 90.0, 83.33333, 80.0, 75.0, 70.0, 66.66667, 60.0, 50.0, 40.0,
    33.33333, 30.0, 25.0, 20.0, 16.66667, 14.28571, 12.5, 11.11111, 10.0, 5.0,
)  # fmt: skip


def percent(value: float) -> str:
    """A grade in percent as Moodle writes it: 100, 50, 33.33333, -25."""
    return f"{value:.5f}".rstrip("0").rstrip(".")


def _moodle_grade(share: int, kind: str) -> float:
    """100 / share, as one of Moodle's grades; CannotExpress if Moodle has no such grade."""
    exact = 100 / share
    for grade in MOODLE_GRADES:
        if abs(grade - exact) < 0.00001:
            return grade
    raise CannotExpress(
        f"its {share} {kind} choices would each need {exact:.4f}%, a grade Moodle does not offer"
    )


def multiple_weights(question: Question) -> tuple[float, float]:
    """The grades of a right and of a wrong choice of a "select all that apply" question.

    The right choices share 100%; the wrong ones share -100%, so that choosing every choice
    scores 0 (Moodle never scores a question below 0).
    """
    n_right = len(question.correct_choice_ids)
    n_wrong = len(question.choices) - n_right
    return _moodle_grade(n_right, "right"), (-_moodle_grade(n_wrong, "wrong") if n_wrong else 0.0)


def check_match(question: Question) -> None:
    """Moodle's matching question needs at least two items to match."""
    if len(question.items) < 2:
        raise CannotExpress("Moodle's matching question needs at least two items")


# ---- Moodle XML --------------------------------------------------------------------------


def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html") -> ET.Element:
    """<tag format="html"><text>value</text></tag> under `parent`."""
    element = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = value
    return element


def _field(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _question(lesson: Lesson, question: Question, qtype: str) -> ET.Element:
    """The parts every Moodle XML question has: name, text, general feedback, id number."""
    require_xml_text(question)
    ref = question_ref(lesson, question)
    if len(ref) > MAX_ID_NUMBER:
        raise CannotExpress(f"its name is longer than Moodle's {MAX_ID_NUMBER}-character ID number")
    element = ET.Element("question", {"type": qtype})
    _text(element, "name", ref, fmt=None)
    _text(element, "questiontext", html_text(question.prompt))
    _text(element, "generalfeedback", general_feedback_html(lesson, question))
    _field(element, "defaultgrade", "1")
    _field(element, "hidden", "0")
    _field(element, "idnumber", ref)
    return element


def _combined_feedback(element: ET.Element) -> None:
    """Empty overall feedback: the feedback is per choice, or general."""
    for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        _text(element, tag, "")


def _multichoice(lesson: Lesson, question: Question, weights: tuple[float, float]) -> ET.Element:
    element = _question(lesson, question, "multichoice")
    single = question.type != "multiple"
    _field(element, "single", "true" if single else "false")
    # A pair (Myth or Fact) keeps its order, as in the app; other choices follow the quiz.
    shuffle = lesson.quiz.shuffle and question.type in ("single", "multiple")
    _field(element, "shuffleanswers", "true" if shuffle else "false")
    _field(element, "answernumbering", "abc")
    _field(element, "showstandardinstruction", "1")
    _combined_feedback(element)
    right, wrong = weights
    for choice in question.choices:
        answer = _text(
            element,
            "answer",
            html_text(choice_text(lesson, question, choice)),
        )
        answer.set("fraction", percent(right if choice.correct else wrong))
        _text(answer, "feedback", html_text(choice.feedback))
    return element


def _single(lesson: Lesson, question: Question) -> ET.Element:
    """single and myth_fact: one right choice (100%), the others 0, feedback on each."""
    return _multichoice(lesson, question, (100.0, 0.0))


def _multiple(lesson: Lesson, question: Question) -> ET.Element:
    """multiple: see multiple_weights."""
    return _multichoice(lesson, question, multiple_weights(question))


def _true_false(lesson: Lesson, question: Question) -> ET.Element:
    """true_false: Moodle's true/false question, unless the choices have their own words."""
    labels = [choice_text(lesson, question, c) for c in question.choices]
    if labels != [text(c.id, lesson.language) for c in question.choices]:
        return _single(lesson, question)
    element = _question(lesson, question, "truefalse")
    for choice in question.choices:
        answer = _text(element, "answer", choice.id, fmt="moodle_auto_format")
        answer.set("fraction", "100" if choice.correct else "0")
        _text(answer, "feedback", html_text(choice.feedback))
    return element


def _match(lesson: Lesson, question: Question) -> ET.Element:
    """match: a subquestion per item, its answer its group; unused groups as extra answers."""
    check_match(question)
    element = _question(lesson, question, "matching")
    _field(element, "shuffleanswers", "true")
    _combined_feedback(element)
    groups = {g.id: g.text for g in question.groups}
    pairs = [(i.text, groups[i.answer or ""]) for i in question.items]
    used = {i.answer for i in question.items}
    pairs += [("", g.text) for g in question.groups if g.id not in used]  # a distractor
    for item_text, group_text in pairs:
        sub = _text(element, "subquestion", html_text(item_text))
        answer = ET.SubElement(sub, "answer")
        ET.SubElement(answer, "text").text = html_text(group_text)
    return element


# The one table of question types for Moodle XML: a writer, or why it cannot.
MOODLE_XML: Table[ET.Element] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "myth_fact": _single,  # a choice between "Myth" and "Fact"
    "match": _match,
    "order": Unsupported(
        "Moodle has no core ordering question (the Ordering question type is a plugin)"
    ),
}


def export_moodle_xml(lessons: tuple[Lesson, ...]) -> Export:
    """The question bank of `lessons` as one Moodle XML file, a category per lesson."""
    converted, left_out = convert(lessons, MOODLE_XML)
    quiz = ET.Element("quiz")
    for part in converted:
        category = ET.SubElement(quiz, "question", {"type": "category"})
        _text(category, "category", f"{CATEGORY_ROOT}/{part.lesson.id}", fmt=None)
        _text(category, "info", html_text(part.lesson.title))
        _field(category, "idnumber", part.lesson.id)
        quiz.extend(element for _, element in part.questions)
    data = xml_bytes(quiz)
    return Export("moodle-xml", "spasm-edu-moodle.xml", data, refs(converted), tuple(left_out))
