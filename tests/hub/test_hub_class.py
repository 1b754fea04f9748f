"""A class through the deployment's JupyterHub, in Chromium: log in, spawn, join, answer, the
educator's view of the students, and a server stopped by the idle culler that resumes.

One hub for the module (deploy/jupyterhub/jupyterhub_config.py on 127.0.0.1, a shared password,
local processes, the culler service with its production timeout plus one short culling pass),
every server writing to one PostgreSQL database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urljoin

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from spasm_edu.classreport import SCORE_BUCKETS
from spasm_edu.settings import EDUCATOR_PAGE
from spasm_edu.strings import text
from spasm_edu.voila import chunks
from tests.hub.hub_driver import Hub, start_hub, stop_hub
from tests.support.servers import stop
from tests.ui.quiz_driver import (
    answer_for,
    card,
    check,
    expect_right,
    expect_wrong,
    fill_in,
    lesson_of,
    wait_rendered,
)
from tests.ui_class.class_driver import join, learner_in

pytestmark = [pytest.mark.browser, pytest.mark.dashboard, pytest.mark.postgres, pytest.mark.slow]

PASSWORD = "class-password-for-tests"  # noqa: S105 - the loopback hub's shared password
PASSCODE = "hub-educator-passcode"
MONITOR = "monitor-token-for-the-hub-tests"
CLASS = "HUB-1"
LEAVER = "dana"  # leaves after lesson 1; the culler stops her server; she comes back
LESSONS = ("01-what-is-a-back-spasm.ipynb", "02-causes.ipynb")
CULLER = "culler-token-for-the-hub-tests"
CULL_TIMEOUT = 10  # seconds idle before the test's culling pass stops a server (hub: 3600)
SPAWN_AND_RENDER_MS = 180_000  # a server start and the first page on a busy 2-core machine
# Student -> (nickname, right or wrong on question 1 of each lesson).
STUDENTS = {
    "ana": ("Ana", (True, True)),
    "ben": ("Ben", (True, False)),
    "cleo": ("Cleo", (False, False)),
}


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory, hub_db_url: str) -> Iterator[Hub]:
    """The deployment's hub on loopback, with known tokens for the monitor and the culler."""
    running = start_hub(
        tmp_path_factory.mktemp("hub-class"),
        {
            "SPASM_HUB_AUTHENTICATOR": "shared-password",
            "SPASM_HUB_SHARED_PASSWORD": PASSWORD,
            "SPASM_HUB_MONITOR_TOKEN": MONITOR,
            "SPASM_HUB_CULLER_TOKEN": CULLER,
            "SPASM_EDU_DATABASE_URL": hub_db_url,
            "SPASM_EDU_EDUCATOR_PASSCODE": PASSCODE,
        },
    )
    try:
        yield running
    finally:
        stop_hub(running)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    """Browser contexts (one per person, own cookies), closed when the test ends."""
    made: list[BrowserContext] = []
    yield made
    for ctx in made:
        ctx.close()


def new_person(browser: Browser, made: list[BrowserContext]) -> Page:
    """A page in a fresh context: one person's browser."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(60_000)
    made.append(ctx)
    return ctx.new_page()


def log_in(page: Page, hub: Hub, name: str, next_url: str = "") -> None:
    """The hub's login form; the hub then starts the person's server (no wait here)."""
    page.goto(f"{hub.base}/hub/login" + (f"?next={next_url}" if next_url else ""))
    page.locator("#username_input").fill(name)
    page.locator("#password_input").fill(PASSWORD)
    page.locator("#login_submit").click()


def on_start_page(page: Page, name: str) -> None:
    """Wait until the spawn finished and the start page (Voilà, our template) is on screen."""
    expect(page.locator(".spasm-join-class")).to_be_visible(timeout=SPAWN_AND_RENDER_MS)
    assert page.url.startswith(f"{page.url.split('/user/')[0]}/user/{name}/voila/render/")
    expect(page.locator("main.spasm-main")).to_have_count(1)
    # Voilà's code chunks came in one script from the person's own server (chunks.py).
    loaded = page.evaluate(
        "performance.getEntriesByType('resource').map((e) => [e.name, e.responseStatus])"
    )
    script = f"/user/{name}/{chunks.URL_PATH}"
    assert [status for url, status in loaded if url.split("?")[0].endswith(script)] == [200]


def open_lesson(page: Page, notebook: str) -> None:
    """Follow the start page's link to a lesson (it keeps the learner) and wait for it."""
    href = page.locator(f'.spasm-start a[href^="{notebook}"]').get_attribute("href")
    assert href, f"no link to {notebook} on the start page"
    page.goto(urljoin(page.url, href))
    wait_rendered(page, notebook)


