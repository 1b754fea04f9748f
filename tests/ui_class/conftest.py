"""Fixtures for the class features in a browser: a server with a passcode and its own database.

The root conftest's server has no educator passcode, so presenter and educator pages stay
locked there. This tier starts its own `spasm-edu serve --educator-passcode ... --db ...` and
opens pages of one Chromium (the root `browser` fixture) in separate contexts: one per person.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from spasm_edu.results import ResultsStore
from tests.conftest import ROOT, SERVER_START_TIMEOUT, _answers, _free_port, _serve_command, _stop
from tests.ui_class.class_driver import PASSCODE, ClassServer, People


@pytest.fixture(scope="session")
def class_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassServer]:
    """`spasm-edu serve --educator-passcode --db` on a free loopback port; stopped by PID."""
    tmp = tmp_path_factory.mktemp("class-voila")
    db_url = f"sqlite:///{tmp / 'class.sqlite3'}"
    env = {**os.environ, "SPASM_EDU_DATABASE_URL": db_url}
    env.pop("BROWSER", None)
    env.pop("SPASM_EDU_EDUCATOR_PASSCODE", None)  # only the command-line option counts
    log_path = tmp / "server.log"
    for _attempt in range(3):
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        command = [
            *_serve_command(port),
            "--db",
            str(tmp / "class.sqlite3"),
            "--educator-passcode",
            PASSCODE,
        ]
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while proc.poll() is None and time.monotonic() < deadline and not _answers(base + "/"):
            time.sleep(0.2)  # polling a condition: the server answering
        if proc.poll() is None and _answers(base + "/"):
            break
        _stop(proc)
        text = log_path.read_text(errors="replace")
        if "could not be started because no available port" in text or "in use" in text:
            continue  # another process took the port between our probe and Voilà's bind
        pytest.fail(
            f"spasm-edu serve did not answer at {base}/ (exit code {proc.returncode})."
            f"\nserver log:\n{text[-5000:]}",
            pytrace=False,
        )
    else:
        pytest.fail(
            "spasm-edu serve found no free port in 3 tries.\nserver log:\n"
            f"{log_path.read_text(errors='replace')[-5000:]}",
            pytrace=False,
        )
    try:
        yield ClassServer(base, db_url, PASSCODE)
    finally:
        _stop(proc)


@pytest.fixture(scope="session")
def class_store(class_server: ClassServer) -> Iterator[ResultsStore]:
    """The server's own results store, to register learners without a page view each."""
    store = ResultsStore(class_server.db_url)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def people(browser: Browser, class_server: ClassServer) -> Iterator[People]:
    """Opens pages for a test; fails it if any page had a script error or opened a dialog."""
    opened = People(browser, class_server)
    try:
        yield opened
        problems = [f"{w.page.url}: {e}" for w in opened.watched for e in w.errors + w.dialogs]
        if problems:
            pytest.fail(
                "script errors or dialogs on the pages:\n" + "\n".join(problems), pytrace=False
            )
    finally:
        opened.close()
