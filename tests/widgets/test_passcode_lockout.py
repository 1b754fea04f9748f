"""The educator passcode lockout survives a reload: the misses are counted in the results store."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import ipywidgets as widgets
import pytest

from spasm_edu.content import Course, load_course
from spasm_edu.results import ResultsStore, RetryPolicy
from spasm_edu.results.passcode import LOCK_SECONDS, MAX_MISSES
from spasm_edu.widgets.educator import EducatorView
from spasm_edu.widgets.presenter import PresenterView
from tests.support.widgets import find, find_all, html_text

PASSCODE = "s3cret"
WAIT = "Too many tries"
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A clock the test moves by hand: no sleeps, no real time."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course()[0]


def page_text(root: widgets.Widget) -> str:
    return html_text(root)


def unlock(view: widgets.Widget, passcode: str) -> str:
    """Type the passcode and class code as a visitor does, press the page's button; the page."""
    secret = find(view, "spasm-passcode", widgets.Password)
    code = find(view, "spasm-class-code", widgets.Text)
    (button,) = find_all(view, "spasm-edu-open") + find_all(view, "spasm-present-unlock")
    code.value, secret.value = "BIO-7", passcode
    button.click()
    return page_text(view)


def educator(course: Course, store: ResultsStore) -> EducatorView:
    return EducatorView(course, store, PASSCODE)


def presenter(course: Course, store: ResultsStore) -> PresenterView:
    lesson = course.lesson("causes")
    return PresenterView(course, lesson, store.polls, PASSCODE, passcode_tries=store.passcode_tries)


def test_a_reload_does_not_reset_the_lockout(course: Course) -> None:
    clock = Clock()
    view = educator(course, ResultsStore(clock=clock))
    for _ in range(MAX_MISSES):
        assert "not right" in unlock(view, "guess")
    assert WAIT in unlock(view, PASSCODE)

    # A reload: a new kernel, a new store object and page, the same database.
    again = educator(course, ResultsStore(clock=clock))
    shown = unlock(again, PASSCODE)
    assert WAIT in shown and "BIO-7" not in shown
    clock.advance(LOCK_SECONDS - 1)
    assert WAIT in unlock(educator(course, ResultsStore(clock=clock)), PASSCODE)

    clock.advance(1)
    shown = unlock(again, PASSCODE)
    assert WAIT not in shown and "Class BIO-7" in shown


def test_misses_on_the_presenter_lock_the_educator_page_too(course: Course) -> None:
    # One count for the passcode: a guesser gains no tries by switching pages.
    clock = Clock()
    view = presenter(course, ResultsStore(clock=clock))
    for _ in range(MAX_MISSES - 1):
        assert "not right" in unlock(view, "guess")
    assert WAIT in unlock(view, "guess")  # the presenter says so at the miss that locks
    assert WAIT in unlock(view, PASSCODE) and view.poll is None
    assert WAIT in unlock(educator(course, ResultsStore(clock=clock)), PASSCODE)
    clock.advance(LOCK_SECONDS)
    view = presenter(course, ResultsStore(clock=clock))
    unlock(view, PASSCODE)
    assert view.poll is not None


def test_without_the_store_the_kernel_counts_and_the_page_never_fails(
    course: Course, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock()
    down = ResultsStore(
        f"sqlite:///{tmp_path / 'missing' / 'results.sqlite3'}",
        retry=RetryPolicy(attempts=1),
        clock=clock,
    )
    view = educator(course, down)
    with caplog.at_level(logging.WARNING, logger="spasm_edu"):
        for _ in range(MAX_MISSES):
            assert "not right" in unlock(view, "guess")
        assert WAIT in unlock(view, PASSCODE)
        clock.advance(LOCK_SECONDS)
        shown = unlock(view, PASSCODE)
    # The right passcode gets in; the results themselves cannot be read, and the page says so.
    assert WAIT not in shown and "cannot be read just now" in shown
    assert "counted in this kernel" in caplog.text
