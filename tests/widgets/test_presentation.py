"""Presentation screens without a browser: splitting, kernel-side stepping, the join QR code."""

from __future__ import annotations

import dataclasses
import html as htmllib
import re

import ipywidgets as widgets
import pytest
import segno

from spasm_edu import show_lesson, show_start
from spasm_edu.cli import build_parser
from spasm_edu.content import load_course
from spasm_edu.results import ResultsStore
from spasm_edu.widgets.presenter import (
    SCREEN_LINES,
    PresenterView,
    _section_screens,
    _Unit,
    _units,
    join_address,
    paginate,
    screens,
)
from tests.support.hostile import EVENT_HANDLERS, SCRIPT_TAGS
from tests.support.widgets import click, find, find_all, html_text, walk

LESSON = "what-is-a-back-spasm"
RAW_TAG = re.compile(r"<(script|img|svg onload|iframe)\b", re.IGNORECASE)


def presenter(monkeypatch: pytest.MonkeyPatch, **request: str) -> PresenterView:
    """A presenter page as Voilà builds it, for a request with these CGI variables."""
    monkeypatch.setenv("QUERY_STRING", "present=1")
    monkeypatch.setenv("SPASM_EDU_EDUCATOR_PASSCODE", "s3cret")
    monkeypatch.delenv("SPASM_EDU_PUBLIC_URL", raising=False)
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/01-what-is-a-back-spasm.ipynb")
    monkeypatch.setenv("SERVER_NAME", "192.168.1.20")
    monkeypatch.setenv("SERVER_PORT", "8866")
    for name, value in request.items():
        monkeypatch.setenv(name, value)
    view = show_lesson(LESSON)
    assert isinstance(view, PresenterView)
    return view


def unlock(view: PresenterView, code: str = "BIO-7") -> None:
    find(view, "spasm-class-code").value = code
    find(view, "spasm-passcode").value = "s3cret"
    click(view, "spasm-present-unlock")


def browser_sends(view: PresenterView, content: object) -> None:
    """A custom message from the browser, through the same path a comm message takes."""
    msg = {"content": {"data": {"method": "custom", "content": content}}, "buffers": []}
    view.keyboard._handle_msg(msg)


def position(view: PresenterView) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", find(view, "spasm-screen-position").value))


# ---------------------------------------------------------------- splitting into screens


def test_every_lesson_splits_the_same_way_twice_and_keeps_every_paragraph() -> None:
    course, _broken = load_course(strict=False)
    for lesson in course.lessons:
        first, again = screens(course, lesson), screens(course, lesson)
        assert first == again, lesson.id
        kinds = [s.kind for s in first]
        assert kinds[:2] == ["title", "join"] and kinds[-1] == "end", lesson.id
        assert kinds.count("question") == (1 if lesson.quiz.questions else 0)
        # The full "Get help now" box on the first and the last screen only.
        with_box = [n for n, s in enumerate(first) if "spasm-redflags" in s.html]
        assert with_box == [0, len(first) - 1], lesson.id
        shown = htmllib.unescape(re.sub(r"<[^>]+>", "", "".join(s.html for s in first)))
        for section in lesson.sections:
            for unit in _units(section.body):
                words = re.sub(r"\*\*", "", unit.raw)
                assert words in shown, (lesson.id, section.id, words[:40])


def test_a_long_section_is_split_between_paragraphs_evenly_and_in_order() -> None:
    # 21 paragraphs of 2 lines (+ spacing: 2.5) on screens of 12 lines: 4 fit on a screen, so
    # 6 screens are the fewest; evenly full is 4, 4, 4, 3, 3, 3, not 4, 4, 4, 4, 4, 1.
    units = [_Unit("p", f"Paragraph {n:02}. " + "word " * 16) for n in range(21)]
    assert {u.lines for u in units} == {2.5}
    pages = paginate(units)
    assert [u for page in pages for u in page] == units  # nothing lost, nothing reordered
    assert sorted(len(page) for page in pages) == [3, 3, 3, 4, 4, 4]
    assert all(sum(u.lines for u in page) <= SCREEN_LINES for page in pages)
    assert paginate(units) == pages
    assert paginate(units[:4]) == [units[:4]]  # one screen's worth stays one screen
    huge = _Unit("p", "word " * 300)  # longer than a screen: a screen of its own
    assert paginate([units[0], huge, units[1]]) == [[units[0]], [huge], [units[1]]]
    assert paginate([]) == []


