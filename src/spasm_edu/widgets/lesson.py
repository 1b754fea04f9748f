"""Page views: a lesson, the start page, and the friendly page for a lesson that cannot load."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ipywidgets as widgets
from markupsafe import Markup

from ..content import Course, Lesson, Problem
from ..links import page_link
from ..progress import LearnerProgress
from ..results import Learner, ResultsStore
from ..settings import (
    CHECK_AFTER_PAGE,
    CHECK_BEFORE_PAGE,
    EDUCATOR_PAGE,
    START_PAGE,
    SUMMARY_PAGE,
)
from ..strings import text
from ._render import (
    disclaimer_html,
    inline,
    keep_link_html,
    language_switch_html,
    list_html,
    nav_html,
    page_intro_html,
    red_flags_html,
    section_html,
)
from ._style import PageView, html, page
from .learner import JoinClass, MyResultsDownload
from .question import AttemptListener
from .quiz import QuizWidget


class LessonView(PageView):
    """A whole lesson page: navigation, disclaimer, red flags, sections, key points and quiz.

    The page can be built before the learner is known (a warm kernel waiting for its visitor)
    and the learner attached afterwards with `attach`, which costs little.
    """

    def __init__(
        self,
        course: Course,
        lesson: Lesson,
        *,
        seed: int | None = None,
        on_attempt: AttemptListener | None = None,
        progress: LearnerProgress | None = None,
        live_poll: widgets.Widget | None = None,
        **kwargs: Any,
    ) -> None:
        lang = lesson.language
        self.lesson = lesson
        self._course = course
        parts: list[Markup] = []
        if lesson.objectives:
            parts.append(
                list_html(text("objectives_title", lang), lesson.objectives, "spasm-objectives")
            )
        seen_terms: set[str] = set()  # each term is explained where the lesson first uses it
        parts.extend(section_html(s, course, lang, seen_terms) for s in lesson.sections)
        if lesson.key_points:
            parts.append(
                list_html(text("key_points_title", lang), lesson.key_points, "spasm-key-points")
            )
        self._content_html = Markup().join(parts)
        self.quiz = QuizWidget(
            lesson.quiz,
            title=lesson.quiz.title or text("quiz_title", lang),
            seed=seed,
            language=lang,
            on_attempt=on_attempt,
        )
        # The big lesson text is sent once; only the small nav and links change per learner.
        self._nav = html()
        self._flags = html()  # the disclaimer, and red flags whose link keeps the learner
        self._body = html(self._content_html, "spasm-lesson-body")
        self._footer = html()
        self._keep = html()
        self.downloads: MyResultsDownload | None = None
        self.live_poll: widgets.Widget | None = None
        self._page = page([self._nav, self._flags, self._body, self._keep, self.quiz, self._footer])
        super().__init__([self._page], **kwargs)
        self.add_class("spasm-lesson")
        self.attach(progress, live_poll)

    def attach(
        self, progress: LearnerProgress | None, live_poll: widgets.Widget | None = None
    ) -> None:
        """Show this learner's page: links that carry their id, saved answers, live questions."""
        lang, course, lesson = self.lesson.language, self._course, self.lesson
        learner = progress.learner_id if progress is not None else None
        self._nav.value = nav_html(course, lesson, lang, learner)
        self._flags.value = (
            page_intro_html(lesson.title, lesson.summary, lang)
            + disclaimer_html(lang)
            + red_flags_html(course, lang, learner_id=learner)
        )
        self._footer.value = nav_html(course, lesson, lang, learner, end=True)
        if lesson.kind == "quiz":  # after the final quiz: the check again, the summary (issue 19)
            self._footer.value += Markup('<p class="spasm-after-links">{} · {}</p>').format(
                page_link(
                    CHECK_AFTER_PAGE, text("check_link_after", lang), learner=learner, lang=lang
                ),
                page_link(SUMMARY_PAGE, text("summary_link", lang), learner=learner, lang=lang),
            )
        self._keep.value = keep_link_html(lesson, learner, lang) if learner else ""
        if progress is None:
            return
        self.quiz.attach(progress)
        self.downloads = MyResultsDownload(progress, lang)
        self.live_poll = live_poll
        polls = [live_poll] if live_poll is not None else []
        style, *rest = self._page.children
        self._page.children = [style, *polls, *rest[:-1], self.downloads, rest[-1]]


