"""The export tables cover every question type; exports are deterministic; the command works
end to end."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from spasm_edu.content import Choice, Course
from spasm_edu.content.model import QUESTION_TYPES
from spasm_edu.export import FORMATS, ExportError, Unsupported, export

CLI = Path(sys.executable).parent / "spasm-edu"


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_question_type_has_a_writer_or_a_reason(fmt: str) -> None:
    table = FORMATS[fmt].table
    assert set(table) == set(QUESTION_TYPES)
    for qtype, entry in table.items():
        if isinstance(entry, Unsupported):
            assert len(entry.reason) > 20, (fmt, qtype)
        else:
            assert callable(entry), (fmt, qtype)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_is_deterministic_and_keeps_every_question(course: Course, fmt: str) -> None:
    first, second = export(course, fmt), export(course, fmt)
    assert first.data == second.data
    every = [f"{lesson.id}.{q.id}" for lesson in course.lessons for q in lesson.quiz.questions]
    left_out = [left.question for left in first.left_out]
    assert sorted(list(first.questions) + left_out) == sorted(every)
    assert not set(first.questions) & set(left_out)
    unsupported = {t for t, e in FORMATS[fmt].table.items() if isinstance(e, Unsupported)}
    assert {left.type for left in first.left_out} == unsupported
    if first.data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(first.data)) as archive:
            infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(i.filename for i in infos)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    for ref in first.questions:  # our ids are in the file, to match results later
        assert ref.encode() in first.data or _in_zip(first.data, ref)


def _in_zip(data: bytes, ref: str) -> bool:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return any(ref.encode() in archive.read(name) for name in archive.namelist())


def test_one_lesson_and_errors(course: Course) -> None:
    result = export(course, "gift", ["home-care"])
    assert result.questions and all(ref.startswith("home-care.") for ref in result.questions)
    with pytest.raises(ExportError, match="no lesson with id 'nope'"):
        export(course, "gift", ["nope"])
    with pytest.raises(ExportError, match="unknown format"):
        export(course, "pdf")


def test_export_imports_no_widgets() -> None:
    code = (
        "import sys, spasm_edu.export, spasm_edu.export.command; "
        "sys.exit('ipywidgets' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    assert CLI.is_file(), f"the spasm-edu command is missing: {CLI}"
    return subprocess.run(
        [str(CLI), "export", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_cli_writes_each_format_and_reports_left_out(tmp_path: Path, course: Course) -> None:
    for fmt in FORMATS:
        done = _run("--format", fmt, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        written = tmp_path / export(course, fmt).filename
        assert written.read_bytes() == export(course, fmt).data
        assert f"to {written.name}" in done.stdout
        for left in export(course, fmt).left_out:
            assert str(left) in done.stdout
    done = _run("--format", "gift", "--lesson", "home-care", "--out", "bank.gift", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Left out 1 question(s)" in done.stdout
    assert "home-care.build-up-order (order)" in done.stdout
    assert (tmp_path / "bank.gift").read_bytes() == export(course, "gift", ["home-care"]).data


def test_cli_errors_are_one_clear_line(tmp_path: Path) -> None:
    for args, message in (
        (["--format", "gift", "--lesson", "nope"], "no lesson with id 'nope'"),
        (["--format", "gift", "--out", str(tmp_path / "no" / "x.txt")], "cannot write"),
        (["--format", "pdf"], "invalid choice"),
    ):
        done = _run(*args, cwd=tmp_path)
        assert done.returncode != 0
        assert message in done.stderr
        assert "Traceback" not in done.stderr


def test_a_grade_moodle_lacks_leaves_the_question_out(course: Course) -> None:
    lesson = course.lesson("causes")
    eleven = tuple(Choice(f"c{n}", f"Choice {n}", True, "Yes.") for n in range(11))
    question = replace(
        next(q for q in lesson.quiz.questions if q.type == "multiple"),
        choices=(*eleven, Choice("wrong", "Wrong", False, "No.")),
    )
    odd = Course((replace(lesson, quiz=replace(lesson.quiz, questions=(question,))),))
    for fmt in ("gift", "moodle-xml"):  # 100/11 % is not one of Moodle's grades
        with pytest.raises(
            ExportError,
            match=r"its 11 right choices would each need 9\.0909%, a grade Moodle does not offer",
        ):
            export(odd, fmt)
    for fmt in ("canvas-qti", "qti21"):
        assert export(odd, fmt).questions == (f"causes.{question.id}",)
