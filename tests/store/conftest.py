"""Fixtures for the results store: a fresh SQLite file and a real, throwaway PostgreSQL."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from spasm_edu.results import ResultsStore

PG_URL_ENV = "SPASM_EDU_TEST_PG_URL"
PG_BIN_ENV = "SPASM_EDU_TEST_PG_BIN"


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


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pg_bin_dir() -> Path:
    """Find initdb/pg_ctl: $SPASM_EDU_TEST_PG_BIN, Debian's newest, or the PATH."""
    if os.environ.get(PG_BIN_ENV):
        return Path(os.environ[PG_BIN_ENV])
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    pytest.fail(
        "PostgreSQL tests need a server: install PostgreSQL (initdb, pg_ctl), set "
        f"{PG_BIN_ENV} to its bin directory, or set {PG_URL_ENV} to a server URL.",
        pytrace=False,
    )


def _run(cmd: list[str], what: str, log: Path | None = None) -> None:
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    except (OSError, subprocess.TimeoutExpired) as err:
        pytest.fail(
            f"Could not {what} the test PostgreSQL server: {err}.\ncommand: {' '.join(cmd)}\n"
            f"Install PostgreSQL, set {PG_BIN_ENV} to its bin directory, "
            f"or set {PG_URL_ENV} to a server URL.",
            pytrace=False,
        )
    if result.returncode != 0:
        server_log = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
        pytest.fail(
            f"Could not {what} the test PostgreSQL server (exit {result.returncode}).\n"
            f"command: {' '.join(cmd)}\nstdout: {result.stdout}\nstderr: {result.stderr}\n"
            f"server log (tail):\n{server_log}",
            pytrace=False,
        )


def start_pg_server() -> tuple[URL, list[str], str, Path]:
    """Start a throwaway PostgreSQL on a free loopback port.

    Returns the admin URL, the `pg_ctl -D DIR` command to stop or start it again, the server
    options for a restart, and its folder (remove it when done). Fails, never skips.
    """
    bindir = _pg_bin_dir()
    # Not under pytest's tmp_path: its 0700 root-owned parents would lock out user postgres.
    base = Path(tempfile.mkdtemp(prefix="spasm-edu-pg-"))
    datadir, log = base / "data", base / "log"
    port = _free_port()
    # initdb and postgres refuse to run as root: run them as user postgres, owning the dir.
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres", group="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(datadir)]
    # fsync off: a throwaway server, and the tests are about behaviour, not durability.
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    try:
        _run(
            [*as_user, str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres"],
            "initialise",
        )
        _run([*pg_ctl, "-o", options, "-l", str(log), "-w", "start"], "start", log)
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    url = URL.create(
        "postgresql+psycopg", username="postgres", host="127.0.0.1", port=port, database="postgres"
    )
    return url, pg_ctl, options, base


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
