"""The answer inputs: one class per kind of control, registered per question type in INPUTS.

QuestionCard shows ``input.widget`` and asks the input for the learner's response; grading and
words stay in the engine (quiz/types.py). An input is not a widget itself, so a card holds only
the widgets a learner sees (their CSS classes ``spasm-choices`` and ``spasm-items`` are what
the browser tests find).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

import ipywidgets as widgets
from markupsafe import Markup

from ..content import Question
from ..content.model import QuestionType
from ..quiz import Response, rules_of
from ..strings import text
from ._style import CheckboxStyle, DescriptionStyle, layout, shared


class AnswerInput:
    """The controls a learner answers one question with, shown in `order` (the session's)."""

    # The notice (a strings key) when Check is pressed before the answer is complete.
    incomplete: ClassVar[str] = "choose_first"
    widget: widgets.Widget  # what the card shows (built by each subclass)
    controls: list[widgets.Widget]  # what takes focus, disabled when the question is closed

    def __init__(self, question: Question, order: Sequence[str], language: str = "en") -> None:
        self.question = question
        self.language = language

    @classmethod
    def hint(cls, question: Question, language: str = "en") -> str:
        """How to answer, shown above the controls ("" for none)."""
        return ""

    @classmethod
    def hint_html(cls, question: Question, language: str = "en") -> Markup:
        """The hint as a paragraph, or nothing."""
        hint = cls.hint(question, language)
        return Markup('<p class="spasm-hint">{}</p>').format(hint) if hint else Markup()

    def response(self) -> Response | None:
        """The learner's answer, or None while it is incomplete."""
        raise NotImplementedError

    def show(self, response: Response) -> None:
        """Put an answer (a saved one, after a reload) back into the controls."""
        raise NotImplementedError

    def clear(self) -> None:
        """Empty the controls for Try again."""
        raise NotImplementedError


class RadioInput(AnswerInput):
    """One choice of several, as radio buttons: single, true_false and myth_fact."""

    def __init__(self, question: Question, order: Sequence[str], language: str = "en") -> None:
        super().__init__(question, order, language)
        rules = rules_of(question)
        self._radio = widgets.RadioButtons(
            options=[(rules.label(cid, language), cid) for cid in order],
            value=None,
            layout=layout(width="auto"),
            style=shared(DescriptionStyle),
        )
        self._radio.add_class("spasm-choices")
        self.widget, self.controls = self._radio, [self._radio]

    def response(self) -> Response | None:
        value = self._radio.value
        return value if isinstance(value, str) else None

    def show(self, response: Response) -> None:
        self._radio.value = response if response in dict(self._radio.options).values() else None

    def clear(self) -> None:
        self._radio.value = None


class CheckboxInput(AnswerInput):
    """Any number of choices, as checkboxes: multiple."""

    def __init__(self, question: Question, order: Sequence[str], language: str = "en") -> None:
        super().__init__(question, order, language)
        rules = rules_of(question)
        self._boxes = {
            cid: widgets.Checkbox(
                value=False,
                description=rules.label(cid, language),
                indent=False,
                layout=layout(width="auto"),
                style=shared(CheckboxStyle),
            )
            for cid in order
        }
        self.controls = list(self._boxes.values())
        self.widget = widgets.VBox(self.controls, layout=layout())
        self.widget.add_class("spasm-choices")

    @classmethod
    def hint(cls, question: Question, language: str = "en") -> str:
        return text("select_all", language)

    def response(self) -> Response | None:
        chosen = frozenset(cid for cid, box in self._boxes.items() if box.value)
        return chosen or None

    def show(self, response: Response) -> None:
        for cid, box in self._boxes.items():
            box.value = cid in response

    def clear(self) -> None:
        for box in self._boxes.values():
            box.value = False


class _DropdownInput(AnswerInput):
    """A dropdown per item, labelled with the item's text."""

    incomplete = "choose_all_items"

    def __init__(self, question: Question, order: Sequence[str], language: str = "en") -> None:
        super().__init__(question, order, language)
        by_item = {i.id: i for i in question.items}
        options = self._options()
        self._selects = {
            iid: widgets.Dropdown(
                options=options,
                value=None,
                description=by_item[iid].text,
                style=shared(DescriptionStyle, description_width="initial"),
                layout=layout(width="100%"),
            )
            for iid in order
        }
        self.controls = list(self._selects.values())
        self.widget = widgets.VBox(self.controls, layout=layout())
        self.widget.add_class("spasm-items")

    def _options(self) -> list[tuple[str, str | None]]:
        raise NotImplementedError

    def _values(self) -> dict[str, str] | None:
        values = {iid: sel.value for iid, sel in self._selects.items()}
        return None if any(v is None for v in values.values()) else values

    def clear(self) -> None:
        for sel in self._selects.values():
            sel.value = None


class MatchInput(_DropdownInput):
    """match: a dropdown of the groups for each item."""

    def _options(self) -> list[tuple[str, str | None]]:
        return [(text("choose_group", self.language), None)] + [
            (g.text, g.id) for g in self.question.groups
        ]

    @classmethod
    def hint(cls, question: Question, language: str = "en") -> str:
        return text("match_hint", language)

    def response(self) -> Response | None:
        return self._values()

    def show(self, response: Response) -> None:
        if isinstance(response, Mapping):
            for iid, sel in self._selects.items():
                sel.value = response.get(iid)


class OrderInput(_DropdownInput):
    """order: a dropdown of the places 1..n for each step."""

    def _options(self) -> list[tuple[str, str | None]]:
        n = len(self.question.items)
        return [(text("choose_place", self.language), None)] + [
            (str(k), str(k)) for k in range(1, n + 1)
        ]

    @classmethod
    def hint(cls, question: Question, language: str = "en") -> str:
        return text("order_hint", language, n=len(question.items))

    def response(self) -> Response | None:
        values = self._values()
        if values is None:
            return None
        try:
            # Two items given the same place are graded as given; the feedback then explains.
            return sorted(values, key=lambda iid: int(values[iid]))
        except (TypeError, ValueError):
            return None

    def show(self, response: Response) -> None:
        places = {iid: str(n) for n, iid in enumerate(response, 1)}
        for iid, sel in self._selects.items():
            sel.value = places.get(iid)


# The one table of question types in the widgets (the engine has its own in quiz/types.py).
INPUTS: Mapping[QuestionType, type[AnswerInput]] = {
    "single": RadioInput,
    "multiple": CheckboxInput,
    "true_false": RadioInput,
    "myth_fact": RadioInput,
    "match": MatchInput,
    "order": OrderInput,
}
