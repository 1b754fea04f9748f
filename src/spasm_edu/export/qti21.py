"""IMS QTI 2.1: an IMS content package with one assessmentItem per question.

Each item keeps our ids: its identifier is "spasm-edu.<lesson>.<question>" and its title
"<lesson>.<question>"; choices, items and groups are "choice.<id>", "item.<id>", "group.<id>".
An assessmentTest has a section per lesson. Feedback is modalFeedback: one per choice, shown
when it is chosen, and the explanation, shown after every answer; a safety match question
also says "Not safe." when an item is put in a less urgent group than its own, as the app does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from ..content.model import Lesson, Question
from ..strings import text
from ._common import (
    XML_LANG,
    Export,
    Table,
    Xml,
    choice_text,
    convert,
    item_lines,
    question_ref,
    refs,
    require_xml_text,
    xml_id,
    zip_bytes,
)

NS = "http://www.imsglobal.org/xsd/imsqti_v2p1"
XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_NS = "http://www.imsglobal.org/xsd/imscp_v1p1"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
EXPLANATION = "explanation"  # the identifier of the explanation's modalFeedback
NOT_SAFE = "not-safe"  # the identifier of the "Not safe." modalFeedback (safety match)

_qti = Xml(NS)


@dataclass(frozen=True)
class _Response:
    """How one question type is answered and scored in QTI terms."""

    cardinality: str  # single, multiple or ordered
    base_type: str  # identifier or directedPair
    correct: Sequence[str]
    mapping: Sequence[tuple[str, float]] = ()  # partial credit: value -> score (else 1 or 0)
    choice_feedback: bool = True  # a modalFeedback per chosen choice
    # Answers (here: item-group pairs) that are not safe to act on: any one shows "Not safe."
    unsafe: Sequence[str] = ()


def _item(
    lesson: Lesson, question: Question, response: _Response, interaction: ET.Element
) -> ET.Element:
    """The assessmentItem around an interaction: declarations, scoring and feedback."""
    require_xml_text(question)
    ref = question_ref(lesson, question)
    item = _qti.root(
        "assessmentItem",
        {
            "identifier": xml_id(lesson.id, question.id),
            "title": ref,
            "adaptive": "false",
            "timeDependent": "false",
            XML_LANG: lesson.language,
        },
    )
    declaration = _qti.sub(
        item,
        "responseDeclaration",
        {
            "identifier": "RESPONSE",
            "cardinality": response.cardinality,
            "baseType": response.base_type,
        },
    )
    correct = _qti.sub(declaration, "correctResponse")
    for value in response.correct:
        _qti.sub(correct, "value", text=value)
    if response.mapping:
        mapping = _qti.sub(
            declaration, "mapping", {"lowerBound": "0", "upperBound": "1", "defaultValue": "0"}
        )
        for key, score in response.mapping:
            _qti.sub(mapping, "mapEntry", {"mapKey": key, "mappedValue": repr(score)})
    for name, cardinality, base_type, default in (
        ("SCORE", "single", "float", "0"),
        ("MAXSCORE", "single", "float", "1"),
        ("FEEDBACK", "multiple", "identifier", None),
    ):
        outcome = _qti.sub(
            item,
            "outcomeDeclaration",
            {"identifier": name, "cardinality": cardinality, "baseType": base_type},
        )
        if default is not None:
            _qti.sub(_qti.sub(outcome, "defaultValue"), "value", text=default)
    _qti.sub(item, "itemBody").append(interaction)
    _response_processing(item, response)
    if response.choice_feedback:
        for choice in question.choices:
            _feedback(item, f"choice.{choice.id}", choice.feedback)
    if response.unsafe:
        _feedback(item, NOT_SAFE, text("not_safe", lesson.language))
    explanation = _feedback(item, EXPLANATION, question.explanation)
    lines = item_lines(lesson, question)
    if lines:
        explanation.text = None
        _qti.sub(explanation, "p", text=question.explanation)
        listing = _qti.sub(explanation, "ul")
        for line in lines:
            _qti.sub(listing, "li", text=line)
    return item


def _feedback(item: ET.Element, identifier: str, content: str) -> ET.Element:
    attrs = {"outcomeIdentifier": "FEEDBACK", "identifier": identifier, "showHide": "show"}
    return _qti.sub(item, "modalFeedback", attrs, text=content)


def _response_processing(item: ET.Element, response: _Response) -> None:
    """SCORE: the mapped score, or 1 when the answer is right; FEEDBACK: what to show."""
    processing = _qti.sub(item, "responseProcessing")
    if response.mapping:
        score = _qti.sub(processing, "setOutcomeValue", {"identifier": "SCORE"})
        _qti.sub(score, "mapResponse", {"identifier": "RESPONSE"})
    else:
        condition = _qti.sub(processing, "responseCondition")
        if_right = _qti.sub(condition, "responseIf")
        match = _qti.sub(if_right, "match")
        _qti.sub(match, "variable", {"identifier": "RESPONSE"})
        _qti.sub(match, "correct", {"identifier": "RESPONSE"})
        for parent, value in ((if_right, "1"), (_qti.sub(condition, "responseElse"), "0")):
            set_score = _qti.sub(parent, "setOutcomeValue", {"identifier": "SCORE"})
            _qti.sub(set_score, "baseValue", {"baseType": "float"}, text=value)
    feedback = _qti.sub(processing, "setOutcomeValue", {"identifier": "FEEDBACK"})
    shown = _qti.sub(feedback, "multiple")
    if response.choice_feedback:
        _qti.sub(shown, "variable", {"identifier": "RESPONSE"})
    _qti.sub(shown, "baseValue", {"baseType": "identifier"}, text=EXPLANATION)
    if response.unsafe:  # any unsafe answer adds the "Not safe." feedback
        condition = _qti.sub(_qti.sub(processing, "responseCondition"), "responseIf")
        any_unsafe = _qti.sub(condition, "or")
        for value in response.unsafe:
            member = _qti.sub(any_unsafe, "member")
            _qti.sub(member, "baseValue", {"baseType": response.base_type}, text=value)
            _qti.sub(member, "variable", {"identifier": "RESPONSE"})
        add = _qti.sub(condition, "setOutcomeValue", {"identifier": "FEEDBACK"})
        both = _qti.sub(add, "multiple")
        _qti.sub(both, "variable", {"identifier": "FEEDBACK"})
        _qti.sub(both, "baseValue", {"baseType": "identifier"}, text=NOT_SAFE)


def _choice_interaction(
    lesson: Lesson, question: Question, max_choices: int, shuffle: bool
) -> ET.Element:
    interaction = ET.Element(
        _qti.tag("choiceInteraction"),
        {
            "responseIdentifier": "RESPONSE",
            "shuffle": "true" if shuffle else "false",
            "maxChoices": str(max_choices),
        },
    )
    _qti.sub(interaction, "prompt", text=question.prompt)
    for choice in question.choices:
        _qti.sub(
            interaction,
            "simpleChoice",
            {"identifier": f"choice.{choice.id}"},
            text=choice_text(lesson, question, choice),
        )
    return interaction


def _single(lesson: Lesson, question: Question) -> ET.Element:
    """single, true_false, myth_fact: one choice; 1 if right, else 0; feedback per choice."""
    right = [f"choice.{c.id}" for c in question.choices if c.correct]
    shuffle = lesson.quiz.shuffle and question.type == "single"  # a pair keeps its order
    interaction = _choice_interaction(lesson, question, 1, shuffle)
    return _item(lesson, question, _Response("single", "identifier", right), interaction)


def _multiple(lesson: Lesson, question: Question) -> ET.Element:
    """multiple: right choices share 1, wrong ones share -1 (choosing all scores 0)."""
    n_right = len(question.correct_choice_ids)
    n_wrong = len(question.choices) - n_right
    mapping = [
        (f"choice.{c.id}", 1 / n_right if c.correct else -1 / n_wrong) for c in question.choices
    ]
    right = [f"choice.{c.id}" for c in question.choices if c.correct]
    interaction = _choice_interaction(lesson, question, 0, lesson.quiz.shuffle)
    response = _Response("multiple", "identifier", right, mapping)
    return _item(lesson, question, response, interaction)


def _match(lesson: Lesson, question: Question) -> ET.Element:
    """match: each item to one group (a group takes any number); each right pair scores."""
    interaction = ET.Element(
        _qti.tag("matchInteraction"),
        {"responseIdentifier": "RESPONSE", "shuffle": "false", "maxAssociations": "0"},
    )
    _qti.sub(interaction, "prompt", text=question.prompt)
    items = _qti.sub(interaction, "simpleMatchSet")
    for item in question.items:
        attrs = {"identifier": f"item.{item.id}", "matchMax": "1"}
        _qti.sub(items, "simpleAssociableChoice", attrs, text=item.text)
    groups = _qti.sub(interaction, "simpleMatchSet")
    for group in question.groups:
        attrs = {"identifier": f"group.{group.id}", "matchMax": "0"}
        _qti.sub(groups, "simpleAssociableChoice", attrs, text=group.text)
    pairs = [f"item.{i.id} group.{i.answer}" for i in question.items]
    mapping = [(pair, 1 / len(pairs)) for pair in pairs]
    # A safety question's groups go from most to least urgent: an item put in a less urgent
    # group than its answer is not safe (as the app grades it, quiz/types.py Match).
    urgency = [g.id for g in question.groups]
    unsafe = [
        f"item.{i.id} group.{later}"
        for i in question.items
        if question.safety
        for later in urgency[urgency.index(i.answer or "") + 1 :]
    ]
    response = _Response(
        "multiple", "directedPair", pairs, mapping, choice_feedback=False, unsafe=unsafe
    )
    return _item(lesson, question, response, interaction)


def _order(lesson: Lesson, question: Question) -> ET.Element:
    """order: the items in the content's order; 1 if all are in place, else 0."""
    interaction = ET.Element(
        _qti.tag("orderInteraction"), {"responseIdentifier": "RESPONSE", "shuffle": "true"}
    )
    _qti.sub(interaction, "prompt", text=question.prompt)
    for item in question.items:
        _qti.sub(interaction, "simpleChoice", {"identifier": f"item.{item.id}"}, text=item.text)
    right = [f"item.{i.id}" for i in question.items]
    response = _Response("ordered", "identifier", right, choice_feedback=False)
    return _item(lesson, question, response, interaction)


