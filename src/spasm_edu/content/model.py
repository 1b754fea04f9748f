"""Typed, immutable objects that the content YAML files are validated into."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Literal, TypeGuard, get_args

# The question types. A new type needs: a name here and a row in SHAPES (what its content has),
# a QuestionRules class in quiz/types.py and an AnswerInput class in widgets/inputs.py, each
# registered in that module's table (docs/content-format.md describes it for authors).
QuestionType = Literal["single", "multiple", "true_false", "myth_fact", "match", "order"]
QUESTION_TYPES: tuple[QuestionType, ...] = get_args(QuestionType)
LessonKind = Literal["lesson", "quiz"]  # the final quiz is a "lesson" of kind quiz, no sections
LESSON_KINDS: tuple[LessonKind, ...] = get_args(LessonKind)

# The metadata of a field that the loader fills in and a content file may not give.
_NOT_IN_FILE = {"in_file": False}


@cache
def file_fields(cls: type) -> frozenset[str]:
    """The fields a content file may give for one of the classes below: all but the loader's.

    The loader allows exactly these (anything else is an "unknown field"), so a new field of
    the model is a new field of the content format, with nothing else to list.
    """
    return frozenset(f.name for f in fields(cls) if f.metadata.get("in_file", True))


@dataclass(frozen=True)
class QuestionShape:
    """What the content of one question type holds; the loader checks each question against it."""

    parts: Literal["choices", "items"]
    # Exactly these two choice ids, whose text may be left out (the app says True/False, ...).
    fixed_choices: tuple[str, str] | None = None
    one_correct: bool = True  # choices: exactly one is correct (else at least one)
    groups: bool = False  # items are sorted into groups: each item's answer is a group id
    safety: bool = True  # can be a safety question


SHAPES: dict[QuestionType, QuestionShape] = {
    "single": QuestionShape("choices"),
    "multiple": QuestionShape("choices", one_correct=False),
    "true_false": QuestionShape("choices", fixed_choices=("true", "false")),
    "myth_fact": QuestionShape("choices", fixed_choices=("myth", "fact")),
    "match": QuestionShape("items", groups=True),
    "order": QuestionShape("items", safety=False),  # the items are listed in the right order
}


def is_question_type(name: object) -> TypeGuard[QuestionType]:
    """True if `name` is one of QUESTION_TYPES."""
    return name in QUESTION_TYPES


# The safety verdict: a wrong choice whose feedback opens with it ("Not safe. Waiting can ...")
# is unsafe to choose, and the app then says "Not safe." instead of "Not quite.".
# Each language's verdict: English "Not safe.", Spanish "No es seguro." (a new language adds its
# verdict here; tests/content/test_translations.py checks every language's safety feedback).
SAFETY_VERDICT_RE = re.compile(r"^(not safe|no es seguro)[.:!]", re.IGNORECASE)


@dataclass(frozen=True)
class Source:
    """A citable source: canonical address, never a mirror."""

    id: str
    title: str
    url: str


@dataclass(frozen=True)
class Misconception:
    """A common wrong belief and the fact that corrects it."""

    id: str
    belief: str
    fact: str
    sources: tuple[str, ...] = ()  # ids of sources.yaml


@dataclass(frozen=True)
class GlossaryEntry:
    """A medical term with a plain-language definition."""

    id: str
    term: str
    definition: str


@dataclass(frozen=True)
class Image:
    """An SVG picture made for this project, with alt text."""

    file: str
    alt: str
    caption: str


@dataclass(frozen=True)
class Section:
    """One short section of a lesson."""

    id: str
    title: str
    body: str
    sources: tuple[str, ...]
    reviewed: dt.date
    evidence: str | None = None
    image: Image | None = None
    # The section's "- " lines are a checklist the learner can download to print or keep.
    checklist: bool = False


@dataclass(frozen=True)
class Choice:
    """One answer option of a choice question, with its own feedback."""

    id: str
    text: str
    correct: bool
    feedback: str
    misconception: str | None = None

    @property
    def unsafe(self) -> bool:
        """A wrong choice that is unsafe to act on: its feedback opens with "Not safe"."""
        return not self.correct and SAFETY_VERDICT_RE.match(self.feedback) is not None


@dataclass(frozen=True)
class Group:
    """A group that match items are sorted into."""

    id: str
    text: str


@dataclass(frozen=True)
class Item:
    """An item of a match or order question; `answer` is the group id (match only)."""

    id: str
    text: str
    feedback: str
    answer: str | None = None
    misconception: str | None = None


@dataclass(frozen=True)
class Question:
    """A quiz question of any type."""

    id: str
    type: QuestionType
    prompt: str
    explanation: str
    choices: tuple[Choice, ...] = ()
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...] = ()
    topic: str | None = None
    # A wrong answer can be unsafe (e.g. waiting with an emergency sign): the unsafe choices'
    # feedback opens with "Not safe"; in a match question, groups go from most to least urgent
    # and an item sorted into a less urgent group than its answer is unsafe.
    safety: bool = False

    @property
    def correct_choice_ids(self) -> frozenset[str]:
        """Ids of the correct choices (choice questions)."""
        return frozenset(c.id for c in self.choices if c.correct)

    def choice(self, choice_id: str) -> Choice:
        """Return the choice with this id."""
        for c in self.choices:
            if c.id == choice_id:
                return c
        raise KeyError(choice_id)


@dataclass(frozen=True)
class Quiz:
    """The questions at the end of a lesson, or the final quiz."""

    questions: tuple[Question, ...]
    title: str = ""
    shuffle: bool = False


@dataclass(frozen=True)
class Lesson:
    """A lesson (or the final quiz, kind == "quiz") with stable ids."""

    id: str
    order: int
    title: str
    summary: str
    quiz: Quiz
    kind: LessonKind = "lesson"
    language: str = "en"
    # A translation: the first 12 hex digits of the SHA-256 of the English file it was made
    # from; `spasm-edu validate` reports it as out of date when the English file changes.
    translated_from: str | None = None
    objectives: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    key_points: tuple[str, ...] = ()
    path: str = field(default="", metadata=_NOT_IN_FILE)  # the file it was read from

    @property
    def notebook(self) -> str:
        """File name of the notebook that shows this lesson."""
        return f"{self.order:02d}-{self.id}.ipynb"


@dataclass(frozen=True)
class Course:
    """Everything the content folder holds, validated."""

    lessons: tuple[Lesson, ...]
    sources: dict[str, Source] = field(default_factory=dict)
    misconceptions: dict[str, Misconception] = field(default_factory=dict)
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)

    def lesson(self, lesson_id: str) -> Lesson:
        """Return the lesson with this id (KeyError if unknown)."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def next_lesson(self, lesson_id: str) -> Lesson | None:
        """The lesson after this one in course order, or None at the end."""
        ids = [lesson.id for lesson in self.lessons]
        i = ids.index(lesson_id)
        return self.lessons[i + 1] if i + 1 < len(self.lessons) else None
