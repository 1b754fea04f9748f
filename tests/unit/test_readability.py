"""Our reading-level figures: the same as textstat 0.7.4 gave, on every shipped text and by hand."""

from __future__ import annotations

import importlib.util
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest

from spasm_edu.content import load_course
from spasm_edu.readability import Readability, lesson_prose, measure, quiz_text

SRC = Path(__file__).resolve().parents[2] / "src"
COURSE, _ = load_course(strict=False)
TEXTS = [
    pytest.param(body, id=f"{lesson.id}-{label}")
    for lesson in COURSE.lessons
    for label, body in (("lesson", lesson_prose(lesson)), ("quiz", quiz_text(lesson)))
    if body.strip()
]


@pytest.fixture(scope="module")
def textstat() -> Any:
    """textstat 0.7.4 (the `test` extra), the tool our figures were first measured with.

    It imports `pkg_resources` at import time but uses it only for the Dale-Chall word lists,
    which we do not compare; where setuptools no longer has it (Python 3.12+ venvs), an empty
    stand-in, removed again at once, lets the import succeed. A missing textstat fails the test:
    it is in the extra.
    """
    with pytest.MonkeyPatch.context() as patch:
        if importlib.util.find_spec("pkg_resources") is None:
            patch.setitem(sys.modules, "pkg_resources", types.ModuleType("pkg_resources"))
        import textstat

    return textstat


@pytest.mark.parametrize("text", TEXTS)
def test_figures_match_textstat_on_every_shipped_text(text: str, textstat: Any) -> None:
    ours = measure(text)
    theirs = Readability(
        fk_grade=textstat.flesch_kincaid_grade(text),
        smog=textstat.smog_index(text),
        reading_ease=textstat.flesch_reading_ease(text),
        words=textstat.lexicon_count(text),
        sentences=textstat.sentence_count(text),
    )
    assert (ours.words, ours.sentences) == (theirs.words, theirs.sentences)
    assert ours.fk_grade == pytest.approx(theirs.fk_grade, abs=0.1), (ours, theirs)
    assert ours.smog == pytest.approx(theirs.smog, abs=0.1), (ours, theirs)
    assert ours.reading_ease == pytest.approx(theirs.reading_ease, abs=0.1), (ours, theirs)


def test_a_short_text_by_hand() -> None:
    # 17 words, 3 sentences, 20 syllables (muscle, rested, better have two; the rest one).
    # Averages rounded first: 5.7 words a sentence, 1.2 syllables a word.
    # FK 0.39 * 5.7 + 11.8 * 1.2 - 15.59 = 0.793; ease 206.835 - 1.015 * 5.7 - 84.6 * 1.2 = 99.53;
    # SMOG with no word of 3+ syllables: 3.1291.
    text = "The muscle in my back went tight. It hurt a lot. I rested, and it got better."
    assert measure(text) == Readability(
        fk_grade=0.8, smog=3.1, reading_ease=99.53, words=17, sentences=3
    )


def test_sentences_of_two_words_or_fewer_do_not_count() -> None:
    # "Rest." is not a sentence; 11 words in 2 sentences, 12 syllables ("little" has two):
    # 5.5 words a sentence, 1.1 syllables a word. SMOG needs 3 sentences: 0.
    # FK 2.145 + 12.98 - 15.59 = -0.465, which textstat's rounding (floor of x*10 - 0.5) makes -0.6.
    r = measure("Rest. Walk a little each day. Use heat if it helps!")
    assert (r.words, r.sentences, r.smog) == (11, 2, 0.0)
    assert (r.fk_grade, r.reading_ease) == (-0.6, 108.19)


def test_long_words_raise_the_grade() -> None:
    # inflammation 4, relaxation 3, exercises 3, usually 3 syllables: 4 polysyllables, 3 sentences.
    r = measure(
        "Ibuprofen can help with inflammation. Relaxation exercises usually help. "
        "See a doctor about medicine."
    )
    assert (r.words, r.sentences) == (14, 3)
    assert r.smog == round(1.043 * (30 * 4 / 3) ** 0.5 + 3.1291, 1) == 9.7
    assert r.fk_grade > 8.0


def test_punctuation_joins_rather_than_splits_words() -> None:
    # Hyphenated words and contractions count as one word, as in textstat.
    assert measure("Back-spasm pain isn't rare.").words == 4
    assert measure("Heat, rest — and time.").words == 4


def test_an_empty_text_has_no_words() -> None:
    assert measure("") == Readability(
        fk_grade=-15.7, smog=0.0, reading_ease=206.84, words=0, sentences=1
    )


def test_the_package_never_imports_textstat_or_pkg_resources() -> None:
    pattern = re.compile(r"^\s*(import|from)\s+(textstat|pkg_resources)\b", re.MULTILINE)
    found = [str(p) for p in SRC.rglob("*.py") if pattern.search(p.read_text(encoding="utf-8"))]
    assert found == []