def answer_first_question(page: Page, notebook: str, right: bool) -> None:
    """Answer question 1 of the lesson on screen, right or wrong; wait for the feedback."""
    question = lesson_of(notebook).quiz.questions[0]
    card_ = card(page, 1)
    fill_in(card_, question, answer_for(question, right=right))
    check(card_)
    if right:
        expect_right(card_, question)
    else:
        expect_wrong(card_)


def server_running(hub: Hub, name: str) -> bool:
    """Whether the hub lists a default server for the user."""
    reply = hub.api(f"users/{name}", MONITOR)
    reply.raise_for_status()
    return "" in reply.json()["servers"]


def class_answers(browser: Browser, hub: Hub, contexts: list[BrowserContext]) -> str:
    """Four students log in together and join with the class code; three answer in two lessons,
    the fourth (dana) answers in lesson 1 and closes the tab. Return the address dana's page
    tells her to keep (with ?learner=).

    Each step goes to every student before the next, so their pages load side by side (as in
    a classroom) and no server sits idle long enough for the culler, but dana's.
    """
    nicknames = {name: nickname for name, (nickname, _answers) in STUDENTS.items()}
    pages = {name: new_person(browser, contexts) for name in [LEAVER, *STUDENTS]}
    for name, page in pages.items():
        log_in(page, hub, name)
    learners = {}
    for name, page in pages.items():
        on_start_page(page, name)
        join(page, CLASS, nicknames.get(name, name.title()))
        learners[name] = learner_in(page.locator(".spasm-joined ~ p a").get_attribute("href") or "")
    bookmark = ""
    for index, notebook in enumerate(LESSONS):
        for name, page in pages.items():  # start every page's kernel, then answer on each
            page.goto(
                urljoin(page.url, f"{notebook}?learner={learners[name]}"), wait_until="commit"
            )
        for name, page in pages.items():
            wait_rendered(page, notebook)
            answer_first_question(
                page, notebook, STUDENTS[name][1][index] if name in STUDENTS else True
            )
        if LEAVER in pages:  # she leaves; her server idles until the culler stops it
            bookmark = pages[LEAVER].url
            pages.pop(LEAVER).close()
    for page in pages.values():
        page.close()
    return bookmark


