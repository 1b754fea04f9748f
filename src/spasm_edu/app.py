"""What the notebooks call: each function returns a widget for one page, never raising."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import ipywidgets as widgets

from .content import ContentError, Problem, load_course
from .settings import educator_passcode
from .widgets import BrokenLessonView, LessonView, StartPage

if TYPE_CHECKING:
    from collections.abc import Sequence

    from .content import Course, Lesson
    from .progress import LearnerProgress
    from .results import ResultsStore
    from .widgets.poll import StudentPoll
    from .widgets.presenter import PresenterView

log = logging.getLogger(__name__)


def _open_store() -> ResultsStore | None:
    """The results store with its schema checked, or None when it cannot be opened.

    Called before the visitor's request is known, so a warm kernel has done this work (and
    imported SQLAlchemy) before its visitor arrives. A database that is down now is tried
    again on the learner's first answer.
    """
    from .results import ResultsStore, StoreError

    try:
        store = ResultsStore()
    except (StoreError, OSError, ValueError):
        log.exception("results store unavailable")
        return None
    try:
        store.migrate()
    except (StoreError, OSError):
        log.warning("results database not reachable yet; trying again on the first answer")
    return store


def _progress(lesson_id: str, store: ResultsStore | None) -> LearnerProgress | None:
    """Saved progress for the learner named in the page address, or a new anonymous learner."""
    from .progress import LearnerProgress, learner_from_request
    from .results import StoreError, new_learner_id

    if store is None:
        store = _open_store()
        if store is None:
            return None  # the quiz still works without a store; answers are just not kept
    try:
        learner_id = learner_from_request()
        if learner_id is None:
            return LearnerProgress(store, new_learner_id(), lesson_id)
        return LearnerProgress.open(store, learner_id, lesson_id)
    except (StoreError, OSError, ValueError):
        log.exception("results store unavailable")
        return None


def show_start() -> widgets.Widget:
    """The start page: joining a class, every lesson with a summary and a link, the final quiz."""
    from .progress import learner_from_request
    from .results import StoreError

    course, _broken = load_course(strict=False)
    store, learner = _open_store(), None  # before the visitor's request: see _open_store
    try:
        learner_id = learner_from_request()
        if store is not None and learner_id:
            learner = store.learner(learner_id)
    except (StoreError, OSError, ValueError):
        log.exception("results store unavailable")
    return StartPage(course, store=store, learner=learner)


def show_educator() -> widgets.Widget:
    """The educator's class results page (needs the passcode given to `spasm-edu serve`)."""
    from .results import ResultsStore
    from .widgets.educator import EducatorView

    course, _broken = load_course(strict=False)
    return EducatorView(course, ResultsStore(), educator_passcode())


def show_lesson(lesson_id: str, *, seed: int | None = None) -> widgets.Widget:
    """The page of one lesson (or the final quiz), or a friendly error if its file is broken.

    Parameters
    ----------
    lesson_id
        The stable lesson id, e.g. ``"what-is-a-back-spasm"``.
    seed
        Seed for shuffling questions and choices where the quiz asks for it.
    """
    try:
        course, broken = load_course(strict=False)
    except Exception as exc:  # the page must never show a traceback
        log.exception("content could not be loaded")
        return _broken(None, [Problem("content", 1, "(file)", str(exc))])
    if lesson_id in broken:
        return _broken(course, broken[lesson_id])
    try:
        lesson = course.lesson(lesson_id)
    except KeyError:
        return _broken(course, [Problem("content", 1, "id", f"no lesson '{lesson_id}'")])
    from .progress import request_param
    from .widgets.poll import StudentPoll  # noqa: F401 - imported before the visitor arrives

    try:
        # Build the page and open the store first: a warm kernel does this before its visitor
        # arrives, so a class opening a lesson at once waits only for the learner's part.
        view = LessonView(course, lesson, seed=seed)
        store = _open_store()
        if request_param("present") in ("1", "yes", "true"):
            return _presenter(course, lesson, store)
        progress = _progress(lesson.id, store)
        view.attach(progress, _student_poll(progress, lesson))
        return view
    except ContentError as exc:
        return _broken(course, exc.problems)


def _broken(course: Course | None, problems: Sequence[Problem]) -> BrokenLessonView:
    """The friendly page of a lesson that cannot be shown; its links keep the learner."""
    from .progress import learner_from_request

    return BrokenLessonView(course, problems, learner_id=learner_from_request())


def _presenter(course: Course, lesson: Lesson, store: ResultsStore | None) -> PresenterView:
    from .widgets.presenter import PresenterView

    if store is None:
        return PresenterView(course, lesson, None, educator_passcode())
    return PresenterView(
        course, lesson, store.polls, educator_passcode(), passcode_tries=store.passcode_tries
    )


def _student_poll(progress: LearnerProgress | None, lesson: Lesson) -> StudentPoll | None:
    """The live-question box for a learner who joined a class."""
    from .widgets.poll import StudentPoll

    if progress is None or not progress.class_code:
        return None
    return StudentPoll(
        progress.store.polls, lesson, progress.learner_id, progress.class_code, lesson.language
    )


show_quiz = show_lesson
