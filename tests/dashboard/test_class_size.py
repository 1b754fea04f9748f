"""`spasm-edu serve --class-size`: warm pages, a polite busy page at the cap, kernels freed;
and the server without a class: a warm kernel per page by default, none with --warm 0."""

from __future__ import annotations

import json
import re
import shutil
import socket
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.support.servers import ROOT, start_server, stop

pytestmark = pytest.mark.dashboard

START = "00-start-here.ipynb"
LESSON = "01-what-is-a-back-spasm.ipynb"
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
MAX_KERNELS = 7  # 3 warm kernels each for the start page and the lesson, room for one more


class Server:
    """`spasm-edu serve` (started by the suite's start_server) and its warm pools."""

    def __init__(
        self, tmp: Path, extra_args: Sequence[str] = (), env: dict[str, str] | None = None
    ) -> None:
        self.log = tmp / "server.log"
        self.proc, self.base = start_server(tmp, extra_args, env)

    def status(self) -> dict[str, Any]:
        return dict(requests.get(f"{self.base}/spasm-edu/status", timeout=10).json())

    def wait_until(
        self, what: str, ok: Callable[[dict[str, Any]], bool], timeout: float = 120
    ) -> dict[str, Any]:
        """Poll the status page until `ok(status)`; return that status, or fail saying `what`."""
        deadline = time.monotonic() + timeout
        status: dict[str, Any] = {}
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text(errors="replace")[-3000:]
            try:
                status = self.status()
            except requests.RequestException:
                status = {}
            if status and ok(status):
                return status
            time.sleep(0.2)  # polling a condition: the server's status says so
        pytest.fail(
            f"{what}: not within {timeout:.0f} s (status {status}):\n"
            f"{self.log.read_text(errors='replace')[-3000:]}",
            pytrace=False,
        )

    def wait_pools_full(self, timeout: float = 180) -> None:
        self.wait_until("pool warm", lambda s: bool(s["pools_full"]), timeout)

    def stop(self) -> None:
        stop(self.proc)


@pytest.fixture(scope="module")
def class_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    server = Server(
        tmp_path_factory.mktemp("class"),
        ["--class-size", "3", "--class-page", START, "--class-page", LESSON],
        env={"SPASM_EDU_MAX_KERNELS": str(MAX_KERNELS)},
    )
    try:
        server.wait_pools_full()
        yield server
    finally:
        server.stop()


def _open(session: requests.Session, base: str, notebook: str) -> requests.Response:
    return session.get(f"{base}/voila/render/{notebook}", timeout=120)


def _release(session: requests.Session, base: str, response: requests.Response) -> int:
    """The page's own shutdown request: the _xsrf cookie the page set, sent back as a field."""
    found = KERNEL_ID.search(response.text)
    if not found:
        return 0
    token = session.cookies.get("_xsrf", "")
    return session.post(
        f"{base}/voila/api/shutdown/{found.group(1)}", data={"_xsrf": token}, timeout=30
    ).status_code


