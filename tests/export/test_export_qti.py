"""QTI exports: QTI 2.1 validated against the IMS QTI 2.1.2 XSD; the Canvas QTI 1.2 zip
against the IMS QTI 1.2.1 DTD, with a manifest whose resources point to files in the zip."""

from __future__ import annotations

import html
import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from spasm_edu.content import Course
from spasm_edu.export import export

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
QTI12 = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"
CC_CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
WORDS = {"true": "True", "false": "False", "myth": "Myth", "fact": "Fact"}
SCHEMAS = Path(__file__).parent / "schemas"  # see schemas/README.md
_NO_NETWORK = etree.XMLParser(no_network=True, resolve_entities=False)


@pytest.fixture(scope="module")
def qti21_schema() -> etree.XMLSchema:
    """The IMS QTI 2.1.2 schema (tests/export/schemas/README.md says where it comes from)."""
    path = SCHEMAS / "qti21" / "imsqti_v2p1p2.xsd"
    assert path.is_file(), f"the QTI 2.1 schema is missing: {path}"
    return etree.XMLSchema(etree.parse(str(path), _NO_NETWORK))


def _zip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def _label(text: str, choice_id: str) -> str:
    return WORDS[choice_id] if text.lower() == choice_id and choice_id in WORDS else text


def _qti21(course: Course, schema: etree.XMLSchema) -> None:
    result = export(course, "qti21")
    files = _zip(result.data)
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = manifest.findall(f"{CP}resources/{CP}resource")
    for resource in resources:  # every resource names files that are in the zip
        for file in resource.iterfind(f"{CP}file"):
            assert file.get("href") in files
    items = {r.get("identifier"): r.get("href") for r in resources if "item" in r.get("type")}
    test = etree.fromstring(files["assessment.xml"])
    assert schema.validate(test), schema.error_log
    refs = [ref.get("href") for ref in test.iter(f"{QTI}assessmentItemRef")]
    assert refs == list(items.values())
    assert result.left_out == ()  # QTI 2.1 expresses every type
    written = []
    for lesson in course.lessons:
        for q in lesson.quiz.questions:
            identifier = f"spasm-edu.{lesson.id}.{q.id}"
            item = etree.fromstring(files[items[identifier]])
            assert schema.validate(item), (identifier, schema.error_log)
            assert item.get("identifier") == identifier
            assert item.get("title") == f"{lesson.id}.{q.id}"
            written.append(item.get("title"))
            assert item.findtext(f".//{QTI}prompt") == q.prompt
            correct = [v.text for v in item.iterfind(f".//{QTI}correctResponse/{QTI}value")]
            feedback = {
                f.get("identifier"): "".join(f.itertext()).strip()
                for f in item.iterfind(f"{QTI}modalFeedback")
            }
            assert feedback["explanation"].startswith(q.explanation.strip())
            if q.choices:
                choices = item.findall(f".//{QTI}simpleChoice")
                assert [(c.get("identifier"), c.text) for c in choices] == [
                    (f"choice.{c.id}", _label(c.text, c.id)) for c in q.choices
                ]
                assert correct == [f"choice.{c.id}" for c in q.choices if c.correct]
                for c in q.choices:
                    assert feedback[f"choice.{c.id}"] == c.feedback.strip()
            if q.type == "multiple":
                mapped = {
                    e.get("mapKey"): float(e.get("mappedValue"))
                    for e in item.iter(f"{QTI}mapEntry")
                }
                assert sum(v for v in mapped.values() if v > 0) == pytest.approx(1)
                assert sum(mapped.values()) == pytest.approx(0)  # choosing all scores 0
            if q.type == "match":
                assert correct == [f"item.{i.id} group.{i.answer}" for i in q.items]
                sets = item.findall(f".//{QTI}simpleMatchSet")
                assert [c.text for c in sets[0]] == [i.text for i in q.items]
                assert [c.text for c in sets[1]] == [g.text for g in q.groups]
                # A safety question says "Not safe." for an item in a less urgent group.
                unsafe = [m.findtext(f"{QTI}baseValue") for m in item.iter(f"{QTI}member")]
                order = [g.id for g in q.groups]
                assert unsafe == [
                    f"item.{i.id} group.{g}"
                    for i in q.items
                    if q.safety
                    for g in order
                    if order.index(g) > order.index(i.answer or "")
                ]
                assert ("not-safe" in feedback) is q.safety
                if q.safety:
                    assert feedback["not-safe"] == "Not safe."
            if q.type == "order":
                assert item.find(f".//{QTI}orderInteraction") is not None
                assert correct == [f"item.{i.id}" for i in q.items]
                assert [c.text for c in item.iter(f"{QTI}simpleChoice")] == [
                    i.text for i in q.items
                ]
            for i in q.items:  # each item's feedback in the explanation's list
                assert i.feedback.strip() in feedback["explanation"]
    assert written == list(result.questions)


