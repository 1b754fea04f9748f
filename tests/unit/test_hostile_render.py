"""Hostile text through every HTML builder: it comes out as text, and only our own tags remain.

ipywidgets `HTML` inserts its value unsanitised and Voilà marks outputs trusted, so these
builders are the only thing between a nickname like ``<img src=x onerror=...>`` and a script
on the educator's screen. The loader refuses markup in content; this is the second wall.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from spasm_edu.classreport import ClassReport, QuestionRow
from spasm_edu.content import Course, Image, Section, check_paths, load_course
from spasm_edu.content.rules import HTML_RE
from spasm_edu.local_help import LocalHelp, clean
from spasm_edu.results import Learner
from spasm_edu.widgets._render import blocks, inline, list_html, red_flags_html, section_html
from spasm_edu.widgets.educator import bar_chart_svg, report_html
from spasm_edu.widgets.learner import JoinClass
from tests.support.hostile import PAYLOADS
from tests.support.lessons import valid_lesson, write_lesson

# Every tag our builders write. Anything else in the output came from the text.
OUR_TAGS = {
    "a",
    "aside",
    "bdi",
    "br",
    "dd",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "h2",
    "h3",
    "img",
    "li",
    "nav",
    "ol",
    "p",
    "rect",
    "section",
    "span",
    "strong",
    "summary",
    "svg",
    "table",
    "tbody",
    "td",
    "text",
    "th",
    "thead",
    "tr",
    "ul",
}
TAG_START = re.compile(r"<(/?)([A-Za-z][\w-]*)")
URL_ATTRS = {"href", "src", "action", "formaction", "data", "xlink:href", "srcdoc"}
# What a browser takes for the start of markup: a tag, an end tag, a comment or declaration.
BROWSER_TAG_OPEN = re.compile(r"<[A-Za-z/!?]")


class _Parsed(HTMLParser):
    """Tags with their attributes, and the text a browser would show (entities decoded)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.other: list[str] = []  # comments, declarations, processing instructions
        self.data: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.data.append(data)

    def handle_comment(self, data: str) -> None:
        self.other.append(f"<!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"<?{data}>")

    @property
    def text(self) -> str:
        return "".join(self.data)


def assert_only_our_markup(html: str) -> _Parsed:
    """Every '<' starts one of our tags; no handler attributes; no script URLs."""
    starts = TAG_START.findall(html)
    assert html.count("<") == len(starts), "a '<' that starts no tag of ours"
    assert {name.lower() for _slash, name in starts} <= OUR_TAGS, starts
    parsed = _Parsed(html)
    assert parsed.other == []
    for tag, attrs in parsed.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), f"<{tag} {name}=...>"
            if name in URL_ATTRS and value is not None:
                url = re.sub(r"[\x00-\x20]", "", value).lower()
                assert not url.startswith(("javascript:", "vbscript:", "data:text/html")), (
                    tag,
                    value,
                )
                if tag == "img":
                    assert url.startswith("data:image/svg+xml;base64,"), value
    return parsed


def squash(value: str) -> str:
    """Whitespace as paragraphs join it: runs of blanks become one space."""
    return re.sub(r"\s+", " ", value).strip()


def shown(payload: str) -> str:
    """What `inline` shows: the text itself, with **bold** markers taken away."""
    return re.sub(r"\*\*(.+?)\*\*", r"\1", payload)


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course()[0]


def test_there_are_at_least_50_payloads() -> None:
    assert len(set(PAYLOADS)) >= 50


def test_inline_keeps_every_payload_as_text() -> None:
    for payload in PAYLOADS:
        html = inline(payload)
        parsed = assert_only_our_markup(html)
        assert parsed.text == shown(payload), payload
        assert {tag for tag, _ in parsed.tags} <= {"strong"}, payload


def test_blocks_keep_every_payload_as_text() -> None:
    for payload in PAYLOADS:
        parsed = assert_only_our_markup(blocks(payload))
        assert squash(parsed.text) == squash(shown(payload)), payload
        assert {tag for tag, _ in parsed.tags} <= {"p", "strong"}, payload
    # Paragraphs and list items around hostile lines: our markup, their text.
    mixed = "\n\n".join(f"- {p}" if n % 2 else p for n, p in enumerate(PAYLOADS) if "\n" not in p)
    assert_only_our_markup(blocks(mixed))


def test_section_html_with_hostile_fields(course: Course) -> None:
    source = next(iter(course.sources))
    picture = next(s.image for x in course.lessons for s in x.sections if s.image is not None)
    for payload in PAYLOADS:
        section = Section(
            id="hostile",
            title=payload,
            body=payload,
            sources=(source,),
            reviewed=dt.date(2026, 1, 1),
            evidence=payload,
            image=Image(file=picture.file, alt=payload, caption=payload),
        )
        parsed = assert_only_our_markup(section_html(section, course, "en", set()))
        heading = next(attrs for tag, attrs in parsed.tags if tag == "h2")
        assert heading == {"id": "hostile"}
        img = next(attrs for tag, attrs in parsed.tags if tag == "img")
        assert img["alt"] == payload
        # Title, body, caption and evidence: four copies of the text, nothing swallowed.
        assert squash(parsed.text).count(squash(shown(payload))) >= 4, payload


