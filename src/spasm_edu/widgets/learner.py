"""Learner-side extras: download my results, and joining a class on the start page."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..links import page_link
from ..progress import LearnerProgress, request_param
from ..results import Learner, ResultsStore, StoreError, new_learner_id
from ..settings import START_PAGE
from ..strings import text
from ._render import alert, download_link
from ._style import button, html, layout, set_visible, text_field, vbox

log = logging.getLogger(__name__)


def csv_link(csv_text: str, filename: str, label: str) -> Markup:
    """An <a download> link that holds the CSV itself, so nothing is served from disk."""
    return download_link(csv_text, filename, label, "text/csv")


class MyResultsDownload(widgets.VBox):
    """A button that gives the learner a CSV of their own attempts."""

    def __init__(self, progress: LearnerProgress, language: str = "en", **kwargs: Any) -> None:
        self._progress = progress
        self._language = language
        self._button = button(text("download_results", language), "spasm-download")
        self._link = html(css="spasm-download-link")
        self._button.on_click(self._on_button_click)
        kwargs.setdefault("layout", layout())
        super().__init__(children=[self._button, self._link], **kwargs)

    def _on_button_click(self, _button: widgets.Button) -> None:
        lang = self._language
        try:
            self._progress.flush()
            csv_text = self._progress.store.attempts_csv(learner_id=self._progress.learner_id)
        except StoreError:
            log.exception("download of results failed")
            self._link.value = alert(text("download_failed", lang))
            return
        self._link.value = Markup("<p>{} {}</p>").format(
            text("download_ready", lang),
            csv_link(csv_text, "my-results.csv", text("download_file", lang)),
        )


CLASS_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
MAX_NICKNAME = 40


class JoinClass(widgets.VBox):
    """Join a class with a code and an optional nickname; nothing else personal is asked.

    `code`: the class code to fill in, e.g. from the presenter's QR code; None (the default)
    reads it from the page address (``?class=CODE``). A malformed code is not filled in.
    """

    def __init__(
        self,
        store: ResultsStore,
        language: str = "en",
        learner: Learner | None = None,
        *,
        on_join: Callable[[Learner], None] | None = None,
        code: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._store = store
        self._language = language
        self._on_join = on_join
        lang = language
        self._code = text_field(text("join_code", lang), placeholder="BIO-7")
        self._nickname = text_field(text("join_nickname", lang))
        self._join = button(text("join_button", lang), "spasm-join", primary=True)
        self._message = html(css="spasm-join-message")
        given = request_param("class") if code is None else code
        if CLASS_CODE_RE.fullmatch(given):
            self._code.value = given
            self._message.value = Markup('<p role="status">{}</p>').format(
                text("join_prefilled", lang, code=given)
            )
        self._code.add_class("spasm-join-code")
        self._nickname.add_class("spasm-join-nickname")
        self._form = vbox([self._code, self._nickname, self._join])
        self._join.on_click(self._on_join_click)
        title = html(
            Markup("<h2>{}</h2><p>{}</p>").format(
                text("join_title", lang), text("join_intro", lang)
            )
        )
        kwargs.setdefault("layout", layout())
        super().__init__(children=[title, self._form, self._message], **kwargs)
        self.add_class("spasm-join-class")
        if learner is not None and learner.class_code:
            self._show_joined(learner)

    def _on_join_click(self, _button: widgets.Button) -> None:
        lang = self._language
        code = self._code.value.strip()
        nickname = self._nickname.value.strip()
        if not CLASS_CODE_RE.match(code):
            self._message.value = alert(text("join_bad_code", lang))
            return
        if len(nickname) > MAX_NICKNAME:
            self._message.value = alert(text("join_bad_nickname", lang))
            return
        try:
            learner = self._store.register_learner(
                new_learner_id(), class_code=code, nickname=nickname or None
            )
        except (StoreError, ValueError):
            log.exception("joining a class failed")
            self._message.value = alert(text("join_store_down", lang))
            return
        self._show_joined(learner)
        if self._on_join is not None:
            self._on_join(learner)

    def _show_joined(self, learner: Learner) -> None:
        lang = self._language
        done = (
            text("join_done", lang, code=learner.class_code, nickname=learner.nickname)
            if learner.nickname
            else text("join_done_anonymous", lang, code=learner.class_code)
        )
        self._message.value = Markup(
            '<p role="status" class="spasm-joined">{}</p><p>{} {}</p>'
        ).format(
            done,
            text("join_keep", lang),
            page_link(
                START_PAGE, text("join_keep_label", lang), learner=learner.learner_id, lang=lang
            ),
        )
        set_visible(self._form, False)
