"""Learner-side extras: download my results, and joining a class on the start page."""

from __future__ import annotations

import base64
import logging
from html import escape
from typing import Any

import ipywidgets as widgets

from ..progress import LearnerProgress
from ..results import StoreError
from ..strings import text

log = logging.getLogger(__name__)


def csv_link(csv_text: str, filename: str, label: str) -> str:
    """An <a download> link that holds the CSV itself, so nothing is served from disk."""
    data = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return (f'<a class="spasm-download-link" download="{escape(filename)}" '
            f'href="data:text/csv;charset=utf-8;base64,{data}">{escape(label)}</a>')


class MyResultsDownload(widgets.VBox):
    """A button that gives the learner a CSV of their own attempts."""

    def __init__(self, progress: LearnerProgress, language: str = "en", **kwargs: Any) -> None:
        self._progress = progress
        self._language = language
        self._button = widgets.Button(description=text("download_results", language),
                                      tooltip=text("download_results", language))
        self._button.add_class("spasm-download")
        self._link = widgets.HTML("")
        self._button.on_click(self._on_button_click)
        super().__init__(children=[self._button, self._link], **kwargs)

    def _on_button_click(self, _button: widgets.Button) -> None:
        lang = self._language
        try:
            self._progress.flush()
            csv_text = self._progress.store.attempts_csv(learner_id=self._progress.learner_id)
        except StoreError:
            log.exception("download of results failed")
            self._link.value = f'<p role="alert">{escape(text("download_failed", lang))}</p>'
            return
        self._link.value = (f'<p>{escape(text("download_ready", lang))} '
                            f'{csv_link(csv_text, "my-results.csv", text("download_file", lang))}</p>')
