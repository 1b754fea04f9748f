"""QuestionCard: one quiz question with its inputs, Check / Try again / Show answer and feedback."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import ipywidgets as widgets
import traitlets
from markupsafe import Markup

from .._signals import interrupts_held
from ..content import Question
from ..quiz import (
    CONFIDENCE_LEVELS,
    AnswerPart,
    Grade,
    InvalidResponse,
    QuestionLocked,
    QuizSession,
    Response,
    Status,
    decode_answer,
    rules_of,
)
from ..strings import text
from ._render import inline
from ._style import DescriptionStyle, button, html, layout, row, set_visible, shared
from .inputs import INPUTS

log = logging.getLogger(__name__)

# Called after every check (with its Grade) and after Show answer (with None).
AttemptListener = Callable[[Question, Grade | None], None]


class QuestionCard(widgets.VBox):
    """One question. Grading happens in the QuizSession; this class only connects widgets."""

    status = traitlets.UseEnum(
        Status, Status.OPEN, help="Where the learner is: open, wrong, correct or revealed."
    )

    def __init__(
        self,
        session: QuizSession,
        question_id: str,
        number: int,
        *,
        language: str = "en",
        on_attempt: AttemptListener | None = None,
        on_shown: Callable[[], None] | None = None,
        poll: bool = False,
        **kwargs: Any,
    ) -> None:
        self._poll = poll  # live poll: one answer, feedback only when the presenter reveals
        self._poll_revealed = False
        self._session = session
        self._question = session.question(question_id)
        self._language = language
        self._on_attempt = on_attempt
        self._on_shown: Callable[[], None] | None = None  # set once the card is built
        q = self._question
        self._rules = rules_of(q)
        input_class = INPUTS[q.type]
        header = html(
            Markup('<p class="spasm-qnum">{}</p><h3>{}</h3>{}').format(
                text("question_number", language, number=number, total=session.total),
                inline(q.prompt),
                input_class.hint_html(q, language),
            )
        )
        self._input = input_class(q, session.choice_orders[q.id], language)
        self._confidence = confidence_input(language)
        self._check = button(text("check", language), "spasm-check", primary=True)
        self._try_again = button(text("try_again", language), "spasm-try-again")
        self._show = button(text("show_answer", language), "spasm-show-answer")
        self._feedback = html(css="spasm-feedback")
        self._save_note = html(css="spasm-save-note")
        buttons = row([self._check, self._try_again, self._show])
        kwargs.setdefault("layout", layout())
        super().__init__(
            children=[
                header,
                self._input.widget,
                self._confidence,
                buttons,
                self._feedback,
                self._save_note,
            ],
            **kwargs,
        )
        self.add_class("spasm-card")
        self.add_class(f"spasm-q-{q.type}")
        self._check.on_click(self._on_check_click)
        self._try_again.on_click(self._on_try_again_click)
        self._show.on_click(self._on_show_click)
        self._refresh()
        self._on_shown = on_shown  # the quiz's score and progress, once the feedback is out

    # ---- reading the answer ---------------------------------------------------------------

    def _response(self) -> Response | None:
        return self._input.response()

    # ---- handlers -------------------------------------------------------------------------

    def _on_check_click(self, _button: widgets.Button) -> None:
        with interrupts_held():  # a closing page's interrupt waits for the answer's save
            self._check_answer()

    def _check_answer(self) -> None:
        try:
            response = self._response()
            if response is None:
                self._show_notice(self._input.incomplete)
                return
            # Any value the browser sends that is not one of the three counts as not stated.
            result = self._session.check(self._question.id, response, self._confidence.value)
        except QuestionLocked:
            return  # a stale or forged click: the session decides, nothing changes
        except InvalidResponse:
            self._show_notice("choose_first")
            return
        except Exception:
            log.exception("check failed for question %s", self._question.id)
            self._show_notice("error_generic")
            return
        self._refresh()
        if not result.correct:
            self._try_again.focus()  # keyboard users land on the next step, not the page top
        self._notify(result)

    def _notify(self, result: Grade | None) -> None:
        if self._on_attempt is not None:
            try:
                self._on_attempt(self._question, result)
            except Exception:
                log.exception("attempt listener failed for question %s", self._question.id)

    def reveal_poll(self) -> None:
        """The presenter revealed the answer: show it, with feedback on this learner's answer."""
        self._poll_revealed = True
        state = self._session.states[self._question.id]
        if state.status is Status.OPEN:
            self._session.reveal(self._question.id)
        self._refresh()

    def set_save_note(self, html: Markup) -> None:
        """Show whether this question's answer is saved (set by the quiz, kernel side)."""
        self._save_note.value = html

    def _on_try_again_click(self, _button: widgets.Button) -> None:
        try:
            self._session.try_again(self._question.id)
        except QuestionLocked:
            return
        self._input.clear()
        self._confidence.value = None
        self._refresh()
        self.focus_first_input()

    def focus_first_input(self) -> None:
        """Put keyboard focus on the first answer control."""
        if self._input.controls:
            self._input.controls[0].focus()

    def _on_show_click(self, _button: widgets.Button) -> None:
        state = self._session.states[self._question.id]
        if state.status not in (Status.OPEN, Status.WRONG):
            return
        with interrupts_held():  # as for a checked answer: the reveal is saved
            self._session.reveal(self._question.id)
            self._refresh()
            self._notify(None)

    def show_saved_answer(self) -> None:
        """After a resume, put the last checked answer back into the inputs."""
        state = self._session.states[self._question.id]
        if state.last is None:
            return
        self._input.show(decode_answer(self._question, state.last.answer))
        self._confidence.value = state.confidence

    # ---- showing state --------------------------------------------------------------------

    def _show_notice(self, key: str) -> None:
        self._feedback.value = Markup('<p class="spasm-notice" role="alert">{}</p>').format(
            text(key, self._language)
        )

    def refresh(self) -> None:
        """Show the session's state of this question (after answers were replayed into it)."""
        self._refresh()

    def _refresh(self) -> None:
        state = self._session.states[self._question.id]
        is_open = state.status is Status.OPEN
        # Each change is a message of its own, sent in this order. The status first: keyboard
        # focus moves on to the next question while this card is still short (after the
        # feedback, that would scroll it off a phone's screen). Then the feedback, then the
        # quiz's score and progress, then the controls (one message each: `hold_sync`).
        self.status = state.status
        if self._poll and not is_open:
            last = state.last
            if self._poll_revealed:
                mine = self._grade_html(last) if last is not None else Markup()
                self._feedback.value = mine + self._answer_html(previous=last)
            else:
                self._feedback.value = Markup(
                    '<p class="spasm-poll-sent" role="status">{}</p>'
                ).format(text("poll_sent", self._language))
        elif state.status is Status.OPEN:
            self._feedback.value = ""
        elif state.status is Status.REVEALED:
            self._feedback.value = self._answer_html(previous=state.last)
        elif state.last is not None:
            self._feedback.value = self._grade_html(state.last)
        if self._on_shown is not None:
            self._on_shown()
        for w in self._input.controls:
            w.disabled = not is_open
        with self._confidence.hold_sync():
            self._confidence.disabled = not is_open
            shown = not self._poll and (is_open or state.confidence is not None)
            set_visible(self._confidence, shown)
        _show(self._check, is_open)
        _show(self._try_again, state.status is Status.WRONG and not self._poll)
        _show(self._show, state.status in (Status.OPEN, Status.WRONG) and not self._poll)

    def _grade_html(self, result: Grade) -> Markup:
        lang, q, rules = self._language, self._question, self._rules
        if result.correct:
            css, icon, verdict = "spasm-feedback-right", "✔", text("right", lang)
        elif result.unsafe:  # a safety question answered in a way that is not safe to act on
            css, icon = "spasm-feedback-wrong spasm-feedback-unsafe", "⚠"
            verdict = text("not_safe", lang)
        else:
            css, icon, verdict = "spasm-feedback-wrong", "✘", text("not_quite", lang)
        lines = []
        for line in result.feedback:
            mark = "⚠" if line.unsafe else "✔" if line.right else "✘"
            label = rules.label(line.ref, lang)
            lines.append(
                Markup(
                    '<li><span aria-hidden="true">{}</span> <strong>{}</strong>: {}</li>'
                ).format(mark, inline(label), inline(without_verdict(line.text, lang)))
            )
        parts = Markup()
        if rules.has_parts and not result.correct:
            parts = Markup("<p>{}</p>").format(
                text("your_answer_parts", lang, right=result.n_right_parts, total=len(q.items))
            )
        explanation = Markup("<p>{}</p>").format(inline(q.explanation)) if result.correct else ""
        sure = self._session.states[q.id].confidence
        if not result.correct and sure == "certain":
            # Sure and wrong: the riskiest kind of mistake, said gently, with no blame.
            key = "confident_wrong_safety" if q.safety else "confident_wrong"
            parts += Markup('<p class="spasm-confident-wrong">{}</p>').format(text(key, lang))
        return Markup(
            '<div class="{}" role="status"><p class="spasm-verdict"><span aria-hidden="true">'
            "{}</span> <strong>{}</strong></p>{}<ul>{}</ul>{}</div>"
        ).format(css, icon, verdict, parts, Markup().join(lines), explanation)

    def _answer_html(self, previous: Grade | None) -> Markup:
        q, lang = self._question, self._language
        answer = Markup().join(_part_html(part, lang) for part in self._rules.correct_answer(lang))
        return Markup(
            '<div class="spasm-feedback-right" role="status"><p class="spasm-verdict">'
            "<strong>{}</strong></p><ul>{}</ul><p>{}</p></div>"
        ).format(text("answer_was", lang), answer, inline(q.explanation))


