"""Students arriving from their LMS: LTI 1.3 launches into the deployment's hub.

A simulated platform (tests/hub/lti_platform.py) signs launches with a test RSA key and serves
its public key; the hub runs deploy/jupyterhub/jupyterhub_config.py with the LTI 1.3
authenticator. A good launch logs the student in and into the class of their course, no code
typed; a bad signature, an expired token or a wrong audience is refused with a page that says so.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from markupsafe import escape
from playwright.sync_api import Browser, expect

from spasm_edu.hub import class_code_for
from spasm_edu.results import ResultsStore
from spasm_edu.strings import text
from tests.hub.hub_driver import Hub, start_hub, stop_hub
from tests.hub.lti_platform import CLIENT_ID, ISSUER, Launch, Platform

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

COURSE = "BACK-101"
MONITOR = "monitor-token-for-the-lti-tests"
SPAWN_AND_RENDER_MS = 180_000  # a server start and the first page on a busy 2-core machine


@pytest.fixture(scope="module")
def platform() -> Iterator[Platform]:
    """The simulated LMS on a loopback port (its hub address is filled in by `lti_hub`)."""
    lms = Platform(hub_base="")
    lms.start()
    try:
        yield lms
    finally:
        lms.stop()


@pytest.fixture(scope="module")
def lti_hub(
    tmp_path_factory: pytest.TempPathFactory, hub_db_url: str, platform: Platform
) -> Iterator[Hub]:
    """The deployment's hub with the LTI 1.3 authenticator trusting the simulated platform."""
    running = start_hub(
        tmp_path_factory.mktemp("hub-lti"),
        {
            "SPASM_HUB_AUTHENTICATOR": "lti13",
            "SPASM_HUB_LTI_ISSUER": ISSUER,
            "SPASM_HUB_LTI_CLIENT_ID": CLIENT_ID,
            "SPASM_HUB_LTI_AUTHORIZE_URL": f"{platform.base}/authorize",
            "SPASM_HUB_LTI_JWKS_URL": f"{platform.base}/jwks.json",
            "SPASM_HUB_MONITOR_TOKEN": MONITOR,
            "JUPYTERHUB_CRYPT_KEY": secrets.token_hex(32),
            "SPASM_EDU_LEARNER_KEY": secrets.token_hex(16),
            "SPASM_EDU_LTI_NICKNAMES": "1",
            "SPASM_EDU_DATABASE_URL": hub_db_url,
        },
    )
    platform.hub_base = running.base
    try:
        yield running
    finally:
        stop_hub(running)


def launch_with(platform: Platform, hub: Hub, launch: Launch) -> requests.Response:
    """Run a launch's three steps with plain HTTP (cookies kept); return the hub's answer to
    the signed id_token (not followed further)."""
    with requests.Session() as session:
        hint = platform.prepare(launch).rsplit("=", 1)[1]
        start = session.post(
            f"{hub.base}/hub/lti13/oauth_login",
            data=platform.login_form(hint),
            allow_redirects=False,
            timeout=30,
        )
        assert start.status_code == 302, start.text[-2000:]
        asked = {k: v[0] for k, v in parse_qs(urlparse(start.headers["Location"]).query).items()}
        assert asked["redirect_uri"] == f"{hub.base}/hub/lti13/oauth_callback"
        assert asked["client_id"] == CLIENT_ID and asked["login_hint"] == hint
        return session.post(
            asked["redirect_uri"],
            data={"id_token": platform.id_token(launch, asked["nonce"]), "state": asked["state"]},
            allow_redirects=False,
            timeout=30,
        )


def start_page_after(browser: Browser, address: str) -> str:
    """Open a platform's launch page in a fresh browser; wait for the start page to say the
    student joined; return the start page's first lesson link."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    ctx.set_default_timeout(60_000)
    try:
        page = ctx.new_page()
        page.goto(address)
        joined = page.locator(".spasm-join-class .spasm-joined")
        expect(joined).to_have_text(
            text("join_done", code=COURSE, nickname="Ana Lopez"), timeout=SPAWN_AND_RENDER_MS
        )
        assert "/user/lms-user-7/voila/render/" in page.url
        # No code typed: the form is not offered, and the lessons' links carry the learner.
        expect(page.locator(".spasm-join-class .spasm-join")).to_be_hidden()
        return page.locator(".spasm-start a").first.get_attribute("href") or ""
    finally:
        ctx.close()


@pytest.mark.browser
def test_a_launch_logs_the_student_into_the_class_of_their_course(
    browser: Browser, platform: Platform, lti_hub: Hub, hub_db_url: str
) -> None:
    launch = Launch("lms-user-7", COURSE, name="Ana Lopez")
    first = start_page_after(browser, platform.prepare(launch))
    with ResultsStore(hub_db_url) as store:
        (learner,) = store.class_learners(COURSE)
    assert learner.nickname == "Ana Lopez"
    assert f"learner={learner.learner_id}" in first
    # Launched again another day (a new browser): the same learner, still one in the class.
    again = start_page_after(browser, platform.prepare(launch))
    assert f"learner={learner.learner_id}" in again
    with ResultsStore(hub_db_url) as store:
        assert [x.learner_id for x in store.class_learners(COURSE)] == [learner.learner_id]


def test_a_course_id_that_is_no_class_code_becomes_one(platform: Platform, lti_hub: Hub) -> None:
    reply = launch_with(platform, lti_hub, Launch("lms-user-9", "moodle course 42"))
    assert reply.status_code == 302, reply.text[-2000:]
    assert reply.headers["Location"] == "/hub/spawn"
    assert lti_hub.api("users/lms-user-9", MONITOR).status_code == 200
    assert class_code_for("moodle course 42").startswith("lms-")


@pytest.mark.parametrize(
    ("launch", "status", "says"),
    [
        pytest.param(
            Launch("lms-user-8", COURSE, bad_signature=True),
            400,
            "Signature verification failed",
            id="bad-signature",
        ),
        pytest.param(
            Launch("lms-user-8", COURSE, expired=True), 400, "Signature has expired", id="expired"
        ),
        pytest.param(
            Launch("lms-user-8", COURSE, audience="another-tool"),
            401,
            "Audience doesn't match",
            id="wrong-audience",
        ),
    ],
)
def test_a_bad_launch_is_refused_with_a_clear_page(
    platform: Platform, lti_hub: Hub, launch: Launch, status: int, says: str
) -> None:
    reply = launch_with(platform, lti_hub, launch)
    assert reply.status_code == status, reply.text[-2000:]
    page = reply.text
    assert "Your sign-in could not be checked, so you are not logged in." in page
    assert f'<span class="spasm-reason">{escape(says)}</span>' in page
    assert "jupyterhub-session-id" not in reply.headers.get("Set-Cookie", "")
    # Nobody was logged in: the hub knows no user of that name.
    assert lti_hub.api("users/lms-user-8", MONITOR).status_code == 404
