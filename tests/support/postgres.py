"""A throwaway PostgreSQL server for the store tests (Debian's, run as user postgres)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from tests.support.servers import free_port

PG_URL_ENV = "SPASM_EDU_TEST_PG_URL"
PG_BIN_ENV = "SPASM_EDU_TEST_PG_BIN"


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


def run(cmd: list[str], what: str, log: Path | None = None) -> None:
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
    port = free_port()
    # initdb and postgres refuse to run as root: run them as user postgres, owning the dir.
    as_user: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(base, user="postgres", group="postgres")
        as_user = ["runuser", "-u", "postgres", "--"]
    pg_ctl = [*as_user, str(bindir / "pg_ctl"), "-D", str(datadir)]
    # fsync off: a throwaway server, and the tests are about behaviour, not durability.
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
    try:
        run(
            [*as_user, str(bindir / "initdb"), "-D", str(datadir), "-A", "trust", "-U", "postgres"],
            "initialise",
        )
        run([*pg_ctl, "-o", options, "-l", str(log), "-w", "start"], "start", log)
    except BaseException:
        shutil.rmtree(base, ignore_errors=True)
        raise
    url = URL.create(
        "postgresql+psycopg", username="postgres", host="127.0.0.1", port=port, database="postgres"
    )
    return url, pg_ctl, options, base
