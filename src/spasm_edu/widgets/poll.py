"""Live polls: the presenter's controls and chart, and the question as students see it."""

from __future__ import annotations

import contextlib
import logging
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..content import Lesson, Question, Quiz
from ..quiz import Grade, QuizSession, rules_of, words
from ..results import StoreError
from ..results.polls import CLOSED, OPEN, REVEALED, Poll, PollStore
from ..strings import text
from ._render import alert
from ._style import button, dropdown, html, layout, row, vbox
from ._timer import Timer
from .educator import bar_chart_svg
from .question import QuestionCard

log = logging.getLogger(__name__)
STUDENT_REFRESH_SECONDS = 2.0
PRESENTER_REFRESH_SECONDS = 1.0


def chart_bars(
    question: Question, counts: dict[str, int], language: str = "en"
) -> tuple[tuple[str, int], ...]:
    """One bar per choice (content order) when the answer is one choice, else per given answer."""
    rules = rules_of(question)
    if rules.one_choice:
        return tuple((rules.label(c, language)[:40], counts.get(c, 0)) for c in rules.part_ids())
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:6]
    return tuple((rules.brief(rules.decode(a), language)[:40], n) for a, n in top)


class StudentPoll(widgets.VBox):
    """Shows the class's live question when the presenter sends one, and its answer on reveal."""

    def __init__(
        self,
        polls: PollStore,
        lesson: Lesson,
        learner_id: str,
        class_code: str,
        language: str = "en",
        **kwargs: Any,
    ) -> None:
        self._polls = polls
        self._lesson = lesson
        self._learner_id = learner_id
        self._class_code = class_code
        self._language = language
        self._poll: Poll | None = None
        self._card: QuestionCard | None = None
        self._title = html()
        self._box = vbox()
        kwargs.setdefault("layout", layout())
        super().__init__(children=[self._title, self._box], **kwargs)
        self.add_class("spasm-student-poll")
        self.timer = Timer(STUDENT_REFRESH_SECONDS, self.refresh)
        self.refresh()
        self.timer.start()

    def refresh(self) -> None:
        """Look for a new, revealed or closed poll of the class."""
        try:
            poll = self._polls.active_poll(self._class_code)
        except StoreError:
            return  # try again at the next tick
        question = self._question(poll) if poll else None
        if poll is None or question is None:
            self._poll, self._card = None, None
            self._title.value, self._box.children = "", ()
            return
        if self._poll is None or poll.id != self._poll.id:
            self._show(poll, question)
        if poll.state == REVEALED and self._card is not None and not self._card._poll_revealed:
            self._card.reveal_poll()
        self._poll = poll

    def _question(self, poll: Poll) -> Question | None:
        for q in self._lesson.quiz.questions:
            if poll.lesson_id == self._lesson.id and q.id == poll.question_id:
                return q
        return None

    def _show(self, poll: Poll, question: Question) -> None:
        session = QuizSession(Quiz((question,)))
        mine = None
        with contextlib.suppress(StoreError):  # unreadable: show the question unanswered
            mine = self._polls.my_answer(poll.id, self._learner_id)
        if mine is not None:
            session.replay([(question.id, mine)])
        self._card = QuestionCard(
            session,
            question.id,
            1,
            language=self._language,
            poll=True,
            on_attempt=lambda q, g: self._on_answer(poll, q, g),
        )
        self._title.value = Markup('<h2 class="spasm-poll-title" role="status">{}</h2>').format(
            text("poll_title", self._language)
        )
        self._box.children = (self._card,)
        if poll.state == REVEALED:
            self._card.reveal_poll()

    def _on_answer(self, poll: Poll, question: Question, result: Grade | None) -> None:
        if result is None:
            return
        try:
            accepted = self._polls.answer(poll.id, self._learner_id, result.answer, result.correct)
        except StoreError:
            log.exception("poll answer not saved")
            accepted = False
        if not accepted and self._card is not None:
            self._card.set_save_note(alert(text("poll_closed", self._language)))


