"""Translations: a language is a folder of files, checked against the English it came from.

``content/translations/<lang>/`` mirrors the content folder: ``lessons/*.yaml`` (each a whole
lesson in that language, same file names, same ids), ``glossary.yaml``, ``misconceptions.yaml``
and ``strings.yaml`` (the app's own words; English is in ``spasm_edu/strings.py``). Sources and
pictures are shared with English. A translator sees the whole lesson in context, and the loader
validates it with the same code as English, into the same typed objects.

A translation records the English file it was made from (``translated_from``: the first 12 hex
digits of its SHA-256). Here, for `spasm-edu validate`: what is in one language and missing in the
other, a correct answer that differs, and translations older than their English file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

from ._yaml import Problem
from .model import Course, Lesson, Question

TRANSLATIONS = "translations"
ENGLISH = "en"
HASH_LENGTH = 12
# The key a shared translated file (glossary, misconceptions) gives its source's hash under.
SHARED_HASH_KEY = "_translated_from"

__all__ = [
    "ENGLISH",
    "SHARED_HASH_KEY",
    "TRANSLATIONS",
    "compare_courses",
    "compare_questions",
    "languages",
    "line_of",
    "source_hash",
    "translation_dir",
]


def translation_dir(content_dir: Path, language: str) -> Path:
    """The folder of one language's files."""
    return content_dir / TRANSLATIONS / language


def languages(content_dir: Path) -> tuple[str, ...]:
    """English, then every language with a folder of lessons, in alphabetical order."""
    root = content_dir / TRANSLATIONS
    found = (
        sorted(d.name for d in root.iterdir() if (d / "lessons").is_dir()) if root.is_dir() else []
    )
    return (ENGLISH, *(lang for lang in found if lang != ENGLISH))


def source_hash(path: Path) -> str:
    """What a translation of `path` gives as ``translated_from``."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]


def line_of(path: Path, ident: str) -> int:
    """The line where `ident` is defined in a file (an ``id:`` or a top-level key), else 1."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    pattern = re.compile(
        rf"^\s*(-\s+)?(id:\s*['\"]?{re.escape(ident)}['\"]?|{re.escape(ident)}:)\s*$"
    )
    return next((n for n, line in enumerate(lines, 1) if pattern.match(line)), 1)


def _staleness(
    file: Path, found: str | None, english: Path, field: str, add: Callable[[str, str], None]
) -> None:
    expected = source_hash(english)
    if found is None:
        add(field, f"missing: give {field}: {expected} (the English file it translates)")
    elif found != expected:
        add(
            field,
            f"out of date: {english.name} changed after this translation was made "  # noqa: S608 (a message, not SQL)
            f"({field} {found}, the English file is now {expected}); update the text, then set "
            f"{field}: {expected}",
        )


def _ids(things: Iterable[object]) -> list[str]:
    return [str(getattr(t, "id", "")) for t in things]


def _compare_ids(what: str, english: list[str], other: list[str], lang: str) -> list[str]:
    missing = [i for i in english if i not in other]
    extra = [i for i in other if i not in english]
    out = [f"{what} '{i}' is in English but not in this translation" for i in missing]
    out += [f"{what} '{i}' is in this translation but not in English" for i in extra]
    if not missing and not extra and english != other:
        out.append(f"{what}s are in another order than in English ({', '.join(english)})")
    return out


def _compare_question(en: Question, tr: Question, lang: str) -> list[tuple[str, str]]:
    """(id, problem) pairs for one question."""
    found: list[tuple[str, str]] = []
    if en.type != tr.type:
        found.append((tr.id, f"question '{tr.id}' is '{tr.type}' here but '{en.type}' in English"))
    if en.safety != tr.safety:
        found.append((tr.id, f"question '{tr.id}': safety differs from English ({en.safety})"))
    found += [(tr.id, p) for p in _compare_ids("choice", _ids(en.choices), _ids(tr.choices), lang)]
    tr_choices = {c.id: c for c in tr.choices}
    for c in en.choices:
        other = tr_choices.get(c.id)
        if other is None:
            continue
        if other.correct != c.correct:
            found.append(
                (
                    c.id,
                    f"choice '{c.id}' of question '{tr.id}' is marked correct: "
                    f"{str(other.correct).lower()} here but {str(c.correct).lower()} in English",
                )
            )
        if other.misconception != c.misconception:
            found.append((c.id, f"choice '{c.id}': misconception differs from English"))
        if other.unsafe != c.unsafe:
            found.append(
                (
                    c.id,
                    f"choice '{c.id}' of question '{tr.id}': the safety verdict (\"Not safe.\" "
                    "in English) is in one language's feedback and not the other's",
                )
            )
    found += [(tr.id, p) for p in _compare_ids("group", _ids(en.groups), _ids(tr.groups), lang)]
    found += [(tr.id, p) for p in _compare_ids("item", _ids(en.items), _ids(tr.items), lang)]
    tr_items = {i.id: i for i in tr.items}
    for i in en.items:
        other_item = tr_items.get(i.id)
        if other_item is not None and other_item.answer != i.answer:
            found.append(
                (i.id, f"item '{i.id}' of question '{tr.id}': answer differs from English")
            )
    return found


