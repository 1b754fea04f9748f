"""Canvas: a QTI 1.2 package laid out as text2qti makes it, a quiz per lesson.

The zip holds imsmanifest.xml and, per lesson, a folder named after the quiz's identifier with
the QTI assessment (<id>/<id>.xml) and Canvas's settings for it (<id>/assessment_meta.xml).
Canvas makes each quiz and a question bank for it. Items keep our ids: ident
"spasm-edu.<lesson>.<question>", title "<lesson>.<question>"; choice idents "choice.<id>".
Texts are HTML (mattext texttype="text/html"), escaped to show as written.
"""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..content.model import Choice, Lesson, Question
from ..strings import text
from ._common import (
    Export,
    Table,
    Unsupported,
    Xml,
    choice_text,
    convert,
    general_feedback_html,
    html_text,
    question_ref,
    refs,
    require_xml_text,
    xml_id,
    zip_bytes,
)
from .moodle import percent

QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
QTI_XSD = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd"
META_NS = "http://canvas.instructure.com/xsd/cccv1p0"
META_XSD = "https://canvas.instructure.com/xsd/cccv1p0.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
GENERAL_FEEDBACK = "general_fb"  # our ids have no "_": no choice's feedback id is this

_qti = Xml(QTI_NS)


def _metadata(parent: ET.Element, fields: list[tuple[str, str]]) -> None:
    metadata = _qti.sub(parent, "qtimetadata")
    for label, entry in fields:
        field = _qti.sub(metadata, "qtimetadatafield")
        _qti.sub(field, "fieldlabel", text=label)
        _qti.sub(field, "fieldentry", text=entry)


def _material(parent: ET.Element, value: str, texttype: str = "text/html") -> None:
    _qti.sub(_qti.sub(parent, "material"), "mattext", {"texttype": texttype}, text=value)


def _item(
    lesson: Lesson, question: Question, canvas_type: str, answer_ids: list[str]
) -> tuple[ET.Element, ET.Element]:
    """An item with its metadata, and its presentation with the question's text."""
    require_xml_text(question)
    ident = xml_id(lesson.id, question.id)
    item = ET.Element(_qti.tag("item"), {"ident": ident, "title": question_ref(lesson, question)})
    _metadata(
        _qti.sub(item, "itemmetadata"),
        [
            ("question_type", canvas_type),
            ("points_possible", "1.0"),
            ("original_answer_ids", ",".join(answer_ids)),
            ("assessment_question_identifierref", f"{ident}.ref"),
        ],
    )
    presentation = _qti.sub(item, "presentation")
    _material(presentation, html_text(question.prompt))
    return item, presentation


def _processing(item: ET.Element) -> ET.Element:
    """<resprocessing> with the SCORE variable and the general feedback always shown."""
    processing = _qti.sub(item, "resprocessing")
    outcomes = _qti.sub(processing, "outcomes")
    _qti.sub(
        outcomes,
        "decvar",
        {"maxvalue": "100", "minvalue": "0", "varname": "SCORE", "vartype": "Decimal"},
    )
    condition = _qti.sub(processing, "respcondition", {"continue": "Yes"})
    _qti.sub(_qti.sub(condition, "conditionvar"), "other")
    _display(condition, GENERAL_FEEDBACK)
    return processing


def _display(condition: ET.Element, feedback_id: str) -> None:
    _qti.sub(condition, "displayfeedback", {"feedbacktype": "Response", "linkrefid": feedback_id})


def _item_feedback(item: ET.Element, ident: str, html: str) -> None:
    flow = _qti.sub(_qti.sub(item, "itemfeedback", {"ident": ident}), "flow_mat")
    _material(flow, html)


def _choice_id(choice: Choice) -> str:
    return f"choice.{choice.id}"


