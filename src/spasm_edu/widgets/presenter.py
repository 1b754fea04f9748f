"""Presenter mode: one section per screen in large type, and live questions for the class."""

from __future__ import annotations

from html import escape
from typing import Any

import ipywidgets as widgets

from ..content import Course, Lesson
from ..results.polls import PollStore
from ..strings import text
from ._passcode import PasscodeGuard, passcode_fields
from ._render import disclaimer_html, list_html, red_flags_html, section_html
from ._style import CSS
from .poll import PresenterPoll


def screens(course: Course, lesson: Lesson) -> list[str]:
    """The HTML of each screen: objectives, one per section, then the key points."""
    lang = lesson.language
    out = []
    if lesson.objectives:
        out.append(
            f"<h2>{escape(lesson.title)}</h2>"
            + list_html(text("objectives_title", lang), lesson.objectives, "spasm-objectives")
        )
    seen: set[str] = set()
    out.extend(section_html(s, course, lang, seen) for s in lesson.sections)
    if lesson.key_points:
        out.append(list_html(text("key_points_title", lang), lesson.key_points, "spasm-key-points"))
    return out or [f"<h2>{escape(lesson.title)}</h2><p>{escape(lesson.summary)}</p>"]


class PresenterView(widgets.VBox):
    """Step through a lesson on a projector; with the passcode, send live questions."""

    def __init__(
        self,
        course: Course,
        lesson: Lesson,
        polls: PollStore | None,
        passcode: str | None,
        **kwargs: Any,
    ) -> None:
        lang = lesson.language
        self._lesson = lesson
        self._polls = polls
        self._guard = PasscodeGuard(passcode)
        self._language = lang
        self._screens = screens(course, lesson)
        self._screen = widgets.HTML(self._screens[0])
        self._screen.add_class("spasm-screen")
        self._position = widgets.HTML("")
        self._position.add_class("spasm-screen-position")
        # A slider takes the arrow keys natively, so the keyboard steps through the screens.
        self._slider = widgets.IntSlider(
            value=1,
            min=1,
            max=len(self._screens),
            description=text("present_screen", lang),
            readout=False,
            continuous_update=True,
        )
        self._slider.add_class("spasm-screen-slider")
        self._previous = widgets.Button(
            description=text("present_previous", lang), tooltip=text("present_previous", lang)
        )
        self._next = widgets.Button(
            description=text("present_next", lang),
            button_style="primary",
            tooltip=text("present_next", lang),
        )
        self._previous.add_class("spasm-previous")
        self._next.add_class("spasm-next")
        self._previous.on_click(self._on_previous_click)
        self._next.on_click(self._on_next_click)
        self._slider.observe(self._on_slider_change, names="value")
        nav = widgets.HBox(
            [self._previous, self._next, self._position],
            layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
        )
        self._passcode, self._code = passcode_fields(lang)
        self._unlock = widgets.Button(
            description=text("present_unlock", lang), tooltip=text("present_unlock", lang)
        )
        self._unlock.add_class("spasm-present-unlock")
        self._unlock.on_click(self._on_unlock_click)
        self._message = widgets.HTML(f"<p>{escape(text('present_passcode_needed', lang))}</p>")
        self._poll_box = widgets.VBox([self._message, self._passcode, self._code, self._unlock])
        self.poll: PresenterPoll | None = None
        top = widgets.HTML(disclaimer_html(lang) + red_flags_html(course, lang))
        page = widgets.VBox(
            [widgets.HTML(CSS), top, nav, self._slider, self._screen, self._poll_box]
        )
        page.add_class("spasm-page")
        page.add_class("spasm-presenter")
        super().__init__(children=[page], **kwargs)
        self._show()

    @property
    def index(self) -> int:
        """The screen shown, counting from 0."""
        return int(self._slider.value) - 1

    def _show(self) -> None:
        n = self.index
        self._screen.value = self._screens[n]
        self._position.value = (
            f'<p aria-live="polite">'
            f"{escape(text('present_screen_of', self._language, number=n + 1, total=len(self._screens)))}</p>"
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
            self._message.value = f'<p role="alert">{escape(text("edu_store_down", lang))}</p>'
            return
        if not self._guard.enabled:
            self._message.value = f'<p role="alert">{escape(text("edu_off", lang))}</p>'
            return
        if not self._guard.check(self._passcode.value):
            key = "edu_wait" if self._guard.locked() else "edu_wrong_passcode"
            self._message.value = f'<p role="alert">{escape(text(key, lang))}</p>'
            return
        code = self._code.value.strip()
        if not code:
            self._message.value = f'<p role="alert">{escape(text("edu_need_code", lang))}</p>'
            return
        self._passcode.value = ""
        self.poll = PresenterPoll(self._polls, self._lesson, code, lang)
        header = widgets.HTML(f"<h2>{escape(text('edu_class', lang, code=code))}</h2>")
        self._poll_box.children = (header, self.poll)
