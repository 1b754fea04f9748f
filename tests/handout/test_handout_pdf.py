"""`spasm-edu handout`: tagged PDFs (and HTML) of a lesson with its key points, the local
emergency number, pictures and sources; the paper sizes; a clear message without WeasyPrint."""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from spasm_edu.cli import main
from spasm_edu.content import Course, Lesson, load_course
from spasm_edu.handout import course_handout, pdf_bytes
from spasm_edu.local_help import LocalHelp
from spasm_edu.strings import text

# Points (1/72 in) of each paper size, portrait.
SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
LESSON = "home-care"  # pictures, stretches and their stop rule


@cache
def course() -> Course:
    return load_course()[0]


def words(raw: str) -> str:
    """Text as a PDF gives it back: **bold** markers gone, every run of spaces one space."""
    return " ".join(raw.replace("**", "").split())


def pdf_text(path: Path) -> str:
    return words(" ".join(page.extract_text() for page in PdfReader(path).pages))


def structure(reader: PdfReader) -> tuple[set[str], list[str]]:
    """The structure types of a tagged PDF, and the alt texts of its figures."""
    kinds: set[str] = set()
    alts: list[str] = []

    def walk(node: Any) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, dict):
            if "/S" in node:
                kinds.add(str(node["/S"]))
                if node["/S"] == "/Figure" and "/Alt" in node:
                    alts.append(str(node["/Alt"]))
            if "/K" in node:
                walk(node["/K"])
        elif isinstance(node, list):
            for child in node:
                walk(child)

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return kinds, alts


def run(*args: str) -> int:
    return main(["handout", *args])


@pytest.fixture(scope="module", params=["a4", "letter"])
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The lesson's handout written by the command, with a set emergency number and route."""
    out = tmp_path_factory.mktemp(f"handout-{request.param}")
    status = run(
        "--lesson", LESSON, "--paper", request.param, "--out", str(out),
        "--emergency-number", "112", "--urgent-care", "NHS 111",
    )  # fmt: skip
    assert status == 0
    return out


def lesson() -> Lesson:
    return course().lesson(LESSON)


def test_pdf_has_key_points_red_flags_with_the_number_and_every_section(written: Path) -> None:
    got = pdf_text(written / f"{lesson().notebook.removesuffix('.ipynb')}.pdf")
    for point in lesson().key_points:
        assert words(point) in got, point
    assert words(text("red_flags_now", emergency="112")) in got
    for sign in (
        text("red_flags_now_signs").splitlines() + text("red_flags_same_day_signs").splitlines()
    ):
        assert words(sign) in got, sign
    assert words(text("red_flags_same_day", urgent_care="NHS 111")) in got
    assert words(text("red_flags_fever")) in got
    assert words(text("disclaimer")) in got
    default = text("red_flags_now", emergency=text("emergency_number_default"))
    assert words(default) not in got
    for section in lesson().sections:
        assert words(section.title) in got, section.title
        if section.image is not None:
            assert words(section.image.caption) in got
    # The stop rule of the stretches is printed as the lesson has it.
    stop_rule = next(s for s in lesson().sections if s.id == "how-much-and-when-to-stop")
    assert "Stop a stretch if it makes the pain worse or causes a new pain." in words(
        stop_rule.body
    )
    assert "Stop a stretch if it makes the pain worse or causes a new pain." in got


def test_pdf_lists_the_sources_and_review_dates(written: Path) -> None:
    got = pdf_text(written / "05-home-care.pdf")
    for section in lesson().sections:
        assert words(text("reviewed", date=section.reviewed.isoformat())) in got
        for ref in section.sources:
            assert words(course().sources[ref].title) in got, ref


def test_pdf_is_tagged_with_language_headings_and_figure_alt_texts(written: Path) -> None:
    reader = PdfReader(written / "05-home-care.pdf")
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])  # a pypdf BooleanObject
    assert root["/Lang"] == "en"
    kinds, alts = structure(reader)
    assert {"/H1", "/H2", "/Figure", "/L", "/LI"} <= kinds
    expected = [words(s.image.alt) for s in lesson().sections if s.image is not None]
    assert [words(a) for a in alts] == expected


def test_pages_are_the_paper_size_asked_for(written: Path) -> None:
    paper = "a4" if "a4" in written.name else "letter"
    reader = PdfReader(written / "05-home-care.pdf")
    assert len(reader.pages) > 1
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - SIZES[paper][0]) < 1 and abs(height - SIZES[paper][1]) < 1


