"""Real servers for the tests: `spasm-edu serve` on a free loopback port, stopped by PID.

Also what the browser tiers share: Debian's Chromium and its flags, and releasing a page's kernel.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
# Playwright cannot download a browser here; these flags keep Debian's Chromium off the network
# (closed on this machine) and quiet. The resolver rule makes every name but loopback fail at
# once, so the pages never reach a CDN and the tests show what an offline classroom sees.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
SERVER_START_TIMEOUT = 60.0
KERNEL_WS = re.compile(r"/api/kernels/([0-9a-f-]{36})")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command(port: int) -> list[str]:
    # The console script next to this interpreter is what `make serve` runs; fall back to -m.
    script = Path(sys.executable).with_name("spasm-edu")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "spasm_edu.cli"]
    return [*head, "serve", "--host", "127.0.0.1", "--port", str(port), "--no-browser"]


def is_answering(url: str) -> bool:
    import requests

    try:
        requests.get(url, allow_redirects=False, timeout=2)
    except requests.RequestException:
        return False
    return True


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End the server's process group; then any kernel it started in a session of its own."""
    import psutil  # ipykernel depends on it, so it is in every venv that can serve

    try:
        kernels = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        kernels = []
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # Voilà shuts its kernels down on SIGTERM
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    _gone, alive = psutil.wait_procs(kernels, timeout=10)
    for child in alive:
        child.kill()


def wait_until_up(
    proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = SERVER_START_TIMEOUT
) -> bool:
    """Poll `ready()` until it holds, the process ends, or `timeout` passes; True if it is up."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline and not ready():
        time.sleep(0.2)  # polling a condition: the server answering
    return proc.poll() is None and ready()


def start_server(
    tmp: Path, extra_args: Sequence[str] = (), env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """Start `spasm-edu serve` on a free loopback port; return the process and its base URL.

    The results go to tmp/results.sqlite3 unless `env` says otherwise. Fails the test, with the
    server log, if it does not answer within SERVER_START_TIMEOUT; stop it with `stop`.
    """
    env = {
        **os.environ,
        "SPASM_EDU_DATABASE_URL": f"sqlite:///{tmp / 'results.sqlite3'}",
        **(env or {}),
    }
    env.pop("BROWSER", None)
    log_path = tmp / "server.log"
    for _attempt in range(3):
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [*serve_command(port), *extra_args],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        if wait_until_up(proc, lambda url=base + "/": is_answering(url)):
            return proc, base
        stop(proc)
        text = log_path.read_text(errors="replace")
        # Another process took the port between our probe and Voilà's bind: try a new one.
        if "could not be started because no available port" in text or "in use" in text:
            continue
        pytest.fail(
            f"spasm-edu serve did not answer at {base}/ within {SERVER_START_TIMEOUT:.0f} s "
            f"(exit code {proc.returncode}).\nserver log:\n{text[-5000:]}",
            pytrace=False,
        )
    pytest.fail(
        f"spasm-edu serve found no free port in 3 tries.\nserver log:\n"
        f"{log_path.read_text(errors='replace')[-5000:]}",
        pytrace=False,
    )


def release_kernel(base_url: str, kernel_id: str, request: Any) -> None:
    """Shut down a page's kernel: Voilà 0.5.13's own call on leaving a page fails (issue 1458).

    `request` is a requests.Session or a Playwright APIRequestContext. The _xsrf cookie that
    the shutdown POST needs is set by /voila/tree, so fetch that first.
    """
    import requests

    url = f"{base_url}/voila/api/shutdown/{kernel_id}"
    if isinstance(request, requests.Session):
        request.get(f"{base_url}/voila/tree", timeout=10)
        request.post(url, headers={"X-XSRFToken": request.cookies.get("_xsrf", "")}, timeout=30)
        return
    request.get(f"{base_url}/voila/tree")
    token = next(
        (c["value"] for c in request.storage_state()["cookies"] if c["name"] == "_xsrf"), ""
    )
    request.post(url, headers={"X-XSRFToken": token}, timeout=30_000)
