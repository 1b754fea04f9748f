"""Load and validate the content folder: one function that the CLI, the app and the tests share."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ._yaml import FieldPath, Problem, YamlDoc, read_yaml
from .model import (
    QUESTION_TYPES,
    SAFETY_VERDICT_RE,
    SHAPES,
    Choice,
    Course,
    GlossaryEntry,
    Group,
    Image,
    Item,
    Lesson,
    Misconception,
    Question,
    QuestionType,
    Quiz,
    Section,
    Source,
    is_question_type,
)

CONTENT_DIR = Path(__file__).parent
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SOURCE_ID_RE = re.compile(r"^[A-Za-z0-9]+$")
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
MIN_QUESTIONS = 5
MIN_ITEMS = 3
MAX_REVIEW_AGE = dt.timedelta(days=731)
LESSON_FIELDS = {
    "id",
    "order",
    "kind",
    "language",
    "title",
    "summary",
    "objectives",
    "sections",
    "key_points",
    "quiz",
}
SECTION_FIELDS = {
    "id",
    "title",
    "body",
    "evidence",
    "image",
    "sources",
    "reviewed",
    "checklist",
}
QUESTION_FIELDS = {
    "id",
    "type",
    "prompt",
    "explanation",
    "choices",
    "groups",
    "items",
    "topic",
    "safety",
}
MIN_SAFETY_REASON_WORDS = 3
CHOICE_FIELDS = {"id", "text", "correct", "feedback", "misconception"}
ITEM_FIELDS = {"id", "text", "feedback", "answer", "misconception"}
_GROUPED_TYPES = " and ".join(t for t in QUESTION_TYPES if SHAPES[t].groups)  # "match"


class ContentError(Exception):
    """Content files are malformed; `problems` lists each as file, line, field and problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


class _Checker:
    """Reads typed fields out of one document, recording a Problem for each mistake."""

    def __init__(self, doc: YamlDoc, problems: list[Problem]) -> None:
        self.doc = doc
        self.problems = problems

    def add(self, path: FieldPath, message: str) -> None:
        if path not in self.doc.unreadable:  # the reader has said why already
            self.problems.append(self.doc.problem(path, message))

    def mapping(
        self, value: Any, path: FieldPath, allowed: set[str] | None = None
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping of fields, got {_kind(value)}")
            return {}
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.add((*path, key), "unknown field")
        return value

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        path: FieldPath,
        *,
        required: bool = True,
        default: str | None = None,
    ) -> str | None:
        if key not in obj or obj[key] is None:
            if required:
                self.add(
                    path if key not in obj else (*path, key),
                    f"missing field '{key}'" if key not in obj else "must not be empty",
                )
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.add((*path, key), f"expected text, got {_kind(value)}")
            return default
        if not value.strip():
            self.add((*path, key), "must not be empty")
            return default
        self._check_wording(value, (*path, key))
        return value.strip()

    def _check_wording(self, value: str, path: FieldPath) -> None:
        if HTML_RE.search(value):
            self.add(path, "HTML is not allowed in content; write plain text")
        found = DIAGNOSIS_RE.search(QUOTED_RE.sub("", value))
        if found:
            self.add(
                path,
                f"'{found.group(0)}' reads like a diagnosis or asks about the learner's "
                "own symptoms; teach in general terms ('if you ...', 'people with ...')",
            )

    def ident(
        self,
        obj: dict[str, Any],
        key: str,
        path: FieldPath,
        *,
        pattern: re.Pattern[str] = ID_RE,
        required: bool = True,
    ) -> str | None:
        if key not in obj:
            if required:
                self.add(path, f"missing field '{key}'")
            return None
        value = obj[key]
        if isinstance(value, bool):
            # `id: true` is the YAML value true; a true_false choice needs the text "true".
            quoted = f'"{str(value).lower()}"'
            self.add((*path, key), f"expected an id, got true/false (write {quoted} in quotes)")
            return None
        if not isinstance(value, (str, int)):
            self.add((*path, key), f"expected an id, got {_kind(value)}")
            return None
        value = str(value)
        # fullmatch, not match: "$" would let an id end in a newline (`id: |` block text).
        if not pattern.fullmatch(value):
            self.add(
                (*path, key), f"'{_short(value)}' is not a valid id (lowercase words joined by '-')"
            )
            return None
        return value

    def texts(
        self, obj: dict[str, Any], key: str, path: FieldPath, *, minimum: int = 1
    ) -> list[str]:
        value = obj.get(key)
        if key not in obj:
            if minimum:
                self.add(path, f"missing field '{key}'")
            return []
        if not isinstance(value, list):
            self.add((*path, key), f"expected a list, got {_kind(value)}")
            return []
        if len(value) < minimum:
            self.add((*path, key), f"needs at least {minimum} entries")
        out = []
        for i, entry in enumerate(value):
            if not isinstance(entry, str) or not entry.strip():
                self.add((*path, key, i), f"expected text, got {_kind(entry)}")
            else:
                self._check_wording(entry, (*path, key, i))
                out.append(entry.strip())
        return out

    def items(self, obj: dict[str, Any], key: str, path: FieldPath, minimum: int = 1) -> list[Any]:
        if key not in obj:
            self.add(path, f"missing field '{key}'")
            return []
        value = obj[key]
        if not isinstance(value, list):
            self.add((*path, key), f"expected a list, got {_kind(value)}")
            return []
        if len(value) < minimum:
            self.add((*path, key), f"needs at least {minimum} entries, has {len(value)}")
        return value

    def unique(self, ident: str | None, seen: set[str], path: FieldPath, what: str) -> None:
        if ident is None:
            return
        if ident in seen:
            self.add((*path, "id"), f"duplicate {what} id '{_short(ident)}'")
        seen.add(ident)


