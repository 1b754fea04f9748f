"""The question types' one home (quiz/types.py): every type registered, the answer encoding, words."""

from __future__ import annotations

import random

import pytest

from spasm_edu.content import Choice, Group, Item, Question
from spasm_edu.content.model import QUESTION_TYPES, SHAPES
from spasm_edu.quiz import RULES, decode_answer, grade, rules_of, words

SINGLE = Question(
    "one",
    "single",
    "Pick one.",
    "A is right.",
    choices=(
        Choice("a", "Choice a", True, "Right. Because."),
        Choice("b", "Choice b", False, "Not quite. Because.", "bed-rest-cures"),
        Choice("c", "Choice c", False, "Because."),
    ),
)
MULTIPLE = Question(
    "many",
    "multiple",
    "Pick all.",
    "A and B.",
    choices=(
        Choice("b", "Choice b", True, "Yes, b."),
        Choice("a", "Choice a", True, "Yes, a."),
        Choice("c", "Choice c", False, "No, c.", "bed-rest-cures"),
    ),
)
TRUE_FALSE = Question(
    "tf",
    "true_false",
    "True?",
    "It is true.",
    choices=(Choice("true", "True", True, "Yes."), Choice("false", "False", False, "No.")),
)
MYTH_FACT = Question(
    "mf",
    "myth_fact",
    "Myth?",
    "A myth.",
    choices=(Choice("myth", "Myth", True, "Yes."), Choice("fact", "It's a fact", False, "No.")),
)
MATCH = Question(
    "match",
    "match",
    "Match.",
    "Like this.",
    groups=(Group("now", "Call now"), Group("home", "Care at home")),
    items=(
        Item("numb", "Numbness", "Call now.", "now", "wait-and-see-numbness"),
        Item("ache", "An ache", "Home is fine.", "home"),
    ),
)
ORDER = Question(
    "steps",
    "order",
    "Order.",
    "1, 2, 3.",
    items=(
        Item("a", "Wrap", "First."),
        Item("b", "Apply", "Then."),
        Item("c", "Remove", "Last.", misconception="ice-directly"),
    ),
)
ONE_OF_EACH = (SINGLE, MULTIPLE, TRUE_FALSE, MYTH_FACT, MATCH, ORDER)


def test_every_question_type_has_a_shape_and_rules() -> None:
    assert set(SHAPES) == set(RULES) == set(QUESTION_TYPES)
    assert {q.type for q in ONE_OF_EACH} == set(QUESTION_TYPES)


# The documented answer encoding (quiz/types.py): saved answers must keep decoding, so these
# strings never change.
@pytest.mark.parametrize(
    ("question", "response", "encoded"),
    [
        (SINGLE, "b", "b"),
        (TRUE_FALSE, "false", "false"),
        (MYTH_FACT, "myth", "myth"),
        (MULTIPLE, ["c", "a"], "a,c"),
        (MATCH, {"ache": "now", "numb": "home"}, "numb=home,ache=now"),
        (ORDER, ("b", "a", "c"), "b,a,c"),
    ],
)
def test_the_answer_encoding_is_stable_and_decodes_back(
    question: Question, response: object, encoded: str
) -> None:
    graded = grade(question, response)  # type: ignore[arg-type]
    assert graded.answer == encoded
    again = grade(question, decode_answer(question, encoded))
    assert again == graded


@pytest.mark.parametrize("question", ONE_OF_EACH, ids=lambda q: q.type)
@pytest.mark.parametrize("stale", ["", "gone", "a,gone", "x=y,z", "=", ",,"])
def test_decoding_a_stale_answer_never_fails(question: Question, stale: str) -> None:
    rules = rules_of(question)
    response = rules.decode(stale)
    rules.misconceptions(response)  # the class report reads old answers too
    assert isinstance(words(rules.describe(response)), str)


def test_misconceptions_come_from_the_wrong_parts() -> None:
    assert grade(SINGLE, "b").misconceptions == ("bed-rest-cures",)
    assert grade(MULTIPLE, {"a", "b", "c"}).misconceptions == ("bed-rest-cures",)
    assert grade(MATCH, {"numb": "home", "ache": "home"}).misconceptions == (
        "wait-and-see-numbness",
    )
    assert grade(ORDER, ("a", "c", "b")).misconceptions == ("ice-directly",)
    assert grade(ORDER, ("a", "b", "c")).misconceptions == ()


@pytest.mark.parametrize(
    ("question", "answer", "given", "right"),
    [
        (SINGLE, "b", "Choice b", "Choice a"),
        (MULTIPLE, "a,c", "Choice a; Choice c", "Choice b; Choice a"),  # content order
        (TRUE_FALSE, "false", "False", "True"),
        (MYTH_FACT, "fact", "It's a fact", "Myth"),
        (MATCH, "numb=home,ache=home", "Numbness → Care at home; An ache → Care at home",
         "Numbness → Call now; An ache → Care at home"),
        (ORDER, "c,a,b", "Remove; Wrap; Apply", "1. Wrap; 2. Apply; 3. Remove"),
    ],
)  # fmt: skip
def test_an_answer_and_the_right_answer_in_words(
    question: Question, answer: str, given: str, right: str
) -> None:
    rules = rules_of(question)
    assert words(rules.describe(rules.decode(answer))) == given
    assert words(rules.correct_answer()) == right


def test_true_false_without_text_says_the_apps_own_words() -> None:
    bare = Question(
        "tf",
        "true_false",
        "True?",
        "Yes.",
        choices=(Choice("true", "true", True, "Yes."), Choice("false", "false", False, "No.")),
    )
    assert rules_of(bare).label("true") == "True"
    assert rules_of(bare).label("gone") == "gone"  # a choice the content no longer has


def test_each_type_arranges_its_parts() -> None:
    rng = random.Random(1)
    assert rules_of(TRUE_FALSE).arrange(rng, shuffle=True) == ("true", "false")
    assert rules_of(MATCH).arrange(rng, shuffle=True) == ("numb", "ache")
    assert rules_of(SINGLE).arrange(None, shuffle=False) == ("a", "b", "c")
    shown = rules_of(ORDER).arrange(None, shuffle=False)  # always shuffled
    assert sorted(shown) == ["a", "b", "c"] and shown != ("a", "b", "c")
