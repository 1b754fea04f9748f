"""The gradebook from a real store (SQLite and PostgreSQL): scores as the educator page counts
them, files a spreadsheet cannot run, and `spasm-edu results` end to end."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from spasm_edu.classreport import build_report
from spasm_edu.content import Question, load_course
from spasm_edu.gradebook import (
    LONG_COLUMNS,
    Gradebook,
    Table,
    build_gradebook,
    long_table,
    to_csv,
    to_xlsx,
    wide_table,
)
from spasm_edu.quiz import RESTART_QUESTION, REVEALED_ANSWER, grade
from spasm_edu.results import PendingAttempt, ResultsStore
from spasm_edu.results._schema import MAX_NICKNAME
from tests.support.answers import answer_for, response_of
from tests.support.hostile import PAYLOADS

COURSE, _ = load_course()
LESSON = COURSE.lesson("causes")
Q1, Q2, Q3 = LESSON.quiz.questions[:3]
OTHER = next(x for x in COURSE.lessons if x.id != LESSON.id and x.quiz.questions)
QO = OTHER.quiz.questions[0]
CLI = Path(sys.executable).parent / "spasm-edu"
# Text a spreadsheet would run as a formula (OWASP "CSV injection"), and one it reads as an error.
FORMULAS = [
    "=1+2",
    '=HYPERLINK("http://x.invalid","x")',
    "+1",
    "-1+1",
    "@SUM(1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "#N/A",
    "bell\x07 and \x1b escape",
]


def _answer(
    store: ResultsStore,
    learner: str,
    question: Question,
    right: bool,
    *,
    lesson: str = LESSON.id,
    code: str = "C1",
) -> None:
    """Save an answer the way a quiz page does: graded by the engine."""
    graded = grade(question, response_of(question, answer_for(question, right=right)))
    assert graded.correct is right
    store.save(PendingAttempt(learner, lesson, question.id, graded.answer, graded.correct, code))


def _mark(store: ResultsStore, learner: str, question_id: str, lesson: str = LESSON.id) -> None:
    """Save "Start again" (question_id RESTART_QUESTION) or "Show answer" (a question's id)."""
    store.save(PendingAttempt(learner, lesson, question_id, REVEALED_ANSWER, False, "C1"))


def _cells(table: Table) -> dict[str, dict[str, object]]:
    """The wide table as {student label: {column id: cell}}."""
    assert table.ids is not None
    return {str(row[1]): dict(zip(table.ids, row, strict=True)) for row in table.rows}


def _class(store: ResultsStore) -> Gradebook:
    """A class: retries, a restart, a revealed answer, an unnamed and a silent learner."""
    store.register_learner("l1", class_code="C1", nickname="Ana")
    store.register_learner("l2", class_code="C1")  # no nickname
    store.register_learner("l3", class_code="C1", nickname="  ")  # blank counts as none
    store.register_learner("l4", class_code="C1", nickname="Bo")
    store.register_learner("x9", class_code="C2", nickname="Elsewhere")
    # Ana: wrong then right after Try again (the first answer counts), Q2 right.
    _answer(store, "l1", Q1, False)
    _answer(store, "l1", Q1, True)
    _answer(store, "l1", Q2, True)
    # Student 2: right, starts the lesson again, then wrong: only the last round counts.
    _answer(store, "l2", Q1, True)
    _answer(store, "l2", Q2, True)
    _mark(store, "l2", RESTART_QUESTION)
    _answer(store, "l2", Q1, False)
    # Student 3 never answers. Bo: shows the answer to Q1 (counts as wrong), another lesson right.
    _mark(store, "l4", Q1.id)
    _answer(store, "l4", Q2, True)
    _answer(store, "l4", QO, True, lesson=OTHER.id)
    _answer(store, "x9", Q1, True, code="C2")
    return build_gradebook(store, COURSE, "C1")


def test_wide_gradebook_scores_first_answers_since_the_last_restart(
    store: ResultsStore,
) -> None:
    book = _class(store)
    table = wide_table(book)
    cells = _cells(table)

    assert [(s.number, s.label) for s in book.students] == [
        (1, "Ana"),
        (2, "Student 2"),
        (3, "Student 3"),
        (4, "Bo"),
    ]
    q1, q2, q3 = (f"{LESSON.id}/{q.id}" for q in (Q1, Q2, Q3))
    assert [cells[name][q1] for name in cells] == [0, 0, None, 0]
    assert [cells[name][q2] for name in cells] == [1, None, None, 1]
    assert all(cells[name][q3] is None for name in cells)
    assert cells["Ana"][f"{LESSON.id}/score"] == 50
    assert cells["Student 2"][f"{LESSON.id}/score"] == 0
    assert cells["Student 3"][f"{LESSON.id}/score"] is None
    assert cells["Bo"][f"{OTHER.id}/{QO.id}"] == 1
    assert (cells["Bo"][f"{OTHER.id}/score"], cells["Ana"][f"{OTHER.id}/score"]) == (100, None)
    overall = {n: (c["overall"], c["answered"], c["right"]) for n, c in cells.items()}
    assert overall == {
        "Ana": (50, 2, 1),
        "Student 2": (0, 1, 0),
        "Student 3": (None, 0, 0),
        "Bo": (67, 3, 2),
    }
    # Titles say lesson and question; a lesson with questions has them all, then its score.
    column = table.ids.index(q1) if table.ids else -1
    assert table.titles[column] == f"{LESSON.title}: {Q1.prompt.replace('**', '')}"
    n_questions = sum(len(x.quiz.questions) for x in COURSE.lessons)
    n_lessons = sum(1 for x in COURSE.lessons if x.quiz.questions)
    assert len(table.titles) == 2 + n_questions + n_lessons + 3

    # The educator page's figures, from the same store: its score chart counts the same scores.
    report = build_report(store, COURSE, "C1")
    charted = [s.percent() for s in book.students if s.first]
    buckets = {label: 0 for label, _ in report.score_buckets}
    for percent in charted:
        for label in buckets:
            low, high = (int(x) for x in label.rstrip("%").split("–"))
            buckets[label] += low <= (percent or 0) <= high
    assert tuple(buckets.items()) == report.score_buckets
    assert report.joined == len(book.students)


def test_numbers_stay_as_more_students_join(store: ResultsStore) -> None:
    before = {s.learner_id: s.label for s in _class(store).students}
    store.register_learner("a0", class_code="C1")  # sorts first by id, joins last
    after = build_gradebook(store, COURSE, "C1")
    assert {s.learner_id: s.label for s in after.students[:-1]} == before
    assert (after.students[-1].learner_id, after.students[-1].label) == ("a0", "Student 5")


def test_per_question_percent_matches_the_page(store: ResultsStore) -> None:
    """Both count each learner's first answer: a second try changes neither."""
    for n, rights in enumerate([(True, True, False), (False, True, False), (True, False)]):
        store.register_learner(f"p{n}", class_code="C3", nickname=f"P{n}")
        for question, right in zip((Q1, Q2, Q3), rights, strict=False):
            _answer(store, f"p{n}", question, right, code="C3")
    _answer(store, "p1", Q1, True, code="C3")  # Try again, right this time
    table = wide_table(build_gradebook(store, COURSE, "C3"))
    cells = _cells(table)
    for row in build_report(store, COURSE, "C3").questions:
        column = [c[f"{row.lesson_id}/{row.question.id}"] for c in cells.values()]
        given = [v for v in column if v is not None]
        assert len(given) == row.attempts
        if given:
            assert 100 * sum(given) / len(given) == pytest.approx(row.percent_correct)
    assert sum(r.attempts for r in build_report(store, COURSE, "C3").questions) == 8


def test_long_table_has_every_answer_and_marks_the_counted_ones(store: ResultsStore) -> None:
    rows = [dict(zip(LONG_COLUMNS, r, strict=True)) for r in long_table(_class(store)).rows]
    ana = [r for r in rows if r["student"] == "Ana"]
    assert [(r["question_id"], r["correct"], r["counted"]) for r in ana] == [
        (Q1.id, 0, 1),
        (Q1.id, 1, 0),
        (Q2.id, 1, 1),
    ]
    assert ana[0]["question"] == Q1.prompt.replace("**", "")
    assert ana[0]["lesson"] == LESSON.title
    student2 = [(r["correct"], r["counted"]) for r in rows if r["student"] == "Student 2"]
    assert student2 == [(1, 0), (1, 0), (0, 1)]  # Q1, Q2, restart (neither counts), Q1
    bo = [r for r in rows if r["student"] == "Bo"]
    assert bo[0]["answer"] == "(showed the answer)"
    assert {r["lesson_id"] for r in bo} == {LESSON.id, OTHER.id}
    chosen = answer_for(QO, right=True).choices
    assert all(QO.choice(c).text in str(bo[-1]["answer"]) for c in chosen)
    assert {r["student"] for r in rows} == {"Ana", "Student 2", "Bo"}
    assert all(str(r["answered_at"]).endswith("+00:00") for r in rows)


def _hostile_class(store: ResultsStore) -> list[str]:
    names = list(dict.fromkeys(p[:MAX_NICKNAME] for p in [*FORMULAS, *PAYLOADS]))
    for n, name in enumerate(names):
        store.register_learner(f"h{n:03}", class_code="H", nickname=name)
        _answer(store, f"h{n:03}", Q1, n % 2 == 0, code="H")
    return names


def _guarded(name: str) -> str:
    """What a cell must hold: the name, with a ' first if a spreadsheet would run it."""
    return "'" + name if name.startswith(("=", "+", "-", "@", "\t", "\r")) else name


def test_csv_cells_never_start_a_formula(store: ResultsStore) -> None:
    names = _hostile_class(store)
    book = build_gradebook(store, COURSE, "H")
    assert [s.label for s in book.students] == names  # kept as given, none blank
    for table in (wide_table(book), long_table(book)):
        rows = list(csv.reader(io.StringIO(to_csv(table))))
        first_data = 2 if table.ids else 1
        assert [r[1] for r in rows[first_data:]] == [_guarded(n) for n in names]
        for row in rows:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    labels = [r[1] for r in csv.reader(io.StringIO(to_csv(wide_table(book))))]
    assert {"'=1+2", "'\t=1", "'\r=1", "'@SUM(1)", "'-1+1", "#N/A"} <= set(labels)


def test_xlsx_writes_text_as_text_and_numbers_as_numbers(
    store: ResultsStore, tmp_path: Path
) -> None:
    _hostile_class(store)
    book = build_gradebook(store, COURSE, "H")
    table = wide_table(book)
    path = tmp_path / "g.xlsx"
    path.write_bytes(to_xlsx(table, "Gradebook"))

    ws = openpyxl.load_workbook(path).active
    assert ws.title == "Gradebook"
    values = [[c.value for c in row] for row in ws.iter_rows()]
    types = {c.data_type for row in ws.iter_rows() for c in row if c.value is not None}
    assert types <= {"s", "n"}, types  # no formula ("f") and no error ("e") cell
    assert values[0] == list(table.titles) and values[1] == list(table.ids or ())
    expected = [
        _guarded(s.label).replace("\x07", "\ufffd").replace("\x1b", "\ufffd") for s in book.students
    ]
    assert [r[1] for r in values[2:]] == expected
    assert "#N/A" in expected and "bell\ufffd and \ufffd escape" in expected
    column = table.ids.index(f"{LESSON.id}/{Q1.id}") if table.ids else -1
    assert [r[column] for r in values[2:]] == [(n + 1) % 2 for n in range(len(expected))]
    assert [r[0] for r in values[2:]] == list(range(1, len(expected) + 1))
    assert all(r[-3] in (0, 100) for r in values[2:])  # overall %: numbers, not text


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CLI), "results", *args], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def test_results_command_end_to_end(sqlite_url: str, tmp_path: Path) -> None:
    with ResultsStore(sqlite_url) as store:
        _class(store)
        expected = to_csv(wide_table(build_gradebook(store, COURSE, "C1")))
        expected_long = to_csv(long_table(build_gradebook(store, COURSE, "C1")))
    db_file = sqlite_url.removeprefix("sqlite:///")

    wide = _run("--class", "C1", "--db", sqlite_url, cwd=tmp_path)
    assert (wide.returncode, wide.stderr) == (0, "")
    assert wide.stdout.replace("\r\n", "\n") == expected.replace("\r\n", "\n")
    long = _run("--class", "C1", "--long", "--db", db_file, cwd=tmp_path)  # a plain path
    assert long.returncode == 0 and long.stdout.replace("\r\n", "\n") == expected_long.replace(
        "\r\n", "\n"
    )

    out = tmp_path / "class.xlsx"
    done = _run(
        "--class", "C1", "--format", "xlsx", "--out", str(out), "--db", db_file, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "wrote 4 row(s)" in done.stderr
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[2:]] == ["Ana", "Student 2", "Student 3", "Bo"]
    long_xlsx = tmp_path / "long.xlsx"
    done = _run(
        "--class",
        "C1",
        "--format",
        "xlsx",
        "--long",
        "--out",
        str(long_xlsx),
        "--db",
        db_file,
        cwd=tmp_path,
    )
    sheet = openpyxl.load_workbook(long_xlsx).active
    assert done.returncode == 0 and sheet.title == "Answers"
    assert next(sheet.iter_rows(values_only=True)) == LONG_COLUMNS

    nobody = _run("--class", "NOPE", "--db", sqlite_url, cwd=tmp_path)
    assert nobody.returncode == 1 and "nobody has joined class 'NOPE'" in nobody.stderr
    missing = _run("--class", "C1", "--db", str(tmp_path / "none.sqlite3"), cwd=tmp_path)
    assert missing.returncode == 2 and "no database file" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()
    for run in (nobody, missing):
        assert "Traceback" not in run.stderr and run.stdout == ""


def test_results_command_without_openpyxl_says_what_to_install(
    sqlite_url: str, tmp_path: Path
) -> None:
    with ResultsStore(sqlite_url) as store:
        _class(store)
    # openpyxl as if not installed: an import of it fails, as in an install without the extra.
    code = (
        "import sys; sys.modules['openpyxl'] = None\n"
        "from spasm_edu.cli import main\n"
        "sys.exit(main(sys.argv[1:]))"
    )
    base = [sys.executable, "-c", code, "results", "--class", "C1", "--db", sqlite_url]
    run = subprocess.run(
        [*base, "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "pip install 'spasm-edu[educator]'" in run.stderr and "Traceback" not in run.stderr
    assert not (tmp_path / "x.xlsx").exists()
    as_csv = subprocess.run(base, capture_output=True, text=True, timeout=120)
    assert as_csv.returncode == 0 and as_csv.stdout.startswith("#,Student,")