def _kind(value: Any) -> str:
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


def _short(value: str, limit: int = 40) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Shared:
    """Ids defined by the shared files, used to check references from lessons."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.misconceptions: dict[str, Misconception] = {}
        self.glossary: dict[str, GlossaryEntry] = {}
        self.lesson_ids: set[str] = set()


def _read_shared(content_dir: Path, problems: list[Problem], label: str) -> _Shared:
    shared = _Shared()
    sources_doc = _read(content_dir / "sources.yaml", problems, label)
    if sources_doc is not None:
        c = _Checker(sources_doc, problems)
        for sid, entry in c.mapping(sources_doc.data, ()).items():
            if not SOURCE_ID_RE.fullmatch(sid):
                c.add((sid,), f"'{_short(sid)}' is not a valid source id")
                continue
            m = c.mapping(entry, (sid,), {"title", "url"})
            title, url = c.text(m, "title", (sid,)), c.text(m, "url", (sid,))
            if url and not url.startswith(("https://", "http://")):
                c.add((sid, "url"), "must be a web address starting with https://")
            if title and url:
                shared.sources[sid] = Source(sid, title, url)
    mis_doc = _read(content_dir / "misconceptions.yaml", problems, label)
    if mis_doc is not None:
        c = _Checker(mis_doc, problems)
        for mid, entry in c.mapping(mis_doc.data, ()).items():
            if not ID_RE.fullmatch(mid):
                c.add((mid,), f"'{_short(mid)}' is not a valid id")
                continue
            m = c.mapping(entry, (mid,), {"belief", "fact", "sources"})
            belief, fact = c.text(m, "belief", (mid,)), c.text(m, "fact", (mid,))
            if belief and fact:
                shared.misconceptions[mid] = Misconception(mid, belief, fact)
    glossary_doc = _read(content_dir / "glossary.yaml", problems, label)
    if glossary_doc is not None:
        c = _Checker(glossary_doc, problems)
        for gid, entry in c.mapping(glossary_doc.data, ()).items():
            m = c.mapping(entry, (gid,), {"term", "definition"})
            term, definition = c.text(m, "term", (gid,)), c.text(m, "definition", (gid,))
            if term and definition:
                shared.glossary[gid] = GlossaryEntry(gid, term, definition)
    return shared


def _read(path: Path, problems: list[Problem], label: str) -> YamlDoc | None:
    doc, found = read_yaml(path, _display(path, label))
    problems.extend(found)
    return doc


def _display(path: Path, label: str) -> str:
    if label == "package":
        try:
            return str(path.relative_to(CONTENT_DIR.parent.parent.parent))
        except ValueError:
            return str(path)
    return str(path)


def _parse_lesson(
    doc: YamlDoc,
    shared: _Shared,
    images_dir: Path,
    problems: list[Problem],
    today: dt.date | None,
) -> Lesson | None:
    start = len(problems)
    c = _Checker(doc, problems)
    top = c.mapping(doc.data, (), LESSON_FIELDS)
    if not isinstance(doc.data, dict):  # an empty mapping goes on, to report the missing fields
        return None
    lesson_id = c.ident(top, "id", ())
    order = top.get("order")
    if "order" not in top:
        c.add((), "missing field 'order'")
    elif isinstance(order, bool) or not isinstance(order, int):
        c.add(("order",), f"expected a whole number, got {_kind(order)}")
    elif order < 0:
        c.add(("order",), f"must be 0 or more, got {order}")
    kind = top.get("kind", "lesson")
    if not isinstance(kind, str):  # `kind: ~` would otherwise read as "unknown kind 'None'"
        c.add(("kind",), f"expected lesson or quiz, got {_kind(kind)}")
    elif kind not in ("lesson", "quiz"):
        c.add(("kind",), f"unknown kind '{_short(kind)}' (use lesson or quiz)")
    language = c.text(top, "language", (), required=False, default="en") or "en"
    title = c.text(top, "title", ())
    summary = c.text(top, "summary", ())
    is_lesson = kind == "lesson"
    objectives = c.texts(top, "objectives", (), minimum=1 if is_lesson else 0)
    key_points = c.texts(top, "key_points", (), minimum=1 if is_lesson else 0)
    sections: list[Section] = []
    seen_sections: set[str] = set()
    raw_sections = c.items(top, "sections", (), 1) if is_lesson or "sections" in top else []
    for i, raw in enumerate(raw_sections):
        section = _parse_section(c, raw, ("sections", i), shared, images_dir, today)
        c.unique(section.id if section else _raw_id(raw), seen_sections, ("sections", i), "section")
        if section:
            sections.append(section)
    quiz = _parse_quiz(c, top, shared, kind == "quiz")
    # doc.unreadable: values the reader refused, whose problems are not counted in `start`.
    if (
        len(problems) > start
        or doc.unreadable
        or lesson_id is None
        or title is None
        or summary is None
        or quiz is None
    ):
        return None
    return Lesson(
        id=lesson_id,
        order=order if isinstance(order, int) else 0,
        kind=str(kind),
        language=language,
        title=title,
        summary=summary,
        quiz=quiz,
        objectives=tuple(objectives),
        sections=tuple(sections),
        key_points=tuple(key_points),
        path=doc.file,
    )


def _raw_id(raw: Any) -> str | None:
    return raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else None


def _parse_section(
    c: _Checker,
    raw: Any,
    path: FieldPath,
    shared: _Shared,
    images_dir: Path,
    today: dt.date | None,
) -> Section | None:
    m = c.mapping(raw, path, SECTION_FIELDS)
    if not isinstance(raw, dict):
        return None
    sid = c.ident(m, "id", path)
    title = c.text(m, "title", path)
    body = c.text(m, "body", path)
    evidence = c.text(m, "evidence", path, required=False)
    checklist = m.get("checklist", False)
    if not isinstance(checklist, bool):
        c.add((*path, "checklist"), f"expected true or false, got {_kind(checklist)}")
        checklist = False
    elif checklist and body is not None and len(checklist_lines(body)) < MIN_ITEMS:
        c.add((*path, "checklist"), f'a checklist needs at least {MIN_ITEMS} "- " lines in body')
    sources: list[str] = []
    raw_sources = c.items(m, "sources", path, 1)
    for j, ref in enumerate(raw_sources):
        if not isinstance(ref, str):
            c.add((*path, "sources", j), f"expected a source id, got {_kind(ref)}")
        elif ref not in shared.sources:
            c.add((*path, "sources", j), f"unknown source '{_short(ref)}' (not in sources.yaml)")
        else:
            sources.append(ref)
    reviewed = m.get("reviewed")
    if "reviewed" not in m:
        c.add(path, "missing field 'reviewed'")
    elif isinstance(reviewed, dt.datetime) or not isinstance(reviewed, dt.date):
        c.add((*path, "reviewed"), f"expected a date like 2026-11-25, got {_kind(reviewed)}")
        reviewed = None
    elif today is None:
        pass  # serving: a review that is due is for authors to fix, not a reason to hide a lesson
    elif reviewed > today:
        c.add((*path, "reviewed"), "review date is in the future")
    elif today - reviewed > MAX_REVIEW_AGE:
        c.add((*path, "reviewed"), f"review date {reviewed} is more than two years old")
    image = None
    if "image" in m:
        im = c.mapping(m["image"], (*path, "image"), {"file", "alt", "caption"})
        ipath = (*path, "image")
        file, alt, caption = (
            c.text(im, "file", ipath),
            c.text(im, "alt", ipath),
            c.text(im, "caption", ipath),
        )
        if file and (
            not re.fullmatch(r"[a-z0-9-]+\.svg", file) or not (images_dir / file).is_file()
        ):
            c.add((*ipath, "file"), f"no picture '{_short(file)}' in content/images/")
        elif file and alt and caption:
            image = Image(file, alt, caption)
    if (
        sid is None
        or title is None
        or body is None
        or not sources
        or not isinstance(reviewed, dt.date)
    ):
        return None
    return Section(sid, title, body, tuple(sources), reviewed, evidence, image, checklist)


def checklist_lines(body: str) -> list[str]:
    """The "- " lines of a section body: the entries of its checklist."""
    return [line.strip()[2:].strip() for line in body.splitlines() if line.strip().startswith("- ")]


def _parse_quiz(c: _Checker, top: dict[str, Any], shared: _Shared, final: bool) -> Quiz | None:
    if "quiz" not in top:
        c.add((), "missing field 'quiz'")
        return None
    m = c.mapping(top["quiz"], ("quiz",), {"title", "shuffle", "questions"})
    title = c.text(m, "title", ("quiz",), required=False, default="") or ""
    shuffle = m.get("shuffle", False)
    if not isinstance(shuffle, bool):
        c.add(("quiz", "shuffle"), f"expected true or false, got {_kind(shuffle)}")
    questions: list[Question] = []
    seen: set[str] = set()
    for i, raw in enumerate(c.items(m, "questions", ("quiz",), MIN_QUESTIONS)):
        path: FieldPath = ("quiz", "questions", i)
        question = _parse_question(c, raw, path, shared, final)
        c.unique(question.id if question else _raw_id(raw), seen, path, "question")
        if question:
            questions.append(question)
    return Quiz(tuple(questions), title, bool(shuffle))


def _parse_question(
    c: _Checker, raw: Any, path: FieldPath, shared: _Shared, final: bool
) -> Question | None:
    m = c.mapping(raw, path, QUESTION_FIELDS)
    if not isinstance(raw, dict):
        return None
    qid = c.ident(m, "id", path)
    qtype = m.get("type")
    if "type" not in m:
        c.add(path, "missing field 'type'")
        return None
    if not isinstance(qtype, str):
        c.add(
            (*path, "type"),
            f"expected a question type ({', '.join(QUESTION_TYPES)}), got {_kind(qtype)}",
        )
        return None
    if not is_question_type(qtype):
        c.add(
            (*path, "type"),
            f"unknown question type '{_short(qtype)}' (use one of: {', '.join(QUESTION_TYPES)})",
        )
        return None
    prompt = c.text(m, "prompt", path)
    explanation = c.text(m, "explanation", path)
    topic = c.ident(m, "topic", path, required=final)
    if topic is not None and shared.lesson_ids and topic not in shared.lesson_ids:
        c.add((*path, "topic"), f"unknown lesson '{topic}'")
    choices: tuple[Choice, ...] = ()
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...] = ()
    if SHAPES[qtype].parts == "choices":
        choices = _parse_choices(c, m, path, qtype, shared)
    else:
        groups, items = _parse_items(c, m, path, qtype, shared)
    safety = _parse_safety(c, m, path, qtype, groups, items)
    if qid is None or prompt is None or explanation is None:
        return None
    return Question(qid, qtype, prompt, explanation, choices, groups, items, topic, safety)


def _parse_safety(
    c: _Checker,
    m: dict[str, Any],
    path: FieldPath,
    qtype: QuestionType,
    groups: tuple[Group, ...],
    items: tuple[Item, ...],
) -> bool:
    """`safety: true` and the safety verdict must go together (see docs/content-format.md).

    Choice questions: the feedback of each unsafe wrong choice opens with "Not safe." and says
    why; at least one does, and only in a question marked `safety: true`. Match questions: the
    groups go from most to least urgent, so sorting an item lower is the unsafe answer.
    """
    safety = m.get("safety", False)
    if not isinstance(safety, bool):
        c.add((*path, "safety"), f"expected true or false, got {_kind(safety)}")
        safety = False
    verdicts = 0
    for key in ("choices", "items"):
        raw_list = m.get(key)
        for j, raw in enumerate(raw_list if isinstance(raw_list, list) else []):
            feedback = raw.get("feedback") if isinstance(raw, dict) else None
            if not isinstance(feedback, str) or not SAFETY_VERDICT_RE.match(feedback.strip()):
                continue
            fpath: FieldPath = (*path, key, j, "feedback")
            if key == "items":
                c.add(fpath, "an item's feedback shows for right answers too: drop 'Not safe'")
            elif raw.get("correct") is True:
                c.add(fpath, "a right choice cannot be 'Not safe'")
            elif not safety:
                c.add(fpath, "feedback says 'Not safe' but the question has no 'safety: true'")
            else:
                verdicts += 1
                reason = SAFETY_VERDICT_RE.sub("", feedback.strip(), count=1)
                if len(reason.split()) < MIN_SAFETY_REASON_WORDS:
                    c.add(fpath, "say why it is not safe, after 'Not safe.'")
    if not safety:
        return False
    shape = SHAPES[qtype]
    if not shape.safety:
        c.add((*path, "safety"), f"{_a(qtype)} question cannot be a safety question")
    elif shape.parts == "choices" and verdicts == 0:
        c.add(
            (*path, "safety"),
            "a safety question needs a safety verdict: start the feedback of each unsafe "
            "wrong choice with 'Not safe.' and say why",
        )
    elif shape.groups and groups and items and all(i.answer == groups[-1].id for i in items):
        c.add(
            (*path, "safety"),
            "no item can be sorted into a less urgent group: list the groups from most to "
            "least urgent",
        )
    return True


def _misconception(c: _Checker, m: dict[str, Any], path: FieldPath, shared: _Shared) -> str | None:
    mid = c.ident(m, "misconception", path, required=False)
    if mid is not None and mid not in shared.misconceptions:
        c.add(
            (*path, "misconception"), f"unknown misconception '{mid}' (not in misconceptions.yaml)"
        )
    return mid


def _parse_choices(
    c: _Checker, m: dict[str, Any], path: FieldPath, qtype: QuestionType, shared: _Shared
) -> tuple[Choice, ...]:
    shape = SHAPES[qtype]
    fixed = shape.fixed_choices
    raw_choices = c.items(m, "choices", path, 2)
    out: list[Choice] = []
    seen: set[str] = set()
    for j, raw in enumerate(raw_choices):
        cpath: FieldPath = (*path, "choices", j)
        cm = c.mapping(raw, cpath, CHOICE_FIELDS)
        if not isinstance(raw, dict):
            continue
        cid = c.ident(cm, "id", cpath)
        c.unique(cid, seen, cpath, "choice")
        default_text = cid.capitalize() if fixed and cid else None
        text = c.text(cm, "text", cpath, required=fixed is None, default=default_text)
        correct = cm.get("correct")
        if "correct" not in cm:
            c.add(cpath, "missing field 'correct'")
        elif not isinstance(correct, bool):
            c.add((*cpath, "correct"), f"expected true or false, got {_kind(correct)}")
        if "feedback" not in cm:
            c.add(cpath, "choice has no feedback (every choice needs its own)")
            feedback = None
        else:
            feedback = c.text(cm, "feedback", cpath)
        mis = _misconception(c, cm, cpath, shared)
        if cid and text and isinstance(correct, bool) and feedback:
            out.append(Choice(cid, text, correct, feedback, mis))
    n_correct = sum(
        1 for raw in raw_choices if isinstance(raw, dict) and raw.get("correct") is True
    )
    if raw_choices and shape.one_correct and n_correct != 1:
        c.add(
            (*path, "choices"),
            f"a {qtype} question needs exactly 1 correct choice, has {n_correct}",
        )
    if raw_choices and not shape.one_correct and n_correct < 1:
        c.add((*path, "choices"), f"a {qtype} question needs at least 1 correct choice")
    if fixed and raw_choices:
        ids = sorted(_raw_id(raw) or "" for raw in raw_choices)
        if ids != sorted(fixed):
            c.add(
                (*path, "choices"),
                f"a {qtype} question has exactly the choices '{fixed[0]}' and '{fixed[1]}'",
            )
    return tuple(out)


def _parse_items(
    c: _Checker, m: dict[str, Any], path: FieldPath, qtype: QuestionType, shared: _Shared
) -> tuple[tuple[Group, ...], tuple[Item, ...]]:
    sorted_into_groups = SHAPES[qtype].groups
    groups: list[Group] = []
    group_ids: set[str] = set()
    if sorted_into_groups:
        for j, raw in enumerate(c.items(m, "groups", path, 2)):
            gpath: FieldPath = (*path, "groups", j)
            gm = c.mapping(raw, gpath, {"id", "text"})
            gid, text = c.ident(gm, "id", gpath), c.text(gm, "text", gpath)
            c.unique(gid, group_ids, gpath, "group")
            if gid and text:
                groups.append(Group(gid, text))
    elif "groups" in m:
        c.add((*path, "groups"), f"only {_GROUPED_TYPES} questions have groups")
    items: list[Item] = []
    seen: set[str] = set()
    for j, raw in enumerate(c.items(m, "items", path, MIN_ITEMS)):
        ipath: FieldPath = (*path, "items", j)
        im = c.mapping(raw, ipath, ITEM_FIELDS)
        if not isinstance(raw, dict):
            continue
        iid = c.ident(im, "id", ipath)
        c.unique(iid, seen, ipath, "item")
        text = c.text(im, "text", ipath)
        feedback = c.text(im, "feedback", ipath) if "feedback" in im else None
        if "feedback" not in im:
            c.add(ipath, "item has no feedback (every item needs its own)")
        answer = None
        if sorted_into_groups:
            answer = c.ident(im, "answer", ipath)
            if answer is not None and answer not in group_ids:
                c.add((*ipath, "answer"), f"unknown group '{answer}'")
        elif "answer" in im:
            c.add((*ipath, "answer"), f"{qtype} items have no answer: list them in the right order")
        mis = _misconception(c, im, ipath, shared)
        if iid and text and feedback:
            items.append(Item(iid, text, feedback, answer, mis))
    return tuple(groups), tuple(items)


def _a(word: str) -> str:
    """The word with its article: "a match", "an order"."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _lesson_files(content_dir: Path) -> list[Path]:
    return sorted((content_dir / "lessons").glob("*.yaml"))