def _choices(lesson: Lesson, question: Question, canvas_type: str) -> ET.Element:
    """A choice question: Canvas's multiple choice, true/false or multiple answers."""
    ids = [_choice_id(c) for c in question.choices]
    item, presentation = _item(lesson, question, canvas_type, ids)
    multiple = question.type == "multiple"
    response = _qti.sub(
        presentation,
        "response_lid",
        {"ident": "response1", "rcardinality": "Multiple" if multiple else "Single"},
    )
    render = _qti.sub(response, "render_choice")
    for choice in question.choices:
        label = _qti.sub(render, "response_label", {"ident": _choice_id(choice)})
        _material(label, html_text(choice_text(lesson, question, choice)))
    processing = _processing(item)
    for ident in ids:
        condition = _qti.sub(processing, "respcondition", {"continue": "Yes"})
        chosen = _qti.sub(condition, "conditionvar")
        _qti.sub(chosen, "varequal", {"respident": "response1"}, text=ident)
        _display(condition, f"{ident}_fb")
    right = _qti.sub(processing, "respcondition", {"continue": "No"})
    condition_var = _qti.sub(right, "conditionvar")
    if multiple:  # right when exactly the right choices are chosen
        every = _qti.sub(condition_var, "and")
        for choice in question.choices:
            parent = every if choice.correct else _qti.sub(every, "not")
            _qti.sub(parent, "varequal", {"respident": "response1"}, text=_choice_id(choice))
    else:
        right_choice = next(c for c in question.choices if c.correct)
        _qti.sub(
            condition_var, "varequal", {"respident": "response1"}, text=_choice_id(right_choice)
        )
    _qti.sub(right, "setvar", {"action": "Set", "varname": "SCORE"}, text="100")
    _item_feedback(item, GENERAL_FEEDBACK, general_feedback_html(lesson, question))
    for choice in question.choices:
        _item_feedback(item, f"{_choice_id(choice)}_fb", html_text(choice.feedback))
    return item


def _single(lesson: Lesson, question: Question) -> ET.Element:
    """single and myth_fact: Canvas's multiple choice question."""
    return _choices(lesson, question, "multiple_choice_question")


def _multiple(lesson: Lesson, question: Question) -> ET.Element:
    """multiple: Canvas's multiple answers question (Canvas decides its partial credit)."""
    return _choices(lesson, question, "multiple_answers_question")


def _true_false(lesson: Lesson, question: Question) -> ET.Element:
    """true_false: Canvas's true/false question, unless the choices have their own words."""
    labels = [choice_text(lesson, question, c) for c in question.choices]
    if labels != [text(c.id, lesson.language) for c in question.choices]:
        return _single(lesson, question)
    return _choices(lesson, question, "true_false_question")


def _match(lesson: Lesson, question: Question) -> ET.Element:
    """match: Canvas's matching question, a drop-down of groups per item."""
    item_ids = [f"item.{i.id}" for i in question.items]
    item, presentation = _item(lesson, question, "matching_question", item_ids)
    for question_item in question.items:
        response = _qti.sub(presentation, "response_lid", {"ident": f"response_{question_item.id}"})
        _material(response, question_item.text, "text/plain")
        render = _qti.sub(response, "render_choice")
        for group in question.groups:
            label = _qti.sub(render, "response_label", {"ident": f"group.{group.id}"})
            _material(label, group.text, "text/plain")
    processing = _processing(item)
    share = percent(100 / len(question.items))
    for question_item in question.items:
        condition = _qti.sub(processing, "respcondition")
        _qti.sub(
            _qti.sub(condition, "conditionvar"),
            "varequal",
            {"respident": f"response_{question_item.id}"},
            text=f"group.{question_item.answer}",
        )
        _qti.sub(condition, "setvar", {"varname": "SCORE", "action": "Add"}, text=share)
    _item_feedback(item, GENERAL_FEEDBACK, general_feedback_html(lesson, question))
    return item


# The one table of question types for Canvas: a writer, or why Canvas cannot express it.
CANVAS: Table[ET.Element] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _true_false,
    "myth_fact": _single,  # a choice between "Myth" and "Fact"
    "match": _match,
    "order": Unsupported("Canvas quizzes (classic) have no ordering question"),
}


