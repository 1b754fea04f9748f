"""Drive the class pages: the server's address, one browser context per person, waiting."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

from playwright.sync_api import Browser, BrowserContext, Dialog, Page, expect

from spasm_edu.strings import text
from tests.support.servers import KERNEL_WS, release_kernel

PASSCODE = "class-test-passcode"
RENDER_TIMEOUT_MS = 60_000  # a kernel start and the first render on a busy 2-core machine
START = "00-start-here.ipynb"
LESSON_1 = "01-what-is-a-back-spasm.ipynb"
EDUCATOR = "educator.ipynb"
CONSOLE_LINES = 40  # the last console messages a failed wait prints

# Each page's console messages, so a page that never renders can say why.
_console: weakref.WeakKeyDictionary[Page, list[str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True)
class ClassServer:
    """A running `spasm-edu serve` with an educator passcode and a SQLite file of its own."""

    base: str
    db_url: str
    passcode: str

    def url(self, notebook: str, query: str = "") -> str:
        """The address of a notebook page, with an optional query string (no leading '?')."""
        return f"{self.base}/voila/render/{notebook}" + (f"?{query}" if query else "")


@dataclass
class Watched:
    """A page, and what it did that a test must fail on: script errors and dialogs."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


class People:
    """Opens pages, each in a context of its own (its own cookies): one per person."""

    def __init__(self, browser: Browser, server: ClassServer) -> None:
        self._browser = browser
        self._server = server
        self._contexts: list[tuple[BrowserContext, list[str]]] = []
        self.watched: list[Watched] = []

    def new_page(self) -> Watched:
        """A blank page in a fresh context, watched for dialogs and uncaught script errors."""
        ctx = self._browser.new_context(viewport={"width": 1280, "height": 900})
        ctx.set_default_timeout(30_000)
        kernels: list[str] = []
        self._contexts.append((ctx, kernels))
        page = ctx.new_page()
        watched = Watched(page)
        console = _console.setdefault(page, [])
        page.on("console", lambda msg: console.append(f"{msg.type}: {msg.text[:500]}"))
        page.on("websocket", lambda ws: kernels.extend(KERNEL_WS.findall(ws.url)))
        page.on("pageerror", lambda exc: watched.errors.append(str(exc)))

        def on_dialog(dialog: Dialog) -> None:
            watched.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        self.watched.append(watched)
        return watched

    def open(self, notebook: str, query: str = "", *, wait: bool = True) -> Watched:
        """Open a page in a new context; with `wait`, until its widgets are on screen.

        Without `wait` the navigation only starts, so several kernels can start at once;
        call `rendered()` on each page afterwards.
        """
        watched = self.new_page()
        watched.page.goto(self._server.url(notebook, query), wait_until="commit")
        if wait:
            rendered(watched.page)
        return watched

    def close(self) -> None:
        for ctx, kernels in self._contexts:
            for kernel_id in dict.fromkeys(kernels):
                try:
                    release_kernel(self._server.base, kernel_id, ctx.request)
                except Exception as exc:  # freeing memory only: never fail a test for it
                    print(f"could not shut down kernel {kernel_id}: {exc}")
            ctx.close()


def rendered(page: Page) -> None:
    """Wait until the page's widgets have rendered; if not, fail with the page's console."""
    try:
        expect(page.locator(".spasm-page").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    except AssertionError as exc:
        console = "\n".join(_console.get(page, [])[-CONSOLE_LINES:]) or "(nothing)"
        raise AssertionError(f"{exc}\n{page.url} console:\n{console}") from None


def join(page: Page, code: str, nickname: str) -> None:
    """Join a class with the start page form; wait for the confirmation."""
    form = page.locator(".spasm-join-class")
    form.get_by_label(text("join_code")).fill(code)
    form.get_by_label(text("join_nickname")).fill(nickname)
    form.locator(".spasm-join").click()
    expect(form.locator(".spasm-joined")).to_have_text(
        text("join_done", code=code, nickname=nickname)
    )


LEARNER_RE = re.compile(r"learner=([0-9a-f]{32})")


def learner_in(url: str) -> str:
    """The learner id a page address carries."""
    found = LEARNER_RE.search(url)
    assert found, f"no learner id in {url}"
    return found.group(1)


def show_class(page: Page, passcode: str, code: str, language: str = "en") -> None:
    """Unlock the educator page for `code`; wait until its results heading shows exactly that."""
    edu = page.locator(".spasm-page")
    edu.get_by_label(text("edu_passcode", language)).fill(passcode)
    edu.get_by_label(text("edu_class_code", language)).fill(code)
    edu.locator(".spasm-edu-open").click()
    want = text("edu_class", language, code=code.strip())
    page.wait_for_function(
        "(want) => document.querySelector('.spasm-edu-results h2')?.textContent === want",
        arg=want,
        timeout=RENDER_TIMEOUT_MS,
    )
