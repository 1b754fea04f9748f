"""Presenter mode: a lesson as projector screens in large type, a join QR code, live questions.

Every screen fits a 16:9 display without scrolling: the type scales with the screen, and
sections too long for one screen are split between paragraphs and list items (`screens`,
deterministic). The screen shown is decided kernel-side; the browser only asks to step
(`PresenterKeys`: a clicker's PageDown/PageUp, the arrow keys, space, or the buttons).
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import ipywidgets as widgets
import segno
from markupsafe import Markup

from ..content import CONTENT_DIR, Course, Lesson, Section
from ..links import page_url
from ..local_help import LocalHelp
from ..results.passcode import PasscodeTries
from ..results.polls import PollStore
from ..settings import START_PAGE, public_url
from ..strings import text
from ._keys import PresenterKeys
from ._passcode import PasscodeGuard, passcode_fields
from ._render import (
    _svg_data_uri,
    alert,
    disclaimer_html,
    inline,
    item_text,
    list_kind,
    mark_terms,
    red_flags_html,
)
from ._style import PageView, button, html, layout, page, row, set_visible, vbox
from .learner import CLASS_CODE_RE
from .poll import PresenterPoll

log = logging.getLogger(__name__)

ScreenKind = Literal["title", "join", "content", "question", "end"]

# How much text one screen holds, in lines of body type, and how many characters one line
# holds. Measured in Chromium at 1366x768 and 1920x1080 (the type scales with the screen, so
# both hold the same): a full screen of 12 such lines still leaves a margin below.
SCREEN_LINES = 12.0
LINE_CHARS = 66
ITEM_CHARS = 60  # a list item is indented


@dataclass(frozen=True)
class Screen:
    """One projector screen: its kind, and its HTML (the join and question screens are live)."""

    kind: ScreenKind
    html: Markup = field(default_factory=Markup)


@dataclass(frozen=True)
class _Unit:
    """A paragraph or one list item (`kind`: p, ul or ol; `number`: its place in an ol)."""

    kind: str
    raw: str
    number: int = 0

    @property
    def lines(self) -> float:
        """Lines of body type it takes on a screen, with its share of the spacing."""
        if self.kind == "p":
            return math.ceil(len(self.raw) / LINE_CHARS) + 0.5
        return math.ceil(len(self.raw) / ITEM_CHARS) + 0.2


def _units(raw: str) -> list[_Unit]:
    """Paragraphs and list items of a body, as `_render.blocks` reads them."""
    out: list[_Unit] = []
    for block in re.split(r"\n\s*\n", raw.strip()):
        paragraph: list[str] = []
        number = 0
        for line in [ln.strip() for ln in block.splitlines() if ln.strip()]:
            kind = list_kind(line)
            if kind is None:
                paragraph.append(line)
                number = 0
                continue
            if paragraph:
                out.append(_Unit("p", " ".join(paragraph)))
                paragraph = []
            number = number + 1 if out and out[-1].kind == kind else 1
            out.append(_Unit(kind, item_text(line), number))
        if paragraph:
            out.append(_Unit("p", " ".join(paragraph)))
    return out


def paginate(units: list[_Unit], lines: float = SCREEN_LINES) -> list[list[_Unit]]:
    """Split `units` in order into the fewest screens that hold them, as evenly full as can be.

    A unit longer than a screen gets a screen of its own. Deterministic: the same units give
    the same screens.
    """
    if not units:
        return []
    sizes = [u.lines for u in units]
    count, used = 1, 0.0
    for size in sizes:  # filling each screen in turn needs the fewest screens
        if used and used + size > lines:
            count, used = count + 1, 0.0
        used += size
    n = len(units)

    def fits(j: int, i: int) -> bool:
        return i - j == 1 or sum(sizes[j:i]) <= lines

    # best[p][i]: the least sum of squared fills that puts the first i units on p screens
    # (the most even split), and where its last screen starts.
    inf = float("inf")
    best = [[(inf, 0)] * (n + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, 0)
    for p in range(1, count + 1):
        for i in range(1, n + 1):
            for j in range(p - 1, i):
                if best[p - 1][j][0] < inf and fits(j, i):
                    cost = best[p - 1][j][0] + sum(sizes[j:i]) ** 2
                    if cost < best[p][i][0]:
                        best[p][i] = (cost, j)
    pages: list[list[_Unit]] = []
    i = n
    for p in range(count, 0, -1):
        j = best[p][i][1]
        pages.insert(0, units[j:i])
        i = j
    return pages


def _units_html(units: list[_Unit]) -> Markup:
    """The units as paragraphs and lists (a numbered list split over screens keeps counting)."""
    out: list[Markup] = []
    items: list[_Unit] = []
    for unit in [*units, _Unit("end", "")]:
        if items and unit.kind != items[0].kind:
            lis = Markup().join(Markup("<li>{}</li>").format(inline(i.raw)) for i in items)
            if items[0].kind == "ol":
                out.append(Markup('<ol start="{}">{}</ol>').format(items[0].number, lis))
            else:
                out.append(Markup("<ul>{}</ul>").format(lis))
            items = []
        if unit.kind == "p":
            out.append(Markup("<p>{}</p>").format(inline(unit.raw)))
        elif unit.kind in ("ul", "ol"):
            items.append(unit)
    return Markup().join(out)


def _heading(title: str, part: int, language: str) -> Markup:
    """A screen's heading; a section's later screens say they continue it."""
    if part == 0:
        return Markup("<h2>{}</h2>").format(inline(title))
    return Markup('<h2>{} <span class="spasm-continued">({})</span></h2>').format(
        inline(title), text("present_continued", language)
    )


def _section_screens(
    section: Section, course: Course, language: str, seen: set[str]
) -> list[Screen]:
    """A section's screens: its text (split as needed), its picture, what the evidence says."""
    out: list[Screen] = []
    for part, units in enumerate(paginate(_units(section.body))):
        body, _terms = mark_terms(_units_html(units), course.glossary, seen)
        out.append(Screen("content", _heading(section.title, part, language) + body))
    if section.image is not None:
        uri = _svg_data_uri(CONTENT_DIR / "images" / section.image.file)
        figure = Markup(
            '<figure class="spasm-figure"><img src="{}" alt="{}"><figcaption>{}</figcaption>'
            "</figure>"
        ).format(uri, section.image.alt, inline(section.image.caption))
        out.append(Screen("content", _heading(section.title, len(out), language) + figure))
    if section.evidence:
        for units in paginate(_units(section.evidence), SCREEN_LINES - 1.5):
            aside = Markup('<aside class="spasm-evidence"><p><strong>{}</strong></p>{}</aside>')
            body = aside.format(text("evidence_title", language), _units_html(units))
            out.append(Screen("content", _heading(section.title, len(out), language) + body))
    return out


