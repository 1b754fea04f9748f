"""The quiz engine: grading and sessions, with no widget code."""

from .engine import (
    RESTART_QUESTION,
    REVEALED_ANSWER,
    FeedbackLine,
    Grade,
    InvalidResponse,
    QuestionLocked,
    QuestionState,
    QuizSession,
    Response,
    ScoreBand,
    Status,
    decode_answer,
    grade,
    normalise,
)

__all__ = [
    "RESTART_QUESTION",
    "REVEALED_ANSWER",
    "FeedbackLine",
    "Grade",
    "InvalidResponse",
    "QuestionLocked",
    "QuestionState",
    "QuizSession",
    "Response",
    "ScoreBand",
    "Status",
    "decode_answer",
    "grade",
    "normalise",
]
