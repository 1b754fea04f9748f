"""Shared fixtures: a real Voilà server on a loopback port, and Debian's Chromium via Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.support.servers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    KERNEL_WS,
    release_kernel,
    start_server,
    stop,
)

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


@pytest.fixture(scope="session")
def voila_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL (no trailing slash) of `spasm-edu serve` on a free loopback port."""
    proc, base = start_server(tmp_path_factory.mktemp("voila"))
    try:
        yield base
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def voila_kernels(voila_server: str) -> Iterator[list[str]]:
    """Ids of kernels started by plain HTTP page views (not a browser); shut down at the end."""
    import requests

    kernels: list[str] = []
    yield kernels
    with requests.Session() as session:
        for kernel_id in kernels:
            release_kernel(voila_server, kernel_id, session)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright.

    Playwright's launch() gives Chromium a new, empty user-data-dir of its own and deletes it
    on close, so no state survives between runs.
    """
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run make test, it installs chromium", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def context(
    browser: Browser, voila_server: str, request: pytest.FixtureRequest
) -> Iterator[BrowserContext]:
    """A fresh browser context (own cookies and storage) for one test, desktop sized.

    Kernels of the pages opened in it are shut down when the test ends. A test can give more
    options of Playwright's new_context, e.g. a browser that prefers Spanish:
    ``@pytest.mark.parametrize("context", [{"locale": "es-MX"}], indirect=True)``.
    """
    options = {"viewport": {"width": 1280, "height": 900}, **getattr(request, "param", {})}
    ctx = browser.new_context(**options)
    ctx.set_default_timeout(30_000)
    kernels: list[str] = []
    ctx.on("page", lambda pg: _track_kernels(pg, kernels))
    try:
        yield ctx
    finally:
        for kernel_id in dict.fromkeys(kernels):
            try:
                release_kernel(voila_server, kernel_id, ctx.request)
            except Exception as exc:  # freeing memory only: never fail a test for it
                print(f"could not shut down kernel {kernel_id}: {exc}")
        ctx.close()


def _track_kernels(pg: Page, kernels: list[str]) -> None:
    pg.on("websocket", lambda ws: kernels.extend(KERNEL_WS.findall(ws.url)))


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    """A page in a fresh context; any uncaught script error on it fails the test."""
    errors: list[str] = []
    pg = context.new_page()
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    if errors:
        pytest.fail("script errors on the page:\n" + "\n".join(errors), pytrace=False)