def compare_questions(
    english: list[Question], other: list[Question], lang: str
) -> list[tuple[str, str]]:
    """(id, problem) pairs for two lists of questions (a lesson's quiz, the quick check)."""
    found = [("id", p) for p in _compare_ids("question", _ids(english), _ids(other), lang)]
    tr_questions = {q.id: q for q in other}
    for q in english:
        if q.id in tr_questions:
            found += _compare_question(q, tr_questions[q.id], lang)
    return found


def _compare_lesson(en: Lesson, tr: Lesson, lang: str) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    if tr.language != lang:
        found.append(("language", f"language is '{tr.language}' in a '{lang}' translation folder"))
    for name in ("order", "kind"):
        if getattr(en, name) != getattr(tr, name):
            found.append((name, f"{name} differs from English ({getattr(en, name)})"))
    for p in _compare_ids("section", _ids(en.sections), _ids(tr.sections), lang):
        found.append((tr.id, p))
    tr_sections = {s.id: s for s in tr.sections}
    for s in en.sections:
        other = tr_sections.get(s.id)
        if other is None:
            continue
        for name in ("sources", "reviewed", "checklist"):
            if getattr(other, name) != getattr(s, name):
                found.append((s.id, f"section '{s.id}': {name} differs from English"))
        if (other.image and other.image.file) != (s.image and s.image.file):
            found.append((s.id, f"section '{s.id}': picture differs from English"))
    found += compare_questions(list(en.quiz.questions), list(tr.quiz.questions), lang)
    return found


def compare_courses(
    english: Course,
    other: Course,
    lang: str,
    content_dir: Path,
    shared_hashes: dict[str, str | None],
    display: Callable[[Path], str] = str,
) -> list[Problem]:
    """What differs between English and one translation, each problem at its file and line.

    `shared_hashes`: the ``_translated_from`` of the translated glossary and misconceptions, by
    file name (None where a file does not give one). `display`: how a file is named in problems.
    A file that is missing or does not load has its problems from the loader already.
    """
    folder = translation_dir(content_dir, lang)
    problems: list[Problem] = []
    tr_by_id = {lesson.id: lesson for lesson in other.lessons}
    en_by_id = {lesson.id: lesson for lesson in english.lessons}
    # Lesson.path is how problems name a file (relative to the checkout, or to site-packages
    # when installed): the files themselves are found from the folders, by name.
    for lesson in english.lessons:
        en_path = content_dir / "lessons" / Path(lesson.path).name
        tr_path = folder / "lessons" / en_path.name
        translated = tr_by_id.get(lesson.id)
        if translated is None:
            if not tr_path.exists():
                problems.append(
                    Problem(
                        display(tr_path),
                        1,
                        "(file)",
                        f"missing: no '{lang}' translation "
                        f"of lesson '{lesson.id}' ({en_path.name})",
                    )
                )
            continue  # a file that exists but does not load has its own problems already
        path = folder / "lessons" / Path(translated.path).name

        def add(field: str, message: str, path: Path = path, ident: str = "") -> None:
            problems.append(Problem(display(path), line_of(path, ident or field), field, message))

        _staleness(path, translated.translated_from, en_path, "translated_from", add)
        for ident, message in _compare_lesson(lesson, translated, lang):
            add(ident, message, path, ident)
    for lesson in other.lessons:
        if lesson.id not in en_by_id:
            problems.append(
                Problem(
                    display(folder / "lessons" / Path(lesson.path).name),
                    1,
                    "id",
                    f"lesson '{lesson.id}' has no English original",
                )
            )
    for name, en_ids, tr_ids in (
        ("glossary.yaml", list(english.glossary), list(other.glossary)),
        ("misconceptions.yaml", list(english.misconceptions), list(other.misconceptions)),
    ):
        path = folder / name
        if not path.is_file():
            continue
        for message in _compare_ids("entry", sorted(en_ids), sorted(tr_ids), lang):
            ident = message.split("'")[1]
            problems.append(Problem(display(path), line_of(path, ident), ident, message))

        def add_shared(field: str, message: str, path: Path = path) -> None:
            problems.append(Problem(display(path), line_of(path, field), field, message))

        _staleness(path, shared_hashes.get(name), content_dir / name, SHARED_HASH_KEY, add_shared)
    return problems
