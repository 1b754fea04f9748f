"""The take-home summary: key points, the quick check, warning signs, a flare-up plan and
questions for the doctor, on a page and as an HTML file to print or keep.

It holds nothing about the learner beyond the nickname they chose (escaped like all text).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from ..content import Course, Section, checklist_lines
from ..content.checks import Checks
from ..results import Attempt
from ..settings import SUMMARY_PAGE as SUMMARY_NOTEBOOK
from ..strings import text
from ._render import (
    disclaimer_html,
    download_link,
    inline,
    language_switch_html,
    list_html,
    page_intro_html,
    red_flags_html,
    start_nav_html,
)
from ._style import PageView, html, page
from .insights import check_gain

log = logging.getLogger(__name__)

# The sections of the course a summary takes its plan and questions from, by id.
PLAN_SECTION, QUESTIONS_SECTION = "flare-up-plan", "questions-for-your-doctor"

SUMMARY_PAGE = Markup("""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:system-ui,Arial,sans-serif;max-width:44rem;margin:2rem auto;
padding:0 1rem;font-size:1.1rem;line-height:1.5;color:#1a1a1a;background:#fff}}
.spasm-redflags{{border:3px solid #8a1c1c;padding:0.5rem 1rem}}
.notes{{border-bottom:1px solid #6b6b6b;height:2.2rem}}</style></head>
<body><main>{body}</main></body></html>
""")


def _section(course: Course, section_id: str) -> Section | None:
    for lesson in course.lessons:
        for section in lesson.sections:
            if section.id == section_id:
                return section
    return None


def summary_html(
    course: Course,
    checks: Checks,
    attempts: Sequence[Attempt],
    nickname: str | None,
    learner_id: str | None,
    language: str = "en",
    *,
    heading: bool = True,
) -> Markup:
    """The summary's content (everything escaped): the same on the page and in the file.

    `heading`: start with the title as <h1> (the file; on the page the notebook's first cell
    is the title).
    """
    t = text
    lang = language
    parts = [Markup("<h1>{}</h1>").format(t("summary_title", lang))] if heading else []
    if nickname:
        parts.append(
            Markup('<p class="spasm-summary-for">{}</p>').format(
                escape(t("summary_for", lang)).format(
                    nickname=Markup("<bdi>{}</bdi>").format(nickname)
                )
            )
        )
    parts.append(Markup("<p>{}</p>").format(t("summary_intro", lang)))
    # Key points of the lessons the learner worked on (answered a question of).
    worked = {a.lesson_id for a in attempts}
    lessons = [x for x in course.lessons if x.id in worked and x.key_points]
    if lessons:
        points = Markup().join(
            list_html(x.title, x.key_points, "spasm-summary-lesson") for x in lessons
        )
    else:
        points = Markup("<p>{}</p>").format(t("summary_no_lessons", lang))
    parts.append(
        Markup('<section class="spasm-summary-points"><h2>{}</h2>{}</section>').format(
            t("summary_key_points", lang), points
        )
    )
    # The learner's own before and after.
    report = check_gain(checks, list(attempts))
    mine = report.learners[0] if report.learners else None
    if mine is not None:
        lines = []
        if mine.before is not None:
            lines.append(t("check_mine_before", lang, score=mine.before))
        if mine.after is not None:
            lines.append(t("check_mine_after", lang, score=mine.after))
        parts.append(
            Markup('<section class="spasm-summary-check"><h2>{}</h2><p>{}</p></section>').format(
                t("summary_check", lang), " ".join(lines)
            )
        )
    # Warning signs, with the local emergency number.
    parts.append(red_flags_html(course, lang, learner_id=learner_id))
    plan = _section(course, PLAN_SECTION)
    if plan is not None:
        items = checklist_lines(plan.body)[:6]  # what a plan says; then the pacing tips
        parts.append(
            Markup(
                '<section class="spasm-summary-plan"><h2>{}</h2><p>{}</p><ul>{}</ul></section>'
            ).format(
                t("summary_plan", lang),
                t("summary_plan_intro", lang),
                Markup().join(
                    Markup('<li>{}<div class="notes"></div></li>').format(inline(i)) for i in items
                ),
            )
        )
    questions = _section(course, QUESTIONS_SECTION)
    if questions is not None:
        parts.append(
            list_html(
                t("summary_questions", lang),
                tuple(checklist_lines(questions.body)),
                "spasm-summary-questions",
            )
        )
    parts.append(disclaimer_html(lang))
    return Markup().join(parts)


class SummaryView(PageView):
    """The take-home summary page, with a link that saves it as an HTML file to print."""

    def __init__(
        self,
        course: Course,
        checks: Checks,
        attempts: Sequence[Attempt],
        *,
        nickname: str | None = None,
        learner_id: str | None = None,
        language: str = "en",
        **kwargs: Any,
    ) -> None:
        body = summary_html(course, checks, attempts, nickname, learner_id, language, heading=False)
        # The file keeps no learner id (not even in a link): only the nickname is personal.
        document = SUMMARY_PAGE.format(
            lang=language,
            title=text("summary_title", language),
            body=summary_html(course, checks, attempts, nickname, None, language),
        )
        download = Markup('<p class="spasm-summary-download">{}</p>').format(
            download_link(
                str(document), "my-summary.html", text("summary_download", language), "text/html"
            )
        )
        nav = start_nav_html(language, learner_id)
        self.document = document
        top = page_intro_html(
            text("summary_title", language), text("nb_summary_intro", language), language
        ) + language_switch_html(SUMMARY_NOTEBOOK, language, learner_id)
        super().__init__([page([html(top + nav + download + body, "spasm-summary")])], **kwargs)