def _guess_id(path: Path) -> str:
    """Lesson id from a file name like 05-home-care.yaml, for errors in files that don't load."""
    return re.sub(r"^\d+-", "", path.stem)


def _build(
    lesson_files: Iterable[Path],
    shared: _Shared,
    images_dir: Path,
    label: str,
    problems: list[Problem],
    today: dt.date | None,
) -> tuple[list[Lesson], dict[str, list[Problem]]]:
    docs: list[tuple[Path, YamlDoc, list[Problem]]] = []
    broken: dict[str, list[Problem]] = {}
    for path in lesson_files:
        before = len(problems)
        doc = _read(path, problems, label)
        if doc is not None:
            docs.append((path, doc, problems[before:]))
        else:
            broken[_guess_id(path)] = problems[before:]
        data = doc.data if doc is not None else None
        if isinstance(data, dict) and isinstance(data.get("id"), str):
            shared.lesson_ids.add(data["id"])
        else:
            # A lesson that cannot be read is still a known topic: otherwise the final quiz
            # ("unknown lesson 'causes'") would go down with it.
            shared.lesson_ids.add(_guess_id(path))
    lessons: list[Lesson] = []
    seen_ids: dict[str, str] = {}
    for path, doc, found in docs:
        before = len(problems)
        lesson = _parse_lesson(doc, shared, images_dir, problems, today)
        if found:  # the reader's problems (a duplicate key, a refused tag) break the lesson too
            lesson = None
        if lesson is not None:
            if lesson.id in seen_ids:
                problems.append(
                    doc.problem(
                        ("id",),
                        f"duplicate lesson id '{lesson.id}' (also in {seen_ids[lesson.id]})",
                    )
                )
            else:
                seen_ids[lesson.id] = doc.file
                lessons.append(lesson)
        if found or len(problems) > before:
            broken[_guess_id(path)] = [*found, *problems[before:]]
    lessons.sort(key=lambda lesson: lesson.order)
    return lessons, broken


