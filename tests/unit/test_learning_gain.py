"""Before and after: the normalised gain, the parallel pool drawn with a seed, the checks file,
and the "sure, but wrong" count, from attempts built here (no database)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
import yaml

from spasm_edu.content import CONTENT_DIR, ContentError, load_course
from spasm_edu.content.checks import CHECKS_FILE, load_checks, parse_checks
from spasm_edu.insights import confident_wrong, gain_report, normalised_gain
from spasm_edu.quiz import rules_of
from spasm_edu.quiz.checks import CHECK_LESSON_IDS, check_questions, draw_sides, learner_rng
from spasm_edu.results import Attempt
from tests.support.answers import answer_for, response_of

COURSE, _ = load_course()
CHECKS = load_checks()
T0 = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.timezone.utc)
BEFORE, AFTER = CHECK_LESSON_IDS["before"], CHECK_LESSON_IDS["after"]


def test_normalised_gain_arithmetic() -> None:
    assert normalised_gain(50, 75) == pytest.approx(0.5)
    assert normalised_gain(0, 100) == pytest.approx(1.0)
    assert normalised_gain(40, 40) == pytest.approx(0.0)
    assert normalised_gain(60, 30) == pytest.approx(-0.75)  # did worse: a negative gain
    assert normalised_gain(20, None) is None  # no after check
    assert normalised_gain(100, 100) is None  # 100 % before: nothing left to gain
    assert normalised_gain(100, 80) is None


def test_the_shipped_pool_has_8_to_10_pairs_over_the_course() -> None:
    assert 8 <= len(CHECKS.pairs) <= 10
    lesson_ids = {x.id for x in COURSE.lessons if x.kind == "lesson"}
    assert {p.topic for p in CHECKS.pairs} == lesson_ids  # every lesson has an idea checked
    ids = [q.id for p in CHECKS.pairs for q in p.questions]
    assert len(ids) == len(set(ids))
    assert any(q.safety for p in CHECKS.pairs for q in p.questions)


def test_parallel_draw_is_seeded_and_after_never_repeats_before() -> None:
    for learner in ("a" * 32, "b" * 32, "0123456789abcdef" * 2):
        before = check_questions(CHECKS, "before", learner_rng(learner))
        after = check_questions(CHECKS, "after", learner_rng(learner))
        assert check_questions(CHECKS, "before", learner_rng(learner)) == before  # a reload
        assert len(before) == len(after) == len(CHECKS.pairs)
        for pair, b, a in zip(CHECKS.pairs, before, after, strict=True):
            assert {b.id, a.id} == {q.id for q in pair.questions}  # one each, never the same
    assert draw_sides(CHECKS, random.Random(5)) == draw_sides(CHECKS, random.Random(5))
    # Over many learners both halves of each pair come first sometimes: a real draw.
    firsts = {
        q.id for n in range(40) for q in check_questions(CHECKS, "before", learner_rng(str(n)))
    }
    assert firsts == {q.id for p in CHECKS.pairs for q in p.questions}


def test_a_broken_checks_file_names_file_and_field(tmp_path: Path) -> None:
    data = yaml.safe_load((CONTENT_DIR / CHECKS_FILE).read_text(encoding="utf-8"))
    data["pairs"][0]["topic"] = "no-such-lesson"
    data["pairs"][1]["questions"] = data["pairs"][1]["questions"][:1]
    data["pairs"][2]["questions"][0]["choices"][0]["correct"] = False  # no right choice
    path = tmp_path / "checks.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    problems: list = []
    parse_checks(path, problems)
    found = "\n".join(str(p) for p in problems)
    assert "unknown lesson 'no-such-lesson'" in found
    assert "exactly 2 questions" in found
    assert "pairs.2.questions.0" in found or "pairs[2]" in found, found
    with pytest.raises(ContentError):
        load_checks.__wrapped__(path)


class _Attempts:
    """Attempts as the store returns them, oldest first."""

    def __init__(self) -> None:
        self.rows: list[Attempt] = []

    def add(
        self, learner: str, lesson: str, question: str, answer: str, correct: bool, sure=None
    ) -> None:
        n = len(self.rows)
        self.rows.append(
            Attempt(
                n + 1,
                "C",
                learner,
                lesson,
                question,
                answer,
                correct,
                T0 + dt.timedelta(seconds=n),
                sure,
            )
        )

    def check(self, learner: str, stage: str, right: set[int]) -> None:
        """Answer the stage's drawn questions; the pairs whose index is in `right` correctly."""
        lesson = BEFORE if stage == "before" else AFTER
        for n, q in enumerate(check_questions(CHECKS, stage, learner_rng(learner))):
            ok = n in right
            result = rules_of(q).grade(_engine_response(q, ok))
            self.add(learner, lesson, q.id, result.answer, result.correct)


