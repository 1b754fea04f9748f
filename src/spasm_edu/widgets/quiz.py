"""QuizWidget: the question cards of one quiz, a progress bar and the score at the end."""

from __future__ import annotations

import logging
import random
from typing import Any

import ipywidgets as widgets
import traitlets
from markupsafe import Markup

from ..content import Question, Quiz
from ..progress import LearnerProgress, SaveStatus
from ..quiz import Grade, QuizSession, ScoreBand, Status
from ..strings import text
from ._style import ProgressStyle, button, html, layout, set_visible, shared, vbox
from ._timer import Timer
from .question import AttemptListener, QuestionCard

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


def score_bands(language: str = "en") -> tuple[ScoreBand, ...]:
    """Feedback by score range, high to low."""
    return (
        ScoreBand(0.8, text("band_high", language)),
        ScoreBand(0.5, text("band_mid", language)),
        ScoreBand(0.0, text("band_low", language)),
    )


class QuizWidget(widgets.VBox):
    """All questions of a quiz. The session (kernel side) holds every answer and the score."""

    score = traitlets.Int(0, help="Questions right at the first check (read only for display).")

    def __init__(
        self,
        quiz: Quiz,
        *,
        title: str,
        seed: int | None = None,
        language: str = "en",
        on_attempt: AttemptListener | None = None,
        progress: LearnerProgress | None = None,
        **kwargs: Any,
    ) -> None:
        self._quiz = quiz
        self._learner = progress
        # Tries again to save answers the store refused, until they are saved.
        self.retry_timer = Timer(RETRY_SECONDS, self.retry_saving)
        self._title = title
        self._seed = seed
        self._language = language
        self._on_attempt = on_attempt
        self._heading = html(Markup("<h2>{}</h2>").format(title))
        self._progress_bar = widgets.IntProgress(
            value=0,
            min=0,
            max=max(1, len(quiz.questions)),
            description="",
            layout=layout(width="100%"),
            style=shared(ProgressStyle),
        )
        self._progress_bar.add_class("spasm-progress-bar")
        self._progress_text = html(css="spasm-progress")
        self._score = html(css="spasm-score-box")
        self._restart = button(text("restart", language), "spasm-restart")
        self._restart.on_click(self._on_restart_click)
        self._review = button(text("review_button", language), "spasm-review")
        self._review.on_click(self._on_review_click)
        self._review_note = html(css="spasm-review-note")
        self._reviews = 0  # reviews started here: each shuffles the choices anew
        self._cards_box = vbox()
        kwargs.setdefault("layout", layout())
        super().__init__(
            children=[
                self._heading,
                self._progress_text,
                self._progress_bar,
                self._review_note,
                self._cards_box,
                self._score,
                self._review,
                self._restart,
            ],
            **kwargs,
        )
        self.add_class("spasm-quiz")
        self._start()

    @property
    def session(self) -> QuizSession:
        """The session that grades and scores this learner's answers."""
        return self._session

    @property
    def cards(self) -> tuple[QuestionCard, ...]:
        """The question cards, in the order shown."""
        return tuple(self._cards_box.children)

    def _start(self) -> None:
        rng = random.Random(self._seed) if self._seed is not None else None  # noqa: S311 (shuffling)
        self._session = QuizSession(self._quiz, rng)
        resumed = self._learner.resume(self._session) if self._learner is not None else 0
        self._show_cards(bool(resumed))

    def _show_cards(self, resumed: bool) -> None:
        """Cards for every question, or only those under review (new cards: new choice order)."""
        shown = set(self._session.reviewing or self._session.question_order)
        cards = [
            QuestionCard(
                self._session,
                q.id,
                n,
                language=self._language,
                on_attempt=self._on_card_attempt,
                on_shown=self._update,
            )
            for n, q in enumerate(self._session.questions, 1)
            if q.id in shown
        ]
        for card in cards:
            card.observe(self._on_card_status, names="status")
            if resumed:
                card.show_saved_answer()
        self._cards_box.children = cards
        self._review_note.value = (
            Markup('<p class="spasm-review-intro" role="status">{}</p>').format(
                text("review_intro", self._language, count=len(self._session.reviewing))
            )
            if self._session.reviewing
            else ""
        )
        self._update()

    def attach(self, progress: LearnerProgress) -> None:
        """Save this learner's answers from now on, and bring back the ones saved before."""
        self._learner = progress
        if not progress.resume(self._session):
            return
        if self._session.reviewing:
            self._show_cards(resumed=True)  # only the questions under review, in a new order
            return
        for card in self.cards:
            card.refresh()
            card.show_saved_answer()
        self._update()

    def _on_card_attempt(self, question: Question, result: Grade | None) -> None:
        if self._learner is not None:
            try:
                status = (
                    self._learner.record(
                        question, result, self._session.states[question.id].confidence
                    )
                    if result is not None
                    else self._learner.record_reveal(question)
                )
            except (ValueError, TypeError):
                log.exception("attempt for %s refused by the store", question.id)
                status = SaveStatus(False, self._learner.pending)
            self._card(question.id).set_save_note(self._note_html(status))
            if not status.saved:
                self.retry_timer.start()  # without an event loop, the next answer flushes
        if self._on_attempt is not None:
            self._on_attempt(question, result)

    def _card(self, question_id: str) -> QuestionCard:
        return next(c for c in self.cards if c._question.id == question_id)

    def _note_html(self, status: SaveStatus) -> Markup:
        if status.saved:
            return Markup('<p class="spasm-saved"><span aria-hidden="true">✔</span> {}</p>').format(
                text("saved", self._language)
            )
        return Markup(
            '<p class="spasm-not-saved" role="status"><span aria-hidden="true">⟳</span> {}</p>'
        ).format(text("not_saved", self._language))

    def retry_saving(self) -> SaveStatus | None:
        """Try to save waiting answers now; update the notes of the questions."""
        if self._learner is None:
            return None
        status = self._learner.flush()
        if status.saved:
            self.retry_timer.stop()
            for card in self.cards:
                if "spasm-not-saved" in card._save_note.value:
                    card.set_save_note(self._note_html(status))
        return status

    def _on_card_status(self, change: dict[str, Any]) -> None:
        # The score and progress follow the card's feedback (`on_shown`); focus goes first.
        if change["new"] in (Status.CORRECT, Status.REVEALED):
            # Move keyboard focus on to the next question that is still open.
            cards = list(self.cards)
            index = cards.index(change["owner"]) if change["owner"] in cards else -1
            for card in cards[index + 1 :]:
                if card.status is Status.OPEN:
                    card.focus_first_input()
                    break

    def _on_restart_click(self, _button: widgets.Button) -> None:
        if not self._session.finished:
            return  # the button is hidden until the end; a forged click changes nothing
        if self._learner is not None:
            self._learner.record_restart()
        self._seed = None if self._seed is None else self._seed + 1
        self._start()

    def _on_review_click(self, _button: widgets.Button) -> None:
        if not self._review_open():
            return  # hidden until the end; a forged click changes nothing
        self._reviews += 1
        seed = None if self._seed is None else self._seed + 1000 * self._reviews
        rng = random.Random(seed)  # noqa: S311 (shuffling, not security)
        self._session.start_review(rng)
        if self._learner is not None:
            self._learner.record_review()
        self._show_cards(resumed=False)
        if self.cards:
            self.cards[0].focus_first_input()

    def _review_open(self) -> bool:
        """Review can start: the quiz is done, nothing is open, something is to review."""
        s = self._session
        if not s.finished or not s.review_ids():
            return False
        closed = (Status.CORRECT, Status.REVEALED)
        return all(s.states[qid].status in closed for qid in s.reviewing)

    def _update(self) -> None:
        s, lang = self._session, self._language
        self.score = s.score
        self._progress_bar.value = s.answered
        self._progress_text.value = Markup('<p aria-live="polite">{}</p>').format(
            text("progress", lang, answered=s.answered, total=s.total)
        )
        if s.finished:
            band = s.band(score_bands(lang))
            self._score.value = Markup(
                '<div class="spasm-score" role="status"><p><strong>{}</strong></p><p>{}</p></div>'
            ).format(text("score", lang, score=s.score, total=s.total), band.message)
        else:
            self._score.value = ""
        set_visible(self._restart, s.finished)
        set_visible(self._review, self._review_open())