def test_qti21_is_valid_and_holds_every_question(
    course: Course, qti21_schema: etree.XMLSchema
) -> None:
    _qti21(course, qti21_schema)


def test_qti21_hostile_text_survives(hostile_course: Course, qti21_schema: etree.XMLSchema) -> None:
    _qti21(hostile_course, qti21_schema)


def test_qti21_leaves_out_a_question_xml_cannot_carry(course: Course) -> None:
    lesson = course.lesson("causes")
    question = replace(lesson.quiz.questions[0], prompt="bell \x07 here")
    broken = replace(lesson, quiz=replace(lesson.quiz, questions=(question,)))
    other = course.lesson("home-care")
    result = export(Course((broken, other)), "qti21")
    assert [(left.question, "U+0007" in left.reason) for left in result.left_out] == [
        (f"causes.{question.id}", True)
    ]


def _without_namespaces(data: bytes) -> etree._Element:
    """A QTI 1.2 document without namespaces, as the (pre-namespace) DTD describes it."""
    root = etree.fromstring(data)
    for element in root.iter():
        element.tag = etree.QName(element).localname
        for name in list(element.attrib):
            if name.startswith("{"):
                del element.attrib[name]
    etree.cleanup_namespaces(root)
    return root


def _canvas(course: Course) -> None:
    result = export(course, "canvas-qti")
    files = _zip(result.data)
    dtd_path = SCHEMAS / "ims_qtiasiv1p2p1.dtd"
    assert dtd_path.is_file(), f"the QTI 1.2 DTD is missing: {dtd_path}"
    dtd = etree.DTD(str(dtd_path))
    manifest = etree.fromstring(files["imsmanifest.xml"])
    resources = manifest.findall(f"{CC_CP}resources/{CC_CP}resource")
    ids = {r.get("identifier") for r in resources}
    quizzes = [r for r in resources if r.get("type") == "imsqti_xmlv1p2"]
    assert {Path(r.find(f"{CC_CP}file").get("href")).parent.name for r in quizzes} == {
        f"spasm-edu.{lesson.id}" for lesson in course.lessons
    }
    for resource in resources:
        for file in resource.iterfind(f"{CC_CP}file"):
            assert file.get("href") in files
        for dependency in resource.iterfind(f"{CC_CP}dependency"):
            assert dependency.get("identifierref") in ids
    written = []
    for resource in quizzes:
        quiz_file = resource.find(f"{CC_CP}file").get("href")
        assert f"{Path(quiz_file).parent}/assessment_meta.xml" in files
        plain = _without_namespaces(files[quiz_file])
        assert dtd.validate(plain), dtd.error_log
        root = etree.fromstring(files[quiz_file])
        lesson_id = root.find(f"{QTI12}assessment").get("ident").removeprefix("spasm-edu.")
        lesson = course.lesson(lesson_id)
        items = {i.get("title"): i for i in root.iter(f"{QTI12}item")}
        for q in lesson.quiz.questions:
            ref = f"{lesson.id}.{q.id}"
            if q.type == "order":
                assert ref not in items
                continue
            written.append(ref)
            item = items[ref]
            assert item.get("ident") == f"spasm-edu.{ref}"
            texts = [html.unescape(t.text or "") for t in item.iter(f"{QTI12}mattext")]
            assert texts[0] == q.prompt
            feedback = {
                f.get("ident"): html.unescape(f.findtext(f".//{QTI12}mattext") or "")
                for f in item.iter(f"{QTI12}itemfeedback")
            }
            assert feedback["general_fb"].startswith(q.explanation)
            for c in q.choices:
                assert feedback[f"choice.{c.id}_fb"] == c.feedback
                assert _label(c.text, c.id) in texts
            if q.type == "match":
                lefts = [
                    r.findtext(f"{QTI12}material/{QTI12}mattext")
                    for r in item.iter(f"{QTI12}response_lid")
                ]
                assert lefts == [i.text for i in q.items]
    assert sorted(written) == sorted(result.questions)
    assert sorted(left.question for left in result.left_out) == sorted(
        f"{lesson.id}.{q.id}"
        for lesson in course.lessons
        for q in lesson.quiz.questions
        if q.type == "order"
    )


def test_canvas_zip_is_valid_qti12_with_its_manifest(course: Course) -> None:
    _canvas(course)


def test_canvas_hostile_text_survives(hostile_course: Course) -> None:
    _canvas(hostile_course)
