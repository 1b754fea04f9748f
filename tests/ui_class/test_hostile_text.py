"""Hostile nicknames and class codes in a real browser: shown as text, never run, layout intact.

Most learners are registered through the store (the same rows the Join form writes), so one
educator page can show 70-odd hostile nicknames at once; a few join through the real form. Class
codes go through the form, which must refuse every one of them with a message, and through the
educator and presenter pages, which show whatever code the educator types.

A payload that runs sets `window.__pwned` or opens a dialog; one that only injects markup leaves
an element behind. Every page is checked for all three.
"""

from __future__ import annotations

from itertools import pairwise

import pytest
from playwright.sync_api import Page, expect

from spasm_edu.results import ResultsStore, new_learner_id
from spasm_edu.results._schema import MAX_CLASS_CODE, MAX_NICKNAME
from spasm_edu.strings import text
from spasm_edu.widgets.learner import CLASS_CODE_RE
from tests.support.hostile import LONG, ONE_LINE, PAYLOADS, PWN
from tests.ui.quiz_driver import horizontal_overflow
from tests.ui_class.class_driver import (
    EDUCATOR,
    LESSON_1,
    START,
    ClassServer,
    People,
    Watched,
    learner_in,
    rendered,
    show_class,
)

pytestmark = pytest.mark.browser

CLASS = "HOSTILE"
SENTINEL = "zz-sentinel"  # sorts after the nickname holding U+202E, on the same line
MAX_KNOWN_OVERFLOW_PX = 8

# Tags our widgets' HTML may hold (the page CSS is one <style> block of ours).
INJECTED = """() => {
  const ours = new Set(['a', 'aside', 'bdi', 'br', 'dd', 'details', 'dfn', 'div', 'dl', 'dt',
    'figcaption', 'figure', 'h1', 'h2', 'h3', 'img', 'li', 'nav', 'ol', 'p', 'path', 'rect',
    'section', 'span', 'strong', 'style', 'summary', 'svg', 'table', 'tbody', 'td', 'text',
    'th', 'thead', 'tr', 'ul']);
  const boxes = new Set(['aside', 'details', 'div', 'figure', 'nav', 'section', 'table']);
  const urls = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc'];
  const bad = [];
  const show = (why, el) => bad.push(why + ': ' + el.outerHTML.slice(0, 100));
  for (const el of document.querySelectorAll('.widget-html-content *')) {
    const tag = el.tagName.toLowerCase();
    const cls = el.getAttribute('class') || '';
    if (!ours.has(tag)) show('tag', el);
    if (tag === 'style' && !el.textContent.includes('.spasm-page')) show('style', el);
    if (boxes.has(tag) && !/(^|\\s)spasm-/.test(cls)) show('box without our class', el);
    if (/pwn/i.test(cls + ' ' + (el.id || ''))) show('payload class', el);
    for (const a of el.attributes) {
      if (a.name.startsWith('on')) show('handler', el);
      if (!urls.includes(a.name)) continue;
      const url = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (url.startsWith('javascript:') || url.startsWith("data:text/html")) show('url', el);
      if (tag === 'img' && !url.startsWith('data:image/svg+xml;base64,')) show('img', el);
    }
  }
  const anywhere = 'img[src="x"], iframe, object, embed, svg[onload], [onerror], [onmouseover],'
    + ' [onfocus], [ontoggle], [onstart], [onclick], .pwn, #pwn, marquee, plaintext, xss, x';
  for (const el of document.querySelectorAll(anywhere)) show('in page', el);
  return bad;
}"""

COVERED = """() => {
  const d = document.querySelector('.spasm-disclaimer');
  d.scrollIntoView({block: 'center'});
  const r = d.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return d.contains(hit) ? '' : (hit ? hit.outerHTML.slice(0, 100) : 'nothing');
}"""

READS_LEFT_TO_RIGHT = """(word) => {
  const walker = document.createTreeWalker(document.querySelector('.spasm-edu-results'),
                                           NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(word);
    if (at < 0) continue;
    const box = (i) => { const r = document.createRange(); r.setStart(node, i);
                         r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
    const first = box(at), last = box(at + word.length - 1);
    return Math.abs(first.top - last.top) > 2 ? first.top < last.top : first.left < last.left;
  }
  return null;
}"""


