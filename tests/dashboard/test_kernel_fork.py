"""`spasm-edu serve` forks each page's kernel from the kernel template (voila/zygote.py): the
lesson works end to end in a forked kernel, students share nothing, a crashed kernel takes no
one else with it, idle kernels of crashed tabs are culled, a closed tab ends its process; and
`--no-fork` still starts kernels the usual way. Driven by the protocol client the benchmarks
use (benchmarks/voila_client.py), as test_tampering.py does."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests

from benchmarks.voila_client import (
    Visit,
    choice_index,
    close,
    find_question,
    release,
    request_states,
    visit,
)
from spasm_edu.results import ResultsStore
from tests.support.processes import pidfds
from tests.support.servers import start_server, stop

pytestmark = pytest.mark.dashboard

LESSON = "01-what-is-a-back-spasm.ipynb"
TEMPLATE = "spasm_edu.voila.zygote_main"
GUARD = 60.0  # seconds: hang guards, never speed requirements
CULL_SECONDS = 4


class Server:
    """A running `spasm-edu serve`, its results database and its log."""

    def __init__(self, tmp: Path, extra_args: list[str], env: dict[str, str]) -> None:
        self.proc, self.base = start_server(tmp, extra_args, env)
        self.db = tmp / "results.sqlite3"
        self.log = tmp / "server.log"

    def descendants(self) -> list[psutil.Process]:
        return list(psutil.Process(self.proc.pid).children(recursive=True))

    def _find(self, kernel_id: str) -> psutil.Process | None:
        for process in self.descendants():
            try:
                if f"kernel-{kernel_id}.json" in " ".join(process.cmdline()):
                    return process
            except psutil.NoSuchProcess:
                continue
        return None

    async def kernel_process(self, kernel_id: str) -> psutil.Process:
        """The kernel's process: the one whose command line names its connection file."""
        deadline = time.monotonic() + GUARD
        while (process := self._find(kernel_id)) is None:
            assert time.monotonic() < deadline, f"no process for {kernel_id}:\n{self.log_text()}"
            await asyncio.sleep(0.2)  # polling a condition: the kernel's process listed
        return process

    def known(self, kernel_id: str) -> bool:
        """The server still lists the kernel (GET /api/kernels/<id> is not 404)."""
        url = f"{self.base}/api/kernels/{kernel_id}"
        return requests.get(url, timeout=10).status_code != 404

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-5000:]


async def wait_for(check: Callable[[], bool], what: str, timeout: float = GUARD) -> None:
    """Poll `check` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        await asyncio.sleep(0.2)  # polling a condition: a kernel ending or forgotten


def ended(process: psutil.Process) -> bool:
    """The process has ended (a zombie counts: its parent reaps it in its own time)."""
    try:
        return not process.is_running() or process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def is_template(process: psutil.Process) -> bool:
    return TEMPLATE in " ".join(process.cmdline())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One forking server for the module; idle kernels of closed tabs culled after 4 s."""
    running = Server(
        tmp_path_factory.mktemp("fork"), [], {"SPASM_EDU_CULL_IDLE_SECONDS": str(CULL_SECONDS)}
    )
    try:
        yield running
    finally:
        stop(running.proc)


async def open_page(base: str, learner: str, *, answer: bool) -> Visit:
    """A student's lesson page, kept open (its websocket stays connected). A kept page's
    connection belongs to the event loop that opened it: each test is one asyncio.run."""
    v = await visit(base, LESSON, learner=learner, answer=answer, leave="keep", timeout=GUARD)
    assert v.ok, v.status
    return v


async def states_of(v: Visit) -> dict[str, Any]:
    assert v.connection is not None
    msg = await request_states(v.connection, GUARD)
    states: dict[str, Any] = msg["content"]["data"]["states"]
    return states