def _list_screens(title: str, entries: tuple[str, ...], css: str, language: str) -> list[Screen]:
    """A titled bullet list (objectives, key points), split over screens as needed."""
    units = [_Unit("ul", e, n) for n, e in enumerate(entries, 1)]
    return [
        Screen(
            "content",
            Markup('<div class="{}">{}{}</div>').format(
                css, _heading(title, part, language), _units_html(page_units)
            ),
        )
        for part, page_units in enumerate(paginate(units))
    ]


def screens(course: Course, lesson: Lesson) -> list[Screen]:
    """Every screen of a lesson, in order.

    The title with the full "Get help now" box; joining the class; the objectives; each
    section (split between paragraphs or list items when it is long; its picture and what
    the evidence says on screens of their own); the key points; the live question; and the
    full "Get help now" box again at the end.
    """
    lang = lesson.language
    box = red_flags_html(course, lang)
    title = Markup('<h1 class="spasm-present-title">{}</h1><p>{}</p>{}').format(
        lesson.title, lesson.summary, box
    )
    out = [Screen("title", title), Screen("join")]
    if lesson.objectives:
        out += _list_screens(
            text("objectives_title", lang), lesson.objectives, "spasm-objectives", lang
        )
    seen: set[str] = set()
    for section in lesson.sections:
        out += _section_screens(section, course, lang, seen)
    if lesson.key_points:
        out += _list_screens(
            text("key_points_title", lang), lesson.key_points, "spasm-key-points", lang
        )
    if lesson.quiz.questions:
        out.append(Screen("question"))
    end = Markup("<h2>{}</h2>{}").format(text("present_end_title", lang), box)
    return [*out, Screen("end", end)]


