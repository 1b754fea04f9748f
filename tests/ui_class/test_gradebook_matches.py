"""The gradebook agrees with the educator page: students answer in Chromium, the educator page
shows its figures, and the gradebook (from the same database, and as downloaded from that page)
gives the same answers per question, percent right, scores and finishers.

Three students answer lesson 1 on their own pages (one gave no nickname, one a formula-like
nickname); a fourth joined and never answered. The page and the gradebook both count each
student's first answer to a question (tests/store/test_gradebook.py adds second tries).
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from spasm_edu.classreport import SCORE_BUCKETS
from spasm_edu.gradebook import build_gradebook, long_table, to_csv, wide_table
from spasm_edu.results import ResultsStore, new_learner_id
from spasm_edu.strings import text
from tests.ui.quiz_driver import (
    answer_for,
    card,
    check,
    course,
    expect_right,
    expect_wrong,
    fill_in,
    lesson_of,
    plain,
)
from tests.ui_class.class_driver import (
    EDUCATOR,
    LESSON_1,
    RENDER_TIMEOUT_MS,
    ClassServer,
    People,
    rendered,
    show_class,
)

pytestmark = pytest.mark.browser

LESSON = lesson_of(LESSON_1)
N = len(LESSON.quiz.questions)
# Per student: True right, False wrong, None not answered, question by question.
PLANS: list[tuple[str | None, list[bool | None]]] = [
    ("Ana", [True] * N),
    (None, [*([True, False] * N)[: N - 2], None, None]),
    ("=1+2", [*([False] * 3 + [True] * N)[: N - 1], None]),
]
REFRESH_TIMEOUT_MS = 30_000  # the educator page reads the store every 5 s; a busy machine


def answer_lesson(page: Page, plan: list[bool | None]) -> None:
    """Answer each question of lesson 1 once, as planned, and wait for the verdict."""
    for number, (question, right) in enumerate(zip(LESSON.quiz.questions, plan, strict=True), 1):
        if right is None:
            continue
        card_ = card(page, number)
        expect(card_.locator("h3")).to_have_text(plain(question.prompt))
        fill_in(card_, question, answer_for(question, right=right))
        check(card_)
        if right:
            expect_right(card_, question)
        else:
            expect_wrong(card_)


def page_questions(page: Page) -> dict[str, tuple[int, str]]:
    """The page's question table: {question id: (answers, "% right")}, rows with answers."""
    by_prompt = {(x.id, q.prompt): q.id for x in course().lessons for q in x.quiz.questions}
    rows = page.locator(".spasm-edu-results table.spasm-table tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent))"
    )
    return {by_prompt[(r[0], r[1])]: (int(r[2]), r[3]) for r in rows}


def page_scores(page: Page) -> dict[str, int]:
    """The score chart's counts by range, from its text alternative."""
    label = page.locator(".spasm-edu-results svg.spasm-chart").get_attribute("aria-label") or ""
    return {m[0]: int(m[1]) for m in re.findall(r"(\d+–\d+%): (\d+)", label)}


def from_rows(rows: list[list[str]], lesson_id: str) -> dict[str, tuple[int, str]]:
    """The same figures, from a wide gradebook's rows (titles, ids, students)."""
    ids, students = rows[1], rows[2:]
    out = {}
    for column, key in enumerate(ids):
        lesson, _, question = key.partition("/")
        if lesson != lesson_id or question == "score":
            continue
        given = [int(r[column]) for r in students if r[column] != ""]
        if given:
            out[question] = (len(given), f"{100 * sum(given) / len(given):.0f}%")
    return out


def buckets(percents: list[int | None]) -> dict[str, int]:
    """Scores counted into the page's ranges (students with no score left out, as there)."""
    return {
        f"{low}–{high}%": sum(1 for p in percents if p is not None and low <= p <= high)
        for low, high in SCORE_BUCKETS
    }


