"""The notebooks in a real JupyterLab: open a lesson, run all cells, take a quiz, light and dark.

`pip install 'spasm-edu[lab]'` promises this (README, "JupyterLab"). The server is `jupyter lab`
from this venv on a loopback port with a token, its own settings and a copy of the notebooks;
the axe-core scans cover the lesson's output only (JupyterLab's own UI is not ours to judge).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect
from quiz_driver import (
    RENDER_TIMEOUT_MS,
    ROOT,
    answer_for,
    card,
    check,
    expect_right,
    expect_wrong,
    fill_in,
    lesson_of,
)

from tests.support.servers import SERVER_START_TIMEOUT, free_port, stop, wait_until_up

pytestmark = pytest.mark.browser

LESSON = "01-what-is-a-back-spasm.ipynb"
OUTPUT = ".jp-OutputArea-output .spasm-page"
BLOCKING = ("serious", "critical")


@dataclass(frozen=True)
class Lab:
    """A running JupyterLab: its base URL and token."""

    base: str
    token: str

    def api(self, path: str) -> str:
        return f"{self.base}/api/{path}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"token {self.token}"}


def _lab_command(root: Path, port: int, token: str) -> list[str]:
    script = Path(sys.executable).with_name("jupyter-lab")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "jupyterlab"]
    return [
        *head,
        "--no-browser",
        "--ServerApp.open_browser=False",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        # Offline here and in many classrooms: no update check, no extension search on PyPI.
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        "--allow-root",  # test containers run as root; it changes nothing for anyone else
    ]


def _ready(lab: Lab) -> bool:
    try:
        return requests.get(lab.api("status"), headers=lab.headers, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    """`jupyter lab` on a free loopback port, serving a copy of the notebooks; stopped by PID."""
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "notebooks"
    root.mkdir()
    for notebook in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(notebook, root)
    # Settings, workspaces and config of its own: nothing from the developer's ~/.jupyter.
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "lab-settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "lab-workspaces"),
        "SPASM_EDU_DATABASE_URL": f"sqlite:///{tmp / 'results.sqlite3'}",
    }
    env.pop("BROWSER", None)
    # No "Would you like to get notified about Jupyter news?" toast over the lesson.
    notification = (
        tmp / "lab-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings"
    )
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    proc, lab = _start_lab(root, env, tmp / "lab.log")
    try:
        yield lab
    finally:
        try:
            if proc.poll() is None:
                _shut_kernels_down(lab)
        finally:
            stop(proc)


def _start_lab(
    root: Path, env: dict[str, str], log_path: Path
) -> tuple[subprocess.Popen[bytes], Lab]:
    """Start `jupyter lab` on a free port (a new one if another process took it first)."""
    for _attempt in range(3):
        lab = Lab(f"http://127.0.0.1:{free_port()}", secrets.token_hex(16))
        port = int(lab.base.rsplit(":", 1)[1])
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                _lab_command(root, port, lab.token),
                cwd=root,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        if wait_until_up(proc, lambda lab=lab: _ready(lab)):
            return proc, lab
        stop(proc)
        text = log_path.read_text(errors="replace")
        if "is already in use" not in text and "no available port" not in text:
            break
    pytest.fail(
        f"jupyter lab did not answer at {lab.base} within {SERVER_START_TIMEOUT:.0f} s "
        f"(exit code {proc.returncode}).\nlog:\n{log_path.read_text(errors='replace')[-5000:]}",
        pytrace=False,
    )


def _shut_kernels_down(lab: Lab) -> None:
    """Ask the server to shut down every kernel it runs (the lesson's, at least)."""
    try:
        kernels = requests.get(lab.api("kernels"), headers=lab.headers, timeout=10).json()
        for kernel in kernels:
            requests.delete(lab.api(f"kernels/{kernel['id']}"), headers=lab.headers, timeout=30)
    except requests.RequestException as exc:  # the process-group stop that follows ends them
        print(f"could not shut the JupyterLab kernels down: {exc}")


@pytest.fixture
def lab_page(browser: Browser, lab: Lab) -> Iterator[Page]:
    """A page in a fresh context; any uncaught script error on it fails the test."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(30_000)
    errors: list[str] = []
    pg = ctx.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield pg
    finally:
        ctx.close()
    if errors:
        pytest.fail("script errors in JupyterLab:\n" + "\n".join(errors), pytrace=False)


def _kernel_name(lab: Lab) -> str:
    """The display name of the notebooks' kernel (python3), as JupyterLab's status bar shows it."""
    specs = requests.get(lab.api("kernelspecs"), headers=lab.headers, timeout=10).json()
    return str(specs["kernelspecs"]["python3"]["spec"]["display_name"])


def _menu(page: Page, *path: str) -> None:
    """Click through JupyterLab's menu bar: a top menu, any submenus, then the item."""
    page.locator("#jp-MainMenu .lm-MenuBar-item", has_text=re.compile(f"^{path[0]}$")).click()
    for label in path[1:]:
        item = page.locator(".lm-Menu:visible .lm-Menu-item").filter(
            has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$"))
        )
        item.click()


def _scan_output(page: Page, label: str) -> list[str]:
    """axe-core on the lesson's output only; print every violation, return the blocking ones.

    Two things make axe-core measure nothing in JupyterLab unless they are handled. It counts
    every `overflow: hidden` ancestor as a clip, and JupyterLab's <body> is one with no height
    (CSS hands a body's overflow to the viewport, so it clips nothing on screen): give it the
    window's height. And in a scrolling panel it measures only what is in view: make the
    window as tall as the notebook for the scan.
    """
    viewport = page.viewport_size
    page.add_style_tag(content="body { height: 100vh; }")
    height = page.evaluate("document.querySelector('.jp-WindowedPanel-inner').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": int(height) + 200})
    page.wait_for_function(_NOTEBOOK_FITS)
    try:
        response = (
            Axe()
            .run(
                page,
                context=OUTPUT,
                options={"resultTypes": ["violations", "passes"]},
            )
            .response
        )
    finally:
        if viewport:
            page.set_viewport_size(viewport)
    # The scan did look at the whole lesson: contrast was measured from its first heading
    # down to the quiz feedback, not skipped as "off screen".
    measured = [
        str(n["target"])
        for r in response["passes"]
        if r["id"] == "color-contrast"
        for n in r["nodes"]
    ]
    print(f"{label}: contrast measured on {len(measured)} elements")
    first_heading = page.locator(f"{OUTPUT} .spasm-section h2").first.get_attribute("id")
    for part in (f"#{first_heading}", ".spasm-feedback-right"):
        assert any(part in target for target in measured), (
            f"{label}: no contrast measured on {part}"
        )
    violations = response["violations"]
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        print(
            f"{label}: {v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['help']} [{targets}]"
        )
    return [
        f"{v['impact']} {v['id']}: {v['help']} "
        + "; ".join(f"{n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


_NOTEBOOK_FITS = """() => {
    const outer = document.querySelector('.jp-WindowedPanel-outer');
    outer.scrollTop = 0;
    return outer.clientHeight >= document.querySelector('.jp-WindowedPanel-inner').scrollHeight
        && outer.scrollTop === 0;
}"""


# True when the lesson's heading is drawn light on dark: JupyterLab's dark theme has reached
# our widgets (the theme's CSS loads after the menu click).
_HEADING_IS_LIGHT = """() => {
    const h = document.querySelector('.jp-OutputArea-output .spasm-page h2');
    const [r, g, b] = getComputedStyle(h).color.match(/[\\d.]+/g).map(Number);
    return document.body.dataset.jpThemeLight === 'false' && r + g + b > 600;
}"""


def test_lesson_runs_in_jupyterlab_and_its_quiz_answers(lab: Lab, lab_page: Page) -> None:
    page = lab_page
    page.goto(f"{lab.base}/lab/tree/{LESSON}?token={lab.token}")
    expect(page.locator(".jp-NotebookPanel .jp-Cell").first).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    expect(page.locator(OUTPUT)).to_have_count(0)  # outputs are stripped: nothing ran yet
    # Run All before the kernel is up asks the learner to pick a kernel: wait as they would.
    expect(page.get_by_role("button", name=f"{_kernel_name(lab)} | Idle")).to_be_visible(
        timeout=RENDER_TIMEOUT_MS
    )
    _menu(page, "Run", "Run All Cells")

    questions = lesson_of(LESSON).quiz.questions
    expect(page.locator(OUTPUT)).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    expect(page.locator(".spasm-card")).to_have_count(len(questions), timeout=RENDER_TIMEOUT_MS)

    wrong, right = card(page, 1), card(page, 2)
    fill_in(wrong, questions[0], answer_for(questions[0], right=False))
    check(wrong)
    expect_wrong(wrong)  # ✘, "Not quite." and Try again
    fill_in(right, questions[1], answer_for(questions[1], right=True))
    check(right)
    expect_right(right, questions[1])  # ✔, "Right!" and the explanation

    expect(page.locator("body")).to_have_attribute("data-jp-theme-light", "true")
    expect(page.locator("#jupyterlab-splash")).to_have_count(0)
    blocking = _scan_output(page, "JupyterLab Light")
    assert not blocking, "\n".join(blocking)

    # The learner switches to the dark theme: the same output, feedback still on screen.
    _menu(page, "Settings", "Theme", "JupyterLab Dark")
    page.wait_for_function(_HEADING_IS_LIGHT, timeout=30_000)
    # JupyterLab covers the window with its splash screen while the theme loads.
    expect(page.locator("#jupyterlab-splash")).to_have_count(0, timeout=30_000)
    expect(wrong.locator(".spasm-feedback-wrong")).to_contain_text("✘")
    expect(right.locator(".spasm-feedback-right")).to_contain_text("✔")
    blocking = _scan_output(page, "JupyterLab Dark")
    assert not blocking, "\n".join(blocking)
