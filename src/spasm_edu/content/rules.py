"""The content rules beyond types: wording, ids, cross-references, review dates, safety verdicts.

The loader reads each file into the model's types (fields and types come from model.py); then
it applies the rules here to what it read. A rule reports each problem through
``report(path, message)``, and docs/content-format.md explains it for authors.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Collection, Mapping
from pathlib import Path
from typing import Any

from ._yaml import FieldPath
from .model import SAFETY_VERDICT_RE, SHAPES, Choice, Group, Item, QuestionType

Report = Callable[[FieldPath, str], None]

# ---------------------------------------------------------------- ids and sizes

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_ID_RE = re.compile(r"^[A-Za-z0-9]+$")
IMAGE_FILE_RE = re.compile(r"[a-z0-9-]+\.svg")
MIN_SECTIONS = 1
MIN_QUESTIONS = 5
MIN_CHOICES = 2
MIN_GROUPS = 2
MIN_ITEMS = 3  # of a match or order question, and "- " lines of a checklist
MIN_SOURCES = 1  # of a section
MIN_SAFETY_REASON_WORDS = 3
MAX_REVIEW_AGE = dt.timedelta(days=731)
# Said instead of "missing field 'feedback'": the rule is that every answer explains why.
MISSING_MESSAGES: dict[tuple[type, str], str] = {
    (Choice, "feedback"): "choice has no feedback (every choice needs its own)",
    (Item, "feedback"): "item has no feedback (every item needs its own)",
}
GROUPED_TYPES = " and ".join(t for t, shape in SHAPES.items() if shape.groups)  # "match"


# ---------------------------------------------------------------- how values are named in messages


def describe(value: Any) -> str:
    """What a YAML value is, in words: "a number", "a date", "nothing", ..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and math.isnan(value):
        return "a number (NaN)"
    if isinstance(value, float) and math.isinf(value):
        return "a number (infinity)"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def short(value: str, limit: int = 40) -> str:
    """`value` on one line, cut to `limit` characters, to quote in a message."""
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


def with_article(word: str) -> str:
    """The word with its article: "a match", "an order"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


# ---------------------------------------------------------------- wording of every text field

HTML_RE = re.compile(r"<\s*/?\s*[A-Za-z!?]")
# We teach, we never diagnose: no "you have ...", no asking learners about their own symptoms.
# Conditionals ("if you have ...") and text inside double quotes (a quoted example) are fine.
DIAGNOSIS_RE = re.compile(
    r"(?<!if )(?<!when )(?<!whether )(?<!unless )\b(you (probably |likely |might |may )?(have|are suffering from)\b"
    r"|do you (have|feel|get)\b|have you (had|got|felt|noticed)\b|what are your symptoms"
    r"|describe your (pain|symptoms))",
    re.IGNORECASE,
)
QUOTED_RE = re.compile(r"\"[^\"]*\"|“[^”]*”")


def check_wording(value: str, path: FieldPath, report: Report) -> None:
    """Plain text only, and no sentence that diagnoses the learner."""
    if HTML_RE.search(value):
        report(path, "HTML is not allowed in content; write plain text")
    found = DIAGNOSIS_RE.search(QUOTED_RE.sub("", value))
    if found:
        report(
            path,
            f"'{found.group(0)}' reads like a diagnosis or asks about the learner's "
            "own symptoms; teach in general terms ('if you ...', 'people with ...')",
        )


# ---------------------------------------------------------------- shared files


def check_url(url: str, path: FieldPath, report: Report) -> None:
    """A source's address is a web address (the canonical one, never a mirror)."""
    if not url.startswith(("https://", "http://")):
        report(path, "must be a web address starting with https://")


def source_refs(
    raw: list[Any], path: FieldPath, sources: Collection[str], report: Report
) -> list[str]:
    """The ids in a `sources:` list that name a source of sources.yaml."""
    out: list[str] = []
    for j, ref in enumerate(raw):
        if not isinstance(ref, str):
            report((*path, j), f"expected a source id, got {describe(ref)}")
        elif ref not in sources:
            report((*path, j), f"unknown source '{short(ref)}' (not in sources.yaml)")
        else:
            out.append(ref)
    return out


# ---------------------------------------------------------------- sections


def checklist_lines(body: str) -> list[str]:
    """The "- " lines of a section body: the entries of its checklist."""
    return [line.strip()[2:].strip() for line in body.splitlines() if line.strip().startswith("- ")]


def check_checklist(body: str | None, path: FieldPath, report: Report) -> None:
    """A section marked `checklist: true` has enough "- " lines to tick."""
    if body is not None and len(checklist_lines(body)) < MIN_ITEMS:
        report(path, f'a checklist needs at least {MIN_ITEMS} "- " lines in body')