def test_a_numbered_list_split_over_screens_keeps_counting() -> None:
    body = "Do this:\n\n" + "\n".join(f"{n}. Step {n}: " + "go on " * 20 for n in range(1, 13))
    course, _broken = load_course(strict=False)
    lesson = course.lesson(LESSON)
    section = lesson.sections[0]
    long = dataclasses.replace(section, body=body, image=None, evidence="")
    out = _section_screens(long, course, "en", set())
    assert len(out) >= 2
    starts = [int(n) for s in out for n in re.findall(r'<ol start="(\d+)"', s.html)]
    assert starts[0] == 1 and starts[1] > 1 and starts == sorted(starts)
    assert "(continued)" not in out[0].html and "continued" in out[1].html


# ---------------------------------------------------------------- stepping, kernel-side


def test_keyboard_messages_step_kernel_side_and_stop_at_both_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = presenter(monkeypatch)
    total = len(view.kinds)
    assert view.index == 0 and position(view) == f"Screen 1 of {total}"
    browser_sends(view, {"step": -1})  # PageUp on the first screen
    assert view.index == 0 and find(view, "spasm-previous").disabled
    browser_sends(view, {"step": 1})
    assert view.index == 1 and position(view) == f"Screen 2 of {total}"
    for _ in range(total + 5):
        browser_sends(view, {"step": 1})
    assert view.index == total - 1 and find(view, "spasm-next").disabled
    assert position(view) == f"Screen {total} of {total}"
    browser_sends(view, {"step": -1})
    assert view.index == total - 2
    click(view, "spasm-previous")
    assert view.index == total - 3


@pytest.mark.parametrize(
    "content",
    [
        {"step": 5},
        {"step": -3},
        {"step": True},
        {"step": 1.0},
        {"step": "1"},
        {"step": None},
        {"index": 7},
        {"screen": 7},
        [1],
        "next",
        None,
    ],
)
def test_the_browser_can_only_ask_for_one_step(
    monkeypatch: pytest.MonkeyPatch, content: object
) -> None:
    view = presenter(monkeypatch)
    browser_sends(view, {"step": 1})
    browser_sends(view, content)
    assert view.index == 1


def test_no_synced_trait_chooses_the_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch)
    # Nothing on the page holds a number the browser could set (the old slider did).
    numbers = (widgets.IntSlider, widgets.IntText, widgets.BoundedIntText, widgets.Play)
    assert not [w for w in walk(view) if isinstance(w, numbers)]
    # The browser may set every synced trait of the keyboard widget: the screen stays.
    state = view.keyboard.get_state()
    forged = {k: v for k, v in state.items() if k not in ("layout", "_esm", "_css")}
    forged.update({"fullscreen_label": "5", "tabbable": True, "tooltip": "7"})
    view.keyboard.set_state(forged)
    assert view.index == 0
    screen = find(view, "spasm-screen-content")
    screen.value = "<p>forged</p>"  # what the browser can do to its own copy: no step
    assert view.index == 0


def test_the_help_line_and_disclaimer_are_on_every_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch, SPASM_EDU_EMERGENCY_NUMBER="112")
    help_line = find(view, "spasm-presenter-help")
    top = find(view, "spasm-presenter-top")
    for _ in view.kinds:
        assert "Get help now" in help_line.value and "call 112" in help_line.value
        assert "education, not medical advice" in top.value
        assert help_line in walk(view) and top in walk(view)
        view.step(1)


# ---------------------------------------------------------------- joining from the projector


def test_join_screen_says_how_to_unlock_then_shows_the_qr_of_the_join_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view = presenter(monkeypatch)
    view.step(1)
    assert view.kinds[view.index] == "join"
    join = find(view, "spasm-join-box")
    assert "educator passcode" in html_text(join) and not find_all(view, "spasm-qr")
    unlock(view)
    address = "http://192.168.1.20:8866/voila/render/00-start-here.ipynb?class=BIO-7"
    assert view.join_address == address
    page = html_text(join)
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL)
    assert svg is not None
    expected = segno.make(address, error="m").svg_inline(
        dark="#000", light="#fff", omitsize=True, svgclass="spasm-qr-svg"
    )
    assert svg.group(0) == expected  # the QR encodes exactly the join address
    assert f'aria-label="QR code that opens {htmllib.escape(address)}"' in page
    assert f'<a href="{htmllib.escape(address)}">' in page and "BIO-7" in page
    assert "only works on this computer" not in page
    assert view.poll is not None and view.index == 1