# The one table of question types for QTI 2.1: every type has an interaction.
QTI21: Table[ET.Element] = {
    "single": _single,
    "multiple": _multiple,
    "true_false": _single,  # QTI has no true/false interaction: a choice of the two
    "myth_fact": _single,
    "match": _match,
    "order": _order,
}


def _item_path(lesson: Lesson, question: Question) -> str:
    return f"items/{question_ref(lesson, question)}.xml"


def export_qti21(lessons: tuple[Lesson, ...]) -> Export:
    """The question bank of `lessons` as a QTI 2.1 content package (zip)."""
    converted, left_out = convert(lessons, QTI21)
    files: dict[str, bytes] = {}
    test = _qti.root(
        "assessmentTest", {"identifier": xml_id("test"), "title": "spasm-edu question bank"}
    )
    part = _qti.sub(
        test,
        "testPart",
        {
            "identifier": xml_id("part"),
            "navigationMode": "nonlinear",
            "submissionMode": "individual",
        },
    )
    cp = Xml(CP_NS)
    manifest = cp.root("manifest", {"identifier": xml_id("manifest")})
    metadata = cp.sub(manifest, "metadata")
    cp.sub(metadata, "schema", text="QTIv2.1 Package")
    cp.sub(metadata, "schemaversion", text="1.0.0")
    cp.sub(manifest, "organizations")
    resources = cp.sub(manifest, "resources")
    test_resource = cp.sub(
        resources,
        "resource",
        {"identifier": xml_id("test"), "type": "imsqti_test_xmlv2p1", "href": "assessment.xml"},
    )
    cp.sub(test_resource, "file", {"href": "assessment.xml"})
    for lesson_part in converted:
        lesson = lesson_part.lesson
        if not lesson_part.questions:
            continue
        section = _qti.sub(
            part,
            "assessmentSection",
            {"identifier": xml_id(lesson.id), "title": lesson.title, "visible": "true"},
        )
        for question, element in lesson_part.questions:
            identifier, path = xml_id(lesson.id, question.id), _item_path(lesson, question)
            files[path] = _qti.document(element, XSD)
            _qti.sub(section, "assessmentItemRef", {"identifier": identifier, "href": path})
            cp.sub(test_resource, "dependency", {"identifierref": identifier})
            resource = cp.sub(
                resources,
                "resource",
                {"identifier": identifier, "type": "imsqti_item_xmlv2p1", "href": path},
            )
            cp.sub(resource, "file", {"href": path})
    files["assessment.xml"] = _qti.document(test, XSD)
    files["imsmanifest.xml"] = cp.document(manifest, CP_XSD)
    data = zip_bytes(files)
    return Export("qti21", "spasm-edu-qti21.zip", data, refs(converted), tuple(left_out))
