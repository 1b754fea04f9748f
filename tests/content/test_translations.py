"""Translations: the Spanish course matches the English one, and the validator says where not.

A language is a folder (content/translations/<lang>/); these tests copy the shipped content into
a temporary folder, change one thing, and check that `check_paths` names file, line and field.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from spasm_edu.content import CONTENT_DIR, check_paths, load_course
from spasm_edu.content.translations import languages, source_hash, translation_dir
from spasm_edu.readability import CEILING_INFLESZ, lesson_prose, measure_es, quiz_text
from spasm_edu.strings import STRINGS, check_translations, text

TODAY = __import__("datetime").date(2026, 12, 1)  # review dates are checked against this day
ENGLISH, _ = load_course()
SPANISH, SPANISH_BROKEN = load_course(strict=False, language="es")


def test_spanish_is_a_shipped_language() -> None:
    assert languages(CONTENT_DIR) == ("en", "es")
    assert not SPANISH_BROKEN, SPANISH_BROKEN


def test_same_lessons_sections_questions_choices_and_answers() -> None:
    def shape(course: object) -> list[object]:
        out: list[object] = []
        for lesson in course.lessons:  # type: ignore[attr-defined]
            out.append((lesson.id, lesson.order, lesson.kind, [s.id for s in lesson.sections]))
            for q in lesson.quiz.questions:
                out.append((q.id, q.type, q.safety, q.topic))
                out.extend((c.id, c.correct, c.unsafe, c.misconception) for c in q.choices)
                out.extend((i.id, i.answer, i.misconception) for i in q.items)
                out.extend(g.id for g in q.groups)
        return out

    assert shape(SPANISH) == shape(ENGLISH)
    assert set(SPANISH.glossary) == set(ENGLISH.glossary)
    assert set(SPANISH.misconceptions) == set(ENGLISH.misconceptions)
    assert all(lesson.language == "es" for lesson in SPANISH.lessons)


def test_spanish_text_is_not_the_english_text() -> None:
    for en, es in zip(ENGLISH.lessons, SPANISH.lessons, strict=True):
        assert en.title != es.title
        for s_en, s_es in zip(en.sections, es.sections, strict=True):
            assert s_en.body != s_es.body, (en.id, s_en.id)
        for q_en, q_es in zip(en.quiz.questions, es.quiz.questions, strict=True):
            assert q_en.prompt != q_es.prompt, (en.id, q_en.id)


@pytest.mark.parametrize("lesson", SPANISH.lessons, ids=lambda lesson: lesson.id)
def test_spanish_lessons_are_easy_to_read(lesson: object) -> None:
    for label, body in (("lesson", lesson_prose(lesson)), ("quiz", quiz_text(lesson))):  # type: ignore[arg-type]
        if body.strip():
            score = measure_es(body).inflesz
            assert score >= CEILING_INFLESZ, f"{lesson.id} {label}: INFLESZ {score}"  # type: ignore[attr-defined]


def test_shipped_content_and_strings_validate() -> None:
    assert check_paths(today=TODAY) == []
    assert check_translations() == []


def test_every_string_has_a_spanish_text() -> None:
    same = [key for key in STRINGS["en"] if text(key, "es") == STRINGS["en"][key]]
    assert same == [], f"still in English on a Spanish page: {same}"


# ---- the validator, on a copy of the shipped content ------------------------------------------


@pytest.fixture
def content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return folder


def _edit(path: Path, old: str, new: str) -> int:
    """Replace the first `old` in a file; return its line number."""
    body = path.read_text(encoding="utf-8")
    assert old in body, (path, old)
    line = body[: body.index(old)].count("\n") + 1
    path.write_text(body.replace(old, new, 1), encoding="utf-8")
    return line


def _problems(content: Path) -> list[str]:
    return [str(p) for p in check_paths([content], today=TODAY)]


def test_a_copy_of_the_shipped_content_is_clean(content: Path) -> None:
    assert _problems(content) == []


def test_a_correct_flag_that_differs_is_named(content: Path) -> None:
    """The Spanish file marks another choice as the answer: still a valid file on its own."""
    es = translation_dir(content, "es") / "lessons" / "05-home-care.yaml"
    data = yaml.safe_load(es.read_text(encoding="utf-8"))
    question = next(q for q in data["quiz"]["questions"] if q["type"] == "single")
    first, second = question["choices"][:2]
    first["correct"], second["correct"] = second["correct"], first["correct"]
    es.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [p for p in _problems(content) if "marked correct" in p]
    assert len(found) == 2, found
    assert all("translations/es/lessons/05-home-care.yaml:" in p for p in found), found
    assert any(f"choice '{first['id']}' of question '{question['id']}'" in p for p in found)


def test_a_question_missing_in_one_language_is_named(content: Path) -> None:
    es = translation_dir(content, "es") / "lessons" / "04-symptoms.yaml"
    question = load_course(content, strict=False, language="es")[0].lesson("symptoms")
    qid = question.quiz.questions[0].id
    _edit(es, f"id: {qid}\n", "id: renamed-question\n")
    found = _problems(content)
    assert any(f"question '{qid}' is in English but not in this translation" in p for p in found)
    assert any("question 'renamed-question' is in this translation but not in" in p for p in found)


def test_a_translation_older_than_its_english_file_is_named(content: Path) -> None:
    en = content / "lessons" / "02-causes.yaml"
    _edit(en, "title: ", "title: Newly ")
    found = [p for p in _problems(content) if "out of date" in p]
    assert len(found) == 1
    assert "translations/es/lessons/02-causes.yaml" in found[0]
    assert f"translated_from: {source_hash(en)}" in found[0]


def test_a_missing_translated_lesson_is_named(content: Path) -> None:
    (translation_dir(content, "es") / "lessons" / "03-risk-factors.yaml").unlink()
    found = _problems(content)
    assert any("missing: no 'es' translation of lesson 'risk-factors'" in p for p in found)


def test_a_third_language_is_only_files(content: Path) -> None:
    """A tiny French folder: listed, loaded, and validated with no change to the code."""
    fr = translation_dir(content, "fr")
    (fr / "lessons").mkdir(parents=True)
    en = content / "lessons" / "01-what-is-a-back-spasm.yaml"
    body = en.read_text(encoding="utf-8")
    body = body.replace("language: en\n", f"language: fr\ntranslated_from: {source_hash(en)}\n")
    body = body.replace("title: What is a back spasm?", "title: Qu'est-ce qu'un spasme du dos ?")
    (fr / "lessons" / en.name).write_text(body, encoding="utf-8")
    for name in ("glossary.yaml", "misconceptions.yaml"):
        shared = (content / name).read_text(encoding="utf-8")
        (fr / name).write_text(
            f"_translated_from: {source_hash(content / name)}\n{shared}", encoding="utf-8"
        )
    (fr / "strings.yaml").write_text('language_name: "Français"\n', encoding="utf-8")

    assert languages(content) == ("en", "es", "fr")
    french, broken = load_course(content, strict=False, language="fr")
    assert not broken
    assert [x.title for x in french.lessons] == ["Qu'est-ce qu'un spasme du dos ?"]
    found = [p for p in _problems(content) if "/fr/" in p]
    # Every other lesson is reported missing, and nothing else.
    assert len(found) == len(ENGLISH.lessons) - 1, found
    assert all("missing: no 'fr' translation of lesson" in p for p in found)
    strings = [str(p) for p in check_translations(content)]
    assert any("fr/strings.yaml:1: course_name: missing" in p for p in strings)
    assert not any("language_name" in p for p in strings)


@pytest.mark.parametrize("course", [ENGLISH, SPANISH], ids=["en", "es"])
def test_every_glossary_term_is_used_so_it_gets_explained(course: object) -> None:
    """A term is explained where a lesson first uses it: a term no lesson uses never is."""
    body = " ".join(s.body for x in course.lessons for s in x.sections).lower()  # type: ignore[attr-defined]
    unused = [g.term for g in course.glossary.values() if g.term.lower() not in body]  # type: ignore[attr-defined]
    assert unused == []


def test_the_quick_check_in_spanish_is_checked_against_english(content: Path) -> None:
    from spasm_edu.content.checks import check_translated_checks

    assert check_translated_checks(content) == []
    es = translation_dir(content, "es") / "checks.yaml"
    data = yaml.safe_load(es.read_text(encoding="utf-8"))
    question = data["pairs"][0]["questions"][1]
    assert question["type"] == "single"
    first, second = question["choices"][:2]
    first["correct"], second["correct"] = second["correct"], first["correct"]
    es.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = [str(p) for p in check_translated_checks(content)]
    assert any("marked correct" in p and "es/checks.yaml" in p for p in found), found
    _edit(content / "checks.yaml", "title: Quick check", "title: A quick check")
    found = [str(p) for p in check_translated_checks(content)]
    assert any("out of date" in p for p in found), found
