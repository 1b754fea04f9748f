"""The lessons the way Binder and JupyterHub serve them: a plain Jupyter server, Voilà as its
extension, and the settings `binder/postBuild` writes (`spasm-edu jupyter-config`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect

from spasm_edu.voila import chunks
from spasm_edu.voila.config import TEMPLATE
from tests.support.servers import ROOT, free_port, is_answering, stop, wait_until_up
from tests.ui.quiz_driver import wait_rendered

pytestmark = pytest.mark.browser

TOKEN = "spasm-test-token"  # noqa: S105 - a loopback test server's token
START = "notebooks/00-start-here.ipynb"
LESSON = "notebooks/05-home-care.ipynb"


def _cli() -> list[str]:
    script = Path(sys.executable).with_name("spasm-edu")
    return [str(script)] if script.exists() else [sys.executable, "-m", "spasm_edu.cli"]


@pytest.fixture(scope="module")
def jupyter_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`jupyter server` in a copy of the repository's notebooks, configured as postBuild does."""
    tmp = tmp_path_factory.mktemp("plain-jupyter")
    shutil.copytree(ROOT / "notebooks", tmp / "repo" / "notebooks")
    config = tmp / "config"
    subprocess.run([*_cli(), "jupyter-config", str(config)], check=True, timeout=60)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),  # Binder's ~/.jupyter
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "SPASM_EDU_DATABASE_URL": f"sqlite:///{tmp / 'results.sqlite3'}",
    }
    env.pop("BROWSER", None)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={TOKEN}",
                f"--ServerApp.root_dir={tmp / 'repo'}",
                *(["--allow-root"] if os.geteuid() == 0 else []),  # CI runs as root
            ],
            cwd=tmp / "repo",
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        if not wait_until_up(proc, lambda: is_answering(base + "/")):
            pytest.fail(f"jupyter server did not start:\n{log_path.read_text()[-5000:]}")
        yield base
    finally:
        stop(proc)
    log = log_path.read_text(errors="replace")
    assert "spasm-edu: Voilà's page and shutdown handlers fixed" in log, log[-5000:]


def _kernels(base: str) -> list[str]:
    reply = requests.get(
        f"{base}/api/kernels", headers={"Authorization": f"token {TOKEN}"}, timeout=10
    )
    reply.raise_for_status()
    return [k["id"] for k in reply.json()]


def test_page_uses_our_template_and_shows_no_source(jupyter_server: str) -> None:
    before = set(_kernels(jupyter_server))
    with requests.Session() as session:
        reply = session.get(
            f"{jupyter_server}/voila/render/{START}",
            headers={"Authorization": f"token {TOKEN}"},
            timeout=120,
        )
        assert reply.status_code == 200, reply.text[-2000:]
        html = reply.text
        # Our template: the <main> landmark and the connection-lost watchdog, no CDN.
        assert '<main class="spasm-main">' in html
        assert "spasm-watchdog.js" in html
        assert "cdn.jsdelivr.net" not in html
        # Voilà's code chunks in one script, from this server's own route (chunks.py).
        assert f'src="/{chunks.URL_PATH}"' in html
        script = session.get(f"{jupyter_server}/{chunks.URL_PATH}", timeout=60)
        assert script.status_code == 200 and script.content == chunks.bundle_for(TEMPLATE).body
        # No source code, no traceback.
        assert "show_start" not in html and "import spasm_edu" not in html
        assert "Traceback" not in html
        # The cookie the page's shutdown request needs (voila#1458) is set by our extension.
        assert session.cookies.get("_xsrf")
        # The page's kernel is released the way the page does it (POST with the cookie).
        (kernel,) = set(_kernels(jupyter_server)) - before
        gone = session.post(
            f"{jupyter_server}/voila/api/shutdown/{kernel}",
            headers={"X-XSRFToken": session.cookies["_xsrf"]},
            timeout=30,
        )
        assert gone.status_code == 204, gone.text
        # Voilà's settings from voila.json: notebook files are not served to visitors.
        denied = session.get(
            f"{jupyter_server}/voila/files/{LESSON}",
            headers={"Authorization": f"token {TOKEN}"},
            timeout=10,
        )
        assert denied.status_code in (403, 404)


def test_closing_the_tab_frees_its_kernel(browser: Browser, jupyter_server: str) -> None:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(30_000)
    try:
        page = ctx.new_page()
        before = set(_kernels(jupyter_server))
        page.goto(f"{jupyter_server}/voila/render/{LESSON}?token={TOKEN}")
        wait_rendered(page, Path(LESSON).name)
        expect(page.locator("main.spasm-main")).to_have_count(1)
        mine = set(_kernels(jupyter_server)) - before
        assert len(mine) == 1, mine
        page.close(run_before_unload=True)
        deadline = time.monotonic() + 30
        while mine & set(_kernels(jupyter_server)) and time.monotonic() < deadline:
            time.sleep(0.2)  # polling a condition: the kernel gone
        assert not mine & set(_kernels(jupyter_server)), "the closed tab's kernel is still running"
    finally:
        ctx.close()


def test_moved_notebook_keeps_its_old_address(jupyter_server: str) -> None:
    """Our extension's route wins over Voilà's for a renamed notebook's old address (bookmarks),
    in the notebook's folder, with the query string (here the token) kept, login or not."""
    from spasm_edu.content.moved import MOVED_NOTEBOOKS

    for old, new in MOVED_NOTEBOOKS.items():
        for query in (f"?token={TOKEN}&learner=abc123", ""):
            reply = requests.get(
                f"{jupyter_server}/voila/render/notebooks/{old}{query}",
                allow_redirects=False,
                timeout=10,
            )
            assert reply.status_code == 301, (old, query, reply.status_code, reply.text[-500:])
            assert reply.headers["Location"] == f"/voila/render/notebooks/{new}{query}"
    # Followed, the old address shows the page under its new name.
    before = set(_kernels(jupyter_server))
    page = requests.get(f"{jupyter_server}/voila/render/notebooks/{old}?token={TOKEN}", timeout=120)
    try:
        assert page.status_code == 200, page.text[-2000:]
        assert page.url.endswith(f"/voila/render/notebooks/{new}?token={TOKEN}")
        assert '<main class="spasm-main">' in page.text
    finally:
        for kernel in set(_kernels(jupyter_server)) - before:
            requests.delete(
                f"{jupyter_server}/api/kernels/{kernel}",
                headers={"Authorization": f"token {TOKEN}"},
                timeout=30,
            )
