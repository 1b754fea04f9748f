"""Fixtures for the class features in a browser: a server with a passcode and its own database.

The root conftest's server has no educator passcode, so presenter and educator pages stay
locked there. This tier starts its own `spasm-edu serve --educator-passcode ... --db ...` and
opens pages of one Chromium (the root `browser` fixture) in separate contexts: one per person.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from spasm_edu.results import ResultsStore
from tests.support.servers import start_server, stop
from tests.ui_class.class_driver import PASSCODE, ClassServer, People


@pytest.fixture(scope="session")
def class_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassServer]:
    """`spasm-edu serve --educator-passcode --db` on a free loopback port; stopped by PID."""
    tmp = tmp_path_factory.mktemp("class-voila")
    db_url = f"sqlite:///{tmp / 'class.sqlite3'}"
    args = ["--db", str(tmp / "class.sqlite3"), "--educator-passcode", PASSCODE]
    # Only the command-line option counts, not a passcode left in the environment.
    proc, base = start_server(
        tmp, args, {"SPASM_EDU_DATABASE_URL": db_url, "SPASM_EDU_EDUCATOR_PASSCODE": ""}
    )
    try:
        yield ClassServer(base, db_url, PASSCODE)
    finally:
        stop(proc)


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