async def answer_right(v: Visit) -> str:
    """Answer the page's first single-choice question right on its open connection; return
    the feedback the kernel sends back (HTML)."""
    kernel = v.connection
    assert kernel is not None
    states = await states_of(v)
    found = find_question(states)
    assert found is not None
    radio, check, feedback, card_html = found
    labels = list(states[radio]["state"]["_options_labels"])
    update = {"method": "update", "state": {"index": choice_index(labels, card_html)}}
    _, picked = kernel.send(
        "comm_msg", {"comm_id": radio, "data": {**update, "buffer_paths": []}}, idle=True
    )
    assert picked is not None
    await asyncio.wait_for(picked, GUARD)
    shown = kernel.watch(
        lambda m: (
            m["content"].get("comm_id") == feedback
            and "spasm-feedback-" in str(m["content"]["data"].get("state", {}).get("value", ""))
        )
    )
    kernel.send(
        "comm_msg",
        {"comm_id": check, "data": {"method": "custom", "content": {"event": "click"}}},
    )
    msg = await asyncio.wait_for(shown, GUARD)
    return str(msg["content"]["data"]["state"]["value"])


def attempts(db: Path, learner: str) -> list[tuple[str, bool]]:
    store = ResultsStore(f"sqlite:///{db}")
    return [(a.question_id, a.correct) for a in store.attempts_for_learner(learner)]


async def saved(db: Path, learner: str) -> list[bool]:
    """Whether each saved answer of `learner` was right, once one is saved: the kernel sends
    the feedback first and saves the answer right after."""
    await wait_for(lambda: bool(attempts(db, learner)), "the answer saved")
    return [ok for _, ok in attempts(db, learner)]


def test_a_lesson_runs_in_a_forked_kernel(server: Server) -> None:
    learner = uuid.uuid4().hex

    async def scenario() -> None:
        v = await open_page(server.base, learner, answer=True)
        try:
            assert v.verdict == "right" and v.learner_seen is True
            kernel = await server.kernel_process(v.kernel_id)
            template = psutil.Process(kernel.ppid())
            assert is_template(template), template.cmdline()
            assert template.ppid() == server.proc.pid
            assert "-m ipykernel_launcher" in " ".join(kernel.cmdline())
            assert await saved(server.db, learner) == [True]
        finally:
            await release(server.base, v)

    asyncio.run(scenario())


def test_a_page_closed_the_moment_its_feedback_came_keeps_the_answer(server: Server) -> None:
    # The kernel sends the feedback, then saves; a closing page's shutdown interrupts the
    # kernel first (jupyter_client), and that interrupt ended the save (2-3 pages in 10).
    learners = [uuid.uuid4().hex for _ in range(6)]

    async def scenario() -> None:
        for learner in learners:
            v = await visit(server.base, LESSON, learner=learner, answer=True, timeout=GUARD)
            assert v.ok and v.verdict == "right", v.status

    asyncio.run(scenario())
    for learner in learners:
        assert asyncio.run(saved(server.db, learner)) == [True], learner


def test_forked_kernels_print_no_console_note(server: Server) -> None:
    # ipykernel prints "Ctrl-C will not work ... --existing <file>" for a kernel it thinks was
    # started by hand, not by a server: ten lines in the server log per page view.
    async def scenario() -> None:
        await release(server.base, await open_page(server.base, uuid.uuid4().hex, answer=False))

    asyncio.run(scenario())
    assert "Ctrl-C will not work" not in server.log.read_text(errors="replace")


def test_two_students_share_nothing(server: Server) -> None:
    a_id, b_id = uuid.uuid4().hex, uuid.uuid4().hex

    async def scenario() -> None:
        a = await open_page(server.base, a_id, answer=False)
        b = await open_page(server.base, b_id, answer=False)
        try:
            assert "spasm-feedback-right" in await answer_right(a)
            b_states = await states_of(b)
            assert a.kernel_id != b.kernel_id
            a_proc = await server.kernel_process(a.kernel_id)
            b_proc = await server.kernel_process(b.kernel_id)
            assert a_proc.pid != b_proc.pid
            assert a_proc.ppid() == b_proc.ppid() and is_template(psutil.Process(a_proc.ppid()))
            # B's page shows nothing of A's answer: no choice picked, no feedback.
            found = find_question(b_states)
            assert found is not None
            radio, _check, feedback, _html = found
            assert b_states[radio]["state"].get("index") is None
            assert "spasm-feedback-" not in str(b_states[feedback]["state"].get("value", ""))
            # A's answer is stored as A's only.
            assert await saved(server.db, a_id) == [True]
            assert attempts(server.db, b_id) == []
        finally:
            await release(server.base, a)
            await release(server.base, b)

    asyncio.run(scenario())