def test_html_handout_stands_alone_with_the_number(written: Path) -> None:
    html = (written / "05-home-care.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    assert '<span class="emergency-number">112</span>' in html
    assert "data:image/svg+xml;base64," in html  # pictures inline: one file to send or print
    assert "http" not in html.split("<main>")[0]  # nothing loaded from elsewhere


def test_course_handout_has_every_lesson_and_one_red_flag_box(tmp_path: Path) -> None:
    path = tmp_path / "course.pdf"
    path.write_bytes(pdf_bytes(str(course_handout(course(), LocalHelp("999", None), "letter"))))
    got = pdf_text(path)
    for each in course().lessons:
        if each.kind == "lesson":
            assert words(each.title) in got, each.id
    assert got.count(words(text("red_flags_now", emergency="999"))) == 1


def test_questions_to_ask_your_doctor_print_with_boxes_to_tick(tmp_path: Path) -> None:
    assert run("--lesson", "living-with-your-back", "--out", str(tmp_path), "--format", "pdf") == 0
    got = pdf_text(tmp_path / "08-living-with-your-back.pdf")
    section = next(s for s in course().lesson("living-with-your-back").sections if s.checklist)
    assert words(section.title) in got
    for line in (ln[2:] for ln in section.body.splitlines() if ln.startswith("- ")):
        assert f"☐ {words(line)}" in got, line
    assert text("checklist_notes") in got


def test_environment_sets_the_number_as_for_serve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SPASM_EDU_EMERGENCY_NUMBER", "000")
    assert run("--lesson", "causes", "--out", str(tmp_path), "--format", "html") == 0
    html = (tmp_path / "02-causes.html").read_text(encoding="utf-8")
    assert '<span class="emergency-number">000</span>' in html


def test_without_weasyprint_the_command_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now fails
    assert run("--lesson", "causes", "--out", str(tmp_path / "pdf")) == 2
    err = capsys.readouterr().err
    assert "install spasm-edu[educator]" in err and "Traceback" not in err
    assert not (tmp_path / "pdf").exists() or not any((tmp_path / "pdf").iterdir())
    # HTML needs no WeasyPrint.
    assert run("--lesson", "causes", "--out", str(tmp_path / "html"), "--format", "html") == 0
    assert (tmp_path / "html" / "02-causes.html").is_file()


def test_unknown_lesson_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--lesson", "no-such-lesson", "--out", str(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "no-such-lesson" in err and "home-care" in err


def test_a_number_that_is_not_one_line_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exited:
        run("--emergency-number", "1" * 200, "--out", str(tmp_path))
    assert exited.value.code == 2


NO_WIDGETS = """
import subprocess
import sys
import spasm_edu.cli as cli
cli.build_parser()
assert "spasm_edu.handout.lesson" not in sys.modules, "building the parser loaded the handouts"
for extra in ([], ["--quiz"]):
    status = cli.main(["handout", "--lesson", "home-care", "--format", "html", "--out", sys.argv[1],
                       *extra])
    assert status == 0, status
heavy = sorted(m for m in sys.modules if m.startswith(("ipywidgets", "traitlets", "spasm_edu.widgets")))
assert not heavy, f"handouts imported {heavy}"
"""


def test_handouts_are_made_without_widgets(tmp_path: Path) -> None:
    # A process of its own: this test session may have imported ipywidgets already.
    done = subprocess.run(
        [sys.executable, "-c", NO_WIDGETS, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "05-home-care-answer-key.html",
        "05-home-care-quiz.html",
        "05-home-care.html",
    ]


def test_the_final_quiz_alone_has_no_handout_but_a_paper_quiz(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run("--lesson", "final-quiz", "--out", str(tmp_path / "h"), "--format", "html") == 2
    assert "--quiz" in capsys.readouterr().err
    assert not (tmp_path / "h").exists()
    assert (
        run("--lesson", "final-quiz", "--quiz", "--out", str(tmp_path / "q"), "--format", "html")
        == 0
    )
    assert (tmp_path / "q" / "09-final-quiz-quiz.html").is_file()


def test_a_translated_handout_is_in_its_language(tmp_path: Path) -> None:
    spanish = load_course(language="es")[0].lesson(LESSON)
    assert run("--lang", "es", "--lesson", LESSON, "--out", str(tmp_path), "--format", "html") == 0
    html = (tmp_path / "05-home-care.html").read_text(encoding="utf-8")
    assert '<html lang="es">' in html
    assert spanish.title in html and text("red_flags_title", "es") in html
    assert text("red_flags_title", "es") != text("red_flags_title")
    assert run("--lang", "xx", "--out", str(tmp_path)) == 2
