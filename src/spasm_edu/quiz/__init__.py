"""The quiz engine: grading and sessions, with no widget code.

``types`` holds one class per question type (the only place that branches on a type),
``answers`` what an answer and a grade are, ``engine`` the quiz session.
"""

from .answers import AnswerPart, FeedbackLine, Grade, InvalidResponse, Response, words
from .engine import (
    CONFIDENCE_LEVELS,
    RESTART_QUESTION,
    REVEALED_ANSWER,
    REVIEW_QUESTION,
    QuestionLocked,
    QuestionState,
    QuizSession,
    ScoreBand,
    Status,
    confidence_of,
    decode_answer,
    grade,
    normalise,
)
from .types import RULES, QuestionRules, rules_of

__all__ = [
    "CONFIDENCE_LEVELS",
    "RESTART_QUESTION",
    "REVEALED_ANSWER",
    "REVIEW_QUESTION",
    "RULES",
    "AnswerPart",
    "FeedbackLine",
    "Grade",
    "InvalidResponse",
    "QuestionLocked",
    "QuestionRules",
    "QuestionState",
    "QuizSession",
    "Response",
    "ScoreBand",
    "Status",
    "confidence_of",
    "decode_answer",
    "grade",
    "normalise",
    "rules_of",
    "words",
]