def test_a_crashed_kernel_takes_no_other_student(server: Server) -> None:
    a_id, b_id = uuid.uuid4().hex, uuid.uuid4().hex

    async def scenario() -> None:
        a = await open_page(server.base, a_id, answer=False)
        b = await open_page(server.base, b_id, answer=False)
        try:
            a_proc = await server.kernel_process(a.kernel_id)
            (fd,) = [fd for fd, pid in pidfds(server.proc.pid).items() if pid == a_proc.pid]
            os.kill(a_proc.pid, signal.SIGKILL)
            await wait_for(lambda: ended(a_proc), "the killed kernel ends")
            # The server notices (through the kernel's pidfd) and forgets the kernel, and
            # closes that pidfd (a class with many crashes must not run out of files).
            await wait_for(lambda: not server.known(a.kernel_id), "the dead kernel forgotten")
            await wait_for(
                lambda: pidfds(server.proc.pid).get(fd) not in (a_proc.pid, -1),
                "the server closes the dead kernel's pidfd",
                10,
            )
            # B's page, still open on its own kernel, answers as before.
            assert server.known(b.kernel_id)
            assert "spasm-feedback-right" in await answer_right(b)
            assert await saved(server.db, b_id) == [True]
            assert attempts(server.db, a_id) == []
        finally:
            close(a)
            await release(server.base, b)

    asyncio.run(scenario())


def test_the_culler_ends_a_crashed_tabs_forked_kernel(server: Server) -> None:
    async def scenario() -> None:
        v = await open_page(server.base, uuid.uuid4().hex, answer=True)
        process = await server.kernel_process(v.kernel_id)
        assert is_template(psutil.Process(process.ppid()))
        close(v)  # the tab crashed: its websocket is gone, no shutdown request was sent
        await wait_for(lambda: not server.known(v.kernel_id), "the idle kernel culled")
        await wait_for(lambda: ended(process), "the culled kernel's process ends")

    asyncio.run(scenario())


def test_closing_the_page_ends_its_forked_kernel(server: Server) -> None:
    async def scenario() -> None:
        v = await open_page(server.base, uuid.uuid4().hex, answer=False)
        process = await server.kernel_process(v.kernel_id)
        assert is_template(psutil.Process(process.ppid()))
        code = await release(server.base, v)
        assert code in (200, 204), code
        await wait_for(lambda: ended(process), "the kernel of a closed page ends")
        assert not server.known(v.kernel_id)

    asyncio.run(scenario())


def test_no_fork_starts_kernels_the_usual_way(tmp_path: Path) -> None:
    running = Server(tmp_path, ["--no-fork", "--warm", "0"], {})
    learner = uuid.uuid4().hex

    async def scenario() -> None:
        v = await open_page(running.base, learner, answer=True)
        try:
            assert v.verdict == "right"
            kernel = await running.kernel_process(v.kernel_id)
            assert kernel.ppid() == running.proc.pid
            assert not [p for p in running.descendants() if is_template(p)]
            assert await saved(running.db, learner) == [True]
        finally:
            await release(running.base, v)
        await wait_for(lambda: ended(kernel), "the kernel of a closed page ends")

    try:
        asyncio.run(scenario())
    finally:
        stop(running.proc)


def test_a_cold_pages_kernel_is_known_to_the_server_when_the_page_asks(tmp_path: Path) -> None:
    """Without warm kernels, each page's kernel is forked and its notebook run at once. The
    server's activity watcher must have seen it by then (ready_client.py, and the provisioner
    waiting for the kernel's sockets): a kernel still "starting" in the server's model makes
    the page's websocket wait half a second for jupyter_server's second nudge."""
    running = Server(tmp_path, ["--warm", "0"], {})

    async def scenario() -> list[str]:
        states = []
        for _ in range(4):
            v = await open_page(running.base, uuid.uuid4().hex, answer=False)
            states.append(v.kernel_state)
            kernel = await running.kernel_process(v.kernel_id)
            assert is_template(psutil.Process(kernel.ppid()))
            await release(running.base, v)
        return states

    try:
        states = asyncio.run(scenario())
    finally:
        stop(running.proc)
    assert states and all(state in ("idle", "busy") for state in states), states


