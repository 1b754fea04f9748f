"""Fixtures for the results store: a fresh SQLite file and a real, throwaway PostgreSQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from spasm_edu.results import ResultsStore
from tests.support.postgres import PG_URL_ENV, start_pg_server


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that asks for a PostgreSQL database `postgres`: make test-fast leaves
    them out. (store_url marks its PostgreSQL half; a test calling start_pg_server() itself is
    marked where it is written.)"""
    for item in items:
        if {"pg_url", "pg_admin_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite URL for a file that does not exist yet."""
    return f"sqlite:///{tmp_path / 'results.sqlite3'}"


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[URL]:
    """URL of a PostgreSQL database allowed to CREATE DATABASE.

    ``$SPASM_EDU_TEST_PG_URL`` if set; otherwise a throwaway server started here and
    stopped at the end of the session. Fails (never skips) if no server can be had.
    """
    if os.environ.get(PG_URL_ENV):
        yield make_url(os.environ[PG_URL_ENV])
        return

    url, pg_ctl, _options, base = start_pg_server()
    try:
        yield url
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "stop"], capture_output=True, timeout=60, check=False
        )
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_admin_url: URL) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    name = f"t_{uuid.uuid4().hex}"
    admin = create_engine(pg_admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield pg_admin_url.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """A fresh database of each kind: a SQLite file, then a PostgreSQL database."""
    fixture = "sqlite_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(fixture))


@pytest.fixture
def store(store_url: str) -> Iterator[ResultsStore]:
    """A results store on a fresh database of each kind."""
    with ResultsStore(store_url) as s:
        yield s
