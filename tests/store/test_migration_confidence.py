"""Migration 4 adds attempts.confidence: a database written by the release before it (schema
version 3) is upgraded on SQLite and PostgreSQL without losing a row, and new attempts keep
how sure the learner was."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from spasm_edu.progress import LearnerProgress
from spasm_edu.quiz import Grade
from spasm_edu.results import PendingAttempt, ResultsStore, _schema

UTC = dt.timezone.utc
WHEN = dt.datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
LEARNER = "a" * 32


def _write_release_database(url: str) -> None:
    """A database exactly as the previous release left it: its three migrations, then data
    written with plain SQL (so nothing of today's tables is used)."""
    engine = create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        _schema.schema_version.create(conn)
        for version, migration in enumerate(_schema.MIGRATIONS[:3], 1):
            migration(conn)
            conn.execute(
                text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :t)"),
                {"v": version, "t": WHEN},
            )
        conn.execute(
            text(
                "INSERT INTO learners (learner_id, class_code, nickname, created_at) "
                "VALUES (:l, 'BIO-7', 'Sam', :t)"
            ),
            {"l": LEARNER, "t": WHEN},
        )
        for n, (question, answer, correct) in enumerate(
            [("q1", "rest", False), ("q1", "walk", True), ("q2", "myth", True)]
        ):
            conn.execute(
                text(
                    "INSERT INTO attempts (class_code, learner_id, lesson_id, question_id, "
                    "answer, correct, answered_at) VALUES ('BIO-7', :l, 'causes', :q, :a, :c, :t)"
                ),
                {
                    "l": LEARNER,
                    "q": question,
                    "a": answer,
                    "c": correct,
                    "t": WHEN + dt.timedelta(seconds=n),
                },
            )
        conn.execute(
            text(
                "INSERT INTO passcode_tries (name, misses, locked_at) "
                "VALUES ('educator-passcode', 2, NULL)"
            )
        )
    engine.dispose()


def test_release_database_is_upgraded_without_loss(store_url: str) -> None:
    _write_release_database(store_url)
    store = ResultsStore(store_url)
    assert store.schema_version() == 3
    assert store.migrate() == 4
    columns = {c["name"] for c in inspect(store.engine).get_columns("attempts")}
    assert "confidence" in columns
    old = store.attempts_for_learner(LEARNER)
    assert [(a.question_id, a.answer, a.correct, a.confidence) for a in old] == [
        ("q1", "rest", False, None),
        ("q1", "walk", True, None),
        ("q2", "myth", True, None),
    ]
    assert all(a.answered_at >= WHEN and a.class_code == "BIO-7" for a in old)
    learner = store.learner(LEARNER)
    assert learner is not None and learner.nickname == "Sam"
    # A new attempt after the upgrade keeps how sure the learner was; the CSV has the column.
    saved = store.save(
        PendingAttempt(LEARNER, "causes", "q3", "fact", False, "BIO-7", confidence="certain")
    )
    assert saved.confidence == "certain"
    assert store.attempts_for_learner(LEARNER)[-1].confidence == "certain"
    csv_text = store.attempts_csv(class_code="BIO-7")
    assert csv_text.splitlines()[0].endswith(",confidence")
    assert csv_text.splitlines()[-1].endswith(",certain")
    assert csv_text.splitlines()[1].endswith(",")  # not stated: an empty cell
    # Migrating again changes nothing.
    assert ResultsStore(store_url).migrate() == 4
    assert len(store.attempts_for_learner(LEARNER)) == 4


def test_only_known_confidence_values_are_stored(store_url: str) -> None:
    """The browser can send any value: LearnerProgress keeps only the three levels."""
    store = ResultsStore(store_url)
    progress = LearnerProgress(store, LEARNER, "causes")
    from spasm_edu.content import Question

    question = Question("q1", "true_false", "Prompt", "Because.")
    result = Grade(False, (), (), "false")
    for sent in ("certain", "CERTAIN", "<script>", "x" * 500, 3, None, "fairly_sure"):
        progress.record(question, result, sent)
    stored = [a.confidence for a in store.attempts_for_learner(LEARNER)]
    assert stored == ["certain", None, None, None, None, None, "fairly_sure"]
