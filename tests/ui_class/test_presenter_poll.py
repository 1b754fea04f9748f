"""A live question in a real class: one presenter and three students, each in their own context.

One student joins through the start page form and follows the lesson link it gives; two were
registered in the server's store (the same rows the form writes), so their pages open straight
away. The presenter unlocks live questions, sends one, watches the answers arrive and reveals.
"""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import Locator, Page, expect

from spasm_edu.results import ResultsStore, new_learner_id
from spasm_edu.strings import text
from tests.ui.quiz_driver import answer_for, expect_right, fill_in, lesson_of
from tests.ui_class.class_driver import (
    EDUCATOR,
    LESSON_1,
    START,
    ClassServer,
    People,
    join,
    learner_in,
    rendered,
    show_class,
)

pytestmark = pytest.mark.browser

POLL_TIMEOUT_MS = 20_000  # students look every 2 s, the presenter every 1 s; a busy machine


def unlock(page: Page, passcode: str, code: str) -> None:
    """Give the passcode and class code on the Join screen (the second); then go to the
    live question's screen (the last but one) and wait for the poll controls."""
    presenter = page.locator(".spasm-presenter")
    total = int(re.search(r"of (\d+)", position(page).inner_text()).group(1))  # type: ignore[union-attr]
    presenter.locator(".spasm-next").click()
    expect(position(page)).to_have_text(text("present_screen_of", number=2, total=total))
    presenter.get_by_label(text("edu_passcode")).fill(passcode)
    presenter.get_by_label(text("edu_class_code")).fill(code)
    presenter.locator(".spasm-present-unlock").click()
    expect(presenter.locator(".spasm-qr")).to_be_visible()
    for number in range(3, total):
        presenter.locator(".spasm-next").click()
        expect(position(page)).to_have_text(text("present_screen_of", number=number, total=total))
    expect(presenter.get_by_role("heading", name=text("edu_class", code=code))).to_be_visible()
    expect(presenter.locator(".spasm-poll-send")).to_be_visible()


def poll_card(page: Page) -> Locator:
    """The live question's card at the top of a student's lesson page."""
    return page.locator(".spasm-student-poll .spasm-card")


def position(page: Page) -> Locator:
    return page.locator(".spasm-screen-position")


def test_live_question_send_answer_count_reveal(
    people: People, class_server: ClassServer, class_store: ResultsStore
) -> None:
    lesson = lesson_of(LESSON_1)
    question = lesson.quiz.questions[0]
    code = f"POLL-{uuid.uuid4().hex[:6]}"
    stored = [new_learner_id(), new_learner_id()]
    for n, learner_id in enumerate(stored, 1):
        class_store.register_learner(learner_id, class_code=code, nickname=f"Student {n}")

    # Start every page first, so the kernels start side by side; then wait for each.
    presenter = people.open(LESSON_1, "present=1", wait=False).page
    joiner = people.open(START, wait=False).page
    students = [people.open(LESSON_1, f"learner={x}", wait=False).page for x in stored]
    rendered(joiner)
    join(joiner, code, "Ana")
    joiner.locator(".spasm-start").locator(f'a[href^="{LESSON_1}?learner="]').click()
    joiner.wait_for_url(re.compile(re.escape(LESSON_1) + r"\?learner=[0-9a-f]{32}$"))
    joined = class_store.learner(learner_in(joiner.url))
    assert joined is not None
    assert (joined.class_code, joined.nickname) == (code, "Ana")
    students.append(joiner)
    for page in [presenter, *students]:
        rendered(page)
    for page in students:
        expect(page.locator(".spasm-student-poll")).to_have_count(1)
        expect(poll_card(page)).to_have_count(0)  # nothing sent yet

    unlock(presenter, class_server.passcode, code)
    expect(presenter.locator(".spasm-presenter-poll select")).to_have_value(
        re.compile(".+")
    )  # the first question is chosen
    presenter.locator(".spasm-poll-send").click()
    expect(presenter.locator(".spasm-poll-count")).to_have_text(text("present_answers", count=0))

    # Two right, one wrong.
    for page, right in zip(students, (True, False, True), strict=True):
        card = poll_card(page)
        expect(card).to_have_count(1, timeout=POLL_TIMEOUT_MS)
        expect(page.locator(".spasm-poll-title")).to_have_text(text("poll_title"))
        expect(card.locator("h3")).to_have_text(question.prompt.replace("**", ""))
        fill_in(card, question, answer_for(question, right=right))
        card.locator(".spasm-check").click()
        expect(card.locator(".spasm-poll-sent")).to_have_text(text("poll_sent"))
        # No verdict before the reveal: the class should not see who was right.
        expect(card.locator(".spasm-feedback-right, .spasm-feedback-wrong")).to_have_count(0)

    count = presenter.locator(".spasm-poll-count")
    expect(count).to_have_text(text("present_answers", count=3), timeout=POLL_TIMEOUT_MS)
    chart = presenter.locator(".spasm-poll-chart svg")
    expect(chart.locator("rect")).to_have_count(len(question.choices))
    right_label = next(c.text for c in question.choices if c.correct)[:40]
    wrong_label = next(c.text for c in question.choices if not c.correct)[:40]
    expect(chart).to_have_attribute(
        "aria-label",
        re.compile(re.escape(f"{right_label}: 2") + ".*" + re.escape(f"{wrong_label}: 1")),
    )
    widths = [
        float(w)
        for w in chart.locator("rect").evaluate_all(
            "rects => rects.map(r => r.getAttribute('width'))"
        )
    ]
    assert sorted(widths)[-2:] == [190.0, 380.0], widths  # bars of 1 and 2 answers, to scale

    presenter.locator(".spasm-poll-reveal").click()
    expect(presenter.locator(".spasm-poll-answer")).to_contain_text(right_label)
    expect(presenter.locator(".spasm-poll-reveal")).to_be_disabled()
    for page, right in zip(students, (True, False, True), strict=True):
        feedback = poll_card(page).locator(".spasm-feedback")
        expect(feedback).to_contain_text(text("answer_was"), timeout=POLL_TIMEOUT_MS)
        expect(feedback).to_contain_text(right_label)
        verdict = ".spasm-feedback-right" if right else ".spasm-feedback-wrong"
        expect(feedback.locator(verdict).first).to_contain_text(
            text("right" if right else "not_quite")
        )

    # Closing the question takes it off every student's page.
    presenter.locator(".spasm-poll-close").click()
    expect(count).to_have_text("")
    for page in students:
        expect(poll_card(page)).to_have_count(0, timeout=POLL_TIMEOUT_MS)