# Driving the real form from inside the page: one call for all payloads instead of six
# Playwright round trips each. Typing is what a text box does on a key press (an input event);
# each click is followed by waiting for the kernel's answer, so no two changes race.
_HELPERS = """
  const inputFor = (root, name) => [...root.querySelectorAll('label')]
    .find((l) => l.textContent.trim() === name).parentElement.querySelector('input');
  const type = (input, value) => {
    input.value = value;
    input.dispatchEvent(new Event('input', {bubbles: true}));
  };
  const until = (node, test, what) => new Promise((resolve, reject) => {
    if (test()) return resolve();
    const timer = setTimeout(() => { seen.disconnect(); reject(new Error('no ' + what)); }, 20000);
    const seen = new MutationObserver(() => {
      if (test()) { clearTimeout(timer); seen.disconnect(); resolve(); }
    });
    seen.observe(node, {childList: true, subtree: true, characterData: true});
  });
"""

JOIN_EACH = (
    "async ({codes, okCode, codeLabel, badCode, badNickname}) => {"
    + _HELPERS
    + """
  const form = document.querySelector('.spasm-join-class');
  const code = inputFor(form, codeLabel);
  const join = form.querySelector('.spasm-join');
  const message = form.querySelector('.spasm-join-message');
  const says = (want) => () =>
    message.textContent === want && message.querySelector('[role=alert]') !== null;
  for (const c of codes) {
    type(code, c);
    join.click();
    await until(message, says(badCode), 'refusal of the code ' + c);
    // A different refusal in between, so the next one is seen to be new.
    type(code, okCode);
    join.click();
    await until(message, says(badNickname), 'refusal of the nickname');
  }
  return codes.length;
}"""
)

SHOW_EACH = (
    "async ({codes, passcode, passLabel, codeLabel}) => {"
    + _HELPERS
    + "  const injected = "
    + INJECTED
    + """;
  const root = document.querySelector('.spasm-page');
  const pass = inputFor(root, passLabel);
  const code = inputFor(root, codeLabel);
  const open = root.querySelector('.spasm-edu-open');
  const results = root.querySelector('.spasm-edu-results');
  const bad = [];
  for (const [c, want] of codes) {
    type(pass, passcode);
    type(code, c);
    open.click();
    await until(results, () => results.querySelector('h2')?.textContent === want, want);
    bad.push(...injected().map((b) => c.slice(0, 40) + ' -> ' + b));
  }
  return bad;
}"""
)


def assert_clean(watched: Watched, known_overflow: tuple[str, ...] = ()) -> None:
    """Nothing ran, nothing was injected, and the page still reads as it should.

    `known_overflow`: boxes that scroll sideways by a few pixels with any text at all; they
    may stay so, but no more than MAX_KNOWN_OVERFLOW_PX, and nothing else may scroll.
    """
    page = watched.page
    assert watched.dialogs == []
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate(INJECTED) == []
    expect(page.locator(".spasm-page").first).to_be_visible()
    expect(page.locator(".spasm-disclaimer").first).to_be_visible()
    assert page.evaluate(COVERED) == "", "something covers the page"
    for box in horizontal_overflow(page):
        name, sizes = box.rsplit(" ", 1)
        wide, shown = (int(x) for x in sizes.split(">"))
        assert name in known_overflow, f"{box} scrolls sideways"
        assert wide - shown <= MAX_KNOWN_OVERFLOW_PX, f"{box} scrolls sideways"


def message(page: Page):  # -> Locator
    return page.locator(".spasm-join-message")


def try_join(page: Page, code: str, nickname: str) -> None:
    form = page.locator(".spasm-join-class")
    form.get_by_label(text("join_code")).fill(code)
    form.get_by_label(text("join_nickname")).fill(nickname)
    form.locator(".spasm-join").click()


@pytest.fixture(scope="module")
def hostile_class(class_store: ResultsStore) -> list[str]:
    """Learners of class HOSTILE, one per payload (cut to the nickname limit), via the store."""
    for payload in [*PAYLOADS, SENTINEL]:
        class_store.register_learner(
            new_learner_id(), class_code=CLASS, nickname=payload[:MAX_NICKNAME]
        )
    return [x.nickname or "" for x in class_store.class_learners(CLASS)]


def test_join_form_refuses_hostile_class_codes(people: People, class_store: ResultsStore) -> None:
    assert not any(CLASS_CODE_RE.match(p.strip()) for p in ONE_LINE)
    too_long = LONG[-1]  # markup, and far past the nickname limit
    assert len(too_long) > MAX_NICKNAME
    start = people.open(START)
    # The first one typed with Playwright's keyboard-level fill, like a learner.
    try_join(start.page, ONE_LINE[0], too_long)
    expect(message(start.page)).to_have_text(text("join_bad_code"))
    expect(message(start.page).get_by_role("alert")).to_be_visible()
    done = start.page.evaluate(
        JOIN_EACH,
        {
            "codes": ONE_LINE,
            "okCode": "OK-CODE",
            "codeLabel": text("join_code"),
            "badCode": text("join_bad_code"),
            "badNickname": text("join_bad_nickname"),
        },
    )
    assert done == len(ONE_LINE)
    assert_clean(start)
    assert class_store.class_learners("OK-CODE") == []
    for code in ONE_LINE:
        if len(code) <= MAX_CLASS_CODE:
            assert class_store.class_learners(code.strip()) == []


