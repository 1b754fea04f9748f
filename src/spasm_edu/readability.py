"""Reading-level figures per lesson, on prose with markup removed.

The formulas, the word and sentence splitting and the syllable counts (pyphen's en_US hyphenation
patterns) are those of textstat 0.7.4, which the lessons were first measured with, so the figures
stay the same (tests/unit/test_readability.py compares them). We compute them here because textstat
imports `pkg_resources`, which a fresh venv on Python 3.12+ no longer has.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .content import Lesson

TARGET_GRADE = 6.0
CEILING_GRADE = 8.0
# Spanish: the Szigriszt-Pazos perspicuity score read on the INFLESZ scale (65 and above is
# "easy" or better, 55-65 "fairly difficult"), from Barrio-Cantalejo et al., Anales Sis San
# Navarra 2008: 65 is the target, 55 the ceiling (the lowest we accept).
TARGET_INFLESZ = 65.0
CEILING_INFLESZ = 55.0


@dataclass(frozen=True)
class Readability:
    """Reading figures of one text."""

    fk_grade: float
    smog: float
    reading_ease: float
    words: int
    sentences: int


def _sentence(line: str) -> str:
    line = re.sub(r"\*\*(.+?)\*\*", r"\1", line).strip()
    if line.startswith("- "):
        line = line[2:]
    line = re.sub(r"^\d+[.)] ", "", line)
    return line if line.endswith((".", "!", "?", ":")) else line + "."


def plain(text: str) -> str:
    """Remove our markup and make each bullet and paragraph end as a sentence."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip()]
        if any(ln.startswith("- ") or re.match(r"^\d+[.)] ", ln) for ln in lines):
            out.extend(_sentence(ln) for ln in lines)
        elif lines:
            out.append(_sentence(" ".join(lines)))
    return " ".join(out)


def lesson_prose(lesson: Lesson) -> str:
    """Objectives, section text, evidence notes and key points, as plain sentences."""
    parts = [_sentence(o) for o in lesson.objectives]
    for s in lesson.sections:
        parts.append(plain(s.body))
        if s.evidence:
            parts.append(plain(s.evidence))
    parts.extend(_sentence(k) for k in lesson.key_points)
    return " ".join(parts)


def quiz_text(lesson: Lesson) -> str:
    """Prompts, feedback and explanations of the lesson's quiz, as plain sentences."""
    parts = []
    for q in lesson.quiz.questions:
        parts.append(_sentence(q.prompt))
        parts.extend(_sentence(c.feedback) for c in q.choices)
        parts.extend(_sentence(i.feedback) for i in q.items)
        parts.append(_sentence(q.explanation))
    return " ".join(parts)


@cache
def _hyphenator() -> Any:
    from pyphen import Pyphen  # imported here: only this report needs it

    return Pyphen(lang="en_US")


def _syllables(word: str) -> int:
    """Syllables of one lower-case word: its hyphenation points plus one (as textstat counts)."""
    return len(_hyphenator().positions(word)) + 1


def _words(text: str) -> list[str]:
    """Lower-case words with all punctuation removed ("back-spasm's" is one word)."""
    return re.sub(r"[^\w\s]", "", text.lower()).split()


def _sentence_count(text: str) -> int:
    """Runs of text up to `.`, `!` or `?`; runs of two words or fewer do not count."""
    runs = re.findall(r"\b[^.!?]+[.!?]*", text)
    return max(1, sum(1 for run in runs if len(_words(run)) > 2))


def _round(number: float, points: int) -> float:
    """Round half away from zero, as textstat does."""
    scale: int = 10**points
    return math.floor(number * scale + math.copysign(0.5, number)) / scale


