"""Accessibility of every page once its widgets have rendered: axe-core and a few direct checks,
in light, dark (system setting and Voilà's ?theme=dark) and forced colours."""

from __future__ import annotations

from typing import Literal

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from quiz_driver import (
    NOTEBOOKS,
    START,
    answer_for,
    card,
    check,
    expect_right,
    expect_saved,
    expect_wrong,
    fill_in,
    lesson_of,
    open_page,
    wait_rendered,
)

pytestmark = pytest.mark.browser

BLOCKING = ("serious", "critical")
_axe = Axe()


# Voilà scrolls the page inside #rendered_cells, under an `overflow: hidden` panel the window's
# height: axe-core counts what is scrolled out of that panel as hidden and measures no contrast
# there. For a scan the window is made as tall as the page, so every part is on screen.
_PAGE_FITS = """() => {
    const cells = document.getElementById('rendered_cells');
    cells.scrollTop = 0;
    return cells.clientHeight >= cells.scrollHeight && cells.scrollTop === 0;
}"""
_FIT_TRIES = 4
# Where the measured elements are: the page's own top and bottom, and the measured ones'.
_SPAN = """(targets) => {
    const page = [...document.querySelectorAll('.spasm-page')].map(e => e.getBoundingClientRect());
    const seen = targets.map(t => document.querySelector(t)).filter(Boolean)
        .map(e => e.getBoundingClientRect());
    return [Math.min(...page.map(r => r.top)), Math.max(...page.map(r => r.bottom)),
            Math.min(...seen.map(r => r.top)), Math.max(...seen.map(r => r.bottom))];
}"""


def _fit_window(page: Page, width: int) -> None:
    """Make the window as tall as the page, again if the page grew meanwhile (a late message,
    the reflow a taller window causes); fail, saying the heights, if it never settles."""
    heights = []
    for _ in range(_FIT_TRIES):
        heights.append(page.evaluate("document.getElementById('rendered_cells').scrollHeight"))
        page.set_viewport_size({"width": width, "height": heights[-1]})
        try:
            page.wait_for_function(_PAGE_FITS, timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError(f"the page never fitted the window; its heights were {heights} px")


def _scan(page: Page, label: str) -> list[dict[str, object]]:
    """Run axe-core on the whole page; print every violation, return the serious and critical.

    Fails if contrast was not measured from the top of the page's widgets to their bottom.
    """
    viewport = page.viewport_size
    try:
        _fit_window(page, viewport["width"] if viewport else 1280)
        response = _axe.run(page, options={"resultTypes": ["violations", "passes"]}).response
        targets = [
            str(n["target"][0])
            for result in response["passes"] + response["violations"]
            if result["id"] == "color-contrast"
            for n in result["nodes"]
        ]
        top, bottom, seen_top, seen_bottom = page.evaluate(_SPAN, targets)
    finally:
        if viewport:
            page.set_viewport_size(viewport)
    print(f"{label}: contrast measured on {len(targets)} elements")
    # Within 200 px of either end: the first and last lines of text sit inside padding.
    assert seen_top - top < 200 and bottom - seen_bottom < 200, (
        f"{label}: contrast measured from {seen_top:.0f} to {seen_bottom:.0f} px only, "
        f"the page's widgets run from {top:.0f} to {bottom:.0f} px"
    )
    violations = response["violations"]
    for v in violations:
        where = ", ".join(str(n["target"]) for n in v["nodes"][:3])
        print(f"{label}: {v['impact']} {v['id']} ({len(v['nodes'])} nodes): {v['help']} [{where}]")
    if not violations:
        print(f"{label}: no axe violations")
    return [v for v in violations if v["impact"] in BLOCKING]


def _describe(violations: list[dict[str, object]]) -> str:
    return "\n".join(
        f"{v['impact']} {v['id']}: {v['help']}\n  "
        + "\n  ".join(f"{n['target']}: {n['failureSummary']}" for n in v["nodes"][:5])  # type: ignore[attr-defined]
        for v in violations
    )


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_page_is_accessible(page: Page, voila_server: str, notebook: str, language: str) -> None:
    open_page(page, voila_server, notebook, language)
    # The page says its language (spasm-lang.js follows the page's widgets).
    expect(page.locator("html")).to_have_attribute("lang", language)
    blocking = _scan(page, f"{notebook} ({language})")
    assert not blocking, _describe(blocking)

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
    expect_saved(wrong)  # the last line each card grows, so the scan sees the whole card
    expect_saved(right)
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


# Dark and forced colours: what the page is told, and how to tell it took effect. Voilà's
# ?theme=dark and a system in dark mode (prefers-color-scheme) both must give a dark page;
# forced colours (Windows contrast themes) come in a dark and a light palette.
MODES: dict[str, tuple[Literal["light", "dark"], Literal["active", "none"], str]] = {
    "prefers-dark": ("dark", "none", ""),
    "theme-dark": ("light", "none", "?theme=dark"),
    "forced-colors-dark": ("dark", "active", ""),
    "forced-colors-light": ("light", "active", ""),
}
LESSON = "01-what-is-a-back-spasm.ipynb"


def _luminance(page: Page, selector: str, prop: str) -> float:
    """Relative luminance (WCAG) of an element's computed colour property, from 0 to 1."""
    rgb = page.evaluate(
        """([sel, prop]) => {
        const m = getComputedStyle(document.querySelector(sel))[prop].match(/[\\d.]+/g);
        return m.slice(0, 3).map(Number);
    }""",
        [selector, prop],
    )
    lin = [c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
    return float(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2])


def _expect_mode(page: Page, mode: str) -> None:
    """The mode really is on: a dark mode draws light text on a dark page, and so on."""
    forced = page.evaluate("matchMedia('(forced-colors: active)').matches")
    assert forced is mode.startswith("forced"), f"{mode}: forced-colors active is {forced}"
    page_dark = _luminance(page, "body", "backgroundColor") < 0.05
    text_light = _luminance(page, ".spasm-page h2, .spasm-page h3", "color") > 0.5
    dark = mode != "forced-colors-light"
    assert page_dark is dark and text_light is dark, (
        f"{mode}: expected a {'dark' if dark else 'light'} page with "
        f"{'light' if dark else 'dark'} text; background dark={page_dark}, text light={text_light}"
    )


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("notebook", [START, LESSON])
def test_dark_and_forced_colours_pass_axe(
    page: Page, voila_server: str, notebook: str, mode: str
) -> None:
    color_scheme, forced_colors, query = MODES[mode]
    page.emulate_media(color_scheme=color_scheme, forced_colors=forced_colors)
    page.goto(f"{voila_server}/voila/render/{notebook}{query}")
    wait_rendered(page, notebook)
    if notebook == LESSON:
        # Both kinds of feedback on screen, still in words and icons, not colour alone.
        questions = lesson_of(notebook).quiz.questions
        wrong, right = card(page, 1), card(page, 2)
        fill_in(wrong, questions[0], answer_for(questions[0], right=False))
        check(wrong)
        expect_wrong(wrong)
        fill_in(right, questions[1], answer_for(questions[1], right=True))
        check(right)
        expect_right(right, questions[1])
        expect_saved(wrong)
        expect_saved(right)
    _expect_mode(page, mode)
    blocking = _scan(page, f"{notebook} {mode}")
    assert not blocking, _describe(blocking)
