"""The quiz engine: grading and sessions, with no widget code."""

from .engine import (
    FeedbackLine,
    Grade,
    InvalidResponse,
    QuestionLocked,
    QuestionState,
    QuizSession,
    Response,
    ScoreBand,
    Status,
    grade,
    normalise,
)

__all__ = [
    "FeedbackLine",
    "Grade",
    "InvalidResponse",
    "QuestionLocked",
    "QuestionState",
    "QuizSession",
    "Response",
    "ScoreBand",
    "Status",
    "grade",
    "normalise",
]