# ---------------------------------------------------------------- joining from the projector

_LOOPBACK = re.compile(r"^(localhost|127\.\d+\.\d+\.\d+|::1|\[::1\])$", re.IGNORECASE)


def join_address(code: str, environ: Mapping[str, str] | None = None, language: str = "en") -> str:
    """The start page's address with ``?class=CODE``, at the host students can reach.

    The page's language is kept (``lang=es``). That host is the server's public URL (`settings.public_url`) when one is set, else the
    host and port the presenter page was opened at (Voilà hands the kernel its request).
    """
    env = os.environ if environ is None else environ
    script = env.get("SCRIPT_NAME", "")
    folder = script.rsplit("/", 1)[0] if "/" in script else ""
    path = f"{folder}/{page_url(START_PAGE, lang=language, **{'class': code})}"
    base = public_url(env)
    if base is not None:
        parts = urlsplit(base)
        if parts.scheme in ("http", "https") and parts.hostname:
            return base.rstrip("/") + path
        log.warning("public URL ignored, not an http(s) address: %r", base)
    scheme = urlsplit(env.get("VOILA_REQUEST_URL", "")).scheme or "http"
    host = env.get("SERVER_NAME", "") or "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"  # an IPv6 address
    port = env.get("SERVER_PORT", "")
    return f"{scheme}://{host}{':' + port if port else ''}{path}"


def qr_svg(address: str, language: str = "en") -> Markup:
    """The QR code of `address` as inline SVG, named by the address for screen readers.

    segno's SVG holds only shapes (no title, no text), so the address is never markup in it;
    the label is escaped like any text.
    """
    svg = segno.make(address, error="m").svg_inline(
        dark="#000", light="#fff", omitsize=True, svgclass="spasm-qr-svg"
    )
    return Markup('<div class="spasm-qr" role="img" aria-label="{}">{}</div>').format(
        text("present_join_qr", language, address=address),
        Markup(svg),  # noqa: S704 (segno's shapes only, built from no text of ours)
    )


def join_html(code: str, address: str, language: str = "en") -> Markup:
    """The Join screen once unlocked: the QR code, the address and the class code."""
    host = urlsplit(address).hostname or ""
    local = (
        Markup('<p class="spasm-join-local">{}</p>').format(text("present_join_local", language))
        if _LOOPBACK.match(host)
        else Markup()
    )
    return Markup(
        '<h2>{title}</h2><div class="spasm-join-screen">{qr}<div class="spasm-join-text">'
        '<p>{scan}</p><p class="spasm-join-address"><a href="{address}">{address}</a></p>'
        '<p class="spasm-join-class-code">{code}</p><p>{then}</p>{local}</div></div>'
    ).format(
        title=text("present_join_title", language),
        qr=qr_svg(address, language),
        scan=text("present_join_scan", language),
        address=address,
        code=text("present_join_code", language, code=code),
        then=text("present_join_then", language),
        local=local,
    )


def help_line_html(language: str = "en", local: LocalHelp | None = None) -> Markup:
    """The compact "Get help now" line on every screen: the most urgent signs in one line."""
    local = local if local is not None else LocalHelp.from_environ()
    number = local.emergency_number or text("emergency_number_default", language)
    return Markup(
        '<p class="spasm-help-line" role="note"><span aria-hidden="true">⚠</span> '
        "<strong>{}:</strong> {}</p>"
    ).format(
        text("red_flags_title", language), text("present_help_line", language, emergency=number)
    )