def test_presenter_steps_with_next_and_arrow_key(people: People) -> None:
    page = people.open(LESSON_1, "present=1").page
    total = int(re.search(r"of (\d+)", position(page).inner_text()).group(1))  # type: ignore[union-attr]
    assert total >= 3
    expect(position(page)).to_have_text(text("present_screen_of", number=1, total=total))
    expect(page.locator(".spasm-previous")).to_be_disabled()

    page.locator(".spasm-next").click()
    expect(position(page)).to_have_text(text("present_screen_of", number=2, total=total))
    expect(page.locator(".spasm-previous")).to_be_enabled()

    # The arrow keys step with nothing focused (tests/ui_class/test_presentation_screen.py
    # tries every key a clicker sends).
    page.evaluate("document.activeElement.blur()")
    first_screen = page.locator(".spasm-screen").inner_html()
    page.keyboard.press("ArrowRight")
    expect(position(page)).to_have_text(text("present_screen_of", number=3, total=total))
    assert page.locator(".spasm-screen").inner_html() != first_screen
    page.keyboard.press("ArrowLeft")
    expect(position(page)).to_have_text(text("present_screen_of", number=2, total=total))


def test_a_class_that_mixes_english_and_spanish(
    people: People, class_server: ClassServer, class_store: ResultsStore
) -> None:
    """Two students in English and two in Spanish: one live question counts all four, each
    reads it in their language, and the educator page (in Spanish) counts them together."""
    code = f"MIX-{uuid.uuid4().hex[:6]}"
    languages = ("en", "en", "es", "es")
    learners = [new_learner_id() for _ in languages]
    for n, learner_id in enumerate(learners, 1):
        class_store.register_learner(learner_id, class_code=code, nickname=f"Student {n}")
    presenter = people.open(LESSON_1, "present=1", wait=False).page
    students = [
        people.open(LESSON_1, f"learner={x}" + ("&lang=es" if lang == "es" else ""), wait=False)
        for x, lang in zip(learners, languages, strict=True)
    ]
    educator = people.open(EDUCATOR, "lang=es", wait=False).page
    for page in [presenter, educator, *(s.page for s in students)]:
        rendered(page)

    unlock(presenter, class_server.passcode, code)
    presenter.locator(".spasm-poll-send").click()
    for watched, lang in zip(students, languages, strict=True):
        page, question = watched.page, lesson_of(LESSON_1, lang).quiz.questions[0]
        card = poll_card(page)
        expect(card).to_have_count(1, timeout=POLL_TIMEOUT_MS)
        expect(page.locator(".spasm-poll-title")).to_have_text(text("poll_title", lang))
        expect(card.locator("h3")).to_have_text(question.prompt.replace("**", ""))
        fill_in(card, question, answer_for(question, right=True, language=lang))
        card.locator(".spasm-check").click()
        expect(card.locator(".spasm-poll-sent")).to_have_text(text("poll_sent", lang))
    expect(presenter.locator(".spasm-poll-count")).to_have_text(
        text("present_answers", count=4), timeout=POLL_TIMEOUT_MS
    )

    # Each answers the lesson's first question on their own page, in their language.
    for watched, lang in zip(students, languages, strict=True):
        question = lesson_of(LESSON_1, lang).quiz.questions[0]
        first = watched.page.locator(".spasm-card").nth(1)  # 0 is the live question's card
        fill_in(first, question, answer_for(question, right=True, language=lang))
        first.locator(".spasm-check").click()
        expect_right(first, question, lang)
    show_class(educator, class_server.passcode, code, "es")
    expect(educator.locator(".spasm-edu-counts")).to_have_text(
        text("edu_counts", "es", joined=4, finished=0), timeout=POLL_TIMEOUT_MS
    )
    spanish_prompt = lesson_of(LESSON_1, "es").quiz.questions[0].prompt.replace("**", "")
    row = educator.locator(".spasm-edu-results table.spasm-table tbody tr").filter(
        has_text=spanish_prompt
    )
    expect(row.locator("td").nth(2)).to_have_text("4", timeout=POLL_TIMEOUT_MS)
    expect(row.locator("td").nth(3)).to_have_text("100%")
