"""Thirty kernels writing into one SQLite file at once lose nothing and corrupt nothing."""

from __future__ import annotations

import logging
import multiprocessing
import queue
import sqlite3
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from spasm_edu.results import SCHEMA_VERSION, PendingAttempt, ResultsStore, RetryPolicy

PROCESSES = 30
ATTEMPTS_EACH = 50


def _writer(
    url: str, busy_timeout: float, retry: RetryPolicy, worker: int, barrier: Any, results: Any
) -> None:
    """One "kernel": open a store, wait for everyone, then save ATTEMPTS_EACH answers."""
    # Retries are expected here; keep the child's stderr for real problems.
    logging.getLogger("spasm_edu").setLevel(logging.ERROR)
    store = ResultsStore(url, busy_timeout=busy_timeout, retry=retry)
    barrier.wait(timeout=120)
    started = time.time()  # wall clock: comparable across processes
    for n in range(ATTEMPTS_EACH):
        store.save(
            PendingAttempt(
                learner_id=f"learner-{worker:02d}",
                lesson_id="what-is-a-back-spasm",
                question_id=f"q{n:02d}",
                answer=f"choice-{n % 4}",
                correct=n % 3 == 0,
                class_code="LOAD",
            )
        )
    results.put((worker, store.retries, started, time.time()))


@pytest.mark.slow  # about a minute of 30 processes writing at once
@pytest.mark.parametrize(
    ("busy_timeout", "retry"),
    [
        pytest.param(5.0, RetryPolicy(attempts=10, base_delay=0.05, max_delay=1.0), id="default"),
        # SQLite gives up waiting almost at once, so our retry loop does the waiting:
        # this proves retries neither lose nor duplicate a row under real contention.
        pytest.param(
            0.005, RetryPolicy(attempts=100, base_delay=0.01, max_delay=0.2), id="retry-heavy"
        ),
    ],
)
def test_thirty_processes_write_one_sqlite_file(
    tmp_path: Path, busy_timeout: float, retry: RetryPolicy
) -> None:
    path = tmp_path / "results.sqlite3"
    url = f"sqlite:///{path}"
    # spawn, not fork: each worker starts like a fresh kernel, with no inherited handles.
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(PROCESSES)
    results = ctx.Queue()
    # The file does not exist yet: the workers also race to create it and its schema.
    processes = [
        ctx.Process(target=_writer, args=(url, busy_timeout, retry, worker, barrier, results))
        for worker in range(PROCESSES)
    ]
    started = time.monotonic()
    for process in processes:
        process.start()
    # Drain the queue before joining, so no child blocks on a full pipe; stop early if a
    # worker died (its traceback is on stderr) instead of waiting for the deadline.
    reports: list[tuple[int, int, float, float]] = []
    deadline = time.monotonic() + 120
    while len(reports) < PROCESSES and time.monotonic() < deadline:
        try:
            reports.append(results.get(timeout=0.5))
        except queue.Empty:
            failed = [p.exitcode for p in processes if p.exitcode not in (None, 0)]
            assert not failed, f"{len(failed)} worker(s) crashed, exit codes {failed}"
    for process in processes:
        process.join(timeout=60)
    wall = time.monotonic() - started

    assert [p.exitcode for p in processes] == [0] * PROCESSES
    assert sorted(r[0] for r in reports) == list(range(PROCESSES))

    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
        distinct = conn.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT learner_id, question_id FROM attempts)"
        ).fetchone()[0]
        n_learners = conn.execute("SELECT COUNT(*) FROM learners").fetchone()[0]
        versions = conn.execute("SELECT version FROM schema_version").fetchall()
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()

    expected = PROCESSES * ATTEMPTS_EACH
    assert rows == expected, f"{expected - rows} attempts lost"
    assert distinct == expected  # no duplicates either
    assert n_learners == PROCESSES
    # Thirty first starts, each migration applied once.
    assert versions == [(v,) for v in range(1, SCHEMA_VERSION + 1)]
    assert integrity == [("ok",)]
    assert journal == "wal"

    retries = [r[1] for r in reports]
    writing = [end - start for _, _, start, end in reports]
    write_phase = max(r[3] for r in reports) - min(r[2] for r in reports)
    print(
        f"\nconcurrency (busy_timeout {busy_timeout} s): {PROCESSES} processes x "
        f"{ATTEMPTS_EACH} attempts = {rows} rows, 0 lost, "
        f"integrity {integrity[0][0]}, journal {journal}\n"
        f"  wall time incl. spawning {wall:.1f} s; all writes {write_phase:.2f} s "
        f"({expected / write_phase:.0f} commits/s); per process {min(writing):.2f}"
        f"-{max(writing):.2f} s (median {statistics.median(writing):.2f} s)\n"
        f"  retries: total {sum(retries)}, max per process {max(retries)}, "
        f"processes that retried {sum(1 for r in retries if r)}"
    )
