"""When a page's kernel dies, the page says so; after a reload the saved answers come back."""

from __future__ import annotations

import secrets
import time

import psutil
import pytest
from playwright.sync_api import Page, expect
from quiz_driver import (
    answer_for,
    card,
    check,
    expect_right,
    fill_in,
    label_re,
    lesson_of,
    plain,
    wait_rendered,
)

from spasm_edu.strings import text

pytestmark = pytest.mark.browser

LESSON = "01-what-is-a-back-spasm.ipynb"
# The banner's words live in the spasm template (index.html.j2); this is what a learner reads.
CONNECTION_LOST = "Connection lost. Please reload the page — your saved answers will come back."
BANNER_TIMEOUT_MS = 10_000


def _kernel_id(page: Page) -> str:
    """The id of the page's kernel, from the page config Voilà writes into the page."""
    return str(
        page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"
        )
    )


def _kernel_process(kernel_id: str) -> psutil.Process:
    """The kernel's process: its command line names its connection file, kernel-<id>.json."""
    connection_file = f"kernel-{kernel_id}.json"
    found = []
    for proc in psutil.process_iter(["cmdline"]):
        if any(arg.endswith(connection_file) for arg in proc.info["cmdline"] or ()):
            found.append(proc)
    assert len(found) == 1, f"expected one process for kernel {kernel_id}, found {found}"
    return found[0]


@pytest.mark.parametrize("language", ["en", "es"])
def test_dead_kernel_shows_banner_and_reload_resumes(
    page: Page, voila_server: str, language: str
) -> None:
    learner = secrets.token_hex(16)
    lang = "" if language == "en" else f"&lang={language}"
    page.goto(f"{voila_server}/voila/render/{LESSON}?learner={learner}{lang}")
    wait_rendered(page, LESSON)
    question = lesson_of(LESSON, language).quiz.questions[0]
    first = card(page, 1)
    expect(first.locator("h3")).to_have_text(plain(question.prompt))
    fill_in(first, question, answer_for(question, right=True, language=language))
    check(first)
    expect_right(first, question, language)
    # The kernel has written the answer to the store once it says so.
    expect(first.locator(".spasm-save-note")).to_contain_text(text("saved", language))
    lost = CONNECTION_LOST if language == "en" else text("connection_lost", language)
    banner = page.get_by_role("alert").filter(has_text=lost)
    expect(banner).to_have_count(0)  # a live kernel: no banner

    kernel = _kernel_process(_kernel_id(page))
    killed_at = time.monotonic()
    kernel.kill()  # SIGKILL: no goodbye from the kernel, as when it runs out of memory
    kernel.wait(timeout=10)

    expect(banner).to_be_visible(timeout=BANNER_TIMEOUT_MS)
    print(f"banner shown {time.monotonic() - killed_at:.1f} s after the kernel was killed")
    expect(banner).to_have_text(lost)

    page.reload()
    wait_rendered(page, LESSON)
    expect(banner).to_have_count(0)
    first = card(page, 1)
    expect_right(first, question, language)  # the saved answer's feedback is back
    role = "checkbox" if question.type == "multiple" else "radio"
    for label in answer_for(question, right=True, language=language).choices:  # and inputs
        expect(first.get_by_role(role, name=label_re(label))).to_be_checked()
    total = len(lesson_of(LESSON, language).quiz.questions)
    progress = text("progress", language, answered=1, total=total)
    expect(page.get_by_text(progress)).to_be_visible()


# What Voilà leaves in place of a widget whose model did not load (the mime renderer's words).
BROKEN_WIDGET = """() => {
  const node = document.createElement("div");
  document.querySelector("main").appendChild(node);
  node.textContent = "Error displaying widget: model not found";
  node.classList.add("jupyter-widgets");
}"""


def test_a_widget_that_did_not_load_reloads_the_page_once(page: Page, voila_server: str) -> None:
    """Voilà now and then leaves "model not found" in place of a page opened on a very busy
    machine. The page opens itself again once, with the saved answers; a second failure soon
    after asks the learner to reload instead of reloading in a loop."""
    learner = secrets.token_hex(16)
    page.goto(f"{voila_server}/voila/render/{LESSON}?learner={learner}")
    wait_rendered(page, LESSON)
    question = lesson_of(LESSON, "en").quiz.questions[0]
    first = card(page, 1)
    fill_in(first, question, answer_for(question, right=True, language="en"))
    check(first)
    expect(first.locator(".spasm-save-note")).to_contain_text(text("saved"))
    broken = page.get_by_role("alert").filter(has_text=text("page_broken"))

    with page.expect_navigation():  # the page goes and comes back by itself
        page.evaluate(BROKEN_WIDGET)
    wait_rendered(page, LESSON)
    expect_right(card(page, 1), question, "en")  # nothing lost
    expect(broken).to_have_count(0)

    page.evaluate("window.spasmTestMark = 1")  # gone if the page reloads
    page.evaluate(BROKEN_WIDGET)  # again, minutes sooner than a second reload is allowed
    expect(broken).to_be_visible(timeout=BANNER_TIMEOUT_MS)
    expect(broken).to_have_text(text("page_broken"))
    assert page.evaluate("window.spasmTestMark") == 1, "the page reloaded a second time"
