"""Drive the quiz pages in a real browser: open a page, answer a question right or wrong.

The right answers come from the shipped content (`load_course()`), never from the test code.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playwright.sync_api import Locator, Page, WebSocket, expect

from spasm_edu.content import Course, Lesson, Question, load_course
from spasm_edu.strings import text
from tests.support import answers
from tests.support.answers import labels_of

RENDER_TIMEOUT_MS = 60_000  # a kernel start and the first widget render on a busy 2-core box
ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = tuple(sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")))
START = "00-start-here.ipynb"


@cache
def course(language: str = "en") -> Course:
    """The shipped course, loaded strictly: a broken lesson fails the browser tests loudly."""
    return load_course(language=language)[0]


def lesson_of(notebook: str, language: str = "en") -> Lesson:
    """The lesson (or quiz) a notebook shows."""
    for lesson in course(language).lessons:
        if lesson.notebook == notebook:
            return lesson
    raise KeyError(notebook)


def plain(raw: str) -> str:
    """Content text as the page shows it: **bold** markers become markup, so drop them."""
    return raw.replace("**", "")


def open_page(page: Page, base_url: str, notebook: str, language: str = "en") -> None:
    """Go to a notebook and wait until its widgets have rendered (and its cards, if any)."""
    query = "" if language == "en" else f"?lang={language}"
    page.goto(f"{base_url}/voila/render/{notebook}{query}")
    wait_rendered(page, notebook)


def wait_rendered(page: Page, notebook: str) -> None:
    """Wait until the page's widgets (and every question card of a lesson) are on screen."""
    expect(page.locator(".spasm-page").first).to_be_visible(timeout=RENDER_TIMEOUT_MS)
    lessons = {lesson.notebook: lesson for lesson in course().lessons}
    if notebook in lessons:
        total = len(lessons[notebook].quiz.questions)
        expect(page.locator(".spasm-card")).to_have_count(total, timeout=RENDER_TIMEOUT_MS)


@dataclass(frozen=True)
class Answer:
    """What to pick for one question: choice labels, or item label -> option label."""

    choices: tuple[str, ...] = ()
    selects: tuple[tuple[str, str], ...] = ()


def answer_for(question: Question, *, right: bool, language: str = "en") -> Answer:
    """The shared right (or wrong) answer (`tests.support.answers`), as the labels on screen."""
    choices, selects = labels_of(question, answers.answer_for(question, right=right), language)
    return Answer(choices=choices, selects=selects)


def card(page: Page, number: int) -> Locator:
    """The question card for question `number` (1-based), in the order shown."""
    return page.locator(".spasm-card").nth(number - 1)


def fill_in(card_: Locator, question: Question, answer: Answer) -> None:
    """Pick the answer with the mouse, as a learner would."""
    if question.type == "multiple":
        for label in answer.choices:
            card_.get_by_role("checkbox", name=label_re(label)).check()
    elif answer.choices:
        card_.get_by_role("radio", name=label_re(answer.choices[0])).check()
    for item, option in answer.selects:
        card_.get_by_label(item, exact=True).select_option(label=option)


def label_re(label: str) -> re.Pattern[str]:
    """An exact, whitespace-tolerant pattern for an accessible name."""
    return re.compile(r"^\s*" + re.escape(label) + r"\s*$")


def check(card_: Locator) -> None:
    """Press the card's Check answer button."""
    card_.locator(".spasm-check").click()


def expect_wrong(card_: Locator, language: str = "en") -> None:
    """The card shows 'not quite' feedback in words and an icon, with a Try again button
    ('not safe' and a warning sign for an unsafe answer to a safety question)."""
    feedback = card_.locator(".spasm-feedback-wrong")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text(re.compile("[✘⚠]"))
    verdicts = (re.escape(text("not_quite", language)), re.escape(text("not_safe", language)))
    expect(feedback).to_contain_text(re.compile("|".join(verdicts)))
    expect(card_.locator(".spasm-try-again")).to_be_visible()


def expect_right(card_: Locator, question: Question, language: str = "en") -> None:
    """The card shows 'right' feedback with the explanation; Check is gone."""
    feedback = card_.locator(".spasm-feedback-right")
    expect(feedback).to_be_visible()
    expect(feedback).to_contain_text("✔")
    expect(feedback).to_contain_text(text("right", language))
    expect(feedback).to_contain_text(plain(question.explanation))
    expect(card_.locator(".spasm-check")).to_be_hidden()


def expect_saved(card_: Locator, language: str = "en") -> None:
    """The card says its answer is saved (the note comes after the feedback, once stored)."""
    expect(card_.locator(".spasm-saved")).to_contain_text(text("saved", language))


def expect_score(page: Page, score: int, total: int, language: str = "en") -> None:
    """The quiz's score box says `score of total`."""
    expected = text("score", language, score=score, total=total)
    expect(page.locator(".spasm-score")).to_contain_text(expected)


def horizontal_overflow(page: Page) -> list[str]:
    """Elements that scroll (or would scroll the page) sideways: empty when nothing does."""
    return list(
        page.evaluate(
            """() => {
        const out = [];
        const doc = document.scrollingElement;
        if (doc.scrollWidth > doc.clientWidth + 1) {
          out.push(`document ${doc.scrollWidth}>${doc.clientWidth}`);
        }
        for (const el of document.querySelectorAll('body *')) {
          const style = getComputedStyle(el);
          if (!['auto', 'scroll'].includes(style.overflowX)) continue;
          if (el.offsetParent === null && style.position !== 'fixed') continue;  // not shown
          if (el.scrollWidth > el.clientWidth + 1) {
            out.push(`${el.tagName}.${String(el.className).trim().split(/\\s+/).slice(-2).join('.')}`
                     + ` ${el.scrollWidth}>${el.clientWidth}`);
          }
        }
        return out;
    }"""
        )
    )


class SentUpdates:
    """Widget state updates a page has sent to its kernel, to wait until a change has left.

    ipywidgets sends one state update per widget at a time and holds later ones until the
    kernel is idle, while a button click goes at once. Two quick changes to one control (two
    arrow presses) followed by Check can reach the kernel as Check, then the second change.
    A keyboard test waits here after each change so it tests keyboard use, not that race.
    """

    def __init__(self, page: Page) -> None:
        self._frames: list[str] = []
        self._sockets: list[WebSocket] = []
        page.on("websocket", self._on_socket)

    def _on_socket(self, ws: WebSocket) -> None:
        self._sockets.append(ws)
        ws.on("framesent", self._on_frame)

    def _on_frame(self, frame: str | bytes) -> None:
        self._frames.append(frame if isinstance(frame, str) else frame.decode("utf-8", "replace"))

    def mark(self) -> int:
        """A point in the stream of sent frames to wait from."""
        return len(self._frames)

    def wait_sent(self, since: int, key: str, value: object, timeout_ms: float = 15_000) -> None:
        """Wait until an update setting `key` to `value` has been sent after `since`."""
        field = re.escape(json.dumps(key)) + r":\s*" + re.escape(json.dumps(value))
        pattern = re.compile(r'"method":\s*"update",\s*"state":\s*\{[^{}]*' + field + r"\b")
        deadline = time.monotonic() + timeout_ms / 1000
        while not any(pattern.search(frame) for frame in self._frames[since:]):
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._sockets:
                raise AssertionError(f"the page never sent {key}={value!r} to its kernel")
            self._sockets[-1].wait_for_event("framesent", timeout=remaining * 1000)
