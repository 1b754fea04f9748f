"""The projector screen in Chromium: every screen fits 16:9 in large type, a clicker steps it,
and a student joins the class by scanning the QR code on the Join screen.

Screenshots go to a temporary folder, or to $SPASM_EDU_SCREENSHOTS (`make screenshots`:
docs/screenshots/presenter-qr.png and presenter-screen.png).
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from spasm_edu.content import load_course
from spasm_edu.results import ResultsStore
from spasm_edu.strings import text
from tests.ui_class.class_driver import LESSON_1, START, ClassServer, People, rendered

pytestmark = pytest.mark.browser

OUT = Path(os.environ.get("SPASM_EDU_SCREENSHOTS") or tempfile.mkdtemp(prefix="spasm-shots-"))
OUT.mkdir(parents=True, exist_ok=True)
SIZES = [(1366, 768), (1920, 1080)]
STEP_TIMEOUT_MS = 20_000  # one round trip to the kernel on a busy machine

# Everything a screen shows, measured in the page: what scrolls, where the screen and the
# lowest thing in it end, the font size of its body text, the warning line's box.
MEASURE = """() => {
  const box = (el) => el.getBoundingClientRect();
  const screen = document.querySelector('.spasm-screen');
  const inside = [...screen.querySelectorAll('*')].filter((el) => box(el).height > 0);
  const help = document.querySelector('.spasm-help-line');
  const cells = document.querySelector('#rendered_cells');
  // Body text: paragraphs and list items, not the red-flag box (measured apart, as on the
  // lesson page, where the body is the sections' text).
  const body = [...screen.querySelectorAll('p, li')]
    .filter((el) => box(el).height > 0 && !el.closest('.spasm-redflags'))
    .map((el) => parseFloat(getComputedStyle(el).fontSize));
  return {
    width: innerWidth, height: innerHeight,
    scroll: Math.max(document.scrollingElement.scrollHeight, cells ? cells.scrollHeight : 0),
    scrollWidth: document.scrollingElement.scrollWidth,
    screen: [box(screen).top, box(screen).bottom, box(screen).left, box(screen).right],
    overflow: screen.scrollHeight - screen.clientHeight,
    lowest: Math.max(0, ...inside.map((el) => box(el).bottom)),
    rightmost: Math.max(0, ...inside.map((el) => box(el).right)),
    help: help ? [box(help).top, box(help).bottom, box(help).width] : null,
    helpText: help ? help.innerText : '',
    body,
    position: document.querySelector('.spasm-screen-position').innerText,
    active: document.activeElement ? document.activeElement.tagName : null,
  };
}"""

LESSON_BODY = """() => [...document.querySelectorAll('.spasm-section p, .spasm-section li')]
  .filter((el) => el.getBoundingClientRect().height > 0)
  .map((el) => parseFloat(getComputedStyle(el).fontSize))"""


def position(number: int, total: int) -> str:
    return text("present_screen_of", number=number, total=total)


def total_screens(page: Page) -> int:
    shown = page.locator(".spasm-screen-position")
    expect(shown).to_contain_text(text("present_screen_of", number=1, total="").strip())
    return int(shown.inner_text().rsplit(" ", 1)[1])


def press(page: Page, key: str, number: int, total: int) -> None:
    """Press `key` with nothing focused; wait until screen `number` shows."""
    page.keyboard.press(key)
    expect(page.locator(".spasm-screen-position")).to_have_text(
        position(number, total), timeout=STEP_TIMEOUT_MS
    )


def open_presenter(people: People, notebook: str = LESSON_1) -> Page:
    page = people.open(notebook, "present=1").page
    # The keyboard widget is an anywidget: its button shows once its ES module has loaded.
    expect(page.locator(".spasm-fullscreen")).to_have_text(text("present_fullscreen"))
    return page


def resize(page: Page, width: int, height: int) -> None:
    """Resize the window and wait until the layout has followed: JupyterLab's panels set their
    pixel sizes on the next animation frames, after the fonts (sized from the window) have."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate(
        """() => new Promise((done) => {
            let last = null, same = 0;
            const step = () => {
                const s = document.querySelector('.spasm-screen');
                const now = s ? [s.clientHeight, s.scrollHeight, innerHeight].join() : '';
                same = now === last ? same + 1 : 0;
                last = now;
                if (same >= 3) done(true); else requestAnimationFrame(step);
            };
            requestAnimationFrame(step);
        })"""
    )


