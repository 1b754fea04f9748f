"""A class's gradebook for spreadsheets: one row per student (wide) or per answer (long)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from .classreport import class_attempts, first_answers, percent_right
from .content import Course, Lesson, Question, load_course
from .quiz import RESTART_QUESTION, REVEALED_ANSWER, rules_of, words
from .results import Attempt, ResultsStore, StoreError

# The one formula guard (= + - @ tab CR get a leading '), shared with the attempts CSV.
from .results.learners import _csv_cell
from .strings import text

__all__ = [
    "Gradebook",
    "NeedsEducatorExtra",
    "StudentGrades",
    "Table",
    "build_gradebook",
    "long_table",
    "results_command",
    "to_csv",
    "to_xlsx",
    "wide_table",
]

Cell = str | int | None
Key = tuple[str, str]  # (lesson id, question id)


class NeedsEducatorExtra(RuntimeError):
    """Writing an Excel file needs openpyxl, which comes with ``spasm-edu[educator]``."""


@dataclass(frozen=True)
class Table:
    """What a spreadsheet gets: a row of titles, a row of our ids (or none), then the data."""

    titles: tuple[str, ...]
    ids: tuple[str, ...] | None
    rows: tuple[tuple[Cell, ...], ...]


@dataclass(frozen=True)
class StudentGrades:
    """One learner of the class and the answers their scores count.

    ``first`` holds the first checked answer of each question since the learner's last
    restart of that lesson: the answers the educator page scores (classreport.first_answers).
    """

    number: int  # join order in the class, from 1
    label: str  # their nickname, or "Student <number>" when they gave none
    learner_id: str
    first: Mapping[Key, Attempt]

    def percent(self, lesson_id: str | None = None) -> int | None:
        """Percent right of the questions answered (in one lesson, or all); None if none."""
        answers = [a for k, a in self.first.items() if lesson_id in (None, k[0])]
        return percent_right(answers) if answers else None


@dataclass(frozen=True)
class Gradebook:
    """A class's students, the lessons with questions, and every answer given (oldest first)."""

    class_code: str
    lessons: tuple[Lesson, ...]
    students: tuple[StudentGrades, ...]
    answers: tuple[Attempt, ...]  # restarts left out


def build_gradebook(
    store: ResultsStore, course: Course, class_code: str, language: str = "en"
) -> Gradebook:
    """Read a class from the store and score it the way the educator page does.

    Students are numbered by join order (the store's order of the class's learners), so
    "Student 3" stays "Student 3" as others join.
    """
    lessons = tuple(x for x in course.lessons if x.quiz.questions)
    questions = {(x.id, q.id): q for x in lessons for q in x.quiz.questions}
    attempts = class_attempts(store, questions, class_code)
    first = first_answers(attempts)
    names = {x.learner_id: x.nickname or "" for x in store.class_learners(class_code)}
    # The store lists everyone who answered in the class; any other answer's learner goes last.
    ids = [*names, *(i for i in dict.fromkeys(a.learner_id for a in attempts) if i not in names)]
    students = []
    for n, learner_id in enumerate(ids, 1):
        # A nickname is kept as given (the page shows it so); only a blank one gets a label.
        name = names.get(learner_id, "")
        label = name if name.strip() else text("gb_anonymous", language, number=n)
        students.append(StudentGrades(n, label, learner_id, dict(first.get(learner_id, {}))))
    answers = tuple(a for a in attempts if a.question_id != RESTART_QUESTION)
    return Gradebook(class_code, lessons, tuple(students), answers)


def _prompt(question: Question) -> str:
    return question.prompt.replace("**", "")  # bold markers are for pages only


def wide_table(book: Gradebook, language: str = "en") -> Table:
    """One row per student: 1/0 per question (blank: not answered), lesson and overall scores.

    Columns go lesson by lesson: its questions, then its score. The second row holds our ids
    (``lesson/question``, ``lesson/score``), so results can be matched whatever the titles.
    """

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    titles: list[str] = [t("gb_number"), t("gb_student")]
    ids: list[str] = ["number", "student"]
    for lesson in book.lessons:
        for q in lesson.quiz.questions:
            titles.append(t("gb_question", lesson=lesson.title, question=_prompt(q)))
            ids.append(f"{lesson.id}/{q.id}")
        titles.append(t("gb_lesson_score", lesson=lesson.title))
        ids.append(f"{lesson.id}/score")
    titles += [t("gb_overall"), t("gb_answered"), t("gb_right")]
    ids += ["overall", "answered", "right"]
    rows = []
    for s in book.students:
        row: list[Cell] = [s.number, s.label]
        for lesson in book.lessons:
            for q in lesson.quiz.questions:
                answer = s.first.get((lesson.id, q.id))
                row.append(None if answer is None else int(answer.correct))
            row.append(s.percent(lesson.id))
        row += [s.percent(), len(s.first), sum(a.correct for a in s.first.values())]
        rows.append(tuple(row))
    return Table(tuple(titles), tuple(ids), tuple(rows))


