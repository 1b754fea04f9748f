"""Widgets without a browser: choose, Check, feedback, score, Try again, Show answer."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from spasm_edu import show_lesson, show_start
from spasm_edu.content import load_course
from spasm_edu.widgets import LessonView, QuestionCard, QuizWidget

COURSE, _ = load_course()


def lesson_quiz(lesson_id: str = "what-is-a-back-spasm") -> QuizWidget:
    view = show_lesson(lesson_id)
    assert isinstance(view, LessonView)
    return view.quiz


def right_response(card: QuestionCard):
    q = card._question
    if q.type in ("single", "true_false", "myth_fact"):
        return next(c.id for c in q.choices if c.correct)
    if q.type == "multiple":
        return {c.id for c in q.choices if c.correct}
    if q.type == "match":
        return {i.id: i.answer for i in q.items}
    return {i.id: str(n) for n, i in enumerate(q.items, 1)}


def wrong_response(card: QuestionCard):
    q = card._question
    if q.type in ("single", "true_false", "myth_fact"):
        return next(c.id for c in q.choices if not c.correct)
    if q.type == "multiple":
        wrong = [c.id for c in q.choices if not c.correct]
        return set(wrong[:1]) or {q.choices[0].id}
    if q.type == "match":
        groups = [g.id for g in q.groups]
        return {i.id: next(g for g in groups if g != i.answer) for i in q.items}
    n = len(q.items)
    return {i.id: str(n - k) for k, i in enumerate(q.items)}


def answer(card: QuestionCard, response) -> None:
    q = card._question
    if q.type in ("single", "true_false", "myth_fact"):
        card._radio.value = response
    elif q.type == "multiple":
        for cid, box in card._boxes.items():
            box.value = cid in response
    else:
        for iid, sel in card._selects.items():
            sel.value = response[iid]
    card._check.click()


def test_right_answer_gives_feedback_and_counts() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[0]
    answer(card, right_response(card))
    assert card.status == "correct"
    assert "Right!" in card._feedback.value and "✔" in card._feedback.value
    assert quiz.score == 1
    assert card._check.layout.display == "none"
    assert all(w.disabled for w in card._input_widgets())


def test_wrong_answer_explains_then_try_again() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[0]
    answer(card, wrong_response(card))
    assert card.status == "wrong"
    assert "Not quite." in card._feedback.value and "✘" in card._feedback.value
    chosen = card._question.choice(wrong_response(card))
    assert chosen.feedback.split(".")[0] in card._feedback.value
    card._try_again.click()
    assert card.status == "open" and card._feedback.value == ""
    assert card._radio.value is None
    answer(card, right_response(card))
    assert card.status == "correct"
    assert quiz.score == 0  # first try was wrong


def test_show_answer_reveals_and_locks() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[1]
    card._show.click()
    assert card.status == "revealed"
    assert "The answer" in card._feedback.value
    card._check.click()  # a forged click on a hidden button changes nothing
    assert card.status == "revealed"


def test_check_without_answer_asks_to_choose() -> None:
    card = lesson_quiz().cards[0]
    card._check.click()
    assert card.status == "open"
    assert "Choose an answer first." in card._feedback.value


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda x: x.id)
def test_every_question_of_every_lesson_can_be_answered(lesson) -> None:
    quiz = lesson_quiz(lesson.id)
    for card in quiz.cards:
        answer(card, wrong_response(card))
        assert card.status == "wrong", card._question.id
        card._try_again.click()
        answer(card, right_response(card))
        assert card.status == "correct", card._question.id
    assert quiz.session.finished
    assert quiz.score == 0
    assert "right on the first try" in quiz._score.value
    assert "Read the lesson again" in quiz._score.value
    assert quiz._restart.layout.display is None


def test_full_marks_and_restart() -> None:
    quiz = lesson_quiz("symptoms")
    for card in quiz.cards:
        answer(card, right_response(card))
    assert quiz.score == len(quiz.cards)
    assert "Great work" in quiz._score.value
    quiz._restart.click()
    assert quiz.score == 0 and quiz.session.answered == 0
    assert all(c.status == "open" for c in quiz.cards)


def test_browser_set_values_on_disabled_widgets_do_not_change_the_score() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[0]
    answer(card, wrong_response(card))
    # The browser can set any synced value, even on a disabled widget, and fire any button.
    card._radio.value = right_response(card)
    card._check.click()
    assert card.status == "wrong"
    assert quiz.score == 0
    card._show.click()
    card._try_again.click()
    answer(card, right_response(card))
    assert card.status == "revealed"
    assert quiz.score == 0


def test_lesson_page_has_disclaimer_red_flags_sources_and_navigation() -> None:
    view = show_lesson("causes")
    html = " ".join(w.value for w in _walk(view) if isinstance(w, widgets.HTML))
    assert "education, not medical advice" in html
    assert "Get help now" in html and "07-when-to-see-a-doctor.ipynb" in html
    assert "<summary>Sources</summary>" in html
    assert 'href="00-start-here.ipynb"' in html and 'href="03-risk-factors.ipynb"' in html
    assert "What the evidence says" in html


def test_start_page_links_every_lesson() -> None:
    html = " ".join(w.value for w in _walk(show_start()) if isinstance(w, widgets.HTML))
    for lesson in COURSE.lessons:
        assert f'href="{lesson.notebook}"' in html


def test_content_text_is_escaped() -> None:
    from spasm_edu.widgets._render import blocks, inline

    assert inline("<img src=x onerror=alert(1)> **bold**") == (
        "&lt;img src=x onerror=alert(1)&gt; <strong>bold</strong>")
    assert "<script>" not in blocks("- <script>alert(1)</script>")


def test_broken_lesson_shows_a_friendly_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from spasm_edu import app
    from spasm_edu.content import Problem

    def broken(strict: bool = False):
        return COURSE, {"causes": [Problem("02-causes.yaml", 3, "title", "missing <b>")]}

    monkeypatch.setattr(app, "load_course", broken)
    view = app.show_lesson("causes")
    html = " ".join(w.value for w in _walk(view) if isinstance(w, widgets.HTML))
    assert "cannot be shown right now" in html
    assert "missing &lt;b&gt;" in html
    assert "Traceback" not in html
    assert "Get help now" in html  # red flags stay visible even then


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_glossary_terms_are_explained_on_first_use_only() -> None:
    from spasm_edu.content import GlossaryEntry
    from spasm_edu.widgets._render import mark_terms

    glossary = {"nsaid": GlossaryEntry("nsaid", "NSAID", "A <pain> pill."),
                "spasm": GlossaryEntry("spasm", "spasm", "A tight muscle."),
                "back-spasm": GlossaryEntry("back-spasm", "back spasm", "Back muscles tighten.")}
    seen: set[str] = set()
    html, found = mark_terms("<p>Take NSAIDs for a back spasm. NSAIDs help.</p>", glossary, seen)
    assert [e.id for e in found] == ["back-spasm", "nsaid"]
    assert html.count("<dfn") == 2
    assert 'title="A &lt;pain&gt; pill."' in html
    assert "<dfn" not in html.split("</dfn>")[0].split(">", 2)[-1]  # no term inside a term
    again, more = mark_terms("<p>NSAIDs again.</p>", glossary, seen)
    assert more == [] and "<dfn" not in again


def test_lesson_shows_words_explained() -> None:
    view = show_lesson("medicines-and-care")
    html = " ".join(w.value for w in _walk(view) if isinstance(w, widgets.HTML))
    assert "<summary>Words explained</summary>" in html
    assert '<dfn class="spasm-term"' in html