def test_join_address_follows_the_request_and_the_public_url() -> None:
    page = "/voila/render/05-home-care.ipynb"
    env = {"SCRIPT_NAME": page, "SERVER_NAME": "10.0.0.5", "SERVER_PORT": "9000"}
    start = "voila/render/00-start-here.ipynb?class=A-1"
    assert join_address("A-1", env) == f"http://10.0.0.5:9000/{start}"
    https = {**env, "VOILA_REQUEST_URL": "https://10.0.0.5:9000" + page}
    assert join_address("A-1", https) == f"https://10.0.0.5:9000/{start}"
    public = {**env, "SPASM_EDU_PUBLIC_URL": "https://class.example.org/spasm/"}
    assert join_address("A-1", public) == f"https://class.example.org/spasm/{start}"
    bad = {**env, "SPASM_EDU_PUBLIC_URL": "javascript:alert(1)"}
    assert join_address("A-1", bad) == f"http://10.0.0.5:9000/{start}"
    hub = {**env, "SCRIPT_NAME": "/user/ana/voila/render/05-home-care.ipynb", "SERVER_PORT": ""}
    assert join_address("A-1", hub) == f"http://10.0.0.5/user/ana/{start}"
    assert join_address("A-1", {**env, "SERVER_NAME": "::1"}).startswith("http://[::1]:9000/")
    spanish = join_address("A-1", env, language="es")
    assert spanish == "http://10.0.0.5:9000/voila/render/00-start-here.ipynb?lang=es&class=A-1"


def test_a_loopback_address_says_students_cannot_reach_it(monkeypatch: pytest.MonkeyPatch) -> None:
    view = presenter(monkeypatch, SERVER_NAME="127.0.0.1")
    unlock(view)
    assert "only works on this computer" in html_text(find(view, "spasm-join-box"))


@pytest.mark.parametrize("payload", [*SCRIPT_TAGS[:4], *EVENT_HANDLERS[:4]])
def test_hostile_public_url_and_host_stay_text(
    monkeypatch: pytest.MonkeyPatch, payload: str
) -> None:
    view = presenter(
        monkeypatch,
        SPASM_EDU_PUBLIC_URL=f"http://class.example.org/{payload}",
        SERVER_NAME=payload,
    )
    unlock(view)
    page = html_text(view)
    assert view.join_address.startswith("http://class.example.org/")
    assert not RAW_TAG.search(page.replace('<svg viewBox="0 0', "")), page[:300]
    view = presenter(monkeypatch, SERVER_NAME=payload)
    unlock(view)
    assert not RAW_TAG.search(html_text(view).replace('<svg viewBox="0 0', ""))


@pytest.mark.parametrize(
    "code", ["<b>x</b>", '"><script>x</script>', "a b", "x" * 40, "-BIO", "BIO-7\nx"]
)
def test_hostile_class_codes_are_refused(monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    view = presenter(monkeypatch)
    unlock(view, code)
    assert view.poll is None and not find_all(view, "spasm-qr")
    assert "1 to 32 letters" in find(view, "spasm-present-message").value
    assert not RAW_TAG.search(html_text(view))


# ---------------------------------------------------------------- the start page's ?class=


def test_start_page_fills_in_the_class_code_and_joins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUERY_STRING", "class=BIO-7")
    page = show_start()
    assert find(page, "spasm-join-code").value == "BIO-7"
    assert "BIO-7 is filled in" in find(page, "spasm-join-message").value
    click(page, "spasm-join")
    assert "You joined class BIO-7" in find(page, "spasm-join-message").value
    store = ResultsStore()
    assert [x.class_code for x in store.class_learners("BIO-7")] == ["BIO-7"]


@pytest.mark.parametrize("code", ["%3Cscript%3Ex%3C%2Fscript%3E", "a%20b", "x" * 40, ""])
def test_start_page_ignores_a_malformed_class_code(
    monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    monkeypatch.setenv("QUERY_STRING", f"class={code}")
    page = show_start()
    assert find(page, "spasm-join-code").value == ""
    assert find(page, "spasm-join-message").value == ""


def test_serve_takes_a_public_url_and_refuses_anything_else(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = build_parser()
    args = parser.parse_args(["serve", "--public-url", "https://class.example.org:8443/spasm"])
    assert args.public_url == "https://class.example.org:8443/spasm"
    assert parser.parse_args(["serve"]).public_url is None
    for bad in ["javascript:alert(1)", "class.example.org", "http://", "ftp://x.org/"]:
        with pytest.raises(SystemExit):
            parser.parse_args(["serve", "--public-url", bad])
        assert "not an http(s) address" in capsys.readouterr().err
