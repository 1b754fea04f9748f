"""The educator's class results page: passcode first, then live results for a class code."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..classreport import ClassReport, build_report
from ..content import Course
from ..results import ResultsStore, StoreError
from ..settings import EDUCATOR_PAGE
from ..strings import text
from ._gradebook import GradebookDownload
from ._passcode import PasscodeGuard, passcode_fields
from ._render import alert, disclaimer_html, language_switch_html, page_intro_html
from ._style import PageView, button, dropdown, html, page
from ._timer import Timer
from .insights import InsightsPanel
from .learner import csv_link

log = logging.getLogger(__name__)
REFRESH_SECONDS = 5.0


def bar_chart_svg(bars: tuple[tuple[str, int], ...], title: str) -> Markup:
    """A small SVG bar chart: a label line above each bar, and a text alternative (escaped).

    Its colours come from the page's CSS (``.spasm-chart``), so they follow dark mode.
    """
    width, row = 480, 52
    top = max([count for _, count in bars] + [1])
    parts = []
    for n, (label, count) in enumerate(bars):
        y = 6 + n * row
        length = int(380 * count / top)
        parts.append(
            Markup(
                '<text x="0" y="{}" font-size="16">{}</text>'
                '<rect x="0" y="{}" width="{}" height="20"/>'
                '<text x="{}" y="{}" font-size="16">{}</text>'
            ).format(y + 16, label, y + 22, max(length, 2), length + 8, y + 38, count)
        )
    desc = ", ".join(f"{label}: {count}" for label, count in bars)
    height = 12 + row * len(bars)
    return Markup(
        '<svg class="spasm-chart" role="img" aria-label="{}: {}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}" xmlns="http://www.w3.org/2000/svg">{}</svg>'
    ).format(title, desc, Markup().join(parts), w=width, h=height)


def report_html(report: ClassReport, language: str = "en") -> Markup:
    """The results of a class as HTML; every name and answer text is escaped."""

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    # <bdi>: a nickname with a right-to-left override (U+202E) must not reverse the names after it.
    names = Markup(", ").join(
        Markup("<bdi>{}</bdi>").format(n) for n in report.nicknames if n
    ) or t("edu_no_names")
    rows = Markup().join(
        Markup("<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.0f}%</td><td>{}{}</td></tr>").format(
            r.lesson_id,
            r.question.prompt,
            r.attempts,
            r.percent_correct,
            r.common_wrong,
            f" ({r.common_wrong_count})" if r.common_wrong_count else "",
        )
        for r in report.questions
        if r.attempts
    ) or Markup("<tr><td colspan=5>{}</td></tr>").format(t("edu_no_answers"))
    myths = Markup().join(
        Markup("<li>{} <strong>({})</strong></li>").format(belief, count)
        for belief, count in report.misconceptions
    ) or Markup("<li>{}</li>").format(t("edu_no_myths"))
    return Markup(
        "<h2>{code}</h2>"
        '<p class="spasm-edu-counts">{counts}</p>'
        "<p>{names_title} {names}</p>"
        "<h3>{scores}</h3>{chart}"
        "<h3>{myths_title}</h3><ul>{myths}</ul>"
        "<h3>{questions}</h3>"
        '<table class="spasm-table"><thead><tr><th scope="col">{lesson}</th>'
        '<th scope="col">{question}</th><th scope="col">{answers}</th>'
        '<th scope="col">{right}</th><th scope="col">{wrong}</th></tr></thead>'
        "<tbody>{rows}</tbody></table>"
    ).format(
        code=t("edu_class", code=report.class_code),
        counts=t("edu_counts", joined=report.joined, finished=report.finished),
        names_title=t("edu_names"),
        names=names,
        scores=t("edu_scores"),
        chart=bar_chart_svg(report.score_buckets, t("edu_scores")),
        myths_title=t("edu_myths"),
        myths=myths,
        questions=t("edu_questions"),
        lesson=t("edu_col_lesson"),
        question=t("edu_col_question"),
        answers=t("edu_col_answers"),
        right=t("edu_col_right"),
        wrong=t("edu_col_wrong"),
        rows=rows,
    )


class EducatorView(PageView):
    """Shows nothing of the results until the right passcode is given."""

    def __init__(
        self,
        course: Course,
        store: ResultsStore,
        passcode: str | None,
        *,
        language: str = "en",
        learner_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        self._course = course
        self._store = store
        self._guard = PasscodeGuard(passcode, store.passcode_tries)
        self._language = language
        self._unlocked = False
        self.timer = Timer(REFRESH_SECONDS, self.refresh)  # runs while the results are open
        lang = language
        self._passcode, self._code = passcode_fields(lang)
        lesson_options = [(text("edu_all_lessons", lang), "")] + [
            (x.title, x.id) for x in course.lessons
        ]
        self._lesson = dropdown(lesson_options, text("edu_lesson", lang))
        self._lesson.add_class("spasm-edu-lesson")
        self._open = button(text("edu_open", lang), "spasm-edu-open", primary=True)
        self._message = html(css="spasm-edu-message")
        self._results = html(css="spasm-edu-results")
        self._export = html(css="spasm-edu-export")
        self._gradebook = GradebookDownload(course, store, language)
        self._insights = InsightsPanel(course, store, language)  # before/after, sure but wrong
        self._open.on_click(self._on_open_click)
        self._lesson.observe(self._on_lesson_change, names="value")
        intro = Markup("{}{}{}<p>{}</p>").format(
            page_intro_html(text("nb_educator_title", lang), text("nb_educator_intro", lang), lang),
            language_switch_html(EDUCATOR_PAGE, lang, learner_id),  # keeps who came here
            disclaimer_html(lang),
            text("edu_intro", lang),
        )
        if not self._guard.enabled:
            intro += alert(text("edu_off", lang))
            controls: list[widgets.Widget] = []
        else:
            controls = [self._passcode, self._code, self._lesson, self._open]
        children = [html(intro), *controls, self._message, self._results, self._export]
        children.append(self._gradebook)
        children.insert(children.index(self._results) + 1, self._insights)
        super().__init__([page(children)], **kwargs)

    def _on_open_click(self, _button: widgets.Button) -> None:
        lang = self._language
        if self._guard.locked():
            self._message.value = alert(text("edu_wait", lang))
            return
        if not self._guard.check(self._passcode.value):
            self._unlocked = False
            self.timer.stop()
            self._results.value = self._export.value = ""
            self._gradebook.reset()
            self._insights.reset()
            self._message.value = alert(text("edu_wrong_passcode", lang))
            return
        code = self._code.value.strip()
        if not code:
            self._message.value = alert(text("edu_need_code", lang))
            return
        self._unlocked = True
        self._passcode.value = ""
        self._message.value = ""
        self.refresh()
        self.timer.start()

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
            self._message.value = alert(text("edu_store_down", self._language))
            return
        self._message.value = ""
        self._results.value = report_html(report, self._language)
        self._export.value = csv_link(
            csv_text, "class-attempts.csv", text("edu_export", self._language)
        )
        self._gradebook.ready(code)
        self._insights.show(code)
