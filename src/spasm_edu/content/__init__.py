"""Lesson content: typed model (model.py), YAML loader (loader.py) and the rules (rules.py)."""

from ._yaml import Problem
from .loader import CONTENT_DIR, ContentError, check_paths, load_course, load_lesson_file
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
from .rules import checklist_lines

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
    "checklist_lines",
    "load_course",
    "load_lesson_file",
]