def confidence_input(language: str = "en") -> widgets.RadioButtons:
    """The "How sure are you?" control: three radio buttons, none chosen (it is optional)."""
    w = widgets.RadioButtons(
        options=[(text(f"confidence_{level}", language), level) for level in CONFIDENCE_LEVELS],
        value=None,
        description=text("confidence_label", language),
        layout=layout(width="auto"),
        style=shared(DescriptionStyle, description_width="initial"),
    )
    w.add_class("spasm-confidence")
    return w


@lru_cache(maxsize=8)
def _verdict_re(language: str) -> re.Pattern[str]:
    words = (text(key, language).rstrip(".!:") for key in ("right", "not_quite", "not_safe"))
    return re.compile(rf"^(?:{'|'.join(map(re.escape, words))})[.!,:]\s+", re.IGNORECASE)


def without_verdict(feedback: str, language: str = "en") -> str:
    """Feedback without a verdict it opens with ("Not quite. ...", "Right, it is a myth."):
    the card says the verdict once, in its heading, and marks each line with an icon."""
    match = _verdict_re(language).match(feedback)
    if match is None or match.end() == len(feedback):
        return feedback
    rest = feedback[match.end() :]
    return rest[0].upper() + rest[1:]


def _part_html(part: AnswerPart, language: str) -> Markup:
    """One part of the right answer: its words, the key words in bold, and why."""
    key = Markup("<strong>{}</strong>").format(inline(part.key)) if part.key else ""
    note = Markup(": {}").format(inline(without_verdict(part.note, language))) if part.note else ""
    return Markup("<li>{}{}{}</li>").format(inline(part.lead), key, note)


def _show(widget: widgets.Button, visible: bool) -> None:
    with widget.hold_sync():
        set_visible(widget, visible)
        widget.disabled = not visible