def educator_sees_the_class(page: Page, hub: Hub) -> None:
    """The educator logs in, opens the educator page from the start page, sees all three."""
    log_in(page, hub, "educator")
    on_start_page(page, "educator")
    href = page.locator(".spasm-educator-link a").get_attribute("href")
    assert href and href.startswith(EDUCATOR_PAGE)
    page.goto(urljoin(page.url, href))
    edu = page.locator(".spasm-page")
    expect(edu).to_be_visible(timeout=SPAWN_AND_RENDER_MS)
    edu.get_by_label(text("edu_passcode")).fill(PASSCODE)
    edu.get_by_label(text("edu_class_code")).fill(CLASS)
    edu.locator(".spasm-edu-open").click()
    results = page.locator(".spasm-edu-results")
    expect(results.locator("h2")).to_have_text(text("edu_class", code=CLASS))
    # The three, and the student who left earlier.
    expect(results.locator(".spasm-edu-counts")).to_contain_text(re.compile(r"^4 joined"))
    names = results.locator("p").filter(has_text=text("edu_names"))
    for nickname, _answers in STUDENTS.values():
        expect(names).to_contain_text(nickname)
    # Each lesson's first question: everyone's answer, and the share right.
    for index, notebook in enumerate(LESSONS):
        lesson = lesson_of(notebook)
        given = [answers[index] for _nick, answers in STUDENTS.values()]
        given += [True] if index == 0 else []  # the student who left answered lesson 1 right
        row = results.locator("tbody tr").filter(has_text=lesson.quiz.questions[0].prompt)
        expect(row).to_have_count(1)
        expect(row.locator("td").nth(0)).to_have_text(lesson.id)
        expect(row.locator("td").nth(2)).to_have_text(str(len(given)))
        expect(row.locator("td").nth(3)).to_have_text(f"{100 * sum(given) / len(given):.0f}%")
    # Their scores (first tries, per student) in the chart's text alternative.
    scores = [round(100 * sum(a) / len(a)) for _nick, a in STUDENTS.values()] + [100]
    chart = results.locator("svg.spasm-chart")
    for low, high in SCORE_BUCKETS:
        count = sum(low <= x <= high for x in scores)
        expect(chart).to_have_attribute("aria-label", re.compile(rf"\b{low}–{high}%: {count}\b"))
    if os.environ.get("SPASM_EDU_SCREENSHOTS"):  # a folder: save the page there, for the docs
        folder = Path(os.environ["SPASM_EDU_SCREENSHOTS"])
        page.screenshot(path=str(folder / "hub-educator.png"), full_page=True)


def cull_idle_servers(hub: Hub, name: str) -> str:
    """Run the hub's idle culler, as its service runs it but with a short timeout, until it has
    stopped `name`'s server; return its log.

    The hub's own culler service runs with the production timeout (an hour), so no server of
    the class is stopped while the test is using it; this pass, with the service's token and
    scopes, stops every server idle for CULL_TIMEOUT seconds at the moment the test chooses.
    """
    log = hub.folder / "culler.log"
    with log.open("wb") as out:
        culler = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyterhub_idle_culler",
                f"--url={hub.env['SPASM_HUB_INTERNAL_URL']}/hub/api",
                f"--timeout={CULL_TIMEOUT}",
                "--cull-every=2",
            ],
            env={**os.environ, "JUPYTERHUB_API_TOKEN": CULLER},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + CULL_TIMEOUT + 120  # a hang guard, not a timing
        while server_running(hub, name) and time.monotonic() < deadline:
            time.sleep(1)  # polling a condition: the server gone
    finally:
        stop(culler)
    text_ = log.read_text(errors="replace")
    assert not server_running(hub, name), f"the idle culler never stopped {name}'s server:\n{text_}"
    assert re.search(rf"Culling server {name}\b", text_), text_
    return text_


def resume_after_culling(page: Page, hub: Hub, name: str, bookmark: str) -> None:
    """The student's server is stopped by the culler; their kept address starts it again and
    shows their answer."""
    cull_idle_servers(hub, name)
    log_in(page, hub, name, next_url=quote(bookmark.split(hub.base, 1)[1]))
    # The hub says the server is not running and offers to start it; then the same address.
    page.locator("#start").click(timeout=60_000)
    wait_rendered(page, LESSONS[0])
    assert page.url.split("?")[0] == bookmark.split("?")[0]
    assert learner_in(page.url) == learner_in(bookmark)
    question = lesson_of(LESSONS[0]).quiz.questions[0]
    expect_right(card(page, 1), question)  # the saved answer, restored from PostgreSQL


def test_a_class_through_the_hub(
    browser: Browser, hub: Hub, contexts: list[BrowserContext]
) -> None:
    """One class, in order: four join, one leaves early, three answer on, the educator looks,
    and the early leaver, whose server the culler stopped meanwhile, comes back to her answers."""
    bookmark = class_answers(browser, hub, contexts)
    educator_sees_the_class(new_person(browser, contexts), hub)
    resume_after_culling(new_person(browser, contexts), hub, LEAVER, bookmark)
    # The hub's servers ran our server extension (closed tabs free their kernels), and the
    # hub ran its culler service.
    log = hub.log.read_text(errors="replace")
    assert "spasm-edu: Voilà's page and shutdown handlers fixed" in log
    assert "Starting service 'idle-culler'" in log