def _assessment(lesson: Lesson, items: list[ET.Element]) -> bytes:
    root = _qti.root("questestinterop")
    assessment = _qti.sub(
        root, "assessment", {"ident": xml_id(lesson.id), "title": lesson.quiz.title or lesson.title}
    )
    _metadata(assessment, [("cc_maxattempts", "1")])
    section = _qti.sub(assessment, "section", {"ident": "root_section"})
    section.extend(items)
    return _qti.document(root, QTI_XSD)


def _assessment_meta(lesson: Lesson, n_questions: int) -> bytes:
    """Canvas's settings for the quiz (the fields text2qti writes, none from the clock)."""
    meta = Xml(META_NS)
    ident = xml_id(lesson.id)
    quiz = meta.root("quiz", {"identifier": ident})
    points = f"{float(n_questions):.1f}"
    for tag, value in (
        ("title", lesson.title),
        ("description", html_text(lesson.summary)),
        ("shuffle_answers", "true" if lesson.quiz.shuffle else "false"),
        ("scoring_policy", "keep_highest"),
        ("hide_results", ""),
        ("quiz_type", "assignment"),
        ("points_possible", points),
        ("show_correct_answers", "true"),
        ("anonymous_submissions", "false"),
        ("allowed_attempts", "-1"),
        ("one_question_at_a_time", "false"),
        ("cant_go_back", "false"),
        ("available", "false"),
    ):
        meta.sub(quiz, tag, text=value)
    assignment = meta.sub(quiz, "assignment", {"identifier": f"{ident}.assignment"})
    for tag, value in (
        ("title", lesson.title),
        ("workflow_state", "unpublished"),
        ("quiz_identifierref", ident),
        ("points_possible", points),
        ("grading_type", "points"),
        ("submission_types", "online_quiz"),
    ):
        meta.sub(assignment, tag, text=value)
    meta.sub(quiz, "assignment_group_identifierref", text=xml_id("assignments"))
    return meta.document(quiz, META_XSD)


def export_canvas(lessons: tuple[Lesson, ...]) -> Export:
    """The question bank of `lessons` as a Canvas QTI 1.2 zip, a quiz per lesson."""
    converted, left_out = convert(lessons, CANVAS)
    cp = Xml(CP_NS)
    manifest = cp.root("manifest", {"identifier": xml_id("manifest")})
    metadata = cp.sub(manifest, "metadata")
    cp.sub(metadata, "schema", text="IMS Content")
    cp.sub(metadata, "schemaversion", text="1.1.3")
    cp.sub(manifest, "organizations")
    resources = cp.sub(manifest, "resources")
    files = {"non_cc_assessments/": b""}
    for part in converted:
        if not part.questions:
            continue
        ident = xml_id(part.lesson.id)
        quiz_path, meta_path = f"{ident}/{ident}.xml", f"{ident}/assessment_meta.xml"
        files[quiz_path] = _assessment(part.lesson, [element for _, element in part.questions])
        files[meta_path] = _assessment_meta(part.lesson, len(part.questions))
        resource = cp.sub(resources, "resource", {"identifier": ident, "type": "imsqti_xmlv1p2"})
        cp.sub(resource, "file", {"href": quiz_path})
        cp.sub(resource, "dependency", {"identifierref": f"{ident}.meta"})
        meta = cp.sub(
            resources,
            "resource",
            {
                "identifier": f"{ident}.meta",
                "type": "associatedcontent/imscc_xmlv1p1/learning-application-resource",
                "href": meta_path,
            },
        )
        cp.sub(meta, "file", {"href": meta_path})
    files["imsmanifest.xml"] = cp.document(manifest, CP_XSD)
    data = zip_bytes(files)
    return Export("canvas-qti", "spasm-edu-canvas-qti.zip", data, refs(converted), tuple(left_out))
