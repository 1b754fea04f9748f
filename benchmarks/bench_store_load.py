"""How many answers a second PostgreSQL takes from N students' servers writing at once.

    .venv/bin/python benchmarks/bench_store_load.py            # N = 1, 5, 20, 60; 10 s each
    .venv/bin/python benchmarks/bench_store_load.py --seconds 5 --writers 1 20

Each writer is a process of its own with its own `ResultsStore` (as each single-user server on
a hub is), saving checked answers as fast as it can through the store's own `save` (one
committed transaction per answer, the learner registered on the fly). A throwaway PostgreSQL
(Debian's, as the tests start it: tests/support/postgres.py, fsync off) runs on 127.0.0.1, so
the figures are an upper bound for the same CPU; a real server with fsync on is slower per
commit and has its own cores. Not a test: it prints a table.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make `tests.support` importable

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.pool import NullPool  # noqa: E402

from spasm_edu.results import PendingAttempt, ResultsStore, new_learner_id  # noqa: E402
from tests.support.postgres import start_pg_server  # noqa: E402

# A student checks about one answer every 20 s while working through a lesson.
STUDENT_ANSWERS_PER_SECOND = 1 / 20


def writer(url: str, seconds: float, go: mp.synchronize.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    """Save answers for `seconds` after `go`; put (count, per-save latencies) on `out`."""
    store = ResultsStore(url)
    learner = new_learner_id()
    store.register_learner(learner, class_code="BENCH")
    latencies: list[float] = []
    go.wait()
    end = time.perf_counter() + seconds
    n = 0
    while (now := time.perf_counter()) < end:
        store.save(
            PendingAttempt(
                learner_id=learner,
                lesson_id="what-is-a-back-spasm",
                question_id=f"q{n % 5}",
                answer="b",
                correct=n % 2 == 0,
                class_code="BENCH",
            )
        )
        latencies.append(time.perf_counter() - now)
        n += 1
    store.close()
    out.put((n, latencies))


def run(url: str, writers: int, seconds: float) -> tuple[float, float, float]:
    """Total answers per second, median and p95 save latency (ms) for `writers` at once."""
    ctx = mp.get_context("spawn")
    go, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=writer, args=(url, seconds, go, out)) for _ in range(writers)]
    for proc in procs:
        proc.start()
    time.sleep(2 + writers * 0.1)  # let every writer import and connect before the start
    go.set()
    results = [out.get(timeout=seconds + 300) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    total = sum(n for n, _ in results)
    latencies = sorted(x for _, lat in results for x in lat)
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0.0
    median = statistics.median(latencies) if latencies else 0.0
    return total / seconds, 1000 * median, 1000 * p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 5, 20, 60])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()

    admin, pg_ctl, _options, base = start_pg_server()
    try:
        engine = create_engine(admin, poolclass=NullPool, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text('CREATE DATABASE "bench"'))
        engine.dispose()
        url = admin.set(database="bench").render_as_string(hide_password=False)
        ResultsStore(url).migrate()
        print(
            f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}; load average at start "
            f"{[round(x, 1) for x in os.getloadavg()]}"
        )
        print(f"{args.seconds:.0f} s per row; every writer a process with its own connection.\n")
        print(
            "| writers | answers/s (all) | per writer | save median ms | save p95 ms | "
            "students this rate serves (1 answer / 20 s each) |"
        )
        print("| ---: | ---: | ---: | ---: | ---: | ---: |")
        for n in args.writers:
            rate, median, p95 = run(url, n, args.seconds)
            print(
                f"| {n} | {rate:.0f} | {rate / n:.1f} | {median:.1f} | {p95:.1f} | "
                f"{rate / STUDENT_ANSWERS_PER_SECOND:,.0f} |",
                flush=True,
            )
        print(f"\nload average at end {[round(x, 1) for x in os.getloadavg()]}")
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "stop"], capture_output=True, timeout=60, check=False
        )
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
