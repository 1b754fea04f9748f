"""Lesson content: typed model, YAML loader and the validation rules."""

from ._yaml import Problem
from .loader import CONTENT_DIR, ContentError, check_paths, load_course
from .model import (
    Choice,
    Course,
    GlossaryEntry,
    Group,
    Image,
    Item,
    Lesson,
    Misconception,
    Question,
    Quiz,
    Section,
    Source,
)

__all__ = [
    "CONTENT_DIR",
    "Choice",
    "ContentError",
    "Course",
    "GlossaryEntry",
    "Group",
    "Image",
    "Item",
    "Lesson",
    "Misconception",
    "Problem",
    "Question",
    "Quiz",
    "Section",
    "Source",
    "check_paths",
    "load_course",
]
