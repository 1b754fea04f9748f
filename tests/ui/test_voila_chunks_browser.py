"""Voilà's code chunks arrive in one script (spasm_edu/voila/chunks.py) instead of 88 requests,
and a page still works when that script does not arrive."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from spasm_edu.voila import chunks
from tests.ui.quiz_driver import wait_rendered

pytestmark = pytest.mark.browser

# What Voilà's app and the widget extensions fetch on their own: webpack/rspack chunks.
CHUNK = re.compile(
    r"/voila/(static/\d+\.voila\.js|labextensions/.+/static/(?!remoteEntry)[^/]+\.js)$"
)
PAGES = ["00-start-here.ipynb", "05-home-care.ipynb", "05-home-care.ipynb?present=1"]


def _watch(page: Page) -> tuple[list[str], list[str]]:
    own: list[str] = []
    script: list[str] = []

    def seen(url: str) -> None:
        path = url.split("?")[0]
        found = CHUNK.search(path)
        if found:
            own.append(found.group(1))
        elif path.endswith(chunks.URL_PATH):
            script.append(url)

    page.on("request", lambda request: seen(request.url))
    return own, script


@pytest.mark.parametrize("address", PAGES)
def test_the_page_fetches_no_chunk_of_its_own(page: Page, voila_server: str, address: str) -> None:
    own, script = _watch(page)
    page.goto(f"{voila_server}/voila/render/{address}")
    notebook, _, query = address.partition("?")
    wait_rendered(page, "" if query else notebook)  # the presentation shows one card at a time
    page.wait_for_load_state("networkidle")
    new_list = "\n".join(sorted({*chunks.listed(), *own}))
    assert not own, (
        f"{address} fetched {len(own)} chunks that chunks.txt does not list (a Voilà or "
        f"widgets upgrade?). Put this in src/spasm_edu/voila/chunks.txt:\n{new_list}"
    )
    assert len(script) == 1, script  # the preload and the script tag share one download


def test_without_the_script_the_page_loads_each_chunk(page: Page, voila_server: str) -> None:
    own, script = _watch(page)
    page.route(f"**/{chunks.URL_PATH}", lambda route: route.abort())
    page.goto(f"{voila_server}/voila/render/05-home-care.ipynb")
    wait_rendered(page, "05-home-care.ipynb")
    assert script, "the page did not ask for the chunk script"
    assert len(set(own)) >= len(chunks.listed()) * 0.9, own
