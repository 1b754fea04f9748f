"""The educator page's gradebook downloads: made on a click, for the class on the page."""

from __future__ import annotations

import base64
import logging
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..content import Course
from ..gradebook import NeedsEducatorExtra, build_gradebook, long_table, to_csv, to_xlsx, wide_table
from ..results import ResultsStore, StoreError
from ..strings import text
from ._render import alert, download_link
from ._style import button, html, layout, set_visible

log = logging.getLogger(__name__)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def bytes_link(body: bytes, filename: str, label: str, mime: str) -> Markup:
    """An <a download> link that holds a binary file itself (as ``download_link`` does text)."""
    data = base64.b64encode(body).decode("ascii")
    return Markup(
        '<a class="spasm-download-link" download="{}" href="data:{};base64,{}">{}</a>'
    ).format(filename, mime, data, label)


class GradebookDownload(widgets.VBox):
    """A button that makes the class's gradebook (CSV, xlsx) and every answer (CSV) as links.

    Hidden and inert until the page calls ``ready(code)`` after the passcode was right; the
    browser can fire the button anyway, so the click itself checks that kernel-side.
    """

    def __init__(self, course: Course, store: ResultsStore, language: str = "en", **kwargs: Any):
        self._course = course
        self._store = store
        self._language = language
        self._code: str | None = None
        self._button = button(text("gb_button", language), "spasm-gradebook")
        self._links = html(css="spasm-gradebook-links")
        self._button.on_click(self._on_button_click)
        kwargs.setdefault("layout", layout())
        super().__init__(children=[self._button, self._links], **kwargs)
        self.add_class("spasm-edu-gradebook")
        set_visible(self, False)

    def ready(self, class_code: str) -> None:
        """Offer the gradebook of `class_code` (the page shows its results); new code, no links."""
        if class_code != self._code:
            self._links.value = ""
        self._code = class_code
        set_visible(self, True)

    def reset(self) -> None:
        """Hide the button and any links (the page locked again)."""
        self._code = None
        self._links.value = ""
        set_visible(self, False)

    def _on_button_click(self, _button: widgets.Button) -> None:
        code, lang = self._code, self._language
        if code is None:
            return
        try:
            book = build_gradebook(self._store, self._course, code, lang)
        except StoreError:
            log.exception("gradebook failed")
            self._links.value = alert(text("edu_store_down", lang))
            return
        wide, long = wide_table(book, lang), long_table(book, lang)
        links = [
            download_link(to_csv(wide), "gradebook.csv", text("gb_csv", lang), "text/csv"),
            download_link(to_csv(long), "answers.csv", text("gb_long", lang), "text/csv"),
        ]
        try:
            xlsx = to_xlsx(wide, text("gb_sheet", lang), lang)
            links.insert(1, bytes_link(xlsx, "gradebook.xlsx", text("gb_xlsx", lang), XLSX_MIME))
            missing = Markup()
        except NeedsEducatorExtra as exc:
            missing = alert(str(exc))
        self._links.value = Markup("<p>{}</p><ul>{}</ul>{}").format(
            text("gb_ready", lang, code=code),
            Markup().join(Markup("<li>{}</li>").format(x) for x in links),
            missing,
        )
