"""``spasm-edu handout``: write lesson handouts, or paper quizzes with answer keys, to print."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._options import FORMATS, PAPERS

SubParsers = Any  # argparse's _SubParsersAction, private and generic


def register(sub: SubParsers, local_setting: Callable[[str], str]) -> None:
    """Add the handout command to the spasm-edu parser (`local_setting`: serve's value check)."""
    p = sub.add_parser(
        "handout",
        help="write print-ready handouts (HTML and tagged PDF) per lesson and for the course, "
        "or with --quiz paper quizzes and answer keys",
    )
    p.add_argument(
        "--lesson",
        action="append",
        metavar="ID",
        help="only this lesson, e.g. home-care (repeatable; default: every lesson and the "
        "whole course)",
    )
    p.add_argument(
        "--lang", default="en", metavar="CODE", help="the language, e.g. es (default en)"
    )
    p.add_argument("--paper", choices=PAPERS, default="a4", help="paper size (default a4)")
    p.add_argument("--out", default="handouts", metavar="FOLDER", help="default ./handouts")
    p.add_argument(
        "--format", choices=FORMATS, default="both", help="html, pdf or both (default both)"
    )
    p.add_argument(
        "--quiz",
        action="store_true",
        help="write each lesson's quiz as a sheet to fill in with a pen, and its answer key",
    )
    p.add_argument(
        "--emergency-number",
        type=local_setting,
        metavar="NUMBER",
        help="the emergency number the 'Get help now' box names, as for serve",
    )
    p.add_argument(
        "--urgent-care",
        type=local_setting,
        metavar="TEXT",
        help="the same-day route the box names, as for serve",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Write the files; print each path. Exit status 2: an unknown lesson, nothing to write, or
    PDFs asked for without WeasyPrint."""
    from ..cli import set_local_help
    from ..content import CONTENT_DIR, load_course
    from ..content.translations import languages
    from ..local_help import LocalHelp
    from .output import PdfUnavailable, handout_documents, quiz_documents, write_documents

    found = languages(CONTENT_DIR)
    if args.lang not in found:
        print(f"spasm-edu: no language {args.lang}; there are: {', '.join(found)}", file=sys.stderr)
        return 2
    course, _ = load_course(language=args.lang)
    known = [lesson.id for lesson in course.lessons]
    unknown = [i for i in args.lesson or [] if i not in known]
    if unknown:
        print(
            f"spasm-edu: no lesson {', '.join(unknown)}; the lessons are: {', '.join(known)}",
            file=sys.stderr,
        )
        return 2
    lessons = [course.lesson(i) for i in args.lesson] if args.lesson else list(course.lessons)
    if args.quiz:
        docs = quiz_documents(lessons, args.paper)
    else:  # only handouts have the "Get help now" box: say what it names
        env = dict(os.environ)  # a copy: the same settings, and checks, as `spasm-edu serve`
        for line in set_local_help(env, args.emergency_number, args.urgent_care):
            print(line.replace("pages name", "handouts name"), file=sys.stderr)
        local = LocalHelp.from_environ(env)
        docs = handout_documents(course, lessons, local, args.paper, whole=not args.lesson)
    if not docs:  # only the final quiz, asked for without --quiz: it has no lesson text
        asked = ", ".join(args.lesson or [])
        print(f"spasm-edu: {asked} has no lesson text; add --quiz for its quiz", file=sys.stderr)
        return 2
    try:
        written = write_documents(docs, Path(args.out), args.format)
    except PdfUnavailable as exc:
        print(f"spasm-edu: {exc}. Or write HTML only: --format html", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    return 0