def test_section_id_cannot_leave_its_attribute(course: Course) -> None:
    source = next(iter(course.sources))
    for payload in PAYLOADS:
        section = Section(
            id=payload, title="T", body="B", sources=(source,), reviewed=dt.date(2026, 1, 1)
        )
        parsed = assert_only_our_markup(section_html(section, course, "en", set()))
        assert parsed.tags[1] == ("h2", {"id": payload})


def test_list_html_keeps_entries_as_text() -> None:
    parsed = assert_only_our_markup(list_html("Key points", tuple(PAYLOADS), "spasm-key-points"))
    items = [t for t, _ in parsed.tags if t == "li"]
    assert len(items) == len(PAYLOADS)


def test_red_flag_box_with_a_hostile_emergency_number_and_urgent_care(course: Course) -> None:
    """Whoever runs the server sets these (an option or an environment variable): still text."""
    for payload in PAYLOADS:
        local = LocalHelp.from_environ(
            {"SPASM_EDU_EMERGENCY_NUMBER": payload, "SPASM_EDU_URGENT_CARE": payload}
        )
        parsed = assert_only_our_markup(red_flags_html(course, "en", local))
        shown = clean(payload)
        assert shown is None or shown in parsed.text, payload
        number = [attrs for tag, attrs in parsed.tags if tag == "span"][1:]
        assert number == [{"class": "spasm-emergency-number"}], payload


def test_educator_report_with_hostile_names_codes_and_answers(course: Course) -> None:
    question = course.lessons[0].quiz.questions[0]
    for payload in PAYLOADS:
        report = ClassReport(
            class_code=payload,
            nicknames=(payload, "Ana", payload[:40]),
            joined=3,
            finished=1,
            score_buckets=((payload, 2), ("80-100%", 1)),
            questions=(
                QuestionRow(
                    lesson_id=payload,
                    question=question,
                    attempts=3,
                    percent_correct=33.3,
                    common_wrong=payload,
                    common_wrong_count=2,
                ),
            ),
            misconceptions=((payload, 2),),
        )
        parsed = assert_only_our_markup(report_html(report))
        text = squash(parsed.text)
        assert text.count(squash(payload)) >= 5, payload  # code, name, lesson, answer, myth
        svg = next(attrs for tag, attrs in parsed.tags if tag == "svg")
        assert payload in (svg["aria-label"] or "")


def test_bar_chart_labels_stay_text() -> None:
    for payload in PAYLOADS:
        parsed = assert_only_our_markup(bar_chart_svg(((payload, 3), ("ok", 1)), payload))
        assert parsed.tags[0][1]["aria-label"] == f"{payload}: {payload}: 3, ok: 1"
        assert payload.replace("\n", "") in parsed.text.replace("\n", "")


def test_a_nickname_cannot_turn_the_other_names_around(course: Course) -> None:
    """U+202E in one nickname would show every later name on the line backwards: isolate each."""
    names = ("a\u202eevil", "Ben", "Chloe")
    report = ClassReport(
        class_code="BIO-7",
        nicknames=names,
        joined=3,
        finished=0,
        score_buckets=(),
        questions=(),
        misconceptions=(),
    )
    html = report_html(report)
    for name in names:
        assert f"<bdi>{name}</bdi>" in html


def test_join_message_keeps_code_and_nickname_as_text() -> None:
    for payload in PAYLOADS:
        learner = Learner(
            learner_id="0" * 32,
            class_code=payload[:32],
            nickname=payload[:40],
            created_at=dt.datetime.now(dt.timezone.utc),
        )
        view = JoinClass(store=None, learner=learner)  # type: ignore[arg-type] (not used)
        message = view.children[-1].value
        parsed = assert_only_our_markup(message)
        assert squash(payload[:40]) in squash(parsed.text), payload


def test_loader_refuses_every_payload_a_browser_would_read_as_markup(tmp_path: Path) -> None:
    markup = [p for p in PAYLOADS if BROWSER_TAG_OPEN.search(p)]
    assert len(markup) >= 40
    assert all(HTML_RE.search(p) for p in markup)
    data = valid_lesson()
    data["objectives"] = markup
    problems = check_paths([write_lesson(tmp_path, data)], today=dt.date(2026, 11, 25))
    refused = [p for p in problems if "HTML is not allowed" in str(p)]
    assert len(refused) == len(markup), [str(p) for p in problems][:5]