def check_paths(paths: Sequence[Path] = (), *, today: dt.date | None = None) -> list[Problem]:
    """Validate content files or folders; an empty list means all is well.

    Parameters
    ----------
    paths
        Lesson YAML files, or content folders (holding ``sources.yaml`` and ``lessons/``).
        Empty: the content shipped with the package.
    today
        The date review dates are checked against (default: the real date, for authors and
        CI; tests pass a fixed date so that they do not age).
    """
    today = today or dt.date.today()
    problems: list[Problem] = []
    if not paths:
        _load(CONTENT_DIR, problems, "package", today)
        return sorted(problems)
    lesson_files: list[Path] = []
    for path in paths:
        try:
            if path.is_dir() and (path / "lessons").is_dir():
                _load(path, problems, "user", today)
            elif path.is_dir():
                lesson_files.extend(sorted(path.glob("*.yaml")))
            elif path.exists():
                lesson_files.append(path)
            else:
                problems.append(Problem(str(path), 1, "(file)", "no such file or folder"))
        except (OSError, ValueError) as exc:  # a name too long for the system, or with a NUL
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            problems.append(Problem(str(path), 1, "(file)", f"cannot read: {reason}"))
    if lesson_files:
        shared = _read_shared(CONTENT_DIR, problems, "package")
        # Lessons shipped with the package count as known, so a file can refer to them.
        for packaged in _lesson_files(CONTENT_DIR):
            shared.lesson_ids.add(_guess_id(packaged))
        _build(lesson_files, shared, CONTENT_DIR / "images", "user", problems, today)
    return sorted(problems)