class StartPage(PageView):
    """The landing page: who the course is for, joining a class, every lesson and the final quiz."""

    def __init__(
        self,
        course: Course,
        language: str = "en",
        *,
        store: ResultsStore | None = None,
        learner: Learner | None = None,
        **kwargs: Any,
    ) -> None:
        self._course = course
        self._language = language
        self._store = store
        self.learner = learner
        self._intro = html(self._intro_html())
        self._lessons = html(self._lessons_html(), "spasm-start")
        children: list[widgets.Widget] = [self._intro]
        if store is not None:
            children.append(JoinClass(store, language, learner, on_join=self._on_join))
        children.append(self._lessons)
        super().__init__([page(children)], **kwargs)

    def _on_join(self, learner: Learner) -> None:
        self.learner = learner
        self._intro.value = self._intro_html()
        self._lessons.value = self._lessons_html()

    def _intro_html(self) -> Markup:
        language, learner_id = self._language, self.learner.learner_id if self.learner else None
        return Markup("{}{}{}{}<p>{}</p>").format(
            page_intro_html(
                text("course_name", language), text("nb_start_intro", language), language
            ),
            language_switch_html(START_PAGE, language, learner_id),
            disclaimer_html(language),
            red_flags_html(self._course, language, learner_id=learner_id),
            text("start_who", language),
        )

    def _lessons_html(self) -> Markup:
        language, course = self._language, self._course
        learner_id = self.learner.learner_id if self.learner else None
        lessons = [x for x in course.lessons if x.kind == "lesson"]
        quizzes = [x for x in course.lessons if x.kind == "quiz"]
        items = Markup().join(
            Markup("<li>{}<br>{}</li>").format(
                page_link(
                    x.notebook,
                    Markup("{}. {}").format(n, inline(x.title)),
                    learner=learner_id,
                    lang=language,
                    aria_label=text("start_open", language, number=n, title=x.title),
                ),
                inline(x.summary),
            )
            for n, x in enumerate(lessons, 1)
        )
        quiz_items = Markup().join(
            Markup("<li>{}<br>{}</li>").format(
                page_link(x.notebook, inline(x.title), learner=learner_id, lang=language),
                inline(x.summary),
            )
            for x in quizzes
        )
        # The optional quick check at the start and at the end of the course (issue 19).
        checks = [
            Markup('<li class="spasm-check-link">{}</li>').format(
                page_link(page_name, text(key, language), learner=learner_id, lang=language)
            )
            for page_name, key in (
                (CHECK_BEFORE_PAGE, "check_link_before"),
                (CHECK_AFTER_PAGE, "check_link_after"),
                (SUMMARY_PAGE, "summary_link"),
            )
        ]
        quiz_items = checks[0] + quiz_items + checks[1] + checks[2]
        return Markup(
            '<h2>{}</h2><ol class="spasm-lessons">{}</ol>'
            '<h2>{}</h2><ul class="spasm-lessons">{}</ul>'
            '<p class="spasm-educator-link">{}</p>'
        ).format(
            text("start_lessons_title", language),
            items,
            text("start_quiz_title", language),
            quiz_items,
            page_link(
                EDUCATOR_PAGE, text("start_educators", language), learner=learner_id, lang=language
            ),
        )


class BrokenLessonView(PageView):
    """Shown instead of a lesson whose content file has problems: no traceback, the rest works."""

    def __init__(
        self,
        course: Course | None,
        problems: Sequence[Problem],
        language: str = "en",
        *,
        learner_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        details = Markup().join(
            Markup("<li><code>{}</code></li>").format(str(p)) for p in problems[:50]
        )
        flags = (
            red_flags_html(course, language, learner_id=learner_id) if course is not None else ""
        )
        start = Markup("← {}").format(text("nav_start", language))
        body = Markup(
            '<nav class="spasm-nav">{}</nav>{}{}'
            '<p class="spasm-broken" role="alert">{}</p>'
            "<details><summary>{}</summary><ul>{}</ul></details>"
        ).format(
            page_link(START_PAGE, start, learner=learner_id, lang=language),
            disclaimer_html(language),
            flags,
            text("lesson_broken", language),
            text("lesson_broken_details", language),
            details,
        )
        super().__init__([page([html(body, "spasm-broken-lesson")])], **kwargs)