def _widget_state(base: str, kernel_id: str) -> str:
    """The page's widget state, fetched as the page does (ipywidgets' control comm)."""
    import websocket  # websocket-client, a test dependency

    ws = websocket.create_connection(
        f"{base.replace('http', 'ws', 1)}/api/kernels/{kernel_id}/channels"
        f"?session_id={uuid.uuid4()}",
        timeout=60,
    )
    try:
        comm = uuid.uuid4().hex
        for msg_type, content, metadata in (
            (
                "comm_open",
                {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                {"version": "1.0.0"},
            ),
            ("comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, {}),
        ):
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": uuid.uuid4().hex,
                            "username": "",
                            "msg_type": msg_type,
                            "session": uuid.uuid4().hex,
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": metadata,
                        "content": content,
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
        while True:
            frame = ws.recv()
            if isinstance(frame, str):
                msg = json.loads(frame)
                data = msg.get("content", {}).get("data", {})
                if msg.get("msg_type") == "comm_msg" and data.get("method") == "update_states":
                    return json.dumps(data["states"])
    finally:
        ws.close()


def _assert_lesson_knows_its_visitor(base: str) -> None:
    """Open the lesson with a learner id, see the id in its widget state, close the page."""
    learner = uuid.uuid4().hex
    with requests.Session() as session:
        page = session.get(f"{base}/voila/render/{LESSON}?learner={learner}", timeout=120)
        assert page.status_code == 200
        found = KERNEL_ID.search(page.text)
        assert found
        assert f"learner={learner}" in _widget_state(base, found.group(1))
        assert _release(session, base, page) == 204


def test_warm_lesson_knows_its_visitor(class_server: Server) -> None:
    # A warm kernel ran the lesson before anyone asked for it; it must still get the
    # visitor's address (and learner id), and asking twice for it must not hang the page.
    _assert_lesson_knows_its_visitor(class_server.base)


def test_warm_page_and_cold_page_work(class_server: Server) -> None:
    with requests.Session() as session:
        start = _open(session, class_server.base, START)
        assert start.status_code == 200
        assert KERNEL_ID.search(start.text)
        assert "application/vnd.jupyter.widget-view+json" in start.text
        assert "Traceback" not in start.text
        # The page sets the _xsrf cookie, so its shutdown request on closing is accepted
        # (Voilà 0.5.13 alone answers 403: voila-dashboards/voila#1458).
        assert session.cookies.get("_xsrf")
        assert _release(session, class_server.base, start) == 204
        cold = _open(session, class_server.base, "02-causes.ipynb")  # no warm kernel
        assert cold.status_code == 200
        assert "application/vnd.jupyter.widget-view+json" in cold.text
        assert _release(session, class_server.base, cold) == 204


def test_busy_page_above_the_kernel_cap(class_server: Server) -> None:
    kept: list[requests.Response] = []
    with requests.Session() as session:
        try:
            busy = None
            for _ in range(MAX_KERNELS + 3):
                response = _open(session, class_server.base, "02-causes.ipynb")
                if response.status_code == 503:
                    busy = response
                    break
                assert response.status_code == 200
                kept.append(response)
            assert busy is not None, "no busy page although the kernel cap was passed"
            assert int(class_server.status()["kernels"]) <= MAX_KERNELS
            assert busy.headers["Retry-After"] == "60"
            assert "The server is busy" in busy.text
            assert "try again in a minute" in busy.text
            assert 'href="/voila/render/02-causes.ipynb"' in busy.text
            assert "Traceback" not in busy.text
            # The server stays up, and a warm kernel is still given out at the cap.
            assert class_server.status()["max_kernels"] == MAX_KERNELS
            warm = _open(session, class_server.base, START)
            assert warm.status_code == 200
            kept.append(warm)
        finally:
            for response in kept:
                _release(session, class_server.base, response)


def test_kernels_are_given_back_and_nothing_failed(class_server: Server) -> None:
    class_server.wait_until(
        "kernels back to the two warm pools", lambda s: int(s["kernels"]) <= 6, timeout=60
    )
    assert class_server.proc.poll() is None
    log = class_server.log.read_text(errors="replace")
    assert "Traceback" not in log
    assert "ready for a class of 3" in log
    assert "request never arrived" not in log


def test_class_config_sizes_pools_and_cap() -> None:
    from spasm_edu.voila.config import START_PAGE, class_config

    pages = [START_PAGE, LESSON, "02-causes.ipynb", "educator.ipynb"]
    cfg = class_config(
        60, pages, class_pages=[START_PAGE, LESSON], available_mb=100_000, cpus=2, environ={}
    )
    assert cfg.pools == {START_PAGE: 60, LESSON: 60, "02-causes.ipynb": 3}
    assert cfg.max_kernels == 60 + 123 + 30  # students, warm kernels, a margin
    assert cfg.max_waiting_starts == 20
    assert cfg.cull_idle_seconds == 600
    # Little free memory: the cap follows it (80% of it at 80 MB a kernel).
    assert class_config(60, pages, available_mb=4000, environ={}).max_kernels == 40
    small = class_config(
        3, pages, environ={"SPASM_EDU_MAX_KERNELS": "5", "SPASM_EDU_CULL_IDLE_SECONDS": "90"}
    )
    assert small.pools == {START_PAGE: 3}
    assert small.max_kernels == 5
    assert small.cull_idle_seconds == 90
    with pytest.raises(ValueError, match="no such page"):
        class_config(10, pages, class_pages=["99-missing.ipynb"])
    # A moved notebook's old name (a teacher's habit) names its new page.
    moved = class_config(
        10, [*pages, "09-final-quiz.ipynb"], class_pages=["08-final-quiz.ipynb"], cpus=2
    )
    assert moved.pools["09-final-quiz.ipynb"] == 10
    with pytest.raises(ValueError, match="at least 1"):
        class_config(0, pages)


def test_class_config_with_forked_kernels() -> None:
    from spasm_edu.voila.config import START_PAGE, class_config

    pages = [START_PAGE, LESSON, "02-causes.ipynb", "educator.ipynb"]
    cfg = class_config(60, pages, available_mb=100_000, cpus=2, environ={}, fork=True)
    assert cfg.pools == {START_PAGE: 60, LESSON: 1, "02-causes.ipynb": 1}
    assert cfg.follow_presenter
    assert cfg.max_waiting_starts == 120  # two classes' worth of cheap starts wait, not 20
    assert (cfg.cold_start_concurrency, cfg.refill_concurrency) == (6, 6)
    assert cfg.max_kernels == 60 + 62 + 30 + 120  # and room for the lesson on the projector
    # The cap plans at 40 MB a forked kernel (80 MB a started one).
    assert class_config(60, pages, available_mb=4000, environ={}, fork=True).max_kernels == 80
    # A tiny class: no warm kernel on other pages (as before).
    assert LESSON not in class_config(3, pages, environ={}, fork=True).pools
    # The class page's pool is for the arrival: then two stay warm for late students.
    assert (cfg.arrival_pages, cfg.after_arrival) == ((START_PAGE,), 2)
    named = class_config(60, pages, class_pages=[LESSON], environ={}, fork=True)
    assert named.arrival_pages == (LESSON,)
    assert class_config(60, pages, available_mb=100_000, environ={}).arrival_pages == ()


def test_solo_config_warms_every_student_page() -> None:
    from spasm_edu.voila.config import EDUCATOR_PAGE, START_PAGE, solo_config

    pages = [START_PAGE, LESSON, "02-causes.ipynb", EDUCATOR_PAGE]
    cfg = solo_config(pages, available_mb=100_000, cpus=2, environ={})
    assert cfg.pools == dict.fromkeys(pages, 1)
    assert cfg.size == 0
    assert cfg.max_kernels == 100_000 * 8 // 10 // 80  # only memory limits it
    assert (cfg.refill_concurrency, cfg.refill_quiet_seconds) == (1, 0.5)  # no bursts to wait out
    assert solo_config(pages, 2, available_mb=100, environ={}).max_kernels == 12  # pools + 4
    with pytest.raises(ValueError, match="at least 1"):
        solo_config(pages, 0)


def test_cold_server_pages_know_their_visitor(tmp_path: Path) -> None:
    # --warm 0: a kernel starts when the page is opened (the request is known at once).
    server = Server(tmp_path, ["--warm", "0"])
    try:
        _assert_lesson_knows_its_visitor(server.base)
        # No pool, and the closed page gave its kernel back.
        assert server.status() == {"kernels": 0}
    finally:
        server.stop()
    log = server.log.read_text(errors="replace")
    assert "warming" not in log
    assert "Traceback" not in log


def test_default_server_warms_every_page(tmp_path: Path) -> None:
    # The culler runs every second here, also while the warm kernels start (jupyter_server
    # logged a TraitError traceback for a kernel without last_activity yet).
    server = Server(tmp_path, env={"SPASM_EDU_CULL_IDLE_SECONDS": "4"})
    try:
        server.wait_pools_full()
        _assert_lesson_knows_its_visitor(server.base)
        # Read before stopping: warm kernels stopped while they wait for a visitor may log
        # ipykernel's "Socket operation on non-socket" on their way out.
        log = server.log.read_text(errors="replace")
    finally:
        server.stop()
    assert "every page is ready" in log
    assert "Traceback" not in log


def _gate_notebook(folder: Path, gate: Path) -> str:
    """A page whose cell waits until `gate` exists: its visitors hold their turns meanwhile."""
    code = (
        "import pathlib, time\n"
        f"gate, deadline = pathlib.Path({str(gate)!r}), time.monotonic() + 120\n"
        "while not gate.exists() and time.monotonic() < deadline:\n"
        "    time.sleep(0.05)  # polling a condition: the test opens the gate\n"
        "print('through the gate')"
    )
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "gate",
                "metadata": {},
                "outputs": [],
                "source": code,
            }
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (folder / "gate.ipynb").write_text(json.dumps(nb))
    return "gate.ipynb"


def test_a_visitor_who_leaves_while_waiting_starts_no_kernel(tmp_path: Path) -> None:
    # A slow class page (every turn held until the gate opens), students who reload or
    # click twice while they wait: their turn must not start a kernel for a page nobody gets.
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(ROOT / "notebooks" / START, folder / START)
    gate = tmp_path / "gate-open"
    page = _gate_notebook(folder, gate)
    from spasm_edu.voila import zygote
    from spasm_edu.voila.config import class_config

    turns = class_config(3, [START, page], fork=zygote.supported()).cold_start_concurrency
    server = Server(tmp_path, ["--class-size", "3", "--notebooks", str(folder)])
    leavers: list[socket.socket] = []
    try:
        server.wait_pools_full()
        warm = int(server.status()["kernels"])
        url = f"{server.base}/voila/render/{page}"
        with ThreadPoolExecutor(turns) as pool:
            try:
                holders = [pool.submit(requests.get, url, timeout=180) for _ in range(turns)]
                server.wait_until(
                    "every turn held, its kernel started",
                    lambda s: s["kernels"] == warm + turns and s["cold_waiting"] == 0,
                )
                host, port = server.base.removeprefix("http://").split(":")
                for _ in range(3):
                    leaver = socket.create_connection((host, int(port)), timeout=30)
                    request = f"GET /voila/render/{page} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n"
                    leaver.sendall(request.encode())
                    leavers.append(leaver)
                server.wait_until("three waiting for a turn", lambda s: s["cold_waiting"] == 3)
                for leaver in leavers:
                    leaver.close()
                server.wait_until("three gone", lambda s: s["left_waiting"] == 3)
            finally:
                gate.touch()  # also when the test fails: the held pages end at once
            pages = [holder.result() for holder in holders]
        assert [p.status_code for p in pages] == [200] * turns
        assert all("through the gate" in p.text for p in pages)
        after = server.wait_until("every visit answered", lambda s: s["visits_in_flight"] == 0)
        assert after["kernels"] == warm + turns  # none started for the three who left
        assert after["left_waiting"] == 3
        log = server.log.read_text(errors="replace")
    finally:
        for leaver in leavers:
            leaver.close()
        server.stop()
    assert "Traceback" not in log
