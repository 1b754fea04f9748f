"""Widgets without a browser: choose, Check, feedback, score, Try again, Show answer."""

from __future__ import annotations

import comm
import ipywidgets as widgets
import pytest

from spasm_edu import show_lesson, show_start
from spasm_edu.content import load_course
from spasm_edu.widgets import LessonView
from spasm_edu.widgets._style import is_visible
from tests.support.widgets import (
    answer,
    click,
    controls,
    feedback,
    fill_in,
    find,
    html_text,
    lesson_quiz,
    question_of,
    right_response,
    save_note,
    to_answer,
    wrong_response,
)

COURSE, _ = load_course()


def test_right_answer_gives_feedback_and_counts() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[0]
    answer(card, right_response(card))
    assert card.status == "correct"
    assert "Right!" in feedback(card) and "✔" in feedback(card)
    assert quiz.score == 1
    assert not is_visible(find(card, "spasm-check"))
    assert all(w.disabled for w in controls(card))


def test_wrong_answer_explains_then_try_again() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[0]
    answer(card, wrong_response(card))
    assert card.status == "wrong"
    assert "Not quite." in feedback(card) and "✘" in feedback(card)
    chosen = question_of(card).choice(wrong_response(card))
    assert chosen.feedback.startswith("Not quite. ")  # the header says it; the line does not
    assert feedback(card).count("Not quite.") == 1
    assert chosen.feedback.split(".")[1].strip() in feedback(card)
    click(card, "spasm-try-again")
    assert card.status == "open" and feedback(card) == ""
    assert controls(card)[0].value is None
    answer(card, right_response(card))
    assert card.status == "correct"
    assert quiz.score == 0  # first try was wrong


def test_show_answer_reveals_and_locks() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[1]
    click(card, "spasm-show-answer")
    assert card.status == "revealed"
    assert "The answer" in feedback(card)
    click(card, "spasm-check")  # a forged click on a hidden button changes nothing
    assert card.status == "revealed"


def test_check_without_answer_asks_to_choose() -> None:
    card = lesson_quiz().cards[0]
    click(card, "spasm-check")
    assert card.status == "open"
    assert "Choose an answer first." in feedback(card)


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda x: x.id)
def test_every_question_of_every_lesson_can_be_answered(lesson) -> None:
    quiz = lesson_quiz(lesson.id)
    for card in quiz.cards:
        answer(card, wrong_response(card))
        assert card.status == "wrong", question_of(card).id
        click(card, "spasm-try-again")
        answer(card, right_response(card))
        assert card.status == "correct", question_of(card).id
    assert quiz.session.finished
    assert quiz.score == 0
    assert "right on the first try" in find(quiz, "spasm-score-box").value
    assert "Read the lesson again" in find(quiz, "spasm-score-box").value
    assert is_visible(find(quiz, "spasm-restart"))


def test_a_lesson_page_shares_layout_and_style_models_and_never_changes_them() -> None:
    # Shared models keep a page small; a change to one would change every widget sharing it.
    view = show_lesson("what-is-a-back-spasm")
    assert isinstance(view, LessonView)
    models = list(_walk_models(view))
    layouts = {id(m) for m in models if isinstance(m, widgets.Layout)}
    assert len(models) < 110, len(models)
    assert len(layouts) <= 5
    before = {id(m): dict(m.get_state()) for m in models if _is_layout_or_style(m)}
    quiz = view.quiz
    for card in quiz.cards:  # wrong, Try again, Show answer, then the end and Restart
        answer(card, wrong_response(card))
        click(card, "spasm-try-again")
        click(card, "spasm-show-answer")
    assert quiz.session.finished and is_visible(find(quiz, "spasm-restart"))
    click(quiz, "spasm-restart")
    after = {id(m): dict(m.get_state()) for m in _walk_models(view) if _is_layout_or_style(m)}
    assert {k: v for k, v in after.items() if k in before} == before


