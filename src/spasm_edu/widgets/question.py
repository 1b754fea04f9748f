"""QuestionCard: one quiz question with its inputs, Check / Try again / Show answer and feedback."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from functools import lru_cache
from html import escape
from typing import Any

import ipywidgets as widgets
import traitlets

from ..content import Question
from ..quiz import (
    Grade,
    InvalidResponse,
    QuestionLocked,
    QuizSession,
    Response,
    Status,
    decode_answer,
)
from ..strings import text
from ._render import inline
from ._style import CheckboxStyle, DescriptionStyle, button, html, layout, set_visible, shared

log = logging.getLogger(__name__)

# Called after every check (with its Grade) and after Show answer (with None).
AttemptListener = Callable[[Question, Grade | None], None]


class QuestionCard(widgets.VBox):
    """One question. Grading happens in the QuizSession; this class only connects widgets."""

    status = traitlets.Unicode(Status.OPEN.value, help="open, wrong, correct or revealed.")

    def __init__(
        self,
        session: QuizSession,
        question_id: str,
        number: int,
        *,
        language: str = "en",
        on_attempt: AttemptListener | None = None,
        poll: bool = False,
        **kwargs: Any,
    ) -> None:
        self._poll = poll  # live poll: one answer, feedback only when the presenter reveals
        self._poll_revealed = False
        self._session = session
        self._question = session.question(question_id)
        self._language = language
        self._on_attempt = on_attempt
        q = self._question
        header = html(
            f'<p class="spasm-qnum">{escape(text("question_number", language, number=number, total=session.total))}</p>'
            f"<h3>{inline(q.prompt)}</h3>{self._hint_html()}"
        )
        self._inputs = self._build_inputs()
        self._check = button(text("check", language), "spasm-check", primary=True)
        self._try_again = button(text("try_again", language), "spasm-try-again")
        self._show = button(text("show_answer", language), "spasm-show-answer")
        self._feedback = html(css="spasm-feedback")
        self._save_note = html(css="spasm-save-note")
        buttons = widgets.HBox(
            [self._check, self._try_again, self._show],
            layout=layout(flex_flow="row wrap", grid_gap="0.4rem"),
        )
        kwargs.setdefault("layout", layout())
        super().__init__(
            children=[header, self._inputs, buttons, self._feedback, self._save_note], **kwargs
        )
        self.add_class("spasm-card")
        self.add_class(f"spasm-q-{q.type}")
        self._check.on_click(self._on_check_click)
        self._try_again.on_click(self._on_try_again_click)
        self._show.on_click(self._on_show_click)
        self._refresh()

    # ---- building -------------------------------------------------------------------------

    def _hint_html(self) -> str:
        q, lang = self._question, self._language
        hint = {
            "multiple": text("select_all", lang),
            "match": text("match_hint", lang),
            "order": text("order_hint", lang, n=len(q.items)),
        }.get(q.type)
        return f'<p class="spasm-hint">{escape(hint)}</p>' if hint else ""

    def _ordered(self) -> list[str]:
        return list(self._session.choice_orders[self._question.id])

    def _build_inputs(self) -> widgets.Widget:
        q, lang = self._question, self._language
        if q.type in ("single", "true_false", "myth_fact"):
            by_id = {c.id: c for c in q.choices}
            labels = [
                (_choice_label(by_id[cid].text, cid, q.type, lang), cid) for cid in self._ordered()
            ]
            self._radio = widgets.RadioButtons(
                options=labels,
                value=None,
                layout=layout(width="auto"),
                style=shared(DescriptionStyle),
            )
            self._radio.add_class("spasm-choices")
            return self._radio
        if q.type == "multiple":
            by_id = {c.id: c for c in q.choices}
            self._boxes = {
                cid: widgets.Checkbox(
                    value=False,
                    description=by_id[cid].text,
                    indent=False,
                    layout=layout(width="auto"),
                    style=shared(CheckboxStyle),
                )
                for cid in self._ordered()
            }
            box = widgets.VBox(list(self._boxes.values()), layout=layout())
            box.add_class("spasm-choices")
            return box
        by_item = {i.id: i for i in q.items}
        if q.type == "match":
            options: list[tuple[str, str | None]] = [(text("choose_group", lang), None)]
            options += [(g.text, g.id) for g in q.groups]
        else:
            options = [(text("choose_place", lang), None)]
            options += [(str(n), str(n)) for n in range(1, len(q.items) + 1)]
        self._selects = {
            iid: widgets.Dropdown(
                options=options,
                value=None,
                description=by_item[iid].text,
                style=shared(DescriptionStyle, description_width="initial"),
                layout=layout(width="100%"),
            )
            for iid in self._ordered()
        }
        box = widgets.VBox(list(self._selects.values()), layout=layout())
        box.add_class("spasm-items")
        return box

    # ---- reading the answer ---------------------------------------------------------------

    def _response(self) -> Response | None:
        q = self._question
        if q.type in ("single", "true_false", "myth_fact"):
            value = self._radio.value
            return value if isinstance(value, str) else None
        if q.type == "multiple":
            chosen = frozenset(cid for cid, box in self._boxes.items() if box.value)
            return chosen or None
        values = {iid: sel.value for iid, sel in self._selects.items()}
        if any(v is None for v in values.values()):
            return None
        if q.type == "match":
            return values
        try:
            # Two items given the same place are graded as given; the feedback then explains.
            return sorted(values, key=lambda iid: int(values[iid]))
        except (TypeError, ValueError):
            return None

    # ---- handlers -------------------------------------------------------------------------

    def _on_check_click(self, _button: widgets.Button) -> None:
        try:
            response = self._response()
            if response is None:
                self._show_notice(
                    "choose_all_items"
                    if self._question.type in ("match", "order")
                    else "choose_first"
                )
                return
            result = self._session.check(self._question.id, response)
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

    def set_save_note(self, html: str) -> None:
        """Show whether this question's answer is saved (set by the quiz, kernel side)."""
        self._save_note.value = html

    def _on_try_again_click(self, _button: widgets.Button) -> None:
        try:
            self._session.try_again(self._question.id)
        except QuestionLocked:
            return
        self._reset_inputs()
        self._refresh()
        self.focus_first_input()

    def focus_first_input(self) -> None:
        """Put keyboard focus on the first answer control."""
        inputs = self._input_widgets()
        if inputs:
            inputs[0].focus()

    def _on_show_click(self, _button: widgets.Button) -> None:
        state = self._session.states[self._question.id]
        if state.status not in (Status.OPEN, Status.WRONG):
            return
        self._session.reveal(self._question.id)
        self._refresh()
        self._notify(None)

    def show_saved_answer(self) -> None:
        """After a resume, put the last checked answer back into the inputs."""
        last = self._session.states[self._question.id].last
        if last is None:
            return
        response = decode_answer(self._question, last.answer)
        q = self._question
        if q.type in ("single", "true_false", "myth_fact"):
            self._radio.value = response if response in dict(self._radio.options).values() else None
        elif q.type == "multiple":
            for cid, box in self._boxes.items():
                box.value = cid in response
        elif q.type == "match" and isinstance(response, dict):
            for iid, sel in self._selects.items():
                sel.value = response.get(iid)
        elif q.type == "order":
            places = {iid: str(n) for n, iid in enumerate(response, 1)}
            for iid, sel in self._selects.items():
                sel.value = places.get(iid)

    # ---- showing state --------------------------------------------------------------------

    def _reset_inputs(self) -> None:
        q = self._question
        if q.type in ("single", "true_false", "myth_fact"):
            self._radio.value = None
        elif q.type == "multiple":
            for box in self._boxes.values():
                box.value = False
        else:
            for sel in self._selects.values():
                sel.value = None

    def _input_widgets(self) -> list[widgets.Widget]:
        q = self._question
        if q.type in ("single", "true_false", "myth_fact"):
            return [self._radio]
        if q.type == "multiple":
            return list(self._boxes.values())
        return list(self._selects.values())

    def _show_notice(self, key: str) -> None:
        self._feedback.value = (
            f'<p class="spasm-notice" role="alert">{escape(text(key, self._language))}</p>'
        )

    def refresh(self) -> None:
        """Show the session's state of this question (after answers were replayed into it)."""
        self._refresh()

    def _refresh(self) -> None:
        state = self._session.states[self._question.id]
        self.status = state.status.value
        is_open = state.status is Status.OPEN
        for w in self._input_widgets():
            w.disabled = not is_open
        _show(self._check, is_open)
        _show(self._try_again, state.status is Status.WRONG and not self._poll)
        _show(self._show, state.status in (Status.OPEN, Status.WRONG) and not self._poll)
        if self._poll and not is_open:
            last = state.last
            if self._poll_revealed:
                mine = self._grade_html(last) if last is not None else ""
                self._feedback.value = mine + self._answer_html(previous=last)
            else:
                self._feedback.value = (
                    f'<p class="spasm-poll-sent" role="status">'
                    f"{escape(text('poll_sent', self._language))}</p>"
                )
        elif state.status is Status.OPEN:
            self._feedback.value = ""
        elif state.status is Status.REVEALED:
            self._feedback.value = self._answer_html(previous=state.last)
        elif state.last is not None:
            self._feedback.value = self._grade_html(state.last)

    def _grade_html(self, result: Grade) -> str:
        lang, q = self._language, self._question
        if result.correct:
            css, icon, verdict = "spasm-feedback-right", "✔", text("right", lang)
        elif result.unsafe:  # a safety question answered in a way that is not safe to act on
            css, icon = "spasm-feedback-wrong spasm-feedback-unsafe", "⚠"
            verdict = text("not_safe", lang)
        else:
            css, icon, verdict = "spasm-feedback-wrong", "✘", text("not_quite", lang)
        lines = []
        labels = {c.id: c.text for c in q.choices} | {i.id: i.text for i in q.items}
        for line in result.feedback:
            mark = "⚠" if line.unsafe else "✔" if line.right else "✘"
            label = _choice_label(labels[line.ref], line.ref, q.type, lang)
            lines.append(
                f'<li><span aria-hidden="true">{mark}</span> <strong>{inline(label)}</strong>: '
                f"{inline(without_verdict(line.text, lang))}</li>"
            )
        parts = ""
        if q.type in ("match", "order") and not result.correct:
            parts = f"<p>{escape(text('your_answer_parts', lang, right=result.n_right_parts, total=len(q.items)))}</p>"
        return (
            f'<div class="{css}" role="status"><p class="spasm-verdict"><span aria-hidden="true">'
            f"{icon}</span> <strong>{escape(verdict)}</strong></p>{parts}<ul>{''.join(lines)}</ul>"
            f"{'<p>' + inline(q.explanation) + '</p>' if result.correct else ''}</div>"
        )

    def _answer_html(self, previous: Grade | None) -> str:
        q, lang = self._question, self._language
        if q.type in ("single", "multiple", "true_false", "myth_fact"):
            answer = "".join(
                f"<li><strong>{inline(_choice_label(c.text, c.id, q.type, lang))}</strong>: "
                f"{inline(without_verdict(c.feedback, lang))}</li>"
                for c in q.choices
                if c.correct
            )
        elif q.type == "match":
            groups = {g.id: g.text for g in q.groups}
            answer = "".join(
                f"<li>{inline(i.text)} → <strong>{inline(groups[i.answer or ''])}</strong></li>"
                for i in q.items
            )
        else:
            answer = "".join(f"<li>{n}. {inline(i.text)}</li>" for n, i in enumerate(q.items, 1))
        return (
            f'<div class="spasm-feedback-right" role="status"><p class="spasm-verdict">'
            f"<strong>{escape(text('answer_was', lang))}</strong></p><ul>{answer}</ul>"
            f"<p>{inline(q.explanation)}</p></div>"
        )


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


def _choice_label(label: str, choice_id: str, qtype: str, language: str) -> str:
    if qtype in ("true_false", "myth_fact") and label.lower() == choice_id:
        return text(choice_id, language)
    return label


def _show(widget: widgets.Button, visible: bool) -> None:
    set_visible(widget, visible)
    widget.disabled = not visible
