"""The educator's "what the class learned" views: before and after, and sure but wrong."""

from __future__ import annotations

import logging
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..content import Course
from ..content.checks import Checks, load_checks
from ..insights import (
    ConfidentWrongReport,
    GainReport,
    confident_wrong,
    gain_report,
)
from ..quiz.checks import CHECK_LESSON_IDS
from ..results import ResultsStore, StoreError
from ..strings import text
from ._render import inline
from ._style import html, vbox

log = logging.getLogger(__name__)


def check_pairs(checks: Checks) -> tuple[tuple[str, str, tuple[str, str]], ...]:
    """The pairs of the check as gain_report takes them."""
    return tuple((p.topic, p.idea, (p.questions[0].id, p.questions[1].id)) for p in checks.pairs)


def check_gain(checks: Checks, attempts: list[Any]) -> GainReport:
    """Before/after scores from attempts (oldest first) of a class or one learner."""
    return gain_report(
        check_pairs(checks), attempts, CHECK_LESSON_IDS["before"], CHECK_LESSON_IDS["after"]
    )


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def gain_html(report: GainReport, course: Course, language: str = "en") -> Markup:
    """The class's before and after: counts, averages, the gain and each idea (escaped)."""

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    titles = {x.id: x.title for x in course.lessons}
    parts = [
        Markup("<h3>{}</h3><p>{}</p>").format(t("edu_ba_title"), t("edu_ba_intro")),
        Markup('<p class="spasm-ba-counts">{}</p>').format(
            t(
                "edu_ba_counts",
                both=len(report.both),
                before_only=report.before_only,
                after_only=report.after_only,
            )
        ),
    ]
    if not report.both:
        parts.append(Markup("<p>{}</p>").format(t("edu_ba_none")))
        return Markup().join(parts)
    gain = report.class_gain
    parts.append(
        Markup('<p class="spasm-ba-class"><strong>{}</strong></p>').format(
            t(
                "edu_ba_class",
                before=_percent(report.average_before),
                after=_percent(report.average_after),
                gain=t("edu_ba_no_gain") if gain is None else f"{gain:.2f}",
            )
        )
    )
    if report.full_before:
        parts.append(Markup("<p>{}</p>").format(t("edu_ba_full", count=report.full_before)))
    moved = {"up": t("edu_ba_up"), "same": t("edu_ba_same"), "down": t("edu_ba_down")}
    icons = {"up": "▲", "same": "■", "down": "▼"}
    rows = Markup().join(
        Markup(
            '<tr class="spasm-ba-{}"><td>{}</td><td>{}</td><td>{} / {}</td><td>{} / {}</td>'
            '<td><span aria-hidden="true">{}</span> {}</td></tr>'
        ).format(
            topic.moved,
            topic.idea,
            inline(titles.get(topic.topic, topic.topic)),
            topic.right_before,
            topic.learners,
            topic.right_after,
            topic.learners,
            icons[topic.moved],
            moved[topic.moved],
        )
        for topic in report.topics
    )
    parts.append(
        Markup(
            '<table class="spasm-table spasm-ba-topics"><thead><tr><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>'
        ).format(
            t("edu_ba_col_idea"),
            t("edu_ba_col_lesson"),
            t("edu_ba_col_before"),
            t("edu_ba_col_after"),
            t("edu_ba_col_moved"),
            rows,
        )
    )
    return Markup().join(parts)


def confident_wrong_html(
    report: ConfidentWrongReport, course: Course, language: str = "en"
) -> Markup:
    """The "sure, but wrong" table, safety questions first, and the beliefs behind it."""

    def t(key: str, **values: object) -> str:
        return text(key, language, **values)

    head = Markup("<h3>{}</h3><p>{}</p>").format(t("edu_cw_title"), t("edu_cw_intro"))
    if not report.rows:
        return head + Markup('<p class="spasm-cw-none">{}</p>').format(t("edu_cw_none"))
    titles = {x.id: x.title for x in course.lessons}
    titles.update({lid: t(f"check_{stage}_title") for stage, lid in CHECK_LESSON_IDS.items()})
    flag = Markup('<strong class="spasm-cw-flag"><span aria-hidden="true">⚠</span> {}</strong> ')
    rows = Markup().join(
        Markup('<tr class="{}"><td>{}</td><td>{}{}</td><td>{}</td><td>{}</td></tr>').format(
            "spasm-cw-safety" if r.question.safety else "spasm-cw-row",
            inline(titles.get(r.lesson_id, r.lesson_id)),
            flag.format(t("edu_cw_col_safety")) if r.question.safety else "",
            inline(r.question.prompt),
            r.certain_wrong,
            r.stated,
        )
        for r in report.rows
    )
    beliefs = Markup().join(
        Markup("<li>{} <strong>({})</strong></li>").format(belief, count)
        for _mid, belief, count in report.beliefs
    )
    return Markup(
        "{}"
        '<table class="spasm-table spasm-cw-table"><thead><tr><th scope="col">{}</th>'
        '<th scope="col">{}</th><th scope="col">{}</th>'
        '<th scope="col">{}</th></tr></thead><tbody>{}</tbody></table>{}'
    ).format(
        head,
        t("edu_col_lesson"),
        t("edu_cw_col_question"),
        t("edu_cw_col_learners"),
        t("edu_cw_col_of"),
        rows,
        Markup('<h4>{}</h4><ul class="spasm-cw-beliefs">{}</ul>').format(t("edu_cw_tags"), beliefs)
        if beliefs
        else "",
    )


class InsightsPanel(widgets.VBox):
    """Before and after, and sure but wrong, for one class; blank until `show` is called."""

    def __init__(self, course: Course, store: ResultsStore, language: str = "en") -> None:
        self._course = course
        self._store = store
        self._language = language
        self._before_after = html(css="spasm-edu-before-after")
        self._confident_wrong = html(css="spasm-edu-confident-wrong")
        super().__init__([self._before_after, self._confident_wrong], layout=vbox().layout)
        self.add_class("spasm-edu-insights")

    def reset(self) -> None:
        """Hide everything (a wrong passcode)."""
        self._before_after.value = self._confident_wrong.value = ""

    def show(self, class_code: str) -> None:
        """Read the class's attempts and redraw both views."""
        try:
            checks = load_checks()
        except Exception:  # a broken checks file must not take the educator page down
            log.exception("before-and-after check could not be loaded")
            checks = Checks("", ())
        extra: dict[str, list[Any]] = {lid: [] for lid in CHECK_LESSON_IDS.values()}
        for pair in checks.pairs:
            for lid in extra:
                extra[lid].extend(pair.questions)
        try:
            attempts = sorted(
                self._store.attempts_for_class(class_code), key=lambda a: (a.answered_at, a.id)
            )
        except StoreError:
            log.exception("class insights failed")
            return
        lang = self._language
        cw = confident_wrong(self._course, attempts, extra)
        self._before_after.value = gain_html(check_gain(checks, attempts), self._course, lang)
        self._confident_wrong.value = confident_wrong_html(cw, self._course, lang)


__all__ = ["InsightsPanel", "check_gain", "confident_wrong_html", "gain_html"]