class PresenterView(PageView):
    """Step through a lesson on a projector; with the passcode, a join QR and live questions."""

    def __init__(
        self,
        course: Course,
        lesson: Lesson,
        polls: PollStore | None,
        passcode: str | None,
        passcode_tries: PasscodeTries | None = None,
        **kwargs: Any,
    ) -> None:
        lang = lesson.language
        self._lesson = lesson
        self._polls = polls
        self._guard = PasscodeGuard(passcode, passcode_tries)
        self._language = lang
        self._screens = screens(course, lesson)
        self._index = 0
        self.class_code = ""
        self.join_address = ""
        self._content = html(css="spasm-screen-content")
        # Join screen: the unlock form, then the QR code; Question screen: the live poll.
        self._passcode, self._code = passcode_fields(lang)
        self._unlock = button(text("present_unlock", lang), "spasm-present-unlock")
        self._unlock.on_click(self._on_unlock_click)
        self._message = html(
            Markup("<h2>{}</h2><p>{}</p>").format(
                text("present_join_title", lang), text("present_join_locked", lang)
            ),
            "spasm-present-message",
        )
        self._join_box = vbox(
            [self._message, self._passcode, self._code, self._unlock], "spasm-join-box"
        )
        self._question_box = vbox(
            [
                html(
                    Markup("<h2>{}</h2><p>{}</p>").format(
                        text("present_question_title", lang),
                        text("present_question_locked", lang),
                    )
                )
            ],
            "spasm-question-box",
        )
        self.poll: PresenterPoll | None = None
        self._stage = vbox([self._content, self._join_box, self._question_box], "spasm-screen")
        self._position = html(css="spasm-screen-position")
        self._previous = button(text("present_previous", lang), "spasm-previous")
        self._next = button(text("present_next", lang), "spasm-next", primary=True)
        self._previous.on_click(self._on_previous_click)
        self._next.on_click(self._on_next_click)
        self.keyboard = PresenterKeys(text("present_fullscreen", lang), layout=layout())
        self.keyboard.on_step(self.step)
        nav = row(
            [self._previous, self._next, self._position, self.keyboard], "spasm-presenter-nav"
        )
        top = html(disclaimer_html(lang), "spasm-presenter-top")
        help_line = html(help_line_html(lang), "spasm-presenter-help")
        children = [top, self._stage, help_line, nav]
        super().__init__([page(children, "spasm-presenter")], **kwargs)
        self._show()

    @property
    def index(self) -> int:
        """The screen shown, counting from 0."""
        return self._index

    @property
    def kinds(self) -> list[ScreenKind]:
        """The kind of each screen, in order."""
        return [s.kind for s in self._screens]

    def step(self, by: int) -> None:
        """Show the next (`by` > 0) or previous (`by` < 0) screen; nothing past either end."""
        move = (by > 0) - (by < 0)  # one screen at a time, whatever is asked
        self._index = min(max(self._index + move, 0), len(self._screens) - 1)
        self._show()

    def _show(self) -> None:
        n = self._index
        screen = self._screens[n]
        if screen.html:
            self._content.value = screen.html
        set_visible(self._content, screen.kind not in ("join", "question"))
        set_visible(self._join_box, screen.kind == "join")
        set_visible(self._question_box, screen.kind == "question")
        for kind in ("title", "join", "content", "question", "end"):
            self._stage.remove_class(f"spasm-screen-is-{kind}")
        self._stage.add_class(f"spasm-screen-is-{screen.kind}")
        self._position.value = Markup('<p aria-live="polite">{}</p>').format(
            text("present_screen_of", self._language, number=n + 1, total=len(self._screens))
        )
        self._previous.disabled = n == 0
        self._next.disabled = n == len(self._screens) - 1

    def _on_previous_click(self, _button: widgets.Button) -> None:
        self.step(-1)

    def _on_next_click(self, _button: widgets.Button) -> None:
        self.step(1)

    def _refuse(self, key: str) -> None:
        self._message.value = Markup("<h2>{}</h2>{}").format(
            text("present_join_title", self._language), alert(text(key, self._language))
        )

    def _on_unlock_click(self, _button: widgets.Button) -> None:
        lang = self._language
        if self._polls is None:
            self._refuse("edu_store_down")
            return
        if not self._guard.enabled:
            self._refuse("edu_off")
            return
        if not self._guard.check(self._passcode.value):
            self._refuse("edu_wait" if self._guard.locked() else "edu_wrong_passcode")
            return
        code = self._code.value.strip()
        if not code:
            self._refuse("edu_need_code")
            return
        if not CLASS_CODE_RE.fullmatch(code):
            self._refuse("join_bad_code")
            return
        self._passcode.value = ""
        self.class_code = code
        self.join_address = join_address(code, language=lang)
        self._join_box.children = (html(join_html(code, self.join_address, lang)),)
        self.poll = PresenterPoll(self._polls, self._lesson, code, lang)
        header = html(Markup("<h2>{}</h2>").format(text("edu_class", lang, code=code)))
        self._question_box.children = (header, self.poll)
