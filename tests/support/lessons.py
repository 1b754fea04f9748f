"""Small builders shared by tests: a valid lesson as a dict, written out as YAML."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import yaml


def choice(cid: str, correct: bool, feedback: str = "Because of this reason.") -> dict[str, Any]:
    return {"id": cid, "text": f"Choice {cid}", "correct": correct, "feedback": feedback}


def valid_lesson(lesson_id: str = "test-lesson", order: int = 1) -> dict[str, Any]:
    """A lesson with one question of every type."""
    return copy.deepcopy(
        {
            "id": lesson_id,
            "order": order,
            "language": "en",
            "title": "A test lesson",
            "summary": "A lesson used by the tests.",
            "objectives": ["Know the thing."],
            "sections": [
                {
                    "id": "first",
                    "title": "First",
                    "body": "Some text.\n\n- A bullet.",
                    "sources": ["R8"],
                    "reviewed": dt.date(2026, 11, 1),
                }
            ],
            "key_points": ["The thing."],
            "quiz": {
                "questions": [
                    {
                        "id": "one",
                        "type": "single",
                        "prompt": "Pick a?",
                        "explanation": "A is right.",
                        "choices": [choice("a", True), choice("b", False), choice("c", False)],
                    },
                    {
                        "id": "many",
                        "type": "multiple",
                        "prompt": "Pick a and b.",
                        "explanation": "A and B.",
                        "choices": [choice("a", True), choice("b", True), choice("c", False)],
                    },
                    {
                        "id": "tf",
                        "type": "true_false",
                        "prompt": "True?",
                        "explanation": "It is true.",
                        "choices": [
                            {"id": "true", "correct": True, "feedback": "Yes."},
                            {"id": "false", "correct": False, "feedback": "No."},
                        ],
                    },
                    {
                        "id": "mf",
                        "type": "myth_fact",
                        "prompt": "Myth?",
                        "explanation": "A myth.",
                        "choices": [
                            {"id": "myth", "correct": True, "feedback": "Yes, a myth."},
                            {
                                "id": "fact",
                                "correct": False,
                                "feedback": "No, a myth.",
                                "misconception": "bed-rest-cures",
                            },
                        ],
                    },
                    {
                        "id": "match",
                        "type": "match",
                        "prompt": "Match.",
                        "explanation": "Like this.",
                        "groups": [
                            {"id": "g1", "text": "Group 1"},
                            {"id": "g2", "text": "Group 2"},
                        ],
                        "items": [
                            {"id": "x", "text": "X", "answer": "g1", "feedback": "X is 1."},
                            {"id": "y", "text": "Y", "answer": "g2", "feedback": "Y is 2."},
                            {"id": "z", "text": "Z", "answer": "g1", "feedback": "Z is 1."},
                        ],
                    },
                    {
                        "id": "order",
                        "type": "order",
                        "prompt": "Order.",
                        "explanation": "1, 2, 3.",
                        "items": [
                            {"id": "p1", "text": "First", "feedback": "First comes first."},
                            {"id": "p2", "text": "Second", "feedback": "Then second."},
                            {"id": "p3", "text": "Third", "feedback": "Last is third."},
                        ],
                    },
                ]
            },
        }
    )


def write_lesson(folder: Path, data: Any, name: str = "01-test-lesson.yaml") -> Path:
    path = folder / name
    text = (
        data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    )
    path.write_text(text, encoding="utf-8")
    return path
