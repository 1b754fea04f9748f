"""The learner's before-and-after check page: the drawn questions, then their own before/after."""

from __future__ import annotations

import logging
from typing import Any

from markupsafe import Markup

from ..content import Course, Question
from ..content.checks import Checks
from ..progress import LearnerProgress
from ..quiz import Grade
from ..quiz.checks import Stage, check_quiz, learner_rng
from ..results import StoreError
from ..settings import CHECK_AFTER_PAGE, CHECK_BEFORE_PAGE
from ..strings import text
from ._render import (
    disclaimer_html,
    language_switch_html,
    page_intro_html,
    red_flags_html,
    start_nav_html,
)
from ._style import PageView, html, page
from .insights import check_gain
from .quiz import QuizWidget

log = logging.getLogger(__name__)


class CheckView(PageView):
    """One stage ("before" or "after") of the quick check, drawn for this learner.

    The draw is seeded with the learner id, so a reload, and the other stage, agree on which
    question of each pair the learner gets. Answers are saved like a lesson quiz's, under the
    stage's lesson id (quiz.checks.CHECK_LESSON_IDS).
    """

    def __init__(
        self,
        course: Course,
        checks: Checks,
        stage: Stage,
        learner_id: str,
        progress: LearnerProgress | None = None,
        *,
        language: str = "en",
        **kwargs: Any,
    ) -> None:
        self._checks = checks
        self._stage = stage
        self._progress = progress
        self._language = language
        lang = language
        learner = learner_id if progress is not None else None
        rng = learner_rng(learner_id)
        quiz = check_quiz(checks, stage, rng)
        nav = start_nav_html(lang, learner)
        # The notebook's first cell is the page's one <h1> (the title); this is the intro.
        intro = Markup('<p class="spasm-check-intro">{}</p>').format(
            text(f"check_{stage}_intro", lang, count=len(quiz.questions))
        )
        self.quiz = QuizWidget(
            quiz,
            title=checks.title,
            seed=rng.randrange(2**31),  # this learner's choice order, the same after a reload
            language=lang,
            on_attempt=self._on_attempt,
            progress=progress,
        )
        self._mine = html(css="spasm-check-mine")
        page_name = CHECK_BEFORE_PAGE if stage == "before" else CHECK_AFTER_PAGE
        head = html(
            page_intro_html(text(f"check_{stage}_title", lang), text("nb_check_intro", lang), lang)
            + nav
            + language_switch_html(page_name, lang, learner)
            + disclaimer_html(lang)
            + red_flags_html(course, lang, learner_id=learner)
        )
        super().__init__([page([head, html(intro), self.quiz, self._mine])], **kwargs)
        self.add_class(f"spasm-check-{stage}")
        self._show_mine()

    def _on_attempt(self, _question: Question, _result: Grade | None) -> None:
        self._show_mine()

    def _show_mine(self) -> None:
        """The learner's own before/after, once this stage is done (read from the store)."""
        lang, session = self._language, self.quiz.session
        if not session.finished:
            self._mine.value = Markup('<p class="spasm-check-waiting">{}</p>').format(
                text("check_mine_waiting", lang)
            )
            return
        if self._stage == "before":
            self._mine.value = Markup('<p role="status">{}</p>').format(
                text("check_mine_done_before", lang)
            )
            return
        after = round(100 * session.score / session.total) if session.total else 0
        before: int | None = None
        moved: list[str] = []
        if self._progress is not None:
            try:
                attempts = self._progress.store.attempts_for_learner(self._progress.learner_id)
            except StoreError:
                log.warning("could not read the learner's before check")
                attempts = []
            report = check_gain(self._checks, attempts)
            mine = report.learners[0] if report.learners else None
            before = mine.before if mine is not None else None
            moved = [t.idea for t in report.topics if t.moved == "up"]
        lines = [Markup("<h2>{}</h2>").format(text("check_mine_title", lang))]
        if before is None:
            lines.append(Markup("<p>{}</p>").format(text("check_mine_after", lang, score=after)))
            lines.append(Markup("<p>{}</p>").format(text("check_mine_no_before", lang)))
        else:
            lines.append(
                Markup("<p><strong>{}</strong> <strong>{}</strong></p>").format(
                    text("check_mine_before", lang, score=before),
                    text("check_mine_after", lang, score=after),
                )
            )
            if moved:
                lines.append(
                    Markup("<p>{}</p>").format(
                        text("check_mine_moved", lang, ideas="; ".join(moved))
                    )
                )
        self._mine.value = Markup('<div role="status">{}</div>').format(Markup().join(lines))
