"""Reading-level figures per lesson (textstat 0.7.4 works offline), on prose with markup removed."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .content import Lesson

TARGET_GRADE = 6.0
CEILING_GRADE = 8.0


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


def measure(text: str) -> Readability:
    """Flesch-Kincaid grade, SMOG, Flesch reading ease, words and sentences of `text`."""
    import textstat  # imported here: it is slow to import and only this report needs it

    return Readability(
        fk_grade=float(textstat.flesch_kincaid_grade(text)),
        smog=float(textstat.smog_index(text)),
        reading_ease=float(textstat.flesch_reading_ease(text)),
        words=int(textstat.lexicon_count(text)),
        sentences=int(textstat.sentence_count(text)),
    )


def table(lessons: tuple[Lesson, ...]) -> str:
    """A Markdown table of the figures for every lesson's prose and quiz text."""
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