def _load(
    content_dir: Path, problems: list[Problem], label: str, today: dt.date | None
) -> tuple[Course, dict[str, list[Problem]]]:
    shared = _read_shared(content_dir, problems, label)
    lessons, broken = _build(
        _lesson_files(content_dir), shared, content_dir / "images", label, problems, today
    )
    course = Course(tuple(lessons), shared.sources, shared.misconceptions, shared.glossary)
    return course, broken


def load_course(
    content_dir: Path | None = None, *, strict: bool = True, today: dt.date | None = None
) -> tuple[Course, dict[str, list[Problem]]]:
    """Load the course; with `strict`, raise ContentError if any file has a problem.

    Parameters
    ----------
    today
        Also check review dates against this date, as `check_paths` does. None (the default,
        as when a page is served): review dates are not judged, so no lesson is ever withheld
        from learners because its review is due or its date is ahead of this machine's clock.
        `spasm-edu validate` and CI catch those; the page shows the date it was checked.

    Returns
    -------
    The course (lessons that loaded) and, per lesson id guessed from the file name, the problems
    of lessons that did not load, so one broken lesson does not take the others down.
    """
    problems: list[Problem] = []
    course, broken = _load(
        content_dir or CONTENT_DIR,
        problems,
        "package" if content_dir is None else "user",
        today,
    )
    if strict and problems:
        raise ContentError(problems)
    return course, broken