LONG_COLUMNS = (
    "student_number",
    "student",
    "lesson_id",
    "lesson",
    "question_id",
    "question",
    "answer",
    "correct",
    "counted",
    "answered_at",
)


def long_table(book: Gradebook, language: str = "en") -> Table:
    """One row per answer (Try again and answers before a restart too), student by student.

    ``counted`` is 1 for the answer the scores count (the first since the last restart).
    """
    lessons = {x.id: x for x in book.lessons}
    number = {s.learner_id: s for s in book.students}
    rows = []
    for a in sorted(book.answers, key=lambda a: (number[a.learner_id].number, a.answered_at, a.id)):
        s, lesson = number[a.learner_id], lessons[a.lesson_id]
        question = next(q for q in lesson.quiz.questions if q.id == a.question_id)
        rules = rules_of(question)
        said = (
            text("gb_revealed", language)
            if a.answer == REVEALED_ANSWER
            else words(rules.describe(rules.decode(a.answer), language))
        )
        counted = s.first.get((a.lesson_id, a.question_id)) is a
        rows.append(
            (
                s.number,
                s.label,
                a.lesson_id,
                lesson.title,
                a.question_id,
                _prompt(question),
                said,
                int(a.correct),
                int(counted),
                a.answered_at.isoformat(),
            )
        )
    return Table(LONG_COLUMNS, None, tuple(rows))


def _guarded(value: Cell) -> Cell:
    """A cell as a spreadsheet may safely read it: text that looks like a formula is quoted."""
    return str(_csv_cell(value)) if isinstance(value, str) else value


def to_csv(table: Table) -> str:
    """The table as CSV text (blank cells empty); no cell can start a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in _all_rows(table):
        writer.writerow(["" if v is None else _guarded(v) for v in row])
    return buffer.getvalue()


def _all_rows(table: Table) -> list[Sequence[Cell]]:
    return [table.titles, *([table.ids] if table.ids else []), *table.rows]


def to_xlsx(table: Table, sheet: str, language: str = "en") -> bytes:
    """The table as an Excel workbook: text written as text (never a formula), numbers as numbers.

    Raises
    ------
    NeedsEducatorExtra
        If openpyxl is not installed (it comes with ``spasm-edu[educator]``).
    """
    try:
        from openpyxl import Workbook  # type: ignore[import-untyped]
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]
        from openpyxl.styles import Font  # type: ignore[import-untyped]
    except ImportError as exc:
        raise NeedsEducatorExtra(text("gb_needs_extra", language)) from exc

    book = Workbook()
    ws = book.active
    ws.title = sheet
    heading = 2 if table.ids else 1
    for r, row in enumerate(_all_rows(table), 1):
        for c, value in enumerate(row, 1):
            if isinstance(value, str):
                # openpyxl refuses control characters; and a string typed "s" is never run.
                value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", str(_guarded(value)))
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # openpyxl would make "=..." a formula, "#N/A" an error
            if r == 1:
                cell.font = Font(bold=True)
    ws.freeze_panes = ws.cell(row=heading + 1, column=3 if table.ids else 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def results_command(args: argparse.Namespace) -> int:
    """``spasm-edu results``: write a class's gradebook (or every answer, with --long)."""
    db = args.db
    if db and "://" not in db:
        if not Path(db).is_file():
            print(f"spasm-edu: no database file at {db}", file=sys.stderr)
            return 2
        db = f"sqlite:///{Path(db).resolve()}"
    if args.format == "xlsx" and not args.out and sys.stdout.isatty():
        print("spasm-edu: an xlsx file needs --out FILE (or a redirect).", file=sys.stderr)
        return 2
    course, _ = load_course()
    with ResultsStore(db) if db else ResultsStore() as store:  # None: as `spasm-edu serve`
        try:
            book = build_gradebook(store, course, args.class_code)
        except StoreError as exc:
            print(f"spasm-edu: cannot read results from {store.url}: {exc}", file=sys.stderr)
            return 1
        if not book.students:
            print(
                f"spasm-edu: nobody has joined class {args.class_code!r} in {store.url}.",
                file=sys.stderr,
            )
            return 1
    table = long_table(book) if args.long else wide_table(book)
    if args.format == "csv":
        body = to_csv(table).encode("utf-8")
    else:
        try:
            body = to_xlsx(table, text("gb_sheet_long" if args.long else "gb_sheet"))
        except NeedsEducatorExtra as exc:
            print(f"spasm-edu: {exc}", file=sys.stderr)
            return 2
    if args.out:
        Path(args.out).write_bytes(body)
        print(
            f"spasm-edu: wrote {len(table.rows)} row(s) of class {args.class_code!r} to {args.out}",
            file=sys.stderr,
        )
    else:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    return 0
