"""Page views: a lesson, the start page, and the friendly page for a lesson that cannot load."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import ipywidgets as widgets

from ..content import Course, Lesson, Problem
from ..progress import LearnerProgress
from ..results import Learner, ResultsStore
from ..strings import text
from ._render import (
    disclaimer_html,
    inline,
    keep_link_html,
    list_html,
    nav_html,
    page_link,
    red_flags_html,
    section_html,
)
from ._style import CSS, html, layout, vbox
from .learner import JoinClass, MyResultsDownload
from .question import AttemptListener
from .quiz import QuizWidget


def _page(children: Sequence[widgets.Widget]) -> widgets.VBox:
    return vbox([html(CSS), *children], "spasm-page")


class PageView(widgets.VBox):
    """A whole page: one column with the shared layout, and a short text form.

    IPython shows a cell's result with its text form too, and ipywidgets builds that from
    every trait of every child: about 15 ms of a visitor's wait on a lesson page, for text
    nobody sees.
    """

    def __init__(self, children: Sequence[widgets.Widget], **kwargs: Any) -> None:
        kwargs.setdefault("layout", layout())
        super().__init__(children=list(children), **kwargs)

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


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
        parts = [disclaimer_html(lang), red_flags_html(course, lang)]
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
        self._content_html = "".join(parts)
        self.quiz = QuizWidget(
            lesson.quiz,
            title=lesson.quiz.title or text("quiz_title", lang),
            seed=seed,
            language=lang,
            on_attempt=on_attempt,
        )
        # The big lesson text is sent once; only the small nav and links change per learner.
        self._nav = html()
        self._body = html(self._content_html, "spasm-lesson-body")
        self._footer = html()
        self._keep = html()
        self.downloads: MyResultsDownload | None = None
        self.live_poll: widgets.Widget | None = None
        self._page = _page([self._nav, self._body, self._keep, self.quiz, self._footer])
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
        self._footer.value = nav_html(course, lesson, lang, learner, end=True)
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
        intro = html(
            f"{disclaimer_html(language)}{red_flags_html(course, language)}"
            f"<p>{escape(text('start_who', language))}</p>"
        )
        self._lessons = html(self._lessons_html(), "spasm-start")
        children: list[widgets.Widget] = [intro]
        if store is not None:
            children.append(JoinClass(store, language, learner, on_join=self._on_join))
        children.append(self._lessons)
        super().__init__([_page(children)], **kwargs)

    def _on_join(self, learner: Learner) -> None:
        self.learner = learner
        self._lessons.value = self._lessons_html()

    def _lessons_html(self) -> str:
        language, course = self._language, self._course
        learner_id = self.learner.learner_id if self.learner else None
        lessons = [x for x in course.lessons if x.kind == "lesson"]
        quizzes = [x for x in course.lessons if x.kind == "quiz"]
        items = "".join(
            f'<li><a href="{escape(page_link(x.notebook, learner_id))}" '
            f'aria-label="{escape(text("start_open", language, number=n, title=x.title))}">'
            f"{n}. {inline(x.title)}</a><br>{inline(x.summary)}</li>"
            for n, x in enumerate(lessons, 1)
        )
        quiz_items = "".join(
            f'<li><a href="{escape(page_link(x.notebook, learner_id))}">{inline(x.title)}</a>'
            f"<br>{inline(x.summary)}</li>"
            for x in quizzes
        )
        return (
            f"<h2>{escape(text('start_lessons_title', language))}</h2>"
            f'<ol class="spasm-lessons">{items}</ol>'
            f"<h2>{escape(text('start_quiz_title', language))}</h2>"
            f'<ul class="spasm-lessons">{quiz_items}</ul>'
            f'<p class="spasm-educator-link"><a href="educator.ipynb">'
            f"{escape(text('start_educators', language))}</a></p>"
        )


class BrokenLessonView(PageView):
    """Shown instead of a lesson whose content file has problems: no traceback, the rest works."""

    def __init__(
        self,
        course: Course | None,
        problems: Sequence[Problem],
        language: str = "en",
        **kwargs: Any,
    ) -> None:
        details = "".join(f"<li><code>{escape(str(p))}</code></li>" for p in problems[:50])
        flags = red_flags_html(course, language) if course is not None else ""
        page = (
            f'<nav class="spasm-nav"><a href="00-start-here.ipynb">← {escape(text("nav_start", language))}</a></nav>'
            f"{disclaimer_html(language)}{flags}"
            f'<p class="spasm-broken" role="alert">{escape(text("lesson_broken", language))}</p>'
            f"<details><summary>{escape(text('lesson_broken_details', language))}</summary>"
            f"<ul>{details}</ul></details>"
        )
        super().__init__([_page([html(page, "spasm-broken-lesson")])], **kwargs)
