"""The before-and-after check (checks.yaml): pairs of parallel questions, validated on load.

Each pair asks about one idea of one lesson (``topic``) in two different questions; a learner
gets one before the course and the other after it (the drawing is in quiz/checks.py). The
questions are lesson questions: the same model and the same checks as a lesson's quiz.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ._yaml import FieldPath, Problem
from .loader import (
    CONTENT_DIR,
    ContentError,
    _Checker,
    _guess_id,
    _lesson_files,
    _parse_question,
    _read,
    _read_shared,
)
from .model import Question
from .translations import (
    ENGLISH,
    SHARED_HASH_KEY,
    compare_questions,
    languages,
    line_of,
    source_hash,
    translation_dir,
)

CHECKS_FILE = "checks.yaml"
_PAIR_FIELDS = frozenset({"topic", "idea", "questions"})
MIN_PAIRS, MAX_PAIRS = 8, 10  # a short check: 8 to 10 questions each time


@dataclass(frozen=True)
class CheckPair:
    """Two parallel questions on one idea of one lesson."""

    topic: str  # the lesson that explains the idea
    idea: str  # the idea in a few words, for the educator page
    questions: tuple[Question, Question]


@dataclass(frozen=True)
class Checks:
    """The before-and-after check: its title and its pairs, in course order."""

    title: str
    pairs: tuple[CheckPair, ...]


def checks_file(language: str = ENGLISH, content_dir: Path = CONTENT_DIR) -> Path:
    """The checks file of one language (a translation lives in its language's folder)."""
    folder = content_dir if language == ENGLISH else translation_dir(content_dir, language)
    return folder / CHECKS_FILE


def parse_checks(
    path: Path,
    problems: list[Problem],
    content_dir: Path = CONTENT_DIR,
    language: str = ENGLISH,
) -> Checks:
    """Read and validate a checks file; every mistake goes into `problems`."""
    text_dir = None if language == ENGLISH else translation_dir(content_dir, language)
    shared = _read_shared(content_dir, problems, "package", text_dir)
    shared.lesson_ids.update(_guess_id(p) for p in _lesson_files(content_dir))
    doc = _read(path, problems, "package")
    if doc is None:
        return Checks("", ())
    c = _Checker(doc, problems)
    fields = {"title", "pairs"} if language == ENGLISH else {"title", "pairs", SHARED_HASH_KEY}
    top = c.mapping(doc.data, (), fields)
    title = c.text(top, "title", ()) or ""
    pairs: list[CheckPair] = []
    seen: set[str] = set()
    raw_pairs = c.items(top, "pairs", (), MIN_PAIRS)
    if len(raw_pairs) > MAX_PAIRS:
        c.add(("pairs",), f"at most {MAX_PAIRS} pairs, has {len(raw_pairs)}")
    for i, raw in enumerate(raw_pairs):
        pair = _parse_pair(c, raw, ("pairs", i), shared, seen)
        if pair is not None:
            pairs.append(pair)
    return Checks(title, tuple(pairs))


def _parse_pair(
    c: _Checker, raw: Any, path: FieldPath, shared: Any, seen: set[str]
) -> CheckPair | None:
    m = c.mapping(raw, path, _PAIR_FIELDS)
    topic = c.ident(m, "topic", path)
    if topic is not None and topic not in shared.lesson_ids:
        c.add((*path, "topic"), f"unknown lesson '{topic}'")
    idea = c.text(m, "idea", path)
    raw_questions = c.items(m, "questions", path, 2)
    if len(raw_questions) != 2:
        c.add((*path, "questions"), f"a pair has exactly 2 questions, has {len(raw_questions)}")
        return None
    questions = []
    for j, raw_q in enumerate(raw_questions):
        qpath: FieldPath = (*path, "questions", j)
        question = _parse_question(c, raw_q, qpath, shared, False)
        c.unique(question.id if question else None, seen, qpath, "question")
        if question is not None:
            questions.append(question)
    if topic is None or idea is None or len(questions) != 2:
        return None
    return CheckPair(topic, idea, (questions[0], questions[1]))


@cache
def load_checks(path: Path | None = None, language: str = ENGLISH) -> Checks:
    """The shipped before-and-after check (or the file at `path`); ContentError if broken.

    A language without its own checks file gets the English one.
    """
    problems: list[Problem] = []
    if path is None:
        path = checks_file(language)
        if not path.is_file():
            path, language = checks_file(), ENGLISH
    checks = parse_checks(path, problems, language=language)
    if problems:
        raise ContentError(problems)
    return checks


def check_translated_checks(content_dir: Path = CONTENT_DIR) -> list[Problem]:
    """Every language's checks file against English: present, the same questions and answers,
    and not older than the English file (see translations.py)."""
    problems: list[Problem] = []
    english = parse_checks(checks_file(ENGLISH, content_dir), problems, content_dir)
    for language in languages(content_dir)[1:]:
        path = checks_file(language, content_dir)
        shown = str(path.relative_to(content_dir.parent.parent.parent))
        if not path.is_file():
            problems.append(Problem(shown, 1, "(file)", f"missing: no '{language}' {CHECKS_FILE}"))
            continue
        other = parse_checks(path, problems, content_dir, language)
        found = compare_questions(
            [q for p in english.pairs for q in p.questions],
            [q for p in other.pairs for q in p.questions],
            language,
        )
        problems.extend(Problem(shown, line_of(path, ident), ident, m) for ident, m in found)
        raw = path.read_text(encoding="utf-8")
        match = re.search(rf"^{SHARED_HASH_KEY}:\s*['\"]?(\w+)", raw, re.MULTILINE)
        expected = source_hash(checks_file(ENGLISH, content_dir))
        if match is None or match.group(1) != expected:
            problems.append(
                Problem(
                    shown,
                    1,
                    SHARED_HASH_KEY,
                    f"out of date or missing: give {SHARED_HASH_KEY}: {expected} once the "
                    "translation matches the English checks.yaml",
                )
            )
    return problems
