"""The paper quiz: every question of every lesson on the sheet with its parts and no answers;
the key with every right answer (by the sheet's letters) and every explanation; text escaped."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from pathlib import Path

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader

from spasm_edu.cli import main
from spasm_edu.content import (
    Choice,
    Course,
    Group,
    Image,
    Item,
    Lesson,
    Question,
    Quiz,
    Section,
    Source,
    load_course,
)
from spasm_edu.content.model import QUESTION_TYPES
from spasm_edu.handout import PRINTERS, answer_key, lesson_handout, quiz_sheet, shown_order
from spasm_edu.local_help import LocalHelp
from spasm_edu.quiz import rules_of
from tests.support.hostile import PAYLOADS


@cache
def course() -> Course:
    return load_course()[0]


def words(raw: str) -> str:
    return " ".join(raw.replace("**", "").split())


def page_text(markup: str) -> str:
    """What a reader sees: the text of <body> (not the stylesheet), spaces collapsed."""
    return words(lxml_html.fromstring(markup).find("body").text_content())


def questions_of(markup: str) -> list[str]:
    """The text of each question block, in order."""
    doc = lxml_html.fromstring(markup)
    return [words(q.text_content()) for q in doc.xpath('//section[@class="question"]')]


LESSON_IDS = [lesson.id for lesson in load_course()[0].lessons]


def test_every_question_type_prints() -> None:
    assert set(PRINTERS) == set(QUESTION_TYPES)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_sheet_has_every_question_with_its_parts_and_no_answers(lesson_id: str) -> None:
    lesson = course().lesson(lesson_id)
    blocks = questions_of(quiz_sheet(lesson))
    assert len(blocks) == len(lesson.quiz.questions)
    for block, q in zip(blocks, lesson.quiz.questions, strict=True):
        rules = rules_of(q)
        assert words(q.prompt) in block
        for group in q.groups:
            assert words(group.text) in block
        for ref in rules.part_ids():
            assert words(rules.label(ref)) in block, (q.id, ref)
        # Nothing that gives the answer away: no explanation, no feedback, no verdict.
        assert words(q.explanation) not in block
        for part in (*q.choices, *q.items):
            assert words(part.feedback) not in block, (q.id, part.id)
        if q.choices:
            assert block.count("☐") == len(q.choices)
        if q.type == "order":  # the steps are shown shuffled, never in the right order
            assert list(shown_order(lesson, q)) != [i.id for i in q.items]


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_key_has_every_right_answer_by_the_sheets_letters_and_why(lesson_id: str) -> None:
    lesson = course().lesson(lesson_id)
    sheet_blocks = questions_of(quiz_sheet(lesson))
    key_blocks = questions_of(answer_key(lesson))
    assert len(key_blocks) == len(lesson.quiz.questions)
    for sheet, key, q in zip(sheet_blocks, key_blocks, lesson.quiz.questions, strict=True):
        rules = rules_of(q)
        assert words(q.prompt) in key and words(q.explanation) in key
        for choice in q.choices:
            label = words(rules.label(choice.id))
            letter = re.search(rf"☐ ([A-Z])\. {re.escape(label)}", sheet)
            assert letter, (q.id, choice.id)
            verdict = "Right" if choice.correct else "Wrong"
            assert f"{verdict}: {letter.group(1)}. {label}" in key, (q.id, choice.id)
            assert words(choice.feedback) in key
        for item in q.items:
            assert words(item.text) in key and words(item.feedback) in key
            if item.answer is not None:  # match: the item with its group's letter and words
                group = next(g for g in q.groups if g.id == item.answer)
                letter = "ABCDEFGH"[q.groups.index(group)]
                assert f"{words(item.text)} → {letter}. {words(group.text)}" in key
        if q.type == "order":  # the key lists the steps in the right order
            doc = lxml_html.fromstring(str(answer_key(lesson)))
            section = doc.xpath('//section[@class="question"]')[lesson.quiz.questions.index(q)]
            steps = [words(li.text_content()) for li in section.xpath(".//ol/li")]
            assert [s[: len(words(i.text))] for s, i in zip(steps, q.items, strict=True)] == [
                words(i.text) for i in q.items
            ]


def test_command_writes_sheet_and_key_as_pdf(tmp_path: Path) -> None:
    lesson = course().lesson("when-to-see-a-doctor")  # match questions, safety questions
    assert main(["handout", "--quiz", "--lesson", lesson.id, "--out", str(tmp_path)]) == 0
    stem = lesson.notebook.removesuffix(".ipynb")
    sheet = words(
        " ".join(p.extract_text() for p in PdfReader(tmp_path / f"{stem}-quiz.pdf").pages)
    )
    key = words(
        " ".join(p.extract_text() for p in PdfReader(tmp_path / f"{stem}-answer-key.pdf").pages)
    )
    for q in lesson.quiz.questions:
        assert words(q.prompt) in sheet and words(q.prompt) in key
        assert words(q.explanation) in key and words(q.explanation) not in sheet
    assert (tmp_path / f"{stem}-quiz.html").is_file()


# ---- hostile text: everything from content is text on the page, never markup ----------------

# What our builders make; anything else in a page came from the content.
OUR_TAGS = {
    "html", "head", "meta", "title", "style", "body", "main", "section", "h1", "h2", "h3", "p",
    "ul", "ol", "li", "span", "strong", "figure", "img", "figcaption", "div", "br",
}  # fmt: skip


def hostile_course(payload: str) -> tuple[Course, Lesson]:
    """A lesson whose every text field, and a source, hold `payload`."""
    choices = (
        Choice("a", payload, True, payload),
        Choice("b", f"b {payload}", False, payload),
    )
    questions = (
        Question("q1", "single", payload, payload, choices=choices),
        Question("q2", "multiple", payload, payload, choices=choices),
        Question(
            "q3",
            "match",
            payload,
            payload,
            groups=(Group("g1", payload), Group("g2", "two")),
            items=(Item("i1", payload, payload, "g1"), Item("i2", "x", payload, "g2")),
        ),
        Question(
            "q4",
            "order",
            payload,
            payload,
            items=(Item("s1", payload, payload), Item("s2", "second", payload)),
        ),
    )
    section = Section(
        "s",
        payload,
        f"{payload}\n\n- {payload}\n- two",
        ("R1",),
        dt.date(2026, 1, 1),
        image=Image("knee-rolls.svg", payload, payload),
        checklist=True,
    )
    lesson = Lesson(
        "hostile",
        1,
        payload,
        payload,
        Quiz(questions),
        sections=(section,),
        key_points=(payload,),
    )
    return Course((lesson,), sources={"R1": Source("R1", payload, payload)}), lesson


def _check_inert(markup: str, payload: str) -> None:
    doc = lxml_html.fromstring(markup)
    for element in doc.iter():
        if not isinstance(element.tag, str):  # a comment would be markup from content
            pytest.fail(f"a comment in the page: {element!r}")
        assert element.tag in OUR_TAGS, element.tag
        for name, value in element.attrib.items():
            assert not name.startswith("on"), name
            assert name in {"lang", "charset", "name", "content", "class", "id", "src", "alt",
                            "aria-hidden", "aria-labelledby"}, name  # fmt: skip
            if name == "src":
                assert value.startswith("data:image/svg+xml;base64,")
    assert len(doc.xpath("//style")) == 1 and len(doc.xpath("//img")) <= 1
    assert words(payload) in page_text(markup) or words(payload) in words(
        " ".join(doc.xpath("//img/@alt"))
    )


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_hostile_text_stays_text(payload: str) -> None:
    course_, lesson = hostile_course(payload)
    for markup in (
        str(quiz_sheet(lesson)),
        str(answer_key(lesson)),
        str(lesson_handout(course_, lesson, LocalHelp(payload[:60], payload[:60]))),
    ):
        _check_inert(markup, payload)
