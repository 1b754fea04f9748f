"""Run deploy/jupyterhub/jupyterhub_config.py on loopback for the tests, and talk to the hub.

The config is the production file; the environment swaps in a shared-password (or LTI) authenticator,
local processes instead of containers, and loopback ports. configurable-http-proxy comes from
npm, pinned in deploy/jupyterhub/package-lock.json (`npm ci` on first use).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
import requests

from tests.support.servers import ROOT, free_port, stop, wait_until_up

DEPLOY = ROOT / "deploy" / "jupyterhub"
CONFIG = DEPLOY / "jupyterhub_config.py"
PROXY = DEPLOY / "node_modules" / ".bin" / "configurable-http-proxy"
HUB_START_TIMEOUT = 90.0


def ensure_proxy() -> Path:
    """configurable-http-proxy as package-lock.json pins it; installed with `npm ci` if missing."""
    if PROXY.exists():
        return PROXY
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("the hub tests need npm (make test installs nodejs and npm)", pytrace=False)
    done = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund"],
        cwd=DEPLOY,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0 or not PROXY.exists():
        pytest.fail(
            f"npm ci in {DEPLOY} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
            pytrace=False,
        )
    return PROXY


@dataclass
class Hub:
    """A running hub: its public address, process, folder and log."""

    base: str
    proc: subprocess.Popen[bytes]
    folder: Path
    log: Path
    env: dict[str, str]
    homes: Path

    def log_tail(self, chars: int = 6000) -> str:
        """The end of the hub's log (its proxy, culler and single-user servers log there too)."""
        return self.log.read_text(errors="replace")[-chars:]

    def api(self, path: str, token: str) -> requests.Response:
        """GET the hub's REST API with a token."""
        return requests.get(
            f"{self.base}/hub/api/{path}", headers={"Authorization": f"token {token}"}, timeout=30
        )


def course_dir(tmp: Path) -> Path:
    """The folder each server shows: a copy of the repository's notebooks under notebooks/."""
    course = tmp / "course"
    shutil.copytree(ROOT / "notebooks", course / "notebooks")
    return course


def start_hub(tmp: Path, env: dict[str, str]) -> Hub:
    """Start JupyterHub with the deployment's config in `tmp`; every port on 127.0.0.1."""
    ensure_proxy()
    port, hub_port, api_port = free_port(), free_port(), free_port()
    homes = Path(tempfile.mkdtemp(prefix="hub-"))
    full_env = {
        **os.environ,
        "SPASM_HUB_BIND_URL": f"http://127.0.0.1:{port}",
        "SPASM_HUB_INTERNAL_URL": f"http://127.0.0.1:{hub_port}",
        "SPASM_HUB_PROXY_API_URL": f"http://127.0.0.1:{api_port}",
        "SPASM_HUB_STATE_DIR": str(tmp),
        "SPASM_HUB_SPAWNER": "simple",
        # Short: kernels talk over IPC sockets in ~/.local/share/jupyter/runtime, and a
        # socket path may be at most 107 characters.
        "SPASM_HUB_HOME_TEMPLATE": str(homes / "{username}"),
        "SPASM_HUB_COURSE_DIR": str(course_dir(tmp)),
        # The venv's scripts first, as when the hub is started from an activated venv.
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        **env,
    }
    full_env.pop("BROWSER", None)
    log = tmp / "hub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG), "--debug"],
            cwd=tmp,
            env=full_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    hub = Hub(base, proc, tmp, log, full_env, homes)

    def up() -> bool:
        try:
            return requests.get(f"{base}/hub/api/", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    if not wait_until_up(proc, up, HUB_START_TIMEOUT):
        stop_hub(hub)
        pytest.fail(f"JupyterHub did not answer at {base}:\n{hub.log_tail()}", pytrace=False)
    return hub


def stop_hub(hub: Hub) -> None:
    """Stop the hub and everything it started (proxy, culler, single-user servers, kernels);
    fail if any of them is still running afterwards."""
    try:
        family = [hub.proc.pid, *(p.pid for p in psutil.Process(hub.proc.pid).children(True))]
    except psutil.NoSuchProcess:
        family = [hub.proc.pid]
    # The single-user servers run in sessions of their own: the hub stops them on SIGTERM,
    # and `stop` kills whatever of the family is left.
    stop(hub.proc)
    shutil.rmtree(hub.homes, ignore_errors=True)
    left = [pid for pid in family if psutil.pid_exists(pid) and _alive(pid)]
    assert not left, f"processes of the hub still running: {left}"


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
