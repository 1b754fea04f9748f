"""The educator's class results page: passcode first, then live results for a class code."""

from __future__ import annotations

import asyncio
import logging
from html import escape
from typing import Any

import ipywidgets as widgets

from ..classreport import ClassReport, build_report
from ..content import Course
from ..results import ResultsStore, StoreError
from ..strings import text
from ._passcode import PasscodeGuard, passcode_fields
from ._render import disclaimer_html
from ._style import CSS
from .learner import csv_link

log = logging.getLogger(__name__)
REFRESH_SECONDS = 5.0


def bar_chart_svg(bars: tuple[tuple[str, int], ...], title: str) -> str:
    """A small SVG bar chart: a label line above each bar, and a text alternative (escaped)."""
    width, row = 480, 52
    top = max([count for _, count in bars] + [1])
    parts = []
    for n, (label, count) in enumerate(bars):
        y = 6 + n * row
        length = int(380 * count / top)
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="16" fill="#1b1b1b">{escape(label)}</text>'
            f'<rect x="0" y="{y + 22}" width="{max(length, 2)}" height="20" fill="#0b4f9c"/>'
            f'<text x="{length + 8}" y="{y + 38}" font-size="16" fill="#1b1b1b">{count}</text>'
        )
    desc = ", ".join(f"{label}: {count}" for label, count in bars)
    height = 12 + row * len(bars)
    return (
        f'<svg role="img" aria-label="{escape(title)}: {escape(desc)}" viewBox="0 0 {width} {height}" '
        f'style="max-width:100%;height:auto" width="{width}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'
    )


def report_html(report: ClassReport, language: str = "en") -> str:
    """The results of a class as HTML; every name and answer text is escaped."""
    t = lambda key, **kw: escape(text(key, language, **kw))  # noqa: E731 (short local helper)
    # <bdi>: a nickname with a right-to-left override (U+202E) must not reverse the names after it.
    names = ", ".join(f"<bdi>{escape(n)}</bdi>" for n in report.nicknames if n) or t("edu_no_names")
    rows = "".join(
        f"<tr><td>{escape(r.lesson_id)}</td><td>{escape(r.question.prompt)}</td><td>{r.attempts}</td>"
        f"<td>{r.percent_correct:.0f}%</td><td>{escape(r.common_wrong)}"
        f"{f' ({r.common_wrong_count})' if r.common_wrong_count else ''}</td></tr>"
        for r in report.questions
        if r.attempts
    )
    myths = (
        "".join(
            f"<li>{escape(belief)} <strong>({count})</strong></li>"
            for belief, count in report.misconceptions
        )
        or f"<li>{t('edu_no_myths')}</li>"
    )
    return (
        f"<h2>{t('edu_class', code=report.class_code)}</h2>"
        f'<p class="spasm-edu-counts">{t("edu_counts", joined=report.joined, finished=report.finished)}</p>'
        f"<p>{t('edu_names')} {names}</p>"
        f"<h3>{t('edu_scores')}</h3>{bar_chart_svg(report.score_buckets, text('edu_scores', language))}"
        f"<h3>{t('edu_myths')}</h3><ul>{myths}</ul>"
        f"<h3>{t('edu_questions')}</h3>"
        f'<table class="spasm-table"><thead><tr><th scope="col">{t("edu_col_lesson")}</th>'
        f'<th scope="col">{t("edu_col_question")}</th><th scope="col">{t("edu_col_answers")}</th>'
        f'<th scope="col">{t("edu_col_right")}</th><th scope="col">{t("edu_col_wrong")}</th></tr></thead>'
        f"<tbody>{rows or '<tr><td colspan=5>' + t('edu_no_answers') + '</td></tr>'}</tbody></table>"
    )


class EducatorView(widgets.VBox):
    """Shows nothing of the results until the right passcode is given."""

    def __init__(
        self,
        course: Course,
        store: ResultsStore,
        passcode: str | None,
        *,
        language: str = "en",
        **kwargs: Any,
    ) -> None:
        self._course = course
        self._store = store
        self._guard = PasscodeGuard(passcode)
        self._language = language
        self._unlocked = False
        self._timer: asyncio.TimerHandle | None = None
        lang = language
        self._passcode, self._code = passcode_fields(lang)
        lesson_options = [(text("edu_all_lessons", lang), "")] + [
            (x.title, x.id) for x in course.lessons
        ]
        self._lesson = widgets.Dropdown(
            options=lesson_options,
            value="",
            description=text("edu_lesson", lang),
            style={"description_width": "initial"},
        )
        self._open = widgets.Button(
            description=text("edu_open", lang),
            button_style="primary",
            tooltip=text("edu_open", lang),
        )
        self._open.add_class("spasm-edu-open")
        self._message = widgets.HTML("")
        self._results = widgets.HTML("")
        self._results.add_class("spasm-edu-results")
        self._export = widgets.HTML("")
        self._open.on_click(self._on_open_click)
        self._lesson.observe(self._on_lesson_change, names="value")
        intro = widgets.HTML(f"{disclaimer_html(lang)}<p>{escape(text('edu_intro', lang))}</p>")
        if not self._guard.enabled:
            intro.value += f'<p role="alert">{escape(text("edu_off", lang))}</p>'
            controls: list[widgets.Widget] = []
        else:
            controls = [self._passcode, self._code, self._lesson, self._open]
        box = widgets.VBox(
            [widgets.HTML(CSS), intro, *controls, self._message, self._results, self._export]
        )
        box.add_class("spasm-page")
        super().__init__(children=[box], **kwargs)

    def _on_open_click(self, _button: widgets.Button) -> None:
        lang = self._language
        if self._guard.locked():
            self._message.value = f'<p role="alert">{escape(text("edu_wait", lang))}</p>'
            return
        if not self._guard.check(self._passcode.value):
            self._unlocked = False
            self._results.value = self._export.value = ""
            self._message.value = f'<p role="alert">{escape(text("edu_wrong_passcode", lang))}</p>'
            return
        code = self._code.value.strip()
        if not code:
            self._message.value = f'<p role="alert">{escape(text("edu_need_code", lang))}</p>'
            return
        self._unlocked = True
        self._passcode.value = ""
        self._message.value = ""
        self.refresh()
        self._schedule()

    def _on_lesson_change(self, _change: dict[str, Any]) -> None:
        if self._unlocked:
            self.refresh()

    def refresh(self) -> None:
        """Read the store again and redraw (only once the passcode was right)."""
        if not self._unlocked:
            return
        code = self._code.value.strip()
        try:
            report = build_report(self._store, self._course, code, self._lesson.value or None)
            csv_text = self._store.attempts_csv(class_code=code)
        except StoreError:
            log.exception("class report failed")
            self._message.value = (
                f'<p role="alert">{escape(text("edu_store_down", self._language))}</p>'
            )
            return
        self._message.value = ""
        self._results.value = report_html(report, self._language)
        self._export.value = csv_link(
            csv_text, "class-attempts.csv", text("edu_export", self._language)
        )

    def _schedule(self) -> None:
        if self._timer is not None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._timer = loop.call_later(REFRESH_SECONDS, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        self.refresh()
        self._schedule()
