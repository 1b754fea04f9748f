"""A learning journey in Chromium: the quick check before, two lessons, the check after, with
"How sure are you?" (by keyboard too), and the take-home summary; then the educator page shows the class's gain and the
answers learners were sure of and still got wrong. axe-core finds nothing serious on the new
pages. The two educator views are saved as screenshots (docs/screenshots with
SPASM_EDU_SCREENSHOTS=docs/screenshots, as `make screenshots` sets; else a temporary folder).

A class of three, on its own class code:
- Ana: before all wrong and "certain" (the first by keyboard only), lessons 1 and 2, after all
  right: 0 % -> 100 %, gain 1.
- Bo: before and after all right: 100 % before, counted apart (no gain to compute).
- Cy: before only, all wrong, "guessing": counted apart.
Class: 2 did both, averages 50 % -> 100 %, gain 1.00; every idea moved for Ana only.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from spasm_edu.content.checks import load_checks
from spasm_edu.quiz import CONFIDENCE_LEVELS
from spasm_edu.quiz.checks import CHECK_LESSON_IDS
from spasm_edu.results import ResultsStore, new_learner_id
from spasm_edu.settings import CHECK_AFTER_PAGE, CHECK_BEFORE_PAGE, SUMMARY_PAGE
from spasm_edu.strings import text
from tests.ui.quiz_driver import (
    SentUpdates,
    answer_for,
    check,
    course,
    expect_right,
    expect_wrong,
    fill_in,
    label_re,
    plain,
)
from tests.ui_class.class_driver import (
    EDUCATOR,
    LESSON_1,
    RENDER_TIMEOUT_MS,
    ClassServer,
    People,
    rendered,
)

pytestmark = pytest.mark.browser

CHECKS = load_checks()
N = len(CHECKS.pairs)
LESSON_2 = "02-causes.ipynb"
BY_PROMPT = {plain(q.prompt): q for p in CHECKS.pairs for q in p.questions}
REFRESH_TIMEOUT_MS = 30_000  # the educator page reads the store every 5 s; a busy machine
OUT = Path(os.environ.get("SPASM_EDU_SCREENSHOTS") or tempfile.mkdtemp(prefix="spasm-shots-"))
LEVEL_LABELS = {level: text(f"confidence_{level}") for level in CONFIDENCE_LEVELS}


def _cards(page: Page, count: int) -> Locator:
    cards = page.locator(".spasm-card")
    expect(cards).to_have_count(count, timeout=RENDER_TIMEOUT_MS)
    return cards


def _tab_until(page: Page, target: Locator, limit: int = 12) -> None:
    """Press Tab until `target` has focus, as a keyboard user would (a few stops at most)."""
    handle = target.element_handle()
    for _ in range(limit):
        if page.evaluate("(t) => document.activeElement === t", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab did not reach {target} in {limit} presses")


def _arrow_choose(page: Page, sent: SentUpdates, group: Locator, label: str) -> None:
    """In a radio group that has focus on its first radio: arrows to `label`, then Space."""
    radios = group.get_by_role("radio")
    target = group.get_by_role("radio", name=label_re(label)).element_handle()
    since = sent.mark()
    index = 0
    while not page.evaluate("(t) => document.activeElement === t", target):
        assert index < radios.count(), f"arrow keys did not reach {label!r}"
        page.keyboard.press("ArrowDown")
        index += 1
    page.keyboard.press("Space")
    expect(group.get_by_role("radio", name=label_re(label))).to_be_checked()
    sent.wait_sent(since, "index", index)


def _keyboard_certain(page: Page, sent: SentUpdates, card_: Locator, choice: str) -> None:
    """Choose an answer and "Certain", then Check, with the keyboard only."""
    choices, sure = card_.locator(".spasm-choices"), card_.locator(".spasm-confidence")
    card_.locator(".spasm-choices input").first.focus()  # where Tab from the card above lands
    _arrow_choose(page, sent, choices, choice)
    _tab_until(page, sure.get_by_role("radio").first)  # Tab into the unset group: its first
    _arrow_choose(page, sent, sure, LEVEL_LABELS["certain"])
    _tab_until(page, card_.locator(".spasm-check"))
    page.keyboard.press("Enter")


def _do_check(
    page: Page, *, right: bool, sure: str | None, keyboard: SentUpdates | None = None
) -> None:
    """Answer every question of a check page, each right or each wrong."""
    cards = _cards(page, N)
    for n in range(N):
        card_ = cards.nth(n)
        question = BY_PROMPT[card_.locator("h3").text_content() or ""]
        answer = answer_for(question, right=right)
        if keyboard is not None and question.type in ("single", "true_false", "myth_fact"):
            _keyboard_certain(page, keyboard, card_, answer.choices[0])
            keyboard = None  # the first one-choice question only, by keyboard
        else:
            fill_in(card_, question, answer)
            if sure is not None:
                card_.get_by_role("radio", name=label_re(LEVEL_LABELS[sure])).check()
            check(card_)
        if right:
            expect_right(card_, question)
        else:
            expect_wrong(card_)
        if not right and sure == "certain":
            expect(card_.locator(".spasm-confident-wrong")).to_be_visible()


def _answer_first(page: Page, notebook: str) -> None:
    """Answer a lesson's first question right, saying "Certain"."""
    lesson = next(x for x in course().lessons if x.notebook == notebook)
    cards = _cards(page, len(lesson.quiz.questions))
    question = lesson.quiz.questions[0]
    fill_in(cards.first, question, answer_for(question, right=True))
    cards.first.get_by_role("radio", name=label_re(LEVEL_LABELS["certain"])).check()
    check(cards.first)
    expect_right(cards.first, question)


