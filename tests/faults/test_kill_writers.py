"""Writers killed mid-write, 300 times: no acknowledged attempt is lost, the file stays sound."""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import time
from pathlib import Path

from spasm_edu.results import PendingAttempt, ResultsStore

KILLS = 300
FIRST_WRITE_TIMEOUT = 60.0


def _writer(url: str, write_fd: int, worker: int) -> None:
    """Child process: save attempts forever, acknowledging each id only after commit."""
    store = ResultsStore(url)
    n = 0
    while True:
        n += 1
        question = f"w{worker}-q{n}"
        store.save(
            PendingAttempt(f"{worker:032x}", "causes", question, "a", True, class_code="KILL")
        )
        os.write(write_fd, (question + "\n").encode())


def test_kill_writers_mid_write(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'results.sqlite3'}"
    ResultsStore(url).migrate()
    rng = random.Random(1234)
    acknowledged: set[str] = set()
    started = time.perf_counter()
    for worker in range(KILLS):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: never returns to pytest
            os.close(read_fd)
            try:
                _writer(url, write_fd, worker)
            finally:
                os._exit(0)
        os.close(write_fd)
        # Wait for its first acknowledged write (however busy the machine is: a hang guard,
        # not a timing), then let it go on a little and kill it mid-flight.
        ready, _, _ = select.select([read_fd], [], [], FIRST_WRITE_TIMEOUT)
        first = os.read(read_fd, 4096) if ready else b""
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        assert first, f"writer {worker} saved nothing in {FIRST_WRITE_TIMEOUT:.0f} s"
        with os.fdopen(read_fd) as pipe:
            text = first.decode() + pipe.read()
            acknowledged.update(line for line in text.splitlines() if line)
    elapsed = time.perf_counter() - started

    conn = sqlite3.connect(tmp_path / "results.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = {row[0] for row in conn.execute("SELECT question_id FROM attempts")}
    finally:
        conn.close()
    lost = acknowledged - saved
    print(
        f"\n{KILLS} writers killed in {elapsed:.1f} s; {len(acknowledged)} attempts acknowledged, "
        f"{len(saved)} saved, {len(lost)} acknowledged but lost"
    )
    assert len(acknowledged) >= KILLS  # every writer wrote before it was killed
    assert not lost