def check_fits(m: dict[str, Any], where: str) -> None:
    """The screen and all in it inside the window, nothing scrolls, the warning line shows."""
    width, height = m["width"], m["height"]
    assert m["scroll"] <= height, f"{where}: the page scrolls ({m['scroll']} > {height})"
    assert m["scrollWidth"] <= width, f"{where}: the page scrolls sideways"
    top, bottom, left, right = m["screen"]
    assert top >= 0 and bottom <= height and left >= 0 and right <= width, (where, m["screen"])
    assert m["overflow"] <= 0, f"{where}: the screen's content overflows by {m['overflow']} px"
    assert m["lowest"] <= bottom + 0.5, f"{where}: content ends at {m['lowest']}, below {bottom}"
    assert m["rightmost"] <= right + 0.5, f"{where}: content runs off to the right"
    assert m["help"] is not None, f"{where}: no warning line"
    help_top, help_bottom, help_width = m["help"]
    assert help_width > 0 and help_top >= 0 and help_bottom <= height, (where, m["help"])
    assert text("red_flags_title") in m["helpText"], where


@pytest.mark.slow
def test_every_screen_of_every_lesson_fits_in_large_type(people: People) -> None:
    """At 1366x768 forward with PageDown, at 1920x1080 back with PageUp: every screen fits."""
    course, _broken = load_course(strict=False)
    lesson_page = people.open(LESSON_1).page
    resize(lesson_page, 1366, 768)
    lesson_fonts = lesson_page.evaluate(LESSON_BODY)
    assert len(lesson_fonts) > 10
    lesson_median = statistics.median(lesson_fonts)
    for lesson in (x for x in course.lessons if x.kind == "lesson"):
        page = open_presenter(people, lesson.notebook)
        resize(page, 1366, 768)
        total = total_screens(page)
        fonts: list[float] = []
        for number in range(1, total + 1):
            if number > 1:
                press(page, "PageDown", number, total)
            m = page.evaluate(MEASURE)
            check_fits(m, f"{lesson.notebook} screen {number} at 1366x768")
            fonts += m["body"]
        presenter_median = statistics.median(fonts)
        print(f"{lesson.id}: {total} screens, body {presenter_median} px, lesson {lesson_median}")
        assert presenter_median >= 1.6 * lesson_median, (presenter_median, lesson_median)
        resize(page, 1920, 1080)
        for number in range(total, 0, -1):
            if number < total:
                press(page, "PageUp", number, total)
            check_fits(page.evaluate(MEASURE), f"{lesson.notebook} screen {number} at 1920x1080")
        page.close()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_a_clicker_steps_with_nothing_focused(people: People, width: int, height: int) -> None:
    """PageDown, ArrowRight and space go on, PageUp and ArrowLeft back, focus stays on body."""
    page = open_presenter(people)
    resize(page, width, height)
    total = total_screens(page)
    assert page.evaluate("document.activeElement === document.body")
    for number, key in enumerate(["PageDown", "ArrowRight", " ", "PageDown"], 2):
        press(page, key, number, total)
        assert page.evaluate("document.activeElement === document.body")
        check_fits(page.evaluate(MEASURE), f"screen {number} at {width}x{height}")
    for number, key in [(4, "PageUp"), (3, "ArrowLeft"), (2, "PageUp"), (1, "ArrowLeft")]:
        press(page, key, number, total)
    press(page, "PageUp", 1, total)  # nothing before the first screen
    # Keys typed into the passcode field stay there: the screen does not change.
    press(page, "PageDown", 2, total)
    field = page.get_by_label(text("edu_passcode"))
    field.press_sequentially("a b")
    field.press("ArrowLeft")
    field.press("ArrowRight")
    expect(field).to_have_value("a b")
    expect(page.locator(".spasm-screen-position")).to_have_text(position(2, total))
    if width == 1366:  # the first section of the lesson, for the README
        press_from_body(page, "PageDown", 3, total)
        press(page, "PageDown", 4, total)
        page.screenshot(path=str(OUT / "presenter-screen.png"))


