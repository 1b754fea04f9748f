"""Presenter mode: one section per screen in large type, and live questions for the class."""

from __future__ import annotations

from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..content import Course, Lesson
from ..results.passcode import PasscodeTries
from ..results.polls import PollStore
from ..strings import text
from ._passcode import PasscodeGuard, passcode_fields
from ._render import alert, disclaimer_html, list_html, red_flags_html, section_html
from ._style import PageView, button, html, page, row, slider, vbox
from .poll import PresenterPoll


def screens(course: Course, lesson: Lesson) -> list[Markup]:
    """The HTML of each screen: objectives, one per section, then the key points."""
    lang = lesson.language
    out = []
    if lesson.objectives:
        out.append(
            Markup("<h2>{}</h2>{}").format(
                lesson.title,
                list_html(text("objectives_title", lang), lesson.objectives, "spasm-objectives"),
            )
        )
    seen: set[str] = set()
    out.extend(section_html(s, course, lang, seen) for s in lesson.sections)
    if lesson.key_points:
        out.append(list_html(text("key_points_title", lang), lesson.key_points, "spasm-key-points"))
    return out or [Markup("<h2>{}</h2><p>{}</p>").format(lesson.title, lesson.summary)]


class PresenterView(PageView):
    """Step through a lesson on a projector; with the passcode, send live questions."""

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
        self._screen = html(self._screens[0], "spasm-screen")
        self._position = html(css="spasm-screen-position")
        # A slider takes the arrow keys natively, so the keyboard steps through the screens.
        self._slider = slider(
            text("present_screen", lang), len(self._screens), "spasm-screen-slider"
        )
        self._previous = button(text("present_previous", lang), "spasm-previous")
        self._next = button(text("present_next", lang), "spasm-next", primary=True)
        self._previous.on_click(self._on_previous_click)
        self._next.on_click(self._on_next_click)
        self._slider.observe(self._on_slider_change, names="value")
        nav = row([self._previous, self._next, self._position], "spasm-presenter-nav")
        self._passcode, self._code = passcode_fields(lang)
        self._unlock = button(text("present_unlock", lang), "spasm-present-unlock")
        self._unlock.on_click(self._on_unlock_click)
        self._message = html(Markup("<p>{}</p>").format(text("present_passcode_needed", lang)))
        self._message.add_class("spasm-present-message")
        self._poll_box = vbox([self._message, self._passcode, self._code, self._unlock])
        self.poll: PresenterPoll | None = None
        top = html(disclaimer_html(lang) + red_flags_html(course, lang))
        children = [top, nav, self._slider, self._screen, self._poll_box]
        super().__init__([page(children, "spasm-presenter")], **kwargs)
        self._show()

    @property
    def index(self) -> int:
        """The screen shown, counting from 0."""
        return int(self._slider.value) - 1

    def _show(self) -> None:
        n = self.index
        self._screen.value = self._screens[n]
        self._position.value = Markup('<p aria-live="polite">{}</p>').format(
            text("present_screen_of", self._language, number=n + 1, total=len(self._screens))
        )
        self._previous.disabled = n == 0
        self._next.disabled = n == len(self._screens) - 1

    def _on_slider_change(self, _change: dict[str, Any]) -> None:
        self._show()

    def _on_previous_click(self, _button: widgets.Button) -> None:
        self._slider.value = max(1, self._slider.value - 1)

    def _on_next_click(self, _button: widgets.Button) -> None:
        self._slider.value = min(len(self._screens), self._slider.value + 1)

    def _on_unlock_click(self, _button: widgets.Button) -> None:
        lang = self._language
        if self._polls is None:
            self._message.value = alert(text("edu_store_down", lang))
            return
        if not self._guard.enabled:
            self._message.value = alert(text("edu_off", lang))
            return
        if not self._guard.check(self._passcode.value):
            key = "edu_wait" if self._guard.locked() else "edu_wrong_passcode"
            self._message.value = alert(text(key, lang))
            return
        code = self._code.value.strip()
        if not code:
            self._message.value = alert(text("edu_need_code", lang))
            return
        self._passcode.value = ""
        self.poll = PresenterPoll(self._polls, self._lesson, code, lang)
        header = html(Markup("<h2>{}</h2>").format(text("edu_class", lang, code=code)))
        self._poll_box.children = (header, self.poll)
