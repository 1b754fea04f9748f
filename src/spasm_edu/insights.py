"""What a class learned: answers given with certainty and still wrong, and before/after gains.

Pure data for the educator page (widgets/insights.py shows it); no widgets here.

Normalised gain
---------------
A learner's gain is ``(after - before) / (100 - before)``, scores in percent: the share of
what they did not know before that they knew after (1.0: all of it; 0: nothing; below 0:
they did worse). A learner with 100 % before has nothing left to gain, so the formula has
no value: their gain is None and they are counted apart ("full marks before"), never as 0 or
1. A learner with only one of the two checks has no gain either and is counted apart too.
The class gain is the same formula on the class's average before and after of the learners
who did both (Hake's average normalised gain), None when that average before is 100 %.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from .content import Course, Question
from .quiz import RESTART_QUESTION, REVEALED_ANSWER, rules_of
from .results import Attempt

CERTAIN = "certain"


def normalised_gain(before: float, after: float | None) -> float | None:
    """``(after - before) / (100 - before)``, or None: no after, or 100 % before.

    Parameters
    ----------
    before, after
        Scores in percent (0 to 100); `after` None when the learner has not done it.
    """
    if after is None or before >= 100:
        return None
    return (after - before) / (100 - before)


def first_answers(attempts: Iterable[Attempt]) -> dict[str, dict[tuple[str, str], Attempt]]:
    """Per learner, the first checked answer to each (lesson, question) since their last
    restart of that lesson; attempts oldest first. "Show answer" counts as a wrong answer."""
    first: dict[str, dict[tuple[str, str], Attempt]] = defaultdict(dict)
    for a in attempts:
        if a.question_id == RESTART_QUESTION:
            mine = first[a.learner_id]
            first[a.learner_id] = {k: v for k, v in mine.items() if k[0] != a.lesson_id}
        elif not a.question_id.startswith("_"):
            first[a.learner_id].setdefault((a.lesson_id, a.question_id), a)
    return first


@dataclass(frozen=True)
class ConfidentWrongRow:
    """One question: how many learners were certain of a wrong first answer."""

    lesson_id: str
    question: Question
    certain_wrong: int  # learners certain of a wrong first answer
    stated: int  # learners who said how sure they were at their first answer
    unsafe: int  # of the certain and wrong: answers not safe to act on


@dataclass(frozen=True)
class ConfidentWrongReport:
    """The "confident and wrong" view: questions (safety first) and the beliefs behind them."""

    rows: tuple[ConfidentWrongRow, ...]
    beliefs: tuple[tuple[str, str, int], ...]  # misconception id, belief, learners


def confident_wrong(
    course: Course,
    attempts: Iterable[Attempt],
    lessons: Mapping[str, Iterable[Question]] | None = None,
) -> ConfidentWrongReport:
    """Count, per question and per misconception tag, learners certain of a wrong first answer.

    Parameters
    ----------
    course
        The content: its lessons' questions and the misconceptions.
    attempts
        Saved attempts of one class, oldest first.
    lessons
        More questions by lesson id (the before/after checks), besides the course's.

    Returns
    -------
    ConfidentWrongReport
        Rows with at least one learner certain and wrong: safety questions first (the
        question's safety weight), then by how many of those answers were not safe to act on,
        then by how many learners, then in course order; beliefs by how many learners.
    """
    questions: dict[tuple[str, str], Question] = {
        (x.id, q.id): q for x in course.lessons for q in x.quiz.questions
    }
    for lesson_id, extra in (lessons or {}).items():
        questions.update({(lesson_id, q.id): q for q in extra})
    order = {key: n for n, key in enumerate(questions)}
    certain: dict[tuple[str, str], int] = Counter()
    stated: dict[tuple[str, str], int] = Counter()
    unsafe: dict[tuple[str, str], int] = Counter()
    beliefs: dict[str, set[str]] = defaultdict(set)
    for learner_id, answers in first_answers(attempts).items():
        for key, a in answers.items():
            question = questions.get(key)
            if question is None or a.confidence is None:
                continue
            stated[key] += 1
            if a.correct or a.confidence != CERTAIN or a.answer == REVEALED_ANSWER:
                continue
            certain[key] += 1
            rules = rules_of(question)
            result = rules.grade(rules.decode(a.answer)) if _fits(question, a.answer) else None
            if result is not None and result.unsafe:
                unsafe[key] += 1
            for mid in rules.misconceptions(rules.decode(a.answer)):
                beliefs[mid].add(learner_id)
    rows = sorted(
        (
            ConfidentWrongRow(key[0], questions[key], certain[key], stated[key], unsafe[key])
            for key in certain
        ),
        key=lambda r: (
            not r.question.safety,
            -r.unsafe,
            -r.certain_wrong,
            order[(r.lesson_id, r.question.id)],
        ),
    )
    named = sorted(
        (
            (mid, course.misconceptions[mid].belief, len(who))
            for mid, who in beliefs.items()
            if mid in course.misconceptions
        ),
        key=lambda b: (-b[2], b[0]),
    )
    return ConfidentWrongReport(tuple(rows), tuple(named))


def _fits(question: Question, answer: str) -> bool:
    """The saved answer still fits the question (the content may have changed since)."""
    rules = rules_of(question)
    try:
        rules.normalise(rules.decode(answer))
    except ValueError:
        return False
    return True


# ---- before and after ------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerGain:
    """One learner's before and after scores in percent (None: that check not done)."""

    learner_id: str
    before: int | None
    after: int | None

    @property
    def gain(self) -> float | None:
        """The normalised gain, None without both checks or with 100 % before."""
        return None if self.before is None else normalised_gain(self.before, self.after)


@dataclass(frozen=True)
class TopicChange:
    """One idea of the check: how many learners (who did both) got it right before and after."""

    topic: str  # the lesson id
    idea: str
    right_before: int
    right_after: int
    learners: int

    @property
    def moved(self) -> str:
        """ "up" (more learners right after), "down" (fewer), or "same"."""
        if self.right_after > self.right_before:
            return "up"
        return "down" if self.right_after < self.right_before else "same"


@dataclass(frozen=True)
class GainReport:
    """The before-and-after check of a class (or of one learner)."""

    learners: tuple[LearnerGain, ...]
    topics: tuple[TopicChange, ...]

    @property
    def both(self) -> tuple[LearnerGain, ...]:
        """Learners who did both checks: the only ones gains are computed from."""
        return tuple(x for x in self.learners if x.before is not None and x.after is not None)

    @property
    def before_only(self) -> int:
        """Learners with a before check and no after check yet (counted apart)."""
        return sum(1 for x in self.learners if x.before is not None and x.after is None)

    @property
    def after_only(self) -> int:
        """Learners with an after check and no before check (counted apart)."""
        return sum(1 for x in self.learners if x.before is None and x.after is not None)

    @property
    def full_before(self) -> int:
        """Learners with both checks and 100 % before: no gain to compute (counted apart)."""
        return sum(1 for x in self.both if x.before == 100)

    @property
    def average_before(self) -> float | None:
        """The average before score of learners who did both, None without any."""
        both = self.both
        return sum(x.before or 0 for x in both) / len(both) if both else None

    @property
    def average_after(self) -> float | None:
        """The average after score of learners who did both, None without any."""
        both = self.both
        return sum(x.after or 0 for x in both) / len(both) if both else None

    @property
    def class_gain(self) -> float | None:
        """The normalised gain of the class averages (module docstring); None if undefined."""
        if self.average_before is None:
            return None
        return normalised_gain(self.average_before, self.average_after)


def gain_report(
    pairs: Sequence[tuple[str, str, tuple[str, str]]],
    attempts: Iterable[Attempt],
    before_lesson: str,
    after_lesson: str,
) -> GainReport:
    """Before and after scores per learner, and per idea, from saved attempts (oldest first).

    Parameters
    ----------
    pairs
        The check's pairs as (topic, idea, (question id, question id)), in course order.
    attempts
        Saved attempts of a class or a learner, oldest first.
    before_lesson, after_lesson
        The lesson ids the two checks' answers are saved under.

    A check counts once every one of its questions has a first answer (one per pair); its
    score is the percent right at the first try, rounded.
    """
    pair_of = {qid: n for n, (_, _, qids) in enumerate(pairs) for qid in qids}
    scores: dict[str, dict[str, int]] = defaultdict(dict)
    right: dict[str, dict[str, dict[int, bool]]] = defaultdict(dict)
    for learner_id, answers in first_answers(attempts).items():
        for stage in (before_lesson, after_lesson):
            by_pair = {
                pair_of[qid]: a.correct
                for (lesson_id, qid), a in answers.items()
                if lesson_id == stage and qid in pair_of
            }
            if pairs and len(by_pair) == len(pairs):
                scores[learner_id][stage] = round(100 * sum(by_pair.values()) / len(pairs))
                right[learner_id][stage] = by_pair
    learners = tuple(
        LearnerGain(lid, s.get(before_lesson), s.get(after_lesson)) for lid, s in scores.items()
    )
    both = [lid for lid, s in scores.items() if before_lesson in s and after_lesson in s]
    topics = tuple(
        TopicChange(
            topic,
            idea,
            sum(right[lid][before_lesson][n] for lid in both),
            sum(right[lid][after_lesson][n] for lid in both),
            len(both),
        )
        for n, (topic, idea, _) in enumerate(pairs)
    )
    return GainReport(learners, topics)