def test_hostile_nicknames_and_codes_on_student_pages(
    people: People, class_store: ResultsStore
) -> None:
    # Through the real form: a handful of nicknames that fit the limit.
    nicknames = [
        f'<img src=x onerror="{PWN}">',
        "\u202e</p><script>alert(1)</script>",
    ]
    assert all(len(n) <= MAX_NICKNAME for n in nicknames)
    # Through the store: codes the form would refuse, as if another tool had written them.
    stored = {
        new_learner_id(): (p[:MAX_CLASS_CODE], p[:MAX_NICKNAME])
        for p in (f"<svg onload={PWN}>", '"><iframe srcdoc=<script>alert(1)>')
    }
    for learner_id, (code, nickname) in stored.items():
        class_store.register_learner(learner_id, class_code=code, nickname=nickname)

    joiners = [people.open(START, wait=False) for _ in nicknames]
    returning = {
        learner_id: people.open(START, f"learner={learner_id}", wait=False) for learner_id in stored
    }
    for watched, nickname in zip(joiners, nicknames, strict=True):
        rendered(watched.page)
        try_join(watched.page, CLASS, nickname)
        done = watched.page.locator(".spasm-joined")
        expect(done).to_have_count(1)
        # textContent, not inner text: exactly the characters typed, none taken as markup.
        assert done.text_content() == text("join_done", code=CLASS, nickname=nickname.strip())
        link = watched.page.locator(".spasm-join-message a")
        learner = class_store.learner(learner_in(link.get_attribute("href") or ""))
        assert learner is not None
        assert learner.nickname == nickname.strip()
    for learner_id, watched in returning.items():
        code, nickname = stored[learner_id]
        rendered(watched.page)
        done = watched.page.locator(".spasm-joined")
        expect(done).to_have_count(1)
        assert done.text_content() == text("join_done", code=code, nickname=nickname)
    for watched in [*joiners, *returning.values()]:
        assert_clean(watched)


def test_educator_page_shows_hostile_nicknames_and_codes_as_text(
    people: People,
    class_server: ClassServer,
    class_store: ResultsStore,
    hostile_class: list[str],
) -> None:
    educator = people.open(EDUCATOR)
    page = educator.page
    show_class(page, class_server.passcode, CLASS)
    names = sorted(x.nickname or "" for x in class_store.class_learners(CLASS))
    assert len(names) >= len(PAYLOADS)
    line = page.locator(".spasm-edu-results p").filter(has_text=text("edu_names"))
    # Every nickname, character for character, in the order the report sorts them.
    assert line.text_content() == f"{text('edu_names')} " + ", ".join(n for n in names if n)
    expect(page.locator(".spasm-edu-counts")).to_contain_text(f"{len(names)} joined")
    # A nickname with U+202E (right-to-left override) must not turn the later names around.
    assert any("\u202e" in n for n in names if n < SENTINEL)
    assert page.evaluate(READS_LEFT_TO_RIGHT, SENTINEL) is True
    assert_clean(educator)

    # Whatever class code the educator types is shown as typed, character for character.
    codes = [[code, text("edu_class", code=code.strip())] for code in ONE_LINE]
    wants = [text("edu_class", code=CLASS)] + [want for _code, want in codes]
    assert all(a != b for a, b in pairwise(wants)), "two headings alike in a row"
    injected = page.evaluate(
        SHOW_EACH,
        {
            "codes": codes,
            "passcode": class_server.passcode,
            "passLabel": text("edu_passcode"),
            "codeLabel": text("edu_class_code"),
        },
    )
    assert injected == []
    assert_clean(educator)


def test_presenter_refuses_a_hostile_class_code(people: People, class_server: ClassServer) -> None:
    code = f"<svg onload={PWN}>"
    assert len(code) <= MAX_CLASS_CODE  # short enough to open a poll with
    presenter = people.open(LESSON_1, "present=1")
    page = presenter.page
    box = page.locator(".spasm-presenter")
    box.locator(".spasm-next").click()  # the Join screen holds the passcode form
    box.get_by_label(text("edu_passcode")).fill(class_server.passcode)
    box.get_by_label(text("edu_class_code")).fill(code)
    box.locator(".spasm-present-unlock").click()
    # Students could not join with it (nor scan it): refused, and nothing of it runs.
    expect(box.locator(".spasm-present-message [role=alert]")).to_have_text(text("join_bad_code"))
    expect(box.locator(".spasm-qr, .spasm-presenter-poll")).to_have_count(0)
    assert_clean(presenter)