def _is_layout_or_style(model: widgets.Widget) -> bool:
    return isinstance(model, widgets.Layout) or type(model).__name__.endswith("Style")


def _walk_models(root: widgets.Widget):
    seen: set[int] = set()
    todo = [root]
    while todo:
        w = todo.pop()
        if id(w) in seen:
            continue
        seen.add(id(w))
        yield w
        for name in ("children", "layout", "style"):
            value = getattr(w, name, None)
            if isinstance(value, widgets.Widget):
                todo.append(value)
            elif isinstance(value, (tuple, list)):
                todo.extend(v for v in value if isinstance(v, widgets.Widget))


def test_a_checked_answer_sends_focus_feedback_score_then_the_controls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the browser gets for a Check, in order: keyboard focus on to the next question
    (while this card is short), the feedback, the progress, then the controls with one message
    per control. Fewer messages before the feedback is a sooner feedback on the page."""
    # Widgets send their changes only through a comm that has a kernel, or says nothing about
    # one: once a test has imported ipykernel's comms (which have none here), they would not.
    monkeypatch.setattr(comm, "create_comm", comm.DummyComm)
    quiz = lesson_quiz()
    first, second = quiz.cards[0], quiz.cards[1]
    fill_in(first, to_answer(question_of(first), right_response(first)))
    sent: list[tuple[widgets.Widget, dict[str, object]]] = []
    monkeypatch.setattr(
        widgets.Widget, "_send", lambda self, msg, buffers=None: sent.append((self, msg))
    )
    click(first, "spasm-check")
    assert first.status == "correct"
    feedback_html, save_note_html = find(first, "spasm-feedback"), find(first, "spasm-save-note")
    progress = (find(quiz, "spasm-progress"), find(quiz, "spasm-progress-bar"))

    def kind(w: widgets.Widget, msg: dict[str, object]) -> str:
        if msg.get("content") == {"do": "focus"}:
            return "focus"
        if w is feedback_html:
            return "feedback"
        return "progress" if w in progress else "save note" if w is save_note_html else "control"

    kinds = [kind(w, msg) for w, msg in sent]
    assert kinds[:2] == ["focus", "feedback"], kinds
    assert sent[0][0] is controls(second)[0]
    assert kinds[2:4] == ["progress", "progress"], kinds
    assert set(kinds[4:-1]) == {"control"} and kinds[-1] == "save note", kinds
    senders = [id(w) for w, _ in sent]
    assert len(senders) == len(set(senders)), "a widget sent two messages for one Check"


def test_full_marks_and_restart() -> None:
    quiz = lesson_quiz("symptoms")
    for card in quiz.cards:
        answer(card, right_response(card))
    assert quiz.score == len(quiz.cards)
    assert "Great work" in find(quiz, "spasm-score-box").value
    click(quiz, "spasm-restart")
    assert quiz.score == 0 and quiz.session.answered == 0
    assert all(c.status == "open" for c in quiz.cards)


def test_browser_set_values_on_disabled_widgets_do_not_change_the_score() -> None:
    quiz = lesson_quiz()
    card = quiz.cards[0]
    answer(card, wrong_response(card))
    # The browser can set any synced value, even on a disabled widget, and fire any button.
    controls(card)[0].value = right_response(card)
    click(card, "spasm-check")
    assert card.status == "wrong"
    assert quiz.score == 0
    click(card, "spasm-show-answer")
    click(card, "spasm-try-again")
    answer(card, right_response(card))
    assert card.status == "revealed"
    assert quiz.score == 0


def test_lesson_page_has_disclaimer_red_flags_sources_and_navigation() -> None:
    view = show_lesson("causes")
    html = html_text(view)
    assert "education, not medical advice" in html
    assert "Get help now" in html and "07-when-to-see-a-doctor.ipynb" in html
    assert "<summary>Sources</summary>" in html
    assert (
        'href="00-start-here.ipynb?learner=' in html
        and 'href="03-risk-factors.ipynb?learner=' in html
    )
    assert "What the evidence says" in html


def test_start_page_links_every_lesson() -> None:
    html = html_text(show_start())
    for lesson in COURSE.lessons:
        assert f'href="{lesson.notebook}"' in html


def test_content_text_is_escaped() -> None:
    from spasm_edu.widgets._render import blocks, inline

    assert inline("<img src=x onerror=alert(1)> **bold**") == (
        "&lt;img src=x onerror=alert(1)&gt; <strong>bold</strong>"
    )
    assert "<script>" not in blocks("- <script>alert(1)</script>")


def test_broken_lesson_shows_a_friendly_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from spasm_edu import app
    from spasm_edu.content import Problem

    def broken(strict: bool = False):
        return COURSE, {"causes": [Problem("02-causes.yaml", 3, "title", "missing <b>")]}

    monkeypatch.setattr(app, "load_course", broken)
    view = app.show_lesson("causes")
    html = html_text(view)
    assert "cannot be shown right now" in html
    assert "missing &lt;b&gt;" in html
    assert "Traceback" not in html
    assert "Get help now" in html  # red flags stay visible even then


def test_glossary_terms_are_explained_on_first_use_only() -> None:
    from spasm_edu.content import GlossaryEntry
    from spasm_edu.widgets._render import mark_terms

    glossary = {
        "nsaid": GlossaryEntry("nsaid", "NSAID", "A <pain> pill."),
        "spasm": GlossaryEntry("spasm", "spasm", "A tight muscle."),
        "back-spasm": GlossaryEntry("back-spasm", "back spasm", "Back muscles tighten."),
    }
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
    html = html_text(view)
    assert "<summary>Words explained</summary>" in html
    assert '<dfn class="spasm-term"' in html


def test_answers_are_saved_and_resumed_after_a_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    first = show_lesson("causes")
    learner = first.quiz._learner.learner_id
    cards = first.quiz.cards
    answer(cards[0], wrong_response(cards[0]))
    assert "Saved." in save_note(cards[0])
    answer(cards[1], right_response(cards[1]))
    click(cards[2], "spasm-show-answer")
    # A reload: a new kernel, the learner id comes back in the page address.
    monkeypatch.setenv("QUERY_STRING", f"learner={learner}")
    again = show_lesson("causes").quiz
    assert again._learner.learner_id == learner
    states = [c.status for c in again.cards[:4]]
    assert states == ["wrong", "correct", "revealed", "open"]
    assert again.score == first.quiz.score == 1
    assert again.cards[0]._response() is not None  # the saved answer is back in the inputs
    assert "Not quite." in feedback(again.cards[0])


def test_restart_is_remembered_across_a_reload(monkeypatch: pytest.MonkeyPatch) -> None:
    quiz = show_lesson("symptoms").quiz
    for card in quiz.cards:
        answer(card, right_response(card))
    click(quiz, "spasm-restart")
    monkeypatch.setenv("QUERY_STRING", f"learner={quiz._learner.learner_id}")
    again = show_lesson("symptoms").quiz
    assert again.session.answered == 0


def test_a_failed_save_says_so_and_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    from spasm_edu.results import ResultsStore, SaveError

    quiz = show_lesson("causes").quiz
    real_save = ResultsStore.save

    def broken_save(self, attempt):
        raise SaveError("database is locked")

    monkeypatch.setattr(ResultsStore, "save", broken_save)
    card = quiz.cards[0]
    answer(card, right_response(card))
    assert "Not saved yet" in save_note(card)
    assert card.status == "correct"  # the quiz keeps working
    monkeypatch.setattr(ResultsStore, "save", real_save)
    status = quiz.retry_saving()
    assert status is not None and status.saved
    assert "Saved." in save_note(card)
    saved = quiz._learner.store.attempts_for_learner(quiz._learner.learner_id)
    assert [a.question_id for a in saved] == [question_of(card).id]


def test_download_my_results_gives_a_csv_of_my_attempts() -> None:
    import base64
    import re

    view = show_lesson("causes")
    card = view.quiz.cards[0]
    answer(card, right_response(card))
    click(view.downloads, "spasm-download")
    html = find(view.downloads, "spasm-download-link").value
    data = re.search(r"base64,([A-Za-z0-9+/=]+)", html)
    assert data is not None
    csv_text = base64.b64decode(data.group(1)).decode("utf-8")
    assert question_of(card).id in csv_text and "causes" in csv_text


def _start_html(page) -> str:
    return html_text(page)


def test_join_a_class_and_links_carry_the_learner() -> None:
    from spasm_edu.widgets.learner import JoinClass

    page = show_start()
    join = find(page, kind=JoinClass)
    find(join, "spasm-join-code").value = "<b>bad"
    click(join, "spasm-join")
    assert "1 to 32 letters" in find(join, "spasm-join-message").value
    find(join, "spasm-join-code").value = "BIO-7"
    find(join, "spasm-join-nickname").value = "<img src=x onerror=alert(1)>"
    click(join, "spasm-join")
    assert "&lt;img src=x onerror=alert(1)&gt;" in find(join, "spasm-join-message").value
    assert "<img src=x" not in _start_html(page)
    learner = page.learner
    assert learner is not None and learner.class_code == "BIO-7"
    assert f'href="01-what-is-a-back-spasm.ipynb?learner={learner.learner_id}"' in _start_html(page)


def test_educator_page_needs_the_passcode_and_shows_two_learners(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from spasm_edu import show_educator
    from spasm_edu.results import ResultsStore
    from spasm_edu.widgets.educator import EducatorView

    store = ResultsStore()
    for n, nickname in enumerate(["Ana", "<script>alert(1)</script>"]):
        learner = store.register_learner(f"{n:032x}", class_code="BIO-7", nickname=nickname)
        monkeypatch.setenv("QUERY_STRING", f"learner={learner.learner_id}")
        quiz = show_lesson("causes").quiz
        for card in quiz.cards:
            answer(card, right_response(card) if n == 0 else wrong_response(card))
    monkeypatch.setenv("SPASM_EDU_EDUCATOR_PASSCODE", "s3cret")
    page = show_educator()
    view = find(page, kind=EducatorView)
    find(view, "spasm-class-code").value = "BIO-7"
    find(view, "spasm-edu-lesson").value = "causes"
    find(view, "spasm-passcode").value = "wrong"
    click(view, "spasm-edu-open")
    assert (
        "not right" in find(view, "spasm-edu-message").value
        and find(view, "spasm-edu-results").value == ""
    )
    find(view, "spasm-passcode").value = "s3cret"
    click(view, "spasm-edu-open")
    html = find(view, "spasm-edu-results").value
    assert "2 joined, 2 finished." in html
    assert (
        "Ana" in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    )
    assert "0–19%: 1" in html and "80–100%: 1" in html
    assert "50%" in html  # each question: one right, one wrong
    assert "Myths the class still believes" in html
    assert "class-attempts.csv" in find(view, "spasm-edu-export").value


def test_educator_page_is_off_without_a_passcode(monkeypatch: pytest.MonkeyPatch) -> None:
    from spasm_edu import show_educator

    monkeypatch.delenv("SPASM_EDU_EDUCATOR_PASSCODE", raising=False)
    html = _start_html(show_educator())
    assert "turned off" in html


def test_numbered_steps_and_bullets_render_as_lists() -> None:
    from spasm_edu.widgets._render import blocks

    html = blocks("Do this:\n1. Bend your knees.\n2. Keep it close.\n\n- one\n- two <x>")
    assert html == (
        "<p>Do this:</p><ol><li>Bend your knees.</li><li>Keep it close.</li></ol>"
        "<ul><li>one</li><li>two &lt;x&gt;</li></ul>"
    )
