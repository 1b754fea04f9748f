"""QuizWidget: the question cards of one quiz, a progress bar and the score at the end."""

from __future__ import annotations

import random
from html import escape
from typing import Any

import ipywidgets as widgets
import traitlets

from ..content import Quiz
from ..quiz import QuizSession, ScoreBand
from ..strings import text
from .question import AttemptListener, QuestionCard


def score_bands(language: str = "en") -> tuple[ScoreBand, ...]:
    """Feedback by score range, high to low."""
    return (ScoreBand(0.8, text("band_high", language)), ScoreBand(0.5, text("band_mid", language)),
            ScoreBand(0.0, text("band_low", language)))


class QuizWidget(widgets.VBox):
    """All questions of a quiz. The session (kernel side) holds every answer and the score."""

    score = traitlets.Int(0, help="Questions right at the first check (read only for display).")

    def __init__(self, quiz: Quiz, *, title: str, seed: int | None = None, language: str = "en",
                 on_attempt: AttemptListener | None = None, **kwargs: Any) -> None:
        self._quiz = quiz
        self._title = title
        self._seed = seed
        self._language = language
        self._on_attempt = on_attempt
        self._heading = widgets.HTML(f"<h2>{escape(title)}</h2>")
        self._progress = widgets.IntProgress(value=0, min=0, max=max(1, len(quiz.questions)),
                                             description="", layout=widgets.Layout(width="100%"))
        self._progress.add_class("spasm-progress-bar")
        self._progress_text = widgets.HTML("")
        self._progress_text.add_class("spasm-progress")
        self._score = widgets.HTML("")
        self._score.add_class("spasm-score-box")
        self._restart = widgets.Button(description=text("restart", language),
                                       tooltip=text("restart", language))
        self._restart.add_class("spasm-restart")
        self._restart.on_click(self._on_restart_click)
        self._cards_box = widgets.VBox()
        super().__init__(children=[self._heading, self._progress_text, self._progress, self._cards_box,
                                   self._score, self._restart], **kwargs)
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
        rng = random.Random(self._seed) if self._seed is not None else None
        self._session = QuizSession(self._quiz, rng)
        cards = [QuestionCard(self._session, q.id, n, language=self._language, on_attempt=self._on_attempt)
                 for n, q in enumerate(self._session.questions, 1)]
        for card in cards:
            card.observe(self._on_card_status, names="status")
        self._cards_box.children = cards
        self._update()

    def _on_card_status(self, _change: dict[str, Any]) -> None:
        self._update()

    def _on_restart_click(self, _button: widgets.Button) -> None:
        self._seed = None if self._seed is None else self._seed + 1
        self._start()

    def _update(self) -> None:
        s, lang = self._session, self._language
        self.score = s.score
        self._progress.value = s.answered
        self._progress_text.value = (f'<p aria-live="polite">{escape(text("progress", lang, answered=s.answered, total=s.total))}</p>')
        if s.finished:
            band = s.band(score_bands(lang))
            self._score.value = (f'<div class="spasm-score" role="status"><p><strong>'
                                 f"{escape(text('score', lang, score=s.score, total=s.total))}</strong></p>"
                                 f"<p>{escape(band.message)}</p></div>")
        else:
            self._score.value = ""
        self._restart.layout.display = None if s.finished else "none"
