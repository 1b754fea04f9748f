"""ipywidgets views of lessons and quizzes; grading stays in spasm_edu.quiz."""

from .lesson import BrokenLessonView, LessonView, StartPage
from .question import QuestionCard
from .quiz import QuizWidget, score_bands

__all__ = [
    "BrokenLessonView",
    "LessonView",
    "QuestionCard",
    "QuizWidget",
    "StartPage",
    "score_bands",
]
