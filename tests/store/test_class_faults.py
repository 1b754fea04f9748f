"""Faults during a class, seen from a quiz page: the page says 'not saved yet', keeps working,
and saves everything once the database is back."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import URL

from spasm_edu.content import load_course
from spasm_edu.progress import LearnerProgress
from spasm_edu.results import ResultsStore, RetryPolicy
from spasm_edu.widgets import LessonView
from tests.support.postgres import run, start_pg_server
from tests.support.widgets import (
    answer,
    question_of,
    right_response,
    save_note,
)

COURSE, _ = load_course()
FAST = RetryPolicy(attempts=2, base_delay=0.01, max_delay=0.02)


def lesson_page(store: ResultsStore) -> LessonView:
    progress = LearnerProgress(store, "f" * 32, "causes", class_code="BIO-7")
    return LessonView(COURSE, COURSE.lesson("causes"), progress=progress)


def test_locked_sqlite_database(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite3"
    store = ResultsStore(f"sqlite:///{path}", retry=FAST, busy_timeout=0.05)
    store.migrate()
    page = lesson_page(store)
    cards = page.quiz.cards
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
    answer(cards[0], right_response(cards[0]))
    assert "Not saved yet" in save_note(cards[0])
    assert cards[0].status == "correct"
    answer(cards[1], right_response(cards[1]))  # the quiz keeps working
    blocker.execute("ROLLBACK")
    blocker.close()
    status = page.quiz.retry_saving()
    assert status is not None and status.saved
    assert all("Saved." in save_note(c) for c in cards[:2])
    saved = [a.question_id for a in store.attempts_for_learner("f" * 32)]
    assert saved == [question_of(cards[0]).id, question_of(cards[1]).id]


@pytest.fixture
def restartable_pg() -> Iterator[tuple[URL, list[str], list[str]]]:
    """A PostgreSQL server of this test's own, so the test can stop and start it."""
    url, pg_ctl, options, base = start_pg_server()
    try:
        stop = [*pg_ctl, "-m", "fast", "-w", "stop"]
        # -l: the restarted server must log to a file, not hold our pipes open.
        start = [*pg_ctl, "-l", str(base / "log"), "-o", options, "-w", "start"]
        yield url, stop, start
    finally:
        if (base / "data" / "postmaster.pid").exists():
            run([*pg_ctl, "-m", "fast", "stop"], "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.postgres
def test_postgresql_restarted_during_a_class(
    restartable_pg: tuple[URL, list[str], list[str]],
) -> None:
    url, stop, start = restartable_pg
    store = ResultsStore(url, retry=FAST, connect_timeout=2)
    page = lesson_page(store)
    cards = page.quiz.cards
    answer(cards[0], right_response(cards[0]))
    assert "Saved." in save_note(cards[0])
    run(stop, "stop")
    answer(cards[1], right_response(cards[1]))
    answer(cards[2], right_response(cards[2]))
    assert "Not saved yet" in save_note(cards[1])
    assert page.quiz.retry_saving().saved is False  # still down: still waiting, nothing dropped
    run(start, "start")
    assert page.quiz.retry_saving().saved
    saved = [a.question_id for a in store.attempts_for_learner("f" * 32)]
    assert saved == [question_of(c).id for c in cards[:3]]
    assert all("Saved." in save_note(c) for c in cards[:3])