_axe = Axe()


def _no_serious_axe(page: Page, label: str) -> None:
    """axe-core on the whole page (made as tall as its content): nothing serious or critical."""
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(900, int(height))})
    violations = _axe.run(page).response["violations"]
    page.set_viewport_size({"width": 1280, "height": 900})
    blocking = [
        f"{v['impact']} {v['id']}: {v['help']} {[n['target'] for n in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
    assert not blocking, f"{label}: {blocking}"


def _shot(page: Page, locator: Locator, name: str) -> Path:
    """A picture of one part of the page, with the window as tall as the page (nothing cut)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    height = page.evaluate("document.getElementById('rendered_cells').scrollHeight")
    page.set_viewport_size({"width": 1280, "height": max(900, int(height))})
    locator.screenshot(path=str(path))
    page.set_viewport_size({"width": 1280, "height": 900})
    assert path.stat().st_size > 1000
    return path


def test_before_lessons_after_and_the_educator_views(
    people: People, class_server: ClassServer, class_store: ResultsStore
) -> None:
    code = f"LJ-{uuid.uuid4().hex[:6]}"
    ana, bo, cy = (new_learner_id() for _ in range(3))
    for learner_id, nickname in ((ana, "Ana"), (bo, "<i>Bo</i>"), (cy, "Cy")):
        class_store.register_learner(learner_id, class_code=code, nickname=nickname)

    # Ana: before (keyboard for the first), two lessons, after.
    page = people.new_page().page
    sent = SentUpdates(page)  # listens before the page opens its kernel's socket
    page.goto(class_server.url(CHECK_BEFORE_PAGE, f"learner={ana}"))
    rendered(page)
    _no_serious_axe(page, "check before")
    _do_check(page, right=False, sure="certain", keyboard=sent)
    expect(page.locator(".spasm-check-mine")).to_contain_text(text("check_mine_done_before"))
    for notebook in (LESSON_1, LESSON_2):
        page.goto(class_server.url(notebook, f"learner={ana}"))
        rendered(page)
        _answer_first(page, notebook)
    page.goto(class_server.url(CHECK_AFTER_PAGE, f"learner={ana}"))
    rendered(page)
    _do_check(page, right=True, sure="fairly_sure")
    mine = page.locator(".spasm-check-mine")
    expect(mine).to_contain_text(text("check_mine_before", score=0))
    expect(mine).to_contain_text(text("check_mine_after", score=100))
    _no_serious_axe(page, "check after")
    # Her take-home summary: the two lessons' key points, her before and after.
    page.goto(class_server.url(SUMMARY_PAGE, f"learner={ana}"))
    rendered(page)
    summary = page.locator(".spasm-summary")
    for lesson in course().lessons[:2]:
        expect(summary.locator(".spasm-summary-lesson h2", has_text=lesson.title)).to_be_visible()
    expect(summary.locator(".spasm-summary-lesson")).to_have_count(2)
    expect(summary).to_contain_text(text("check_mine_before", score=0))
    expect(summary.locator(".spasm-redflags")).to_be_visible()
    _no_serious_axe(page, "summary")

    saved = class_store.attempts_for_learner(ana)
    before = [a for a in saved if a.lesson_id == CHECK_LESSON_IDS["before"]]
    assert len(before) == N and {a.confidence for a in before} == {"certain"}
    assert not any(a.correct for a in before)
    lessons = [a for a in saved if not a.lesson_id.startswith("check-")]
    assert [a.confidence for a in lessons] == ["certain", "certain"]

    # Bo: full marks both times. Cy: before only.
    for learner_id, stages, right, sure in (
        (bo, (CHECK_BEFORE_PAGE, CHECK_AFTER_PAGE), True, None),
        (cy, (CHECK_BEFORE_PAGE,), False, "guessing"),
    ):
        for stage in stages:
            other = people.open(stage, f"learner={learner_id}").page
            _do_check(other, right=right, sure=sure)

    # The educator page.
    educator = people.open(EDUCATOR).page
    edu = educator.locator(".spasm-page")
    edu.get_by_label(text("edu_passcode")).fill(class_server.passcode)
    edu.get_by_label(text("edu_class_code")).fill(code)
    edu.locator(".spasm-edu-open").click()
    ba = educator.locator(".spasm-edu-before-after")
    expect(ba).to_contain_text(
        text("edu_ba_counts", both=2, before_only=1, after_only=0), timeout=REFRESH_TIMEOUT_MS
    )
    expect(ba).to_contain_text(text("edu_ba_class", before="50", after="100", gain="1.00"))
    expect(ba).to_contain_text(text("edu_ba_full", count=1))
    rows = ba.locator("table.spasm-ba-topics tbody tr")
    expect(rows).to_have_count(N)
    for n in range(N):  # Ana moved up on every idea, Bo stayed at full marks
        expect(rows.nth(n).locator("td").nth(2)).to_have_text("1 / 2")
        expect(rows.nth(n).locator("td").nth(3)).to_have_text("2 / 2")
    cw = educator.locator(".spasm-edu-confident-wrong")
    cw_rows = cw.locator("table.spasm-cw-table tbody tr")
    expect(cw_rows).to_have_count(N)  # Ana was certain of every wrong answer before
    safety = [q for p in CHECKS.pairs for q in p.questions if q.safety]
    expect(cw_rows.first).to_have_class("spasm-cw-safety")  # safety questions first
    first_prompt = cw_rows.first.locator("td").nth(1).text_content() or ""
    assert first_prompt.startswith("⚠ " + text("edu_cw_col_safety")), first_prompt
    assert any(first_prompt.endswith(plain(q.prompt)) for q in safety), first_prompt
    expect(cw_rows.first.locator("td").nth(2)).to_have_text("1")
    expect(cw).to_contain_text(text("edu_cw_tags"))
    expect(educator.locator(".spasm-edu-results")).to_contain_text("<i>Bo</i>")  # escaped
    _no_serious_axe(educator, "educator page with the new views")
    _shot(educator, ba, "educator-before-after.png")
    _shot(educator, cw, "educator-confident-wrong.png")
