"""A lesson page from a real `spasm-edu serve`, printed from Chromium: the whole lesson flows
over the sheets, without buttons, empty boxes or any answer, with the red-flag box, sections,
pictures, disclaimer and sources."""

from __future__ import annotations

import io
from functools import cache
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from spasm_edu.content import Lesson, load_course
from spasm_edu.strings import text

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

RENDER_TIMEOUT_MS = 60_000  # a kernel start and the first render on a busy 2-core machine


@cache
def lesson() -> Lesson:
    return load_course()[0].lesson("home-care")  # pictures, every question type but match


# Rendered buttons, and boxes (a border, a fill, or a widget) with nothing in them.
_BUTTONS = """() => [...document.querySelectorAll('button, [role=button]')]
    .filter(b => b.getClientRects().length && getComputedStyle(b).visibility !== 'hidden')
    .map(b => b.textContent.trim())"""
_EMPTY_BOXES = """() => {
  const out = [];
  for (const e of document.querySelectorAll('#rendered_cells *')) {
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (['INPUT', 'SELECT', 'OPTION', 'IMG', 'BR', 'STYLE', 'SCRIPT'].includes(e.tagName)) continue;
    if (e.closest('svg')) continue;
    const s = getComputedStyle(e);
    if (s.visibility === 'hidden') continue;
    const bordered = ['Top', 'Right', 'Bottom', 'Left'].some(
      k => parseFloat(s['border' + k + 'Width']) > 0 && s['border' + k + 'Style'] !== 'none');
    const filled = !['rgba(0, 0, 0, 0)', 'rgb(255, 255, 255)'].includes(s.backgroundColor);
    const widget = e.classList.contains('lm-Widget');
    if (!(bordered || filled || widget)) continue;
    if (e.innerText.trim() || e.querySelector('img, svg, input, select')) continue;
    out.push(e.tagName + '.' + [...e.classList].join('.'));
  }
  return out;
}"""


def _open(page: Page, base: str) -> None:
    page.goto(f"{base}/voila/render/{lesson().notebook}")
    expect(page.locator(".spasm-card")).to_have_count(
        len(lesson().quiz.questions), timeout=RENDER_TIMEOUT_MS
    )


def test_printed_lesson_page(page: Page, voila_server: str) -> None:
    _open(page, voila_server)
    cards = page.locator(".spasm-card")
    # On screen: an answer checked, and one revealed with Show answer; both say so.
    first = cards.nth(0)
    first.locator(".spasm-choices").get_by_role("radio").first.check()
    first.locator(".spasm-check").click()
    expect(first.locator(".spasm-feedback")).not_to_be_empty()
    second = cards.nth(1)
    second.locator(".spasm-show-answer").click()
    expect(second.locator(".spasm-feedback")).not_to_be_empty()
    assert page.evaluate(_BUTTONS), "no buttons seen on screen: the check itself is broken"
    source_link = page.locator(".spasm-sources a").first
    expect(source_link).to_be_hidden()  # on screen the sources are folded away

    page.emulate_media(media="print")
    assert page.evaluate(_BUTTONS) == []
    assert page.evaluate(_EMPTY_BOXES) == []
    for feedback in page.locator(".spasm-feedback").all():
        expect(feedback).to_be_hidden()
    expect(page.locator(".spasm-nav").first).to_be_hidden()
    # Kept: the box, the disclaimer, every section with its text, pictures and sources.
    flags = page.locator(".spasm-redflags")
    expect(flags).to_be_visible()
    expect(flags).to_contain_text(text("red_flags_title"))
    expect(page.locator(".spasm-disclaimer")).to_be_visible()
    for section in lesson().sections:
        expect(page.locator(f"h2#{section.id}")).to_be_visible()
    expect(page.locator(".spasm-section p").first).to_be_visible()
    for img in page.locator(".spasm-figure img").all():
        expect(img).to_be_visible()
    expect(source_link).to_be_visible()
    # The questions print, and no answer given or revealed shows: a ticked choice looks the
    # same as one not ticked.
    expect(cards.first).to_be_visible()
    radios = first.locator(".spasm-choices").get_by_role("radio")
    checked = [r for r in radios.all() if r.is_checked()]
    unchecked = [r for r in radios.all() if not r.is_checked()]
    assert checked and unchecked
    assert checked[0].screenshot() == unchecked[0].screenshot()

    # On paper: the whole lesson over several sheets, with none of the screen's controls.
    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    printed = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) > 3
    assert text("red_flags_title") in printed
    assert lesson().sections[-1].title in printed
    assert lesson().quiz.questions[-1].prompt.split()[0] in printed
    for word in ("check", "show_answer", "right", "not_quite", "download_results"):
        assert text(word) not in printed, word


# Each text's colour, and the first fill behind it (the canvas is white on paper), as luminance.
_INK_AND_PAPER = """() => {
  const lum = c => { const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number);
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };
  const fill = e => { for (; e; e = e.parentElement) { const c = getComputedStyle(e).backgroundColor;
    if (!/rgba\\(.*, 0\\)$/.test(c)) return c; } return 'rgb(255, 255, 255)'; };
  return [...document.querySelectorAll('.jp-RenderedMarkdown p, .spasm-section p, .spasm-section li, .spasm-page h2, .spasm-card label')]
    .filter(e => e.getClientRects().length && e.innerText.trim())
    .map(e => [e.innerText.trim().slice(0, 40), lum(getComputedStyle(e).color), lum(fill(e))]);
}"""


def test_printed_page_is_dark_on_white_in_a_dark_theme(page: Page, voila_server: str) -> None:
    page.emulate_media(color_scheme="dark")
    page.goto(f"{voila_server}/voila/render/{lesson().notebook}?theme=dark")
    expect(page.locator(".spasm-card")).to_have_count(
        len(lesson().quiz.questions), timeout=RENDER_TIMEOUT_MS
    )
    page.emulate_media(media="print", color_scheme="dark")
    seen = page.evaluate(_INK_AND_PAPER)
    assert len(seen) > 20
    bad = [(words, ink, paper) for words, ink, paper in seen if ink > 0.35 or paper < 0.9]
    assert not bad, bad[:5]