def _engine_response(question, right: bool):
    response = response_of(question, answer_for(question, right=right))
    if question.type == "order":
        return tuple(sorted(response, key=lambda i: int(response[i])))
    return response


def _pairs():
    return tuple((p.topic, p.idea, (p.questions[0].id, p.questions[1].id)) for p in CHECKS.pairs)


def test_gain_report_counts_apart_and_handles_full_marks() -> None:
    n = len(CHECKS.pairs)
    log = _Attempts()
    log.check("a" * 32, "before", {0, 1, 2})  # both, gains
    log.check("a" * 32, "after", set(range(n)))
    log.check("b" * 32, "before", set(range(n)))  # 100 % before
    log.check("b" * 32, "after", set(range(n - 1)))
    log.check("c" * 32, "before", {0})  # before only
    log.check("d" * 32, "after", {0, 1})  # after only
    # An unfinished check does not count: one answer only.
    q = check_questions(CHECKS, "before", learner_rng("e" * 32))[0]
    log.add("e" * 32, BEFORE, q.id, "x", False)
    report = gain_report(_pairs(), log.rows, BEFORE, AFTER)
    by = {x.learner_id[0]: x for x in report.learners}
    assert set(by) == {"a", "b", "c", "d"}
    assert by["a"].before == round(300 / n) and by["a"].after == 100
    assert by["a"].gain == pytest.approx(1.0)
    assert by["b"].before == 100 and by["b"].gain is None
    assert (report.before_only, report.after_only, report.full_before) == (1, 1, 1)
    assert [x.learner_id[0] for x in report.both] == ["a", "b"]
    avg_before = (round(300 / n) + 100) / 2
    avg_after = (100 + round(100 * (n - 1) / n)) / 2
    assert report.average_before == pytest.approx(avg_before)
    assert report.class_gain == pytest.approx((avg_after - avg_before) / (100 - avg_before))
    # Per idea, over the two who did both: pair 0 right before for both, and after for both.
    assert report.topics[0].right_before == 2 and report.topics[0].right_after == 2
    assert report.topics[0].moved == "same"
    assert report.topics[3].right_before == 1 and report.topics[3].right_after == 2
    assert report.topics[3].moved == "up"
    assert report.topics[n - 1].right_before == 1 and report.topics[n - 1].right_after == 1


def test_class_gain_is_undefined_when_everyone_had_full_marks_before() -> None:
    n = len(CHECKS.pairs)
    log = _Attempts()
    log.check("a" * 32, "before", set(range(n)))
    log.check("a" * 32, "after", set(range(n)))
    report = gain_report(_pairs(), log.rows, BEFORE, AFTER)
    assert report.average_before == 100 and report.class_gain is None
    assert gain_report(_pairs(), [], BEFORE, AFTER).class_gain is None  # nobody yet


def test_confident_wrong_counts_first_answers_safety_first() -> None:
    safety_lesson = next(x for x in COURSE.lessons if any(q.safety for q in x.quiz.questions))
    safe_q = next(q for q in safety_lesson.quiz.questions if q.safety and q.choices)
    log = _Attempts()

    def wrong(q):
        return rules_of(q).grade(_engine_response(q, False))

    # A plain question whose wrong answer shows a misconception (so the belief is counted).
    plain_lesson, plain_q = next(
        (x, q)
        for x in COURSE.lessons
        for q in x.quiz.questions
        if not q.safety and q.choices and wrong(q).misconceptions
    )

    # Plain question: three learners certain and wrong; safety question: one.
    for learner in ("a", "b", "c"):
        log.add(learner, plain_lesson.id, plain_q.id, wrong(plain_q).answer, False, "certain")
    log.add("a", safety_lesson.id, safe_q.id, wrong(safe_q).answer, False, "certain")
    # Not counted: guessing and wrong; certain and right; certain only on a later try.
    log.add("d", safety_lesson.id, safe_q.id, wrong(safe_q).answer, False, "guessing")
    log.add("e", safety_lesson.id, safe_q.id, "x", True, "certain")
    log.add("f", safety_lesson.id, safe_q.id, wrong(safe_q).answer, False, None)
    log.add("f", safety_lesson.id, safe_q.id, wrong(safe_q).answer, False, "certain")
    report = confident_wrong(COURSE, log.rows)
    assert [(r.question.id, r.certain_wrong) for r in report.rows] == [
        (safe_q.id, 1),
        (plain_q.id, 3),
    ]
    assert report.rows[0].stated == 3  # a, d, e said how sure at their first answer
    assert report.rows[1].stated == 3
    tag = wrong(plain_q).misconceptions[0]
    assert (tag, COURSE.misconceptions[tag].belief, 3) in report.beliefs
