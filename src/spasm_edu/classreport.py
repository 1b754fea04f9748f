"""How a class did, computed from the results store and the content: pure data for the educator."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

from .content import Course, Lesson, Question
from .quiz import RESTART_QUESTION, REVEALED_ANSWER, rules_of, words
from .results import Attempt, ResultsStore

SCORE_BUCKETS = ((0, 19), (20, 39), (40, 59), (60, 79), (80, 100))


@dataclass(frozen=True)
class QuestionRow:
    """One question: how often the class got it right, and the most common wrong answer."""

    lesson_id: str
    question: Question
    attempts: int  # learners whose first answer counts (one each, as in scores)
    percent_correct: float
    common_wrong: str  # choice texts of the most common wrong answer, "" if none
    common_wrong_count: int


@dataclass(frozen=True)
class ClassReport:
    """Everything the educator page shows for one class (and optionally one lesson)."""

    class_code: str
    nicknames: tuple[str, ...]
    joined: int
    finished: int
    score_buckets: tuple[tuple[str, int], ...]
    questions: tuple[QuestionRow, ...]
    misconceptions: tuple[tuple[str, int], ...]  # belief, how many first answers revealed it


def class_attempts(
    store: ResultsStore,
    questions: Mapping[tuple[str, str], Question],
    class_code: str,
    lesson_id: str | None = None,
) -> list[Attempt]:
    """A class's attempts at `questions` (keyed by lesson and question id) and its restarts,
    oldest first; answers to questions the content no longer has are left out."""
    attempts = [
        a
        for a in store.attempts_for_class(class_code, lesson_id)
        if (a.lesson_id, a.question_id) in questions or a.question_id == RESTART_QUESTION
    ]
    attempts.sort(key=lambda a: (a.answered_at, a.id))
    return attempts


def first_answers(attempts: Iterable[Attempt]) -> dict[str, dict[tuple[str, str], Attempt]]:
    """Per learner: the first checked answer of each question since their last restart of
    that lesson (what scores count), from attempts oldest first."""
    first: dict[str, dict[tuple[str, str], Attempt]] = defaultdict(dict)
    for a in attempts:
        if a.question_id == RESTART_QUESTION:
            first[a.learner_id] = {
                k: v for k, v in first[a.learner_id].items() if k[0] != a.lesson_id
            }
            continue
        first[a.learner_id].setdefault((a.lesson_id, a.question_id), a)
    return first


def percent_right(answers: Collection[Attempt]) -> int:
    """The score of some first answers: percent right, rounded (0 when there are none)."""
    right = sum(1 for a in answers if a.correct)
    return round(100 * right / len(answers)) if answers else 0


def build_report(
    store: ResultsStore, course: Course, class_code: str, lesson_id: str | None = None
) -> ClassReport:
    """Summarise a class's saved attempts (all lessons, or one)."""
    lessons: list[Lesson] = [course.lesson(lesson_id)] if lesson_id else list(course.lessons)
    questions = {(x.id, q.id): q for x in lessons for q in x.quiz.questions}
    learners = store.class_learners(class_code)
    attempts = class_attempts(store, questions, class_code, lesson_id)
    first = first_answers(attempts)
    # "Finished": answered every question of the chosen lesson, or of the final quiz for all.
    target = lessons if lesson_id else [x for x in lessons if x.kind == "quiz"] or lessons
    needed = {(x.id, q.id) for x in target for q in x.quiz.questions}
    buckets = Counter[str]()
    finished = 0
    for answers in first.values():
        percent = percent_right(answers.values())
        for low, high in SCORE_BUCKETS:
            if low <= percent <= high:
                buckets[f"{low}–{high}%"] += 1
        if needed <= set(answers):
            finished += 1

    rows = []
    misconceptions = Counter[str]()
    # Each learner's first answer, as scores and the gradebook count it: a second try or a
    # restart does not count a question twice ("Show answer" first counts as not right).
    by_question: dict[tuple[str, str], list[Attempt]] = defaultdict(list)
    for answers in first.values():
        for key, a in answers.items():
            by_question[key].append(a)
    for key, question in questions.items():
        given = by_question.get(key, [])
        rules = rules_of(question)
        wrong = Counter(a.answer for a in given if not a.correct and a.answer != REVEALED_ANSWER)
        for answer, count in wrong.items():
            for mid in rules.misconceptions(rules.decode(answer)):
                if mid in course.misconceptions:
                    misconceptions[course.misconceptions[mid].belief] += count
        top, top_count = wrong.most_common(1)[0] if wrong else ("", 0)
        rows.append(
            QuestionRow(
                lesson_id=key[0],
                question=question,
                attempts=len(given),
                percent_correct=100.0 * sum(a.correct for a in given) / len(given)
                if given
                else 0.0,
                common_wrong=words(rules.describe(rules.decode(top))) if top else "",
                common_wrong_count=top_count,
            )
        )
    return ClassReport(
        class_code=class_code,
        nicknames=tuple(sorted(x.nickname or "" for x in learners)),
        joined=len(learners),
        finished=finished,
        score_buckets=tuple((f"{lo}–{hi}%", buckets[f"{lo}–{hi}%"]) for lo, hi in SCORE_BUCKETS),
        questions=tuple(rows),
        misconceptions=tuple(misconceptions.most_common()),
    )