class PresenterPoll(widgets.VBox):
    """Send a question to the class, watch the answers arrive, reveal the right answer."""

    def __init__(
        self, polls: PollStore, lesson: Lesson, class_code: str, language: str = "en", **kwargs: Any
    ) -> None:
        self._polls = polls
        self._lesson = lesson
        self._class_code = class_code
        self._language = language
        self._poll: Poll | None = None
        lang = language
        self._choose = dropdown(
            [(q.prompt[:90], q.id) for q in lesson.quiz.questions],
            text("present_poll_question", lang),
        )
        self._choose.add_class("spasm-poll-choose")
        self._send_button = button(text("present_send", lang), "spasm-poll-send", primary=True)
        self._reveal = button(text("present_reveal", lang), "spasm-poll-reveal")
        self._close = button(text("present_close", lang), "spasm-poll-close")
        self._reveal.disabled = self._close.disabled = True
        self._count = html(css="spasm-poll-count")
        self._chart = html(css="spasm-poll-chart")
        self._answer = html(css="spasm-poll-answer")
        self._send_button.on_click(self._on_send_click)
        self._reveal.on_click(self._on_reveal_click)
        self._close.on_click(self._on_close_click)
        buttons = row([self._send_button, self._reveal, self._close])
        kwargs.setdefault("layout", layout())
        super().__init__(
            children=[self._choose, buttons, self._count, self._chart, self._answer], **kwargs
        )
        self.add_class("spasm-presenter-poll")
        self.timer = Timer(PRESENTER_REFRESH_SECONDS, self.refresh)  # runs while a poll is open

    @property
    def question(self) -> Question:
        """The question chosen in the list."""
        return next(q for q in self._lesson.quiz.questions if q.id == self._choose.value)

    def _on_send_click(self, _button: widgets.Button) -> None:
        try:
            self._poll = self._polls.open_poll(
                self._class_code, self._lesson.id, self._choose.value
            )
        except (StoreError, ValueError):
            log.exception("could not open a poll")
            self._count.value = alert(text("edu_store_down", self._language))
            return
        self._answer.value = ""
        self._reveal.disabled = self._close.disabled = False
        self.refresh()
        self.timer.start()

    def _on_reveal_click(self, _button: widgets.Button) -> None:
        if self._poll is None or self._poll.state != OPEN:
            return
        self._polls.set_state(self._poll.id, REVEALED)
        self._poll = Poll(**{**self._poll.__dict__, "state": REVEALED})
        q = self._poll_question()
        right = words(rules_of(q).correct_answer(self._language))
        self._answer.value = Markup(
            '<div class="spasm-feedback-right" role="status">'
            "<p><strong>{}:</strong> {}</p><p>{}</p></div>"
        ).format(text("answer_was", self._language), right, q.explanation)
        self._reveal.disabled = True

    def _on_close_click(self, _button: widgets.Button) -> None:
        if self._poll is None:
            return
        self._polls.set_state(self._poll.id, CLOSED)
        self._poll = None
        self.timer.stop()
        self._reveal.disabled = self._close.disabled = True
        self._count.value = self._chart.value = self._answer.value = ""

    def _poll_question(self) -> Question:
        assert self._poll is not None  # only called while a poll is open
        return next(q for q in self._lesson.quiz.questions if q.id == self._poll.question_id)

    def refresh(self) -> None:
        """Redraw the count and the chart from the store."""
        if self._poll is None:
            return
        try:
            counts = self._polls.counts(self._poll.id)
        except StoreError:
            return
        total = sum(counts.values())
        self._count.value = Markup('<p aria-live="polite">{}</p>').format(
            text("present_answers", self._language, count=total)
        )
        self._chart.value = bar_chart_svg(
            chart_bars(self._poll_question(), counts, self._language),
            text("present_chart", self._language),
        )
