"""Every page is built one way: shared models, HTML escaped by default, one timer."""

from __future__ import annotations

import logging
from collections.abc import Callable

import ipywidgets as widgets
import pytest
from markupsafe import Markup

from spasm_edu import show_educator, show_lesson, show_start
from spasm_edu.results import ResultsStore, SaveError
from spasm_edu.widgets._style import SafeHTML, html
from spasm_edu.widgets._timer import Timer
from spasm_edu.widgets.educator import EducatorView
from spasm_edu.widgets.presenter import PresenterView
from tests.support.widgets import (
    answer,
    click,
    find,
    right_response,
    save_note,
)


class FakeLoop:
    """Stands in for the kernel's event loop: `advance` runs what falls due, without waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.handles: list[FakeHandle] = []

    def call_later(self, delay: float, callback: Callable[[], object]) -> FakeHandle:
        handle = FakeHandle(self.now + delay, callback)
        self.handles.append(handle)
        return handle

    def pending(self) -> list[FakeHandle]:
        return [h for h in self.handles if not h.cancelled and not h.ran]

    def advance(self, seconds: float) -> None:
        end = self.now + seconds
        while due := sorted((h for h in self.pending() if h.when <= end), key=lambda h: h.when):
            self.now = due[0].when
            due[0].run()
        self.now = end


class FakeHandle:
    def __init__(self, when: float, callback: Callable[[], object]) -> None:
        self.when, self.callback = when, callback
        self.cancelled = self.ran = False

    def cancel(self) -> None:
        self.cancelled = True

    def run(self) -> None:
        self.ran = True
        self.callback()


def test_timer_ticks_every_period_until_stopped() -> None:
    loop, ticks = FakeLoop(), []
    timer = Timer(2.0, lambda: ticks.append(loop.now), loop=loop)
    loop.advance(10)
    assert ticks == [] and not timer.active  # nothing before start
    timer.start()
    timer.start()  # a second start changes nothing
    assert len(loop.pending()) == 1
    loop.advance(7)
    assert ticks == [12.0, 14.0, 16.0]
    timer.stop()
    loop.advance(10)
    assert ticks == [12.0, 14.0, 16.0] and loop.pending() == []


def test_fire_ticks_now_and_the_next_tick_follows_a_full_period() -> None:
    loop, ticks = FakeLoop(), []
    timer = Timer(5.0, lambda: ticks.append(loop.now), loop=loop)
    timer.start()
    loop.advance(3)
    timer.fire()
    assert ticks == [3.0] and len(loop.pending()) == 1
    loop.advance(4.9)
    assert ticks == [3.0]
    loop.advance(0.1)
    assert ticks == [3.0, 8.0]


def test_a_failing_tick_is_logged_and_the_timer_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    loop, ticks = FakeLoop(), []

    def tick() -> None:
        ticks.append(loop.now)
        if len(ticks) == 1:
            raise RuntimeError("store down")

    timer = Timer(1.0, tick, loop=loop)
    timer.start()
    with caplog.at_level(logging.ERROR):
        loop.advance(2)
    assert ticks == [1.0, 2.0] and timer.active
    assert "store down" in caplog.text


def test_a_tick_may_stop_its_timer() -> None:
    loop = FakeLoop()
    timer = Timer(1.0, lambda: timer.stop(), loop=loop)
    timer.start()
    loop.advance(5)
    assert not timer.active and loop.pending() == []


def test_without_an_event_loop_start_only_marks_the_timer() -> None:
    ticks: list[int] = []
    timer = Timer(0.01, lambda: ticks.append(1))
    timer.start()  # plain Python: no running loop
    assert timer.active and ticks == []
    timer.fire()
    assert ticks == [1]


def test_html_widgets_escape_plain_text_and_keep_markup() -> None:
    widget = html("<img src=x onerror=alert(1)>")
    assert widget.value == "&lt;img src=x onerror=alert(1)&gt;"
    widget.value = Markup("<p>{}</p>").format("<b>Ana</b>")
    assert widget.value == "<p>&lt;b&gt;Ana&lt;/b&gt;</p>"
    widget.value = "<script>alert(1)</script>"  # assigned later: escaped too
    assert "<script>" not in widget.value


def _presenter(monkeypatch: pytest.MonkeyPatch) -> PresenterView:
    monkeypatch.setenv("QUERY_STRING", "present=1")
    monkeypatch.setenv("SPASM_EDU_EDUCATOR_PASSCODE", "s3cret")
    view = show_lesson("causes")
    assert isinstance(view, PresenterView)
    find(view, "spasm-class-code").value = "BIO-7"
    find(view, "spasm-passcode").value = "s3cret"
    click(view, "spasm-present-unlock")
    assert view.poll is not None
    return view


def _educator(monkeypatch: pytest.MonkeyPatch) -> EducatorView:
    monkeypatch.delenv("QUERY_STRING", raising=False)
    monkeypatch.setenv("SPASM_EDU_EDUCATOR_PASSCODE", "s3cret")
    page = show_educator()
    assert isinstance(page, EducatorView)
    return page


def _models(root: widgets.Widget) -> list[widgets.Widget]:
    """Every widget model of a page: the widgets and their Layout and Style models."""
    seen: dict[int, widgets.Widget] = {}
    todo = [root]
    while todo:
        model = todo.pop()
        if id(model) not in seen:
            seen[id(model)] = model
            for name in ("children", "layout", "style"):
                value = getattr(model, name, None)
                todo.extend(value if isinstance(value, (list, tuple)) else [value])
            todo = [m for m in todo if isinstance(m, widgets.Widget)]
    return list(seen.values())


def _layouts_and_styles(root: widgets.Widget) -> set[int]:
    return {
        id(m)
        for m in _models(root)
        if isinstance(m, widgets.Layout) or type(m).__name__.endswith("Style")
    }


def test_presenter_and_educator_pages_share_the_lesson_pages_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lesson = show_lesson("causes")
    presenter, educator = _presenter(monkeypatch), _educator(monkeypatch)
    again = _presenter(monkeypatch), _educator(monkeypatch)
    for first, second in zip((presenter, educator), again, strict=True):
        models = _layouts_and_styles(first)
        # A second page brings no Layout or Style model of its own: all are shared.
        assert _layouts_and_styles(second) == models
        assert len(models) <= 6, len(models)
    # The buttons, texts and columns of every page share one set of models.
    assert _layouts_and_styles(lesson) & _layouts_and_styles(presenter)


def test_educator_page_refreshes_on_its_timer(monkeypatch: pytest.MonkeyPatch) -> None:
    view = _educator(monkeypatch)
    assert not view.timer.active
    find(view, "spasm-class-code").value = "BIO-7"
    find(view, "spasm-passcode").value = "s3cret"
    click(view, "spasm-edu-open")
    assert view.timer.active and "0 joined" in find(view, "spasm-edu-results").value
    learner = ResultsStore().register_learner("a" * 32, class_code="BIO-7", nickname="Ana")
    monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
    quiz = show_lesson("causes").quiz
    answer(quiz.cards[0], right_response(quiz.cards[0]))
    view.timer.fire()  # what the event loop does every few seconds
    assert (
        "1 joined" in find(view, "spasm-edu-results").value
        and "Ana" in find(view, "spasm-edu-results").value
    )
    find(view, "spasm-passcode").value = "wrong"
    click(view, "spasm-edu-open")
    assert not view.timer.active and find(view, "spasm-edu-results").value == ""


def test_the_presenters_poll_timer_runs_while_a_poll_is_open(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    poll = _presenter(monkeypatch).poll
    assert poll is not None and not poll.timer.active
    click(poll, "spasm-poll-send")
    assert poll.timer.active
    click(poll, "spasm-poll-close")
    assert not poll.timer.active


def test_a_refused_save_is_retried_on_the_timer_until_saved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quiz = show_lesson("causes").quiz
    real_save = ResultsStore.save

    def broken_save(self: ResultsStore, attempt: object) -> None:
        raise SaveError("database is locked")

    monkeypatch.setattr(ResultsStore, "save", broken_save)
    card = quiz.cards[0]
    answer(card, right_response(card))
    assert quiz.retry_timer.active and "Not saved yet" in save_note(card)
    quiz.retry_timer.fire()
    assert quiz.retry_timer.active  # still down: try again later
    monkeypatch.setattr(ResultsStore, "save", real_save)
    quiz.retry_timer.fire()
    assert not quiz.retry_timer.active and "Saved." in save_note(card)


def test_every_html_widget_of_every_page_escapes_what_is_not_markup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages = [show_start(), show_lesson("causes"), _presenter(monkeypatch), _educator(monkeypatch)]
    for view in pages:
        shown = [w for w in _models(view) if isinstance(w, widgets.HTML)]
        assert shown and all(isinstance(w, SafeHTML) for w in shown), type(view).__name__