def press_from_body(page: Page, key: str, number: int, total: int) -> None:
    page.evaluate("document.activeElement && document.activeElement.blur()")
    press(page, key, number, total)


def test_full_screen_button_asks_the_browser(people: People) -> None:
    page = open_presenter(people)
    page.locator(".spasm-fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement === document.documentElement")
    page.locator(".spasm-fullscreen").click()
    page.wait_for_function("() => document.fullscreenElement === null")


def zbarimg(png: Path) -> str:
    """The text of the one QR code in `png`, read by Debian's zbarimg."""
    tool = shutil.which("zbarimg")
    if tool is None:
        pytest.fail("zbarimg is missing: run make test, it installs zbar-tools", pytrace=False)
    result = subprocess.run(
        [tool, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(png)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"zbarimg found no QR code: {result.stderr}"
    return result.stdout.strip()


def test_a_student_scans_the_qr_code_and_is_in_the_class(
    people: People, class_server: ClassServer, class_store: ResultsStore, tmp_path: Path
) -> None:
    code = f"QR-{uuid.uuid4().hex[:6]}"
    page = open_presenter(people)
    resize(page, 1366, 768)
    total = total_screens(page)
    press(page, "PageDown", 2, total)
    join = page.locator(".spasm-join-box")
    expect(join).to_contain_text(text("present_join_locked"))
    page.get_by_label(text("edu_passcode")).fill(class_server.passcode)
    page.get_by_label(text("edu_class_code")).fill(code)
    page.locator(".spasm-present-unlock").click()
    qr = page.locator(".spasm-qr")
    expect(qr).to_be_visible()
    address = f"{class_server.base}/voila/render/{START}?class={code}"
    expect(qr).to_have_attribute("aria-label", text("present_join_qr", address=address))
    expect(join.locator(".spasm-join-address")).to_have_text(address)
    page.evaluate("document.activeElement && document.activeElement.blur()")
    check_fits(page.evaluate(MEASURE), "Join screen at 1366x768")
    page.screenshot(path=str(OUT / "presenter-qr.png"))
    shot = tmp_path / "qr-code.png"
    qr.screenshot(path=str(shot))
    assert zbarimg(shot) == address

    # A phone opens what it read: the start page with the class code filled in.
    phone = people.new_page().page
    phone.set_viewport_size({"width": 390, "height": 844})
    phone.goto(zbarimg(shot), wait_until="commit")
    rendered(phone)
    form = phone.locator(".spasm-join-class")
    expect(form.get_by_label(text("join_code"))).to_have_value(code)
    form.get_by_label(text("join_nickname")).fill("Scan")
    form.locator(".spasm-join").click()
    expect(form.locator(".spasm-joined")).to_have_text(
        text("join_done", code=code, nickname="Scan")
    )
    assert [(x.class_code, x.nickname) for x in class_store.class_learners(code)] == [
        (code, "Scan")
    ]
    # The live question is on its own screen, for the same class.
    press_from_body(page, "PageDown", 3, total)
    for number in range(4, total):
        press(page, "PageDown", number, total)
    expect(page.locator(".spasm-question-box .spasm-poll-send")).to_be_visible()
    expect(page.get_by_role("heading", name=text("edu_class", code=code))).to_be_visible()