def download(page: Page, name: str) -> bytes:
    """Click the educator page's link for file `name`; return what the browser saved."""
    with page.expect_download() as info:
        page.locator(f'.spasm-gradebook-links a[download="{name}"]').click()
    assert info.value.suggested_filename == name
    return Path(info.value.path()).read_bytes()


def test_gradebook_matches_the_educator_page(
    people: People, class_server: ClassServer, class_store: ResultsStore
) -> None:
    code = f"GB-{uuid.uuid4().hex[:6]}"
    learners = [new_learner_id() for _ in range(len(PLANS) + 1)]
    for learner_id, nickname in zip(learners, [p[0] for p in PLANS] + ["Quiet"], strict=True):
        class_store.register_learner(learner_id, class_code=code, nickname=nickname)

    students = [people.open(LESSON_1, f"learner={x}", wait=False).page for x in learners[:-1]]
    educator = people.open(EDUCATOR, wait=False).page
    for page, (_, plan) in zip(students, PLANS, strict=True):
        rendered(page)
        expect(page.locator(".spasm-card")).to_have_count(N, timeout=RENDER_TIMEOUT_MS)
        answer_lesson(page, plan)
    checks = sum(r is not None for _, plan in PLANS for r in plan)

    rendered(educator)
    show_class(educator, class_server.passcode, code)
    # Wait until the page has read every answer (it refreshes on its own every few seconds).
    educator.wait_for_function(
        """(want) => Array.from(document.querySelectorAll(
             '.spasm-edu-results table.spasm-table tbody tr'))
           .reduce((n, r) => n + (parseInt(r.cells[2].textContent) || 0), 0) === want""",
        arg=checks,
        timeout=REFRESH_TIMEOUT_MS,
    )
    shown = page_questions(educator)
    shown_scores = page_scores(educator)
    counts = educator.locator(".spasm-edu-counts").text_content()

    book = build_gradebook(class_store, course(), code)
    rows = list(csv.reader(io.StringIO(to_csv(wide_table(book)))))
    assert shown == from_rows(rows, LESSON.id)
    assert len(shown) == N  # every question was answered by someone
    assert shown_scores == buckets([s.percent() for s in book.students])
    assert sum(shown_scores.values()) == len(PLANS)  # the quiet learner has no score
    finished = sum(1 for s in book.students if len(s.first) == N)  # of lesson 1 only
    assert counts == text("edu_counts", joined=len(book.students), finished=0)  # no final quiz
    assert [s.label for s in book.students] == ["Ana", "Student 2", "=1+2", "Quiet"]

    # The page for lesson 1 only: its finishers, and its scores are the lesson's scores.
    educator.locator(".spasm-edu-lesson select").select_option(label=LESSON.title)
    expect(educator.locator(".spasm-edu-counts")).to_have_text(
        text("edu_counts", joined=len(book.students), finished=finished)
    )
    assert finished == 1
    assert page_scores(educator) == buckets([s.percent(LESSON.id) for s in book.students])
    assert page_questions(educator) == shown

    # The files the educator page gives: the same gradebook, and every answer once.
    educator.locator(".spasm-gradebook").click()
    expect(educator.locator(".spasm-gradebook-links a")).to_have_count(3)
    saved = download(educator, "gradebook.csv").decode("utf-8")
    assert saved == to_csv(wide_table(book))
    saved_rows = list(csv.reader(io.StringIO(saved)))
    assert from_rows(saved_rows, LESSON.id) == shown
    assert [r[1] for r in saved_rows[2:]] == ["Ana", "Student 2", "'=1+2", "Quiet"]
    sheet = openpyxl.load_workbook(io.BytesIO(download(educator, "gradebook.xlsx"))).active
    as_text = [["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert as_text == saved_rows
    answers = list(csv.reader(io.StringIO(download(educator, "answers.csv").decode("utf-8"))))
    assert len(answers) == 1 + checks
    assert answers == list(csv.reader(io.StringIO(to_csv(long_table(book)))))
