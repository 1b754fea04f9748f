"""Fixtures for the JupyterHub tests: one throwaway PostgreSQL server, a database per hub."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.pool import NullPool

from tests.support.postgres import start_pg_server


@pytest.fixture(scope="session")
def hub_pg_admin() -> Iterator[URL]:
    """A PostgreSQL server on 127.0.0.1 for the hubs' stores; stopped by pg_ctl at the end."""
    url, pg_ctl, _options, base = start_pg_server()
    try:
        yield url
    finally:
        subprocess.run(
            [*pg_ctl, "-m", "fast", "stop"], capture_output=True, timeout=60, check=False
        )
        shutil.rmtree(base, ignore_errors=True)


def new_database(admin_url: URL) -> str:
    """Create an empty database; return its URL (what SPASM_EDU_DATABASE_URL gets)."""
    name = f"hub_{uuid.uuid4().hex}"
    admin = create_engine(admin_url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return admin_url.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module")
def hub_db_url(hub_pg_admin: URL) -> str:
    """A fresh PostgreSQL database for one test module's hub."""
    return new_database(hub_pg_admin)
