"""A lesson quiz done with the keyboard only: Tab, Shift+Tab, arrows, Space and Enter."""

from __future__ import annotations

import pytest
from playwright.sync_api import ElementHandle, Locator, Page, expect
from quiz_driver import (
    Answer,
    SentUpdates,
    answer_for,
    card,
    expect_right,
    expect_score,
    expect_wrong,
    label_re,
    lesson_of,
    open_page,
)

from spasm_edu.content import Question

pytestmark = pytest.mark.browser

# Lesson 1 has a match question (dropdowns), radios of three kinds and checkboxes; lesson 8
# (living with your back) every question type, and a download link among the sections.
LESSONS = ["01-what-is-a-back-spasm.ipynb", "08-living-with-your-back.ipynb"]
MAX_STEPS = 150  # Tab presses to reach one control: the whole lesson has fewer stops than this

_DIRECTION = """(target) => {
  const active = document.activeElement;
  if (!active || active === document.body || active === target) return 'Tab';
  return active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING
    ? 'Tab' : 'Shift+Tab';
}"""
_FOCUS_STYLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {inPage: !!el.closest('.spasm-page'), style: s.outlineStyle,
          width: parseFloat(s.outlineWidth) || 0, tag: el.tagName,
          text: el.textContent.trim().slice(0, 40)};
}"""


def _assert_focus_visible(page: Page) -> None:
    focus = page.evaluate(_FOCUS_STYLE)
    if focus is None or not focus["inPage"]:
        return  # Voilà's own page chrome, or nothing focused yet
    assert focus["style"] != "none", f"no focus outline on {focus}"
    assert focus["width"] > 0, f"no focus outline on {focus}"


def _tab_to(page: Page, target: ElementHandle) -> None:
    """Press Tab (or Shift+Tab if the target is behind) until `target` has focus."""
    for _ in range(MAX_STEPS):
        if page.evaluate("(t) => document.activeElement === t", target):
            _assert_focus_visible(page)
            return
        page.keyboard.press(page.evaluate(_DIRECTION, target))
        _assert_focus_visible(page)
    raise AssertionError(f"could not reach {target} with Tab / Shift+Tab")


def _handle(locator: Locator) -> ElementHandle:
    locator.wait_for(state="visible")
    handle = locator.element_handle()
    assert handle is not None
    return handle


def _choose_radio(page: Page, sent: SentUpdates, card_: Locator, label: str) -> None:
    radios = card_.get_by_role("radio")
    target = _handle(card_.get_by_role("radio", name=label_re(label)))
    _tab_to(page, _handle(radios.first))  # Tab into an unset group lands on its first radio
    since = sent.mark()
    index = 0  # the target's place in the group = arrow presses from the first radio
    while not page.evaluate("(t) => document.activeElement === t", target):
        assert index < radios.count(), f"arrow keys did not reach {label!r}"
        page.keyboard.press("ArrowDown")  # moves to the next radio and selects it
        _assert_focus_visible(page)
        index += 1
    page.keyboard.press("Space")  # selects the first radio too, where no arrow was needed
    expect(card_.get_by_role("radio", name=label_re(label))).to_be_checked()
    sent.wait_sent(since, "index", index)


# ipywidgets writes option labels with no-break spaces.
_SELECTED = (
    "(s) => s.selectedIndex < 0 ? '' : s.options[s.selectedIndex].text.replace(/\\u00a0/g, ' ')"
)


def _choose_option(page: Page, sent: SentUpdates, select: Locator, option: str) -> None:
    _tab_to(page, _handle(select))
    since = sent.mark()
    for _ in range(select.locator("option").count() + 1):
        if select.evaluate(_SELECTED) == option:
            break
        page.keyboard.press("ArrowDown")  # a closed <select> changes its value on arrows
    assert select.evaluate(_SELECTED) == option
    sent.wait_sent(since, "index", select.evaluate("(s) => s.selectedIndex"))


def _answer(
    page: Page, sent: SentUpdates, card_: Locator, question: Question, answer: Answer
) -> None:
    if question.type == "multiple":
        for label in answer.choices:
            box = card_.get_by_role("checkbox", name=label_re(label))
            _tab_to(page, _handle(box))
            since = sent.mark()
            page.keyboard.press("Space")
            expect(box).to_be_checked()
            sent.wait_sent(since, "value", True)
    elif answer.choices:
        _choose_radio(page, sent, card_, answer.choices[0])
    for item, option in answer.selects:
        _choose_option(page, sent, card_.get_by_label(item, exact=True), option)


def _press(page: Page, button: Locator, key: str) -> None:
    _tab_to(page, _handle(button))
    page.keyboard.press(key)


# Lesson 8 in Spanish too: the same keys work on the translated labels.
RUNS = [(notebook, "en") for notebook in LESSONS] + [(LESSONS[1], "es")]


@pytest.mark.parametrize(("notebook", "language"), RUNS)
def test_lesson_quiz_with_keyboard_only(
    page: Page, voila_server: str, notebook: str, language: str
) -> None:
    sent = SentUpdates(page)
    open_page(page, voila_server, notebook, language)
    questions = lesson_of(notebook, language).quiz.questions
    assert any(q.type in ("match", "order") for q in questions)
    for number, question in enumerate(questions, 1):
        card_ = card(page, number)
        if question.type in ("match", "order", "multiple"):
            # Wrong first, then Try again (Space) and the right answer.
            wrong = answer_for(question, right=False, language=language)
            _answer(page, sent, card_, question, wrong)
            _press(page, card_.locator(".spasm-check"), "Enter")
            expect_wrong(card_, language)
            _press(page, card_.locator(".spasm-try-again"), "Space")
            expect(card_.locator(".spasm-check")).to_be_visible()
        right = answer_for(question, right=True, language=language)
        _answer(page, sent, card_, question, right)
        _press(page, card_.locator(".spasm-check"), "Enter")
        expect_right(card_, question, language)
    wrong_first = sum(q.type in ("match", "order", "multiple") for q in questions)
    expect_score(page, len(questions) - wrong_first, len(questions), language)