def measure(text: str) -> Readability:
    """Flesch-Kincaid grade, SMOG, Flesch reading ease, words and sentences of `text`."""
    syllables = [_syllables(w) for w in _words(text)]
    words, sentences = len(syllables), _sentence_count(text)
    # textstat rounds both averages to one decimal before the formulas; so do we.
    per_sentence = _round(words / sentences, 1)
    per_word = _round(sum(syllables) / words, 1) if words else 0.0
    polysyllables = sum(1 for n in syllables if n >= 3)
    smog = 1.043 * (30 * (polysyllables / sentences)) ** 0.5 + 3.1291
    return Readability(
        fk_grade=_round(0.39 * per_sentence + 11.8 * per_word - 15.59, 1),
        smog=_round(smog, 1) if sentences >= 3 else 0.0,  # SMOG needs 3 sentences (30 to be valid)
        reading_ease=_round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 2),
        words=words,
        sentences=sentences,
    )


_STRONG = frozenset("aeoáéó")
_ACCENTED_WEAK = frozenset("íú")
_VOWELS = frozenset("aeiouáéíóúü")


def spanish_syllables(word: str) -> int:
    """Syllables of one lower-case Spanish word, by its vowel groups.

    Consecutive vowels are one syllable (a diphthong or triphthong: "cue-llo", "buey") unless
    two strong vowels meet ("le-er") or a weak vowel carries the accent ("dí-a"): a hiatus.
    Pyphen's Spanish patterns are made for line breaks, which never leave one letter alone
    ("a-mor" is not split), so they undercount; this is the usual rule-based count.
    """
    count = 0
    previous = ""
    for index, letter in enumerate(word):
        vowel = letter in _VOWELS or (letter == "y" and index == len(word) - 1 and index > 0)
        if not vowel:
            previous = ""
            continue
        if not previous:
            count += 1
        elif (previous in _STRONG and letter in _STRONG) or (
            previous in _ACCENTED_WEAK or letter in _ACCENTED_WEAK
        ):
            count += 1  # a hiatus starts a new syllable
        previous = letter
    return max(1, count)


@dataclass(frozen=True)
class SpanishReadability:
    """Reading figures of one Spanish text (higher is easier)."""

    inflesz: float  # Szigriszt-Pazos perspicuity, read on the INFLESZ scale
    fernandez_huerta: float
    words: int
    sentences: int


def measure_es(text: str) -> SpanishReadability:
    """Szigriszt-Pazos (INFLESZ) and Fernández Huerta scores, words and sentences of `text`."""
    syllables = [spanish_syllables(w) for w in _words(text)]
    words, sentences = len(syllables), _sentence_count(text)
    if not words:
        return SpanishReadability(0.0, 0.0, 0, sentences)
    per_word = sum(syllables) / words
    per_sentence = words / sentences
    return SpanishReadability(
        inflesz=_round(206.835 - 62.3 * per_word - per_sentence, 1),
        fernandez_huerta=_round(206.84 - 60 * per_word - 102 / per_sentence, 1),
        words=words,
        sentences=sentences,
    )


def table(lessons: tuple[Lesson, ...], language: str = "en") -> str:
    """A Markdown table of the figures for every lesson's prose and quiz text."""
    if language == "es":
        return _table_es(lessons)
    rows = [
        "| lesson | text | FK grade | SMOG | reading ease | words | sentences |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for lesson in lessons:
        for label, body in (("lesson", lesson_prose(lesson)), ("quiz", quiz_text(lesson))):
            if not body.strip():
                continue
            r = measure(body)
            rows.append(
                f"| {lesson.id} | {label} | {r.fk_grade:.1f} | {r.smog:.1f} | "
                f"{r.reading_ease:.1f} | {r.words} | {r.sentences} |"
            )
    return "\n".join(rows)


def _table_es(lessons: tuple[Lesson, ...]) -> str:
    rows = [
        "| lesson | text | INFLESZ | Fernández Huerta | words | sentences |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for lesson in lessons:
        for label, body in (("lesson", lesson_prose(lesson)), ("quiz", quiz_text(lesson))):
            if body.strip():
                r = measure_es(body)
                rows.append(
                    f"| {lesson.id} | {label} | {r.inflesz:.1f} | {r.fernandez_huerta:.1f} | "
                    f"{r.words} | {r.sentences} |"
                )
    return "\n".join(rows)
