"""Accessibility of every page once its widgets have rendered: axe-core and a few direct checks."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from quiz_driver import (
    NOTEBOOKS,
    answer_for,
    card,
    check,
    expect_right,
    expect_wrong,
    fill_in,
    lesson_of,
    open_page,
)

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
_axe = Axe()


def _scan(page: Page, label: str) -> list[dict[str, object]]:
    """Run axe-core; print every violation, return the serious and critical ones."""
    violations = _axe.run(page).response["violations"]
    for v in violations:
        targets = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        print(
            f"{label}: {v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['help']} [{targets}]"
        )
    if not violations:
        print(f"{label}: no axe violations")
    return [v for v in violations if v["impact"] in BLOCKING]


def _describe(violations: list[dict[str, object]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  "
        + "\n  ".join(f"{n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])  # type: ignore[attr-defined]
        for v in violations
    )


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_page_is_accessible(page: Page, voila_server: str, notebook: str) -> None:
    open_page(page, voila_server, notebook)
    blocking = _scan(page, notebook)
    assert not blocking, _describe(blocking)

    assert page.evaluate("document.documentElement.lang") == "en"
    expect(page.locator("h1")).to_have_count(1)
    without_alt = page.locator("img:not([alt])")
    expect(without_alt).to_have_count(0)
    for img in page.locator(".spasm-page img").all():
        assert (img.get_attribute("alt") or "").strip(), "a content picture has an empty alt"


def test_feedback_is_words_and_icons_not_colour_only(page: Page, voila_server: str) -> None:
    notebook = "01-what-is-a-back-spasm.ipynb"
    open_page(page, voila_server, notebook)
    questions = lesson_of(notebook).quiz.questions
    wrong, right = card(page, 1), card(page, 2)
    fill_in(wrong, questions[0], answer_for(questions[0], right=False))
    check(wrong)
    expect_wrong(wrong)  # ✘ and "Not quite."
    fill_in(right, questions[1], answer_for(questions[1], right=True))
    check(right)
    expect_right(right, questions[1])  # ✔, "Right!" and the explanation
    for feedback in (
        wrong.locator(".spasm-feedback-wrong"),
        right.locator(".spasm-feedback-right"),
    ):
        # Screen readers hear the verdict in words (icons are decoration) and it is announced.
        expect(feedback).to_have_attribute("role", "status")
        verdict = feedback.locator(".spasm-verdict strong")
        expect(verdict).not_to_be_empty()
    # Both kinds of feedback on screen: contrast and names checked again.
    blocking = _scan(page, f"{notebook} with feedback")
    assert not blocking, _describe(blocking)