def review_date(
    value: Any, path: FieldPath, today: dt.date | None, report: Report
) -> dt.date | None:
    """The `reviewed:` date, judged against `today` (None: served, so not judged)."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        report(path, f"expected a date like 2026-11-25, got {describe(value)}")
        return None
    if today is None:
        pass  # serving: a review that is due is for authors to fix, not a reason to hide a lesson
    elif value > today:
        report(path, "review date is in the future")
    elif today - value > MAX_REVIEW_AGE:
        report(path, f"review date {value} is more than two years old")
    return value


def check_image_file(file: str, path: FieldPath, images_dir: Path, report: Report) -> bool:
    """A section's picture is an SVG of content/images/."""
    if not IMAGE_FILE_RE.fullmatch(file) or not (images_dir / file).is_file():
        report(path, f"no picture '{short(file)}' in content/images/")
        return False
    return True


# ---------------------------------------------------------------- questions


def check_topic(
    topic: str | None, path: FieldPath, lesson_ids: Collection[str], report: Report
) -> None:
    """A final-quiz question's topic is a lesson of the course."""
    if topic is not None and lesson_ids and topic not in lesson_ids:
        report(path, f"unknown lesson '{topic}'")


def check_misconception(
    mid: str | None, path: FieldPath, misconceptions: Collection[str], report: Report
) -> None:
    """A wrong answer is tagged with a misconception of misconceptions.yaml."""
    if mid is not None and mid not in misconceptions:
        report(path, f"unknown misconception '{mid}' (not in misconceptions.yaml)")


def check_answer(
    answer: str | None, path: FieldPath, group_ids: Collection[str], report: Report
) -> None:
    """A match item's answer is one of the question's groups."""
    if answer is not None and answer not in group_ids:
        report(path, f"unknown group '{answer}'")


def check_correct_choices(
    qtype: QuestionType, raw_choices: list[Any], path: FieldPath, report: Report
) -> None:
    """How many choices are correct, and the fixed choice ids of true/false and myth/fact."""
    shape = SHAPES[qtype]
    if not raw_choices:
        return
    n_correct = sum(
        1 for raw in raw_choices if isinstance(raw, dict) and raw.get("correct") is True
    )
    if shape.one_correct and n_correct != 1:
        report(path, f"a {qtype} question needs exactly 1 correct choice, has {n_correct}")
    if not shape.one_correct and n_correct < 1:
        report(path, f"a {qtype} question needs at least 1 correct choice")
    fixed = shape.fixed_choices
    if fixed:
        ids = sorted(_raw_id(raw) or "" for raw in raw_choices)
        if ids != sorted(fixed):
            report(
                path, f"a {qtype} question has exactly the choices '{fixed[0]}' and '{fixed[1]}'"
            )


def _raw_id(raw: Any) -> str | None:
    return raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None


def check_safety(
    safety: bool,
    m: Mapping[str, Any],
    path: FieldPath,
    qtype: QuestionType,
    groups: tuple[Group, ...],
    items: tuple[Item, ...],
    report: Report,
) -> None:
    """`safety: true` and the safety verdict go together (see docs/content-format.md).

    Choice questions: the feedback of each unsafe wrong choice opens with "Not safe." and says
    why; at least one does, and only in a question marked `safety: true`. Match questions: the
    groups go from most to least urgent, so sorting an item lower is the unsafe answer.
    `m` is the question as written: a choice that did not load still counts.
    """
    verdicts = 0
    for key in ("choices", "items"):
        raw_list = m.get(key)
        for j, raw in enumerate(raw_list if isinstance(raw_list, list) else []):
            feedback = raw.get("feedback") if isinstance(raw, dict) else None
            if not isinstance(feedback, str) or not SAFETY_VERDICT_RE.match(feedback.strip()):
                continue
            fpath: FieldPath = (*path, key, j, "feedback")
            if key == "items":
                report(fpath, "an item's feedback shows for right answers too: drop 'Not safe'")
            elif raw.get("correct") is True:
                report(fpath, "a right choice cannot be 'Not safe'")
            elif not safety:
                report(fpath, "feedback says 'Not safe' but the question has no 'safety: true'")
            else:
                verdicts += 1
                reason = SAFETY_VERDICT_RE.sub("", feedback.strip(), count=1)
                if len(reason.split()) < MIN_SAFETY_REASON_WORDS:
                    report(fpath, "say why it is not safe, after 'Not safe.'")
    if not safety:
        return
    shape = SHAPES[qtype]
    if not shape.safety:
        report((*path, "safety"), f"{with_article(qtype)} question cannot be a safety question")
    elif shape.parts == "choices" and verdicts == 0:
        report(
            (*path, "safety"),
            "a safety question needs a safety verdict: start the feedback of each unsafe "
            "wrong choice with 'Not safe.' and say why",
        )
    elif shape.groups and groups and items and all(i.answer == groups[-1].id for i in items):
        report(
            (*path, "safety"),
            "no item can be sorted into a less urgent group: list the groups from most to "
            "least urgent",
        )