def test_stopping_the_server_ends_the_template_and_its_kernels(tmp_path: Path) -> None:
    running = Server(tmp_path, ["--warm", "0"], {})

    async def scenario() -> tuple[psutil.Process, psutil.Process]:
        v = await open_page(running.base, uuid.uuid4().hex, answer=False)
        close(v)
        kernel = await running.kernel_process(v.kernel_id)
        template = psutil.Process(kernel.ppid())
        assert is_template(template)
        return kernel, template

    try:
        kernel, template = asyncio.run(scenario())
    finally:
        running.proc.send_signal(signal.SIGTERM)  # Voilà shuts its kernels down on SIGTERM
        try:
            running.proc.wait(GUARD)
        except subprocess.TimeoutExpired:
            stop(running.proc)

    async def gone() -> None:
        await wait_for(lambda: ended(kernel), "the kernel ends with the server")
        await wait_for(lambda: ended(template), "the template ends with the server")

    asyncio.run(gone())


def test_the_lesson_on_the_projector_is_warmed_for_the_class(tmp_path: Path) -> None:
    """A class of 2: the educator opens a lesson nobody named as the presentation; the server
    warms a kernel per student for it, a student's visit takes one (not refilled), and when
    the educator moves on, the next lesson is warmed and the first goes back to no pool."""
    running = Server(tmp_path, ["--class-size", "2"], {})
    lesson, later = "02-causes.ipynb", "03-risk-factors.ipynb"

    def status() -> dict[str, Any]:
        return dict(requests.get(f"{running.base}/spasm-edu/status", timeout=30).json())

    def ready(notebook: str) -> int:
        return int(status()["pools"].get(notebook, {}).get("ready", 0))

    async def scenario() -> None:
        await wait_for(lambda: bool(status()["pools_full"]), "the class server is ready")
        assert lesson not in status()["pools"]  # a class of 2 warms no other page
        presenter = requests.get(f"{running.base}/voila/render/{lesson}?present=1", timeout=GUARD)
        assert presenter.status_code == 200
        assert status()["on_projector"] == lesson
        await wait_for(lambda: ready(lesson) >= 2, "a warm kernel per student of the lesson")
        v = await visit(running.base, lesson, learner=uuid.uuid4().hex, leave="keep", timeout=GUARD)
        try:
            assert v.ok, v.status
            assert v.verdict == "right"
            assert status()["pools"][lesson]["size"] == 2  # the student took one: no refill
            requests.get(f"{running.base}/voila/render/{later}?present=1", timeout=GUARD)
            assert status()["on_projector"] == later
            assert status()["pools"].get(lesson, {}).get("size", 0) == 0  # not refilled
            await wait_for(lambda: ready(later) >= 2, "the next lesson is warmed")
        finally:
            await release(running.base, v)
        log = running.log.read_text(errors="replace")  # before the server stops its kernels
        assert "Traceback" not in log, log[-6000:]

    try:
        asyncio.run(scenario())
    finally:
        stop(running.proc)


def test_the_start_page_is_warmed_for_the_class_to_arrive_once(tmp_path: Path) -> None:
    """A class of 3 arrives on the start page: each student takes a warm kernel and the pool
    is lowered, not refilled to 3, down to the 2 kept for late students."""
    running = Server(tmp_path, ["--class-size", "3"], {})
    start = "00-start-here.ipynb"

    def pool() -> dict[str, int]:
        reply = requests.get(f"{running.base}/spasm-edu/status", timeout=30).json()
        return dict(reply["pools"][start])

    async def scenario() -> None:
        await wait_for(lambda: pool() == {"size": 3, "ready": 3}, "the class page is warm")
        visits = []
        try:
            for expected in (2, 2):
                v = await visit(running.base, start, answer=False, leave="keep", timeout=GUARD)
                visits.append(v)
                assert v.ok, v.status
                assert pool()["size"] == expected
            await wait_for(lambda: pool() == {"size": 2, "ready": 2}, "2 warm for late students")
        finally:
            for v in visits:
                await release(running.base, v)
        log = running.log.read_text(errors="replace")
        assert "Traceback" not in log, log[-6000:]

    try:
        asyncio.run(scenario())
    finally:
        stop(running.proc)
