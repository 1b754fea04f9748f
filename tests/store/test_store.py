"""The results store on SQLite and a real PostgreSQL: data, limits, schema, retries."""

from __future__ import annotations

import ast
import csv
import dataclasses
import datetime as dt
import io
import signal
import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import platformdirs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, inspect, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

import spasm_edu.results as results_pkg
from spasm_edu.content import load_course
from spasm_edu.quiz import decode_answer, grade
from spasm_edu.results import (
    DATABASE_URL_ENV,
    SCHEMA_VERSION,
    Attempt,
    Deleted,
    PendingAttempt,
    PendingQueue,
    ResultsStore,
    RetryPolicy,
    SaveError,
    StoreError,
    _schema,
    new_learner_id,
)

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

ODD_STRINGS = [
    "<img src=x onerror=alert(1)>",
    "'; DROP TABLE attempts;--",
    "\u202eevil\u202c",  # right-to-left override
    "zero\u200bwidth",
    'quote " and , comma\nnew line',
    "שלום",
    "emoji 🧘",
]


class FakeSleep:
    """Records the delays it was asked to sleep, without sleeping."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def _record(store: ResultsStore, **overrides: Any) -> Attempt:
    """Save one attempt: these values, with ``overrides``."""
    values: dict[str, Any] = {
        "learner_id": "learner-1",
        "lesson_id": "what-is-a-back-spasm",
        "question_id": "q1",
        "answer": "a",
        "correct": True,
        "class_code": "CLASS1",
        "answered_at": T0,
    }
    values.update(overrides)
    return store.save(PendingAttempt(**values))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _sqlite_path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


# ------------------------------------------------------------------- data


def test_round_trip(store: ResultsStore) -> None:
    saved = _record(store, answer="b,c", correct=False)

    (read,) = store.attempts_for_learner("learner-1")
    assert read == saved
    assert read.answer == "b,c"
    assert read.correct is False
    assert read.answered_at == T0
    assert read.answered_at.tzinfo == UTC
    # An unknown learner is registered by the first answer, with no nickname.
    learner = store.learner("learner-1")
    assert learner is not None
    assert (learner.class_code, learner.nickname) == ("CLASS1", None)
    assert store.learner("nobody") is None


def test_an_interrupt_during_a_save_comes_after_it(store: ResultsStore) -> None:
    """jupyter_client interrupts a kernel before it shuts it down (a page that closes): an
    interrupt in the middle of a save is held until the answer is saved, then delivered."""
    interrupted: list[str] = []

    def interrupt(*_args: Any) -> None:
        if not interrupted:
            interrupted.append("mid-save")
            signal.raise_signal(signal.SIGINT)

    event.listen(store.engine, "before_cursor_execute", interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            _record(store)
    finally:
        event.remove(store.engine, "before_cursor_execute", interrupt)
    assert interrupted == ["mid-save"]
    assert [a.question_id for a in store.attempts_for_learner("learner-1")] == ["q1"]
    # The interrupt handler is the one from before.
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_register_learner_keeps_nickname_and_is_idempotent(store: ResultsStore) -> None:
    learner_id = new_learner_id()
    first = store.register_learner(learner_id, class_code="C", nickname="Sam")
    again = store.register_learner(learner_id, class_code="OTHER", nickname="Changed")

    assert first == again
    assert (first.class_code, first.nickname) == ("C", "Sam")
    assert first.created_at.tzinfo == UTC
    assert len(learner_id) == 32
    assert learner_id != new_learner_id()


def test_answer_time_is_stored_as_utc(store: ResultsStore) -> None:
    local = dt.datetime(2026, 3, 1, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    saved = _record(store, answered_at=local)

    (read,) = store.attempts_for_learner("learner-1")
    assert read.answered_at == saved.answered_at == T0
    assert read.answered_at.utcoffset() == dt.timedelta(0)


def test_naive_time_is_rejected(store: ResultsStore) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        _record(store, answered_at=dt.datetime(2026, 3, 1, 9, 0))  # naive on purpose


def test_attempts_come_back_in_answer_order_for_resume(store: ResultsStore) -> None:
    # LearnerProgress.resume replays these in order, so the last answer given must come last.
    _record(store, question_id="q1", answer="a", correct=False, answered_at=T0)
    _record(store, question_id="q1", answer="b", correct=True, answered_at=T0.replace(hour=10))
    _record(store, question_id="q2", answer="c", correct=False, answered_at=T0)
    # Saved late (it waited in the outbox) but answered earlier: it must not come last.
    _record(store, question_id="q2", answer="old", correct=True, answered_at=T0.replace(hour=8))
    _record(store, lesson_id="causes", question_id="q1", answer="z")
    _record(store, learner_id="someone-else", question_id="q1", answer="x")

    mine = store.attempts_for_learner("learner-1", "what-is-a-back-spasm")
    assert [(a.question_id, a.answer) for a in mine] == [
        ("q2", "old"),
        ("q1", "a"),  # same time as the next: save order decides
        ("q2", "c"),
        ("q1", "b"),
    ]
    assert [a.answer for a in store.attempts_for_learner("learner-1", "causes")] == ["z"]
    assert store.attempts_for_learner("never-seen") == []


# One question of each type from the shipped lessons (the content changes; the types stay).
_COURSE, _ = load_course()
_ONE_OF_EACH_TYPE = list(
    {q.type: q for lesson in _COURSE.lessons for q in lesson.quiz.questions}.values()
)


@pytest.mark.parametrize("question", _ONE_OF_EACH_TYPE, ids=lambda q: q.id)
def test_store_keeps_the_engines_answer_encoding(store: ResultsStore, question: Any) -> None:
    # The one answer encoding ("Answer encoding" in quiz/types.py): the quiz writes it as
    # documented there, the store keeps it verbatim, and decoding gives back the same grade.
    right = sorted(question.correct_choice_ids)
    items = [i.id for i in question.items]
    response: Any
    if question.type == "multiple":
        response, expected = frozenset(right), ",".join(right)
    elif question.type == "match":
        response = {i.id: i.answer for i in question.items}
        expected = ",".join(f"{i.id}={i.answer}" for i in question.items)
    elif question.type == "order":
        response, expected = tuple(items), ",".join(items)
    else:  # single, true_false, myth_fact: the one chosen id
        (response,) = right
        expected = response
    graded = grade(question, response)
    assert graded.answer == expected

    _record(store, question_id=question.id, answer=graded.answer, correct=graded.correct)
    (read,) = store.attempts_for_learner("learner-1")
    assert read.answer == graded.answer
    assert grade(question, decode_answer(question, read.answer)) == graded


def test_attempts_for_learner_and_class(store: ResultsStore) -> None:
    _record(store, learner_id="a", class_code="C1", answered_at=T0.replace(hour=11))
    _record(store, learner_id="a", class_code="C1", lesson_id="causes", answered_at=T0)
    _record(store, learner_id="b", class_code="C2")
    _record(store, learner_id="anon", class_code="")

    assert [x.lesson_id for x in store.attempts_for_learner("a")] == [
        "causes",
        "what-is-a-back-spasm",
    ]
    assert [x.learner_id for x in store.attempts_for_learner("a", "causes")] == ["a"]
    assert [x.learner_id for x in store.attempts_for_class("C1")] == ["a", "a"]
    assert len(store.attempts_for_class("C1", lesson_id="causes")) == 1
    assert [x.learner_id for x in store.attempts_for_class("")] == ["anon"]


# ------------------------------------------------------------------- CSV


def test_csv_export_and_formula_guard(store: ResultsStore) -> None:
    _record(store, learner_id="a", answer='=HYPERLINK("http://x")', correct=False)
    _record(store, learner_id="a", answer="+1", question_id="q2", answered_at=T0.replace(hour=10))
    _record(store, learner_id="b", answer="-2", class_code="@C", answered_at=T0.replace(hour=11))
    _record(
        store,
        learner_id="c",
        answer='["a","b"], and "more"',
        class_code="C2",
        answered_at=T0.replace(hour=12),
    )

    header = [
        "attempt_id",
        "class_code",
        "learner_id",
        "lesson_id",
        "question_id",
        "answer",
        "correct",
        "answered_at",
        "confidence",
    ]
    rows = list(csv.reader(io.StringIO(store.attempts_csv())))
    assert rows[0] == header
    assert len(rows) == 5
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["answer"] == '\'=HYPERLINK("http://x")'
    assert first["correct"] == "false"
    assert first["answered_at"] == "2026-03-01T09:00:00+00:00"
    assert [r[5] for r in rows[1:4]] == ['\'=HYPERLINK("http://x")', "'+1", "'-2"]
    assert rows[3][1] == "'@C"
    assert rows[4][5] == '["a","b"], and "more"'  # quoting survives, no guard needed

    by_learner = list(csv.reader(io.StringIO(store.attempts_csv(learner_id="a"))))
    assert [r[2] for r in by_learner[1:]] == ["a", "a"]
    by_class = list(csv.reader(io.StringIO(store.attempts_csv(class_code="C2"))))
    assert [r[2] for r in by_class[1:]] == ["c"]
    both = list(csv.reader(io.StringIO(store.attempts_csv(learner_id="a", class_code="C2"))))
    assert both == [header]


# ------------------------------------------------------------------- retention


def test_purge_older_than(store: ResultsStore) -> None:
    now = dt.datetime.now(UTC)
    _record(store, learner_id="old", answered_at=now - dt.timedelta(days=200))
    _record(store, learner_id="mixed", answered_at=now - dt.timedelta(days=181))
    _record(store, learner_id="mixed", answered_at=now - dt.timedelta(days=179))
    _record(store, learner_id="new", answered_at=now - dt.timedelta(days=1))
    # Learners registered "now" are kept even without attempts.
    store.register_learner("joined-today", class_code="CLASS1")

    deleted = store.purge_older_than(180, now=now)

    assert deleted == Deleted(attempts=2, learners=0)
    assert sorted(a.learner_id for a in store.attempts_for_class("CLASS1")) == ["mixed", "new"]
    assert store.learner("joined-today") is not None
    assert store.learner("mixed") is not None
    # Learner rows are created at the real "now", so a purge a year ahead drops them all.
    far = now + dt.timedelta(days=400)
    assert store.purge_older_than(180, now=far) == Deleted(attempts=2, learners=4)
    assert store.class_learners("CLASS1") == []
    for bad in (-1, "180", True):
        with pytest.raises(ValueError, match="days"):
            store.purge_older_than(bad)  # type: ignore[arg-type]


def test_delete_learner_and_class(store: ResultsStore) -> None:
    store.register_learner("a", class_code="C1", nickname="A")
    _record(store, learner_id="a", class_code="C1")
    _record(store, learner_id="a", class_code="C1", question_id="q2")
    _record(store, learner_id="b", class_code="C1")
    _record(store, learner_id="c", class_code="C2")

    assert store.delete_learner("a") == Deleted(attempts=2, learners=1)
    assert store.learner("a") is None
    assert store.attempts_for_learner("a") == []
    assert store.delete_learner("a") == Deleted(attempts=0, learners=0)

    assert store.delete_class("C1") == Deleted(attempts=1, learners=1)
    assert store.attempts_for_class("C1") == []
    assert [x.learner_id for x in store.attempts_for_class("C2")] == ["c"]


# ------------------------------------------------------------------- limits and odd input


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("class_code", 32),
        ("learner_id", 64),
        ("lesson_id", 64),
        ("question_id", 64),
        ("answer", 2000),
    ],
)
def test_limits(store: ResultsStore, field: str, limit: int) -> None:
    # Multi-byte characters: the limit counts characters, and PostgreSQL's VARCHAR agrees.
    at_limit = "é" * limit
    saved = _record(store, **{field: at_limit})
    assert getattr(saved, field) == at_limit
    assert getattr(store.attempts_for_class(saved.class_code)[0], field) == at_limit

    with pytest.raises(
        ValueError, match=rf"{field} is {limit + 1} characters long; the limit is {limit}"
    ):
        _record(store, **{field: "x" * (limit + 1)})
    assert len(store.attempts_csv().splitlines()) == 2  # header + the one saved row


def test_nickname_limit_and_bad_input(store: ResultsStore) -> None:
    assert store.register_learner("n", nickname="N" * 40).nickname == "N" * 40
    with pytest.raises(ValueError, match="nickname is 41 characters long; the limit is 40"):
        store.register_learner("m", nickname="N" * 41)
    with pytest.raises(ValueError, match="learner_id must not be empty"):
        _record(store, learner_id="")
    with pytest.raises(ValueError, match="NUL"):
        _record(store, answer="a\x00b")
    with pytest.raises(ValueError, match="surrogate"):
        _record(store, answer="\ud800")
    with pytest.raises(TypeError, match="lesson_id must be a string"):
        _record(store, lesson_id=7)
    with pytest.raises(TypeError, match="correct must be True or False"):
        _record(store, correct=1)
    assert store.attempts_for_class("CLASS1") == []
    assert store.learner("m") is None


@pytest.mark.parametrize("odd", ODD_STRINGS)
def test_odd_strings_are_stored_verbatim(store: ResultsStore, odd: str) -> None:
    short = odd[:32]
    store.register_learner(short, class_code=short, nickname=odd[:40])
    saved = _record(
        store, learner_id=short, class_code=short, lesson_id=short, question_id=short, answer=odd
    )

    (read,) = store.attempts_for_learner(short)
    assert read == saved
    assert read.answer == odd
    learner = store.learner(short)
    assert learner is not None
    assert learner.nickname == odd[:40]
    assert store.attempts_for_class(short) == [saved]
    assert [x.learner_id for x in store.class_learners(short)] == [short]
    # The injection-looking string did nothing: the tables are still there.
    assert {"attempts", "learners"} <= set(inspect(store.engine).get_table_names())


_STORABLE = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")


@settings(
    max_examples=60,
    deadline=None,
    database=None,  # no .hypothesis folder in the repository
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    nickname=st.text(_STORABLE, max_size=40),
    answer=st.text(_STORABLE, max_size=300),
)
def test_any_text_round_trips(store_url: str, nickname: str, answer: str) -> None:
    store = ResultsStore(store_url)
    learner_id = new_learner_id()
    assert store.register_learner(learner_id, nickname=nickname).nickname == nickname
    _record(store, learner_id=learner_id, answer=answer)
    assert [a.answer for a in store.attempts_for_learner(learner_id)] == [answer]
    stored = store.learner(learner_id)
    assert stored is not None
    assert stored.nickname == nickname


# ------------------------------------------------------------------- schema and engine


def test_schema_version_and_idempotent_migrate(store_url: str) -> None:
    store = ResultsStore(store_url)
    assert store.schema_version() == 0  # nothing touches the database before first use
    assert store.migrate() == SCHEMA_VERSION == len(_schema.MIGRATIONS) == 4
    assert store.migrate() == 4
    assert ResultsStore(store_url).migrate() == 4  # a second kernel
    with store.engine.connect() as conn:
        versions = conn.execute(text("SELECT version FROM schema_version")).scalars().all()
    assert versions == [1, 2, 3, 4]

    # The frozen migrations build exactly the tables the queries use.
    inspector = inspect(store.engine)
    tables = (_schema.learners, _schema.attempts, _schema.polls, _schema.poll_answers)
    for table in (*tables, _schema.passcode_tries):
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert columns == set(table.columns.keys())
        indexes = {i["name"] for i in inspector.get_indexes(table.name)}
        assert indexes == {i.name for i in table.indexes}
    # An attempt's fields are the columns of attempts: a new column needs a field here too.
    assert [f.name for f in dataclasses.fields(Attempt)] == list(_schema.attempts.columns.keys())
    assert {f.name for f in dataclasses.fields(PendingAttempt)} == set(
        _schema.attempts.columns.keys()
    ) - {"id"}


def test_newer_schema_is_refused(store_url: str) -> None:
    store = ResultsStore(store_url)
    store.migrate()
    with store.engine.begin() as conn:
        conn.execute(
            _schema.schema_version.insert().values(version=99, applied_at=dt.datetime.now(UTC))
        )
    with pytest.raises(StoreError, match="newer than this spasm-edu"):
        ResultsStore(store_url).save(PendingAttempt("a", "l", "q", "", True))


def test_engine_holds_no_pool(store_url: str) -> None:
    assert isinstance(ResultsStore(store_url).engine.pool, NullPool)


def test_in_memory_sqlite_keeps_one_database() -> None:
    # The one exception to NullPool: each new in-memory connection would be a new database.
    store = ResultsStore("sqlite://")
    _record(store)
    assert len(store.attempts_for_learner("learner-1")) == 1
    assert not isinstance(store.engine.pool, NullPool)


def test_sqlite_uses_wal_and_begin_immediate_for_writes(sqlite_url: str) -> None:
    store = ResultsStore(sqlite_url)
    statements: list[str] = []
    event.listen(
        store.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_a: statements.append(statement),
    )
    _record(store)
    assert "BEGIN IMMEDIATE" in statements
    statements.clear()
    store.attempts_for_learner("learner-1")
    assert "BEGIN" in statements
    assert "BEGIN IMMEDIATE" not in statements
    with sqlite3.connect(_sqlite_path(sqlite_url)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_default_url_is_in_user_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir = tmp_path / "user-data" / "spasm-edu"
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda _app: str(data_dir))
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)

    store = ResultsStore()
    _record(store)
    assert (data_dir / "results.sqlite3").is_file()
    assert store.url == f"sqlite:///{data_dir / 'results.sqlite3'}"

    other = tmp_path / "from-env.sqlite3"
    monkeypatch.setenv(DATABASE_URL_ENV, f"sqlite:///{other}")
    assert ResultsStore().url == f"sqlite:///{other}"
    explicit = tmp_path / "explicit.sqlite3"
    assert ResultsStore(f"sqlite:///{explicit}").url == f"sqlite:///{explicit}"


def test_url_hides_password() -> None:
    store = ResultsStore("postgresql+psycopg://teacher:s3cret@db.example/results")
    assert "s3cret" not in store.url


def test_results_package_does_not_import_widgets() -> None:
    package_dir = Path(results_pkg.__file__).parent
    for path in package_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith(("ipywidgets", "spasm_edu.widgets")), path
                assert name != "widgets", path


def test_store_modules_use_each_other_through_public_names() -> None:
    # database, learners, polls, outbox and store each have a public interface: none
    # imports another's private names or reaches into another object's private attributes.
    package_dir = Path(results_pkg.__file__).parent
    for path in package_dir.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from .{node.module}"
            elif isinstance(node, ast.Attribute) and node.attr.startswith("_"):
                owner = node.value.id if isinstance(node.value, ast.Name) else ""
                # Row._asdict is SQLAlchemy's public API (underscored so no column shadows it).
                allowed = owner == "self" or node.attr.startswith("__") or node.attr == "_asdict"
                assert allowed, f"{path.name}:{node.lineno}: {ast.unparse(node)}"


# ------------------------------------------------------------------- retries


def test_retry_policy_delays() -> None:
    policy = RetryPolicy(attempts=6, base_delay=0.1, max_delay=0.5)
    assert [policy.delay(n) for n in range(5)] == pytest.approx([0.1, 0.2, 0.4, 0.5, 0.5])
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
    with pytest.raises(ValueError, match="negative"):
        RetryPolicy(base_delay=-1)


@pytest.fixture
def locked_sqlite(sqlite_url: str) -> Iterator[tuple[str, sqlite3.Connection]]:
    """A migrated SQLite file, and another connection holding its write lock."""
    ResultsStore(sqlite_url).migrate()
    blocker = sqlite3.connect(
        _sqlite_path(sqlite_url), isolation_level=None, check_same_thread=False
    )
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield sqlite_url, blocker
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()


def test_locked_sqlite_is_retried_until_released(
    locked_sqlite: tuple[str, sqlite3.Connection],
) -> None:
    url, blocker = locked_sqlite
    store = ResultsStore(
        url, busy_timeout=0.05, retry=RetryPolicy(attempts=30, base_delay=0.02, max_delay=0.1)
    )
    release = threading.Timer(0.6, lambda: blocker.execute("COMMIT"))
    release.start()
    started = time.monotonic()
    try:
        saved = _record(store)
    finally:
        release.join()
    elapsed = time.monotonic() - started

    assert elapsed >= 0.5  # it really waited for the other writer
    assert store.retries >= 1
    assert store.attempts_for_learner("learner-1") == [saved]


def test_locked_sqlite_gives_save_error_after_retries(
    locked_sqlite: tuple[str, sqlite3.Connection],
) -> None:
    url, blocker = locked_sqlite
    sleep = FakeSleep()
    store = ResultsStore(
        url,
        busy_timeout=0.01,
        retry=RetryPolicy(attempts=4, base_delay=0.1, max_delay=0.25),
        sleep=sleep,
    )
    with pytest.raises(SaveError, match=r"tried 4 times.*locked") as info:
        _record(store)
    assert isinstance(info.value.__cause__, OperationalError)
    assert sleep.delays == pytest.approx([0.1, 0.2, 0.25])
    assert store.retries == 3

    blocker.execute("ROLLBACK")
    assert store.attempts_for_learner("learner-1") == []
    _record(store)
    assert len(store.attempts_for_learner("learner-1")) == 1


def test_read_only_sqlite_file_gives_save_error(sqlite_url: str) -> None:
    path = _sqlite_path(sqlite_url)
    _record(ResultsStore(sqlite_url))
    # We run as root, and root ignores chmod 0444, so a read-only file is simulated with
    # SQLite's own read-only open mode: the same "readonly database" error a real
    # read-only file (or a read-only mount) gives.
    read_only = ResultsStore(
        f"sqlite:///file:{path}?mode=ro&uri=true",
        retry=RetryPolicy(attempts=2, base_delay=0.0),
    )
    assert len(read_only.attempts_for_learner("learner-1")) == 1  # reading still works
    with pytest.raises(SaveError, match=r"tried 2 times.*readonly"):
        _record(read_only, question_id="q2")
    assert len(ResultsStore(sqlite_url).attempts_for_learner("learner-1")) == 1


@pytest.fixture
def switchable_sqlite(sqlite_url: str) -> tuple[ResultsStore, dict[str, bool]]:
    """A store whose connections are read-only while ``flags["read_only"]`` is true.

    Test-only: ``PRAGMA query_only`` makes SQLite refuse writes with the same
    "attempt to write a readonly database" error as a read-only file (root ignores chmod).
    """
    store = ResultsStore(
        sqlite_url, retry=RetryPolicy(attempts=3, base_delay=0.01), sleep=FakeSleep()
    )
    store.migrate()
    flags = {"read_only": False}

    def on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        if flags["read_only"]:
            dbapi_conn.execute("PRAGMA query_only = ON")

    event.listen(store.engine, "connect", on_connect)
    return store, flags


def test_pending_queue_keeps_attempts_in_order_and_flushes(
    switchable_sqlite: tuple[ResultsStore, dict[str, bool]],
) -> None:
    store, flags = switchable_sqlite
    queue = PendingQueue(store)
    assert queue.add(PendingAttempt("a", "l", "q0", "", True))

    flags["read_only"] = True
    for n in range(1, 4):
        saved = queue.add(
            PendingAttempt(
                "a", "l", f"q{n}", str(n), False, answered_at=T0 + dt.timedelta(minutes=n)
            )
        )
        assert saved is False
    assert len(queue) == 3
    assert [p.question_id for p in queue.pending] == ["q1", "q2", "q3"]
    assert isinstance(queue.last_error, SaveError)
    assert "readonly" in str(queue.last_error)
    assert queue.flush() == 0  # still read-only: nothing lost, nothing saved
    assert len(queue) == 3

    flags["read_only"] = False
    assert queue.flush() == 3
    assert len(queue) == 0
    assert queue.last_error is None
    stored = store.attempts_for_learner("a", "l")
    assert [a.question_id for a in stored] == ["q1", "q2", "q3", "q0"]  # q0 answered now
    assert [a.answered_at for a in stored[:3]] == [T0 + dt.timedelta(minutes=n) for n in (1, 2, 3)]


def test_pending_queue_saves_queued_before_new(
    switchable_sqlite: tuple[ResultsStore, dict[str, bool]],
) -> None:
    store, flags = switchable_sqlite
    queue = PendingQueue(store)
    flags["read_only"] = True
    assert not queue.add(PendingAttempt("a", "l", "first", "", True))
    flags["read_only"] = False
    assert queue.add(PendingAttempt("a", "l", "second", "", True))
    assert [a.question_id for a in store.attempts_for_learner("a")] == ["first", "second"]
    with pytest.raises(ValueError, match="answer is 2001"):
        queue.add(PendingAttempt("a", "l", "q", "x" * 2001, True))
    assert len(queue) == 0  # invalid input is refused at once, never queued


def test_full_sqlite_disk_gives_save_error(sqlite_url: str) -> None:
    store = ResultsStore(sqlite_url, retry=RetryPolicy(attempts=2, base_delay=0.0))
    _record(store)

    def cap_size(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Test-only: cap the file at its current size, so the next page it needs is refused
        # with SQLite's real "database or disk is full" error.
        (pages,) = dbapi_conn.execute("PRAGMA page_count").fetchone()
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    event.listen(store.engine, "connect", cap_size)

    def fill() -> None:
        for n in range(200):
            _record(store, question_id=f"q{n}", answer="x" * 2000)

    with pytest.raises(SaveError, match="full"):
        fill()


def test_postgresql_unreachable_fails_fast() -> None:
    port = _free_port()  # nothing listens there
    sleep = FakeSleep()
    store = ResultsStore(
        f"postgresql+psycopg://postgres@127.0.0.1:{port}/nothing",
        retry=RetryPolicy(attempts=3, base_delay=0.05),
        sleep=sleep,
        connect_timeout=2,
    )
    started = time.monotonic()
    with pytest.raises(SaveError, match="Could not save to the results database") as info:
        _record(store)
    # A hang guard, not a timing: a refused connection must not wait out long timeouts.
    assert time.monotonic() - started < 30
    assert isinstance(info.value.__cause__, OperationalError)
    assert sleep.delays == pytest.approx([0.05, 0.1])
    with pytest.raises(StoreError, match="Could not read from the results database"):
        store.attempts_for_learner("learner-1")
