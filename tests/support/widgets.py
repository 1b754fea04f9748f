"""Find widgets by their stable `spasm-*` CSS classes, and answer a question card as a learner.

This is the one place in the tests that knows widgets keep their CSS classes in
`_dom_classes`; tests say `find(page, css="spasm-check")`, never `card._check`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypeVar

import ipywidgets as widgets

from spasm_edu import show_lesson
from spasm_edu.content import Question
from spasm_edu.widgets import LessonView, QuestionCard, QuizWidget
from tests.support.answers import ONE_CHOICE, Answer, answer_for, labels_of, response_of

W = TypeVar("W", bound=widgets.Widget)


def walk(root: widgets.Widget) -> Iterator[widgets.Widget]:
    """`root` and every widget below it, depth first, in the order shown."""
    yield root
    for child in getattr(root, "children", ()):
        yield from walk(child)


def classes(widget: widgets.Widget) -> frozenset[str]:
    """The CSS classes a widget carries."""
    return frozenset(getattr(widget, "_dom_classes", ()))


def find_all(
    root: widgets.Widget, css: str | None = None, kind: type[W] | None = None
) -> list[Any]:
    """Every widget under `root` (itself included) with CSS class `css` and of type `kind`."""
    return [
        w
        for w in walk(root)
        if (css is None or css in classes(w)) and (kind is None or isinstance(w, kind))
    ]


def find(root: widgets.Widget, css: str | None = None, kind: type[W] | None = None) -> Any:
    """The one widget under `root` with CSS class `css` (and of type `kind`); fails otherwise."""
    found = find_all(root, css, kind)
    assert len(found) == 1, f"{len(found)} widgets with css={css!r} kind={kind} under {root!r}"
    return found[0]


def html_text(root: widgets.Widget) -> str:
    """The HTML of every HTML widget under `root`, joined with spaces."""
    return " ".join(w.value for w in walk(root) if isinstance(w, widgets.HTML))


# ---- question cards ---------------------------------------------------------------------------


def lesson_quiz(lesson_id: str = "what-is-a-back-spasm") -> QuizWidget:
    """A fresh lesson page's quiz."""
    view = show_lesson(lesson_id)
    assert isinstance(view, LessonView)
    return view.quiz


def feedback(card: widgets.Widget) -> str:
    """What the card's feedback area says now (HTML)."""
    return find(card, "spasm-feedback").value


def save_note(card: widgets.Widget) -> str:
    """What the card's save note says now (HTML)."""
    return find(card, "spasm-save-note").value


def click(root: widgets.Widget, css: str) -> None:
    """Click the one button with CSS class `css` under `root`."""
    find(root, css, widgets.Button).click()


def question_of(card: QuestionCard) -> Question:
    """The question a card asks. (No widget shows the id: the card's one private read.)"""
    return card._question


def controls(card: QuestionCard) -> list[widgets.Widget]:
    """A card's answer controls in the order shown, found by their CSS classes."""
    (box,) = [w for w in walk(card) if {"spasm-choices", "spasm-items"} & classes(w)]
    return [box] if isinstance(box, widgets.RadioButtons) else list(box.children)


def fill_in(card: QuestionCard, answer: Answer) -> None:
    """Set the controls by what the learner sees (labels), as a learner would; no Check."""
    question = question_of(card)
    choices, selects = labels_of(question, answer)
    shown = controls(card)
    if question.type in ONE_CHOICE:
        (radio,) = shown
        (label,) = choices
        radio.value = dict(radio.options)[label]
    elif question.type == "multiple":
        assert set(choices) <= {box.description for box in shown}, choices
        for box in shown:
            box.value = box.description in choices
    else:
        by_label = {select.description: select for select in shown}
        assert set(by_label) == {item for item, _ in selects}, selects
        for item, option in selects:
            select = by_label[item]
            select.value = dict(select.options)[option]


def to_answer(question: Question, response: Any) -> Answer:
    """An engine response (a choice id, a set of them, or item id -> value) as an `Answer`."""
    if isinstance(response, str):
        return Answer(choices=(response,))
    if isinstance(response, (set, frozenset)):
        return Answer(choices=tuple(c.id for c in question.choices if c.id in response))
    return Answer(items=tuple(response.items()))


def answer(card: QuestionCard, response: Any) -> None:
    """Set the controls as a learner would (a choice id, a set of them, or item -> value); Check."""
    fill_in(card, to_answer(question_of(card), response))
    click(card, "spasm-check")


def right_response(card: QuestionCard) -> Any:
    """The right answer to the card's question, as an engine response."""
    q = question_of(card)
    return response_of(q, answer_for(q, right=True))


def wrong_response(card: QuestionCard) -> Any:
    """A wrong answer to the card's question, as an engine response."""
    q = question_of(card)
    return response_of(q, answer_for(q, right=False))
