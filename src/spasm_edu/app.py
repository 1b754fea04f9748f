"""What the notebooks call: each function returns a widget for one page, never raising."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import ipywidgets as widgets

from .content import ContentError, Problem, load_course
from .settings import PRESENT_VALUES, educator_passcode
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


def _language() -> str:
    """The page's language from its address (``?lang=es``), English when absent or unknown."""
    from .content import CONTENT_DIR
    from .content.translations import ENGLISH, languages
    from .progress import request_param

    wanted = request_param("lang")
    return wanted if wanted in languages(CONTENT_DIR) else ENGLISH


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
        elif store is not None:  # a hub may have put this server's student in a class (LMS)
            from .hub import join_from_environment

            learner = join_from_environment(store)
    except (StoreError, OSError, ValueError):
        log.exception("results store unavailable")
    language = _language()
    if language != "en":
        course, _broken = load_course(strict=False, language=language)
    return StartPage(course, language, store=store, learner=learner)


def show_educator() -> widgets.Widget:
    """The educator's class results page (needs the passcode given to `spasm-edu serve`)."""
    from .progress import learner_from_request
    from .results import ResultsStore
    from .widgets.educator import EducatorView

    language = _language()
    course, _broken = load_course(strict=False, language=language)
    return EducatorView(
        course,
        ResultsStore(),
        educator_passcode(),
        language=language,
        learner_id=learner_from_request(),
    )


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
        language = _language()  # known once the visitor has arrived
        if language != lesson.language:
            translated, broken = load_course(strict=False, language=language)
            if lesson_id in broken:
                return _broken(translated, broken[lesson_id], language)
            if any(x.id == lesson_id for x in translated.lessons):
                course, lesson = translated, translated.lesson(lesson_id)
                view = LessonView(course, lesson, seed=seed)
        if request_param("present") in PRESENT_VALUES:
            return _presenter(course, lesson, store)
        progress = _progress(lesson.id, store)
        view.attach(progress, _student_poll(progress, lesson))
        return view
    except ContentError as exc:
        return _broken(course, exc.problems)


def _broken(
    course: Course | None, problems: Sequence[Problem], language: str = "en"
) -> BrokenLessonView:
    """The friendly page of a lesson that cannot be shown; its links keep the learner."""
    from .progress import learner_from_request

    return BrokenLessonView(course, problems, language, learner_id=learner_from_request())


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


def show_check(stage: str) -> widgets.Widget:
    """The quick check at the start ("before") or the end ("after") of the course (issue 19).

    Works alone and in a class: the answers are saved for the learner in the page address, or
    for a new anonymous learner.
    """
    from .content.checks import load_checks
    from .results import new_learner_id
    from .widgets.checks import CheckView

    if stage not in ("before", "after"):
        return _broken(None, [Problem("checks.yaml", 1, "stage", f"no check '{stage}'")])
    language = _language()
    try:
        course, _broken_lessons = load_course(strict=False, language=language)
        checks = load_checks(language=language)
    except ContentError as exc:
        return _broken(None, exc.problems)
    except Exception as exc:  # the page must never show a traceback
        log.exception("the quick check could not be loaded")
        return _broken(None, [Problem("checks.yaml", 1, "(file)", str(exc))])
    from .quiz.checks import CHECK_LESSON_IDS, Stage

    which: Stage = "before" if stage == "before" else "after"
    store = _open_store()
    progress = _progress(CHECK_LESSON_IDS[which], store)
    learner_id = progress.learner_id if progress is not None else new_learner_id()
    return CheckView(course, checks, which, learner_id, progress, language=language)


def show_summary() -> widgets.Widget:
    """The learner's take-home summary, on the page and as a file to print (issue 19)."""
    from .content.checks import Checks, load_checks
    from .progress import learner_from_request
    from .results import Attempt, StoreError
    from .widgets.summary import SummaryView

    language = _language()
    course, _broken_lessons = load_course(strict=False, language=language)
    try:
        checks = load_checks(language=language)
    except Exception:  # a broken checks file leaves the rest of the summary
        log.exception("the quick check could not be loaded")
        checks = Checks("", ())
    store = _open_store()
    attempts: list[Attempt] = []
    nickname = None
    learner_id = learner_from_request()
    if store is not None and learner_id is not None:
        try:
            learner = store.learner(learner_id)
            nickname = learner.nickname if learner is not None else None
            attempts = store.attempts_for_learner(learner_id)
        except (StoreError, OSError):
            log.exception("results store unavailable")
    return SummaryView(
        course, checks, attempts, nickname=nickname, learner_id=learner_id, language=language
    )
