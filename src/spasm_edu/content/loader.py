"""Load and validate the content folder: one function that the CLI, the app and the tests share.

What a file may hold comes from the model (model.py): each class's fields, and their types for
the text and true/false fields, which are read here without being listed. The rules beyond
types (wording, ids, cross-references, review dates, safety verdicts) are in rules.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, get_type_hints

from . import rules
from ._yaml import FieldPath, Problem, YamlDoc, read_yaml
from .model import (
    LESSON_KINDS,
    QUESTION_TYPES,
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
    file_fields,
    is_question_type,
)
from .rules import MAX_REVIEW_AGE, checklist_lines, describe, short
from .translations import ENGLISH, SHARED_HASH_KEY, compare_courses, languages, translation_dir

# MAX_REVIEW_AGE and checklist_lines live in rules.py; they are named here too for the code
# that imported them from here.
__all__ = [
    "CONTENT_DIR",
    "MAX_REVIEW_AGE",
    "ContentError",
    "check_paths",
    "checklist_lines",
    "load_course",
    "load_lesson_file",
]

CONTENT_DIR = Path(__file__).parent
# The fields of a shared file's entry: its key is its id.
_KEYED = {cls: file_fields(cls) - {"id"} for cls in (Source, Misconception, GlossaryEntry)}


@cache
def _plain_fields(cls: type) -> tuple[tuple[str, bool, Any], ...]:
    """(name, is a true/false field, default) of each text and true/false field of `cls`.

    Ids are read as ids (they must also be unique where they live), and the loader fills the
    fields a file may not give.
    """
    hints = get_type_hints(cls)
    out = []
    for f in dataclasses.fields(cls):
        if f.name == "id" or f.name not in file_fields(cls):
            continue
        if hints[f.name] in (str, str | None, bool):
            out.append((f.name, hints[f.name] is bool, f.default))
    return tuple(out)


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
        self, value: Any, path: FieldPath, allowed: Collection[str] | None = None
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping of fields, got {describe(value)}")
            return {}
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.add((*path, key), "unknown field")
        return value

    def fields(self, cls: type, value: Any, path: FieldPath) -> dict[str, Any]:
        """The mapping of one `cls`: any field the model does not have is an unknown field."""
        return self.mapping(value, path, file_fields(cls))

    def plain(
        self, cls: type, m: dict[str, Any], path: FieldPath, *, but: Collection[str] = ()
    ) -> dict[str, Any]:
        """Every text and true/false field of `cls`, by its type in the model, except `but`.

        A required field that is missing or wrong reads as None (its problem is recorded), an
        optional one as its default.
        """
        out: dict[str, Any] = {}
        for name, is_flag, default in _plain_fields(cls):
            if name in but:
                continue
            required = default is dataclasses.MISSING
            if is_flag:
                out[name] = self.flag(m, name, path, required=required)
            elif name not in m and (cls, name) in rules.MISSING_MESSAGES:
                self.add(path, rules.MISSING_MESSAGES[cls, name])
                out[name] = None
            else:
                out[name] = self.text(
                    m, name, path, required=required, default=None if required else default
                )
        return out

    def flag(
        self, obj: dict[str, Any], key: str, path: FieldPath, *, required: bool
    ) -> bool | None:
        if key not in obj:
            if required:
                self.add(path, f"missing field '{key}'")
                return None
            return False
        value = obj[key]
        if not isinstance(value, bool):
            self.add((*path, key), f"expected true or false, got {describe(value)}")
            return None if required else False
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
            self.add((*path, key), f"expected text, got {describe(value)}")
            return default
        if not value.strip():
            self.add((*path, key), "must not be empty")
            return default
        rules.check_wording(value, (*path, key), self.add)
        return value.strip()

    def ident(
        self,
        obj: dict[str, Any],
        key: str,
        path: FieldPath,
        *,
        pattern: re.Pattern[str] = rules.ID_RE,
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
            self.add((*path, key), f"expected an id, got {describe(value)}")
            return None
        value = str(value)
        # fullmatch, not match: "$" would let an id end in a newline (`id: |` block text).
        if not pattern.fullmatch(value):
            self.add(
                (*path, key), f"'{short(value)}' is not a valid id (lowercase words joined by '-')"
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
            self.add((*path, key), f"expected a list, got {describe(value)}")
            return []
        if len(value) < minimum:
            self.add((*path, key), f"needs at least {minimum} entries")
        out = []
        for i, entry in enumerate(value):
            if not isinstance(entry, str) or not entry.strip():
                self.add((*path, key, i), f"expected text, got {describe(entry)}")
            else:
                rules.check_wording(entry, (*path, key, i), self.add)
                out.append(entry.strip())
        return out

    def items(self, obj: dict[str, Any], key: str, path: FieldPath, minimum: int = 1) -> list[Any]:
        if key not in obj:
            self.add(path, f"missing field '{key}'")
            return []
        value = obj[key]
        if not isinstance(value, list):
            self.add((*path, key), f"expected a list, got {describe(value)}")
            return []
        if len(value) < minimum:
            self.add((*path, key), f"needs at least {minimum} entries, has {len(value)}")
        return value

    def unique(self, ident: str | None, seen: set[str], path: FieldPath, what: str) -> None:
        if ident is None:
            return
        if ident in seen:
            self.add((*path, "id"), f"duplicate {what} id '{short(ident)}'")
        seen.add(ident)


class _Shared:
    """Ids defined by the shared files, used to check references from lessons."""

    def __init__(self) -> None:
        self.sources: dict[str, Source] = {}
        self.misconceptions: dict[str, Misconception] = {}
        self.glossary: dict[str, GlossaryEntry] = {}
        self.lesson_ids: set[str] = set()
        self.hashes: dict[str, str | None] = {}  # a translation's glossary/misconceptions


def _read_shared(
    content_dir: Path, problems: list[Problem], label: str, text_dir: Path | None = None
) -> _Shared:
    """Sources from `content_dir`; misconceptions and glossary from `text_dir` (a translation's
    folder) or `content_dir`."""
    shared = _Shared()
    text_dir = text_dir or content_dir
    sources_doc = _read(content_dir / "sources.yaml", problems, label)
    if sources_doc is not None:
        c = _Checker(sources_doc, problems)
        for sid, entry in c.mapping(sources_doc.data, ()).items():
            if not rules.SOURCE_ID_RE.fullmatch(sid):
                c.add((sid,), f"'{short(sid)}' is not a valid source id")
                continue
            m = c.mapping(entry, (sid,), _KEYED[Source])
            values = c.plain(Source, m, (sid,))
            if values["url"]:
                rules.check_url(values["url"], (sid, "url"), c.add)
            if None not in values.values():
                shared.sources[sid] = Source(sid, **values)
    mis_doc = _read(text_dir / "misconceptions.yaml", problems, label)
    if mis_doc is not None:
        c = _Checker(mis_doc, problems)
        for mid, entry in _entries(c, mis_doc, shared, "misconceptions.yaml"):
            if not rules.ID_RE.fullmatch(mid):
                c.add((mid,), f"'{short(mid)}' is not a valid id")
                continue
            m = c.mapping(entry, (mid,), _KEYED[Misconception])
            values = c.plain(Misconception, m, (mid,))
            refs: list[str] = []
            if "sources" in m:
                raw = m["sources"]
                if isinstance(raw, list):
                    refs = rules.source_refs(raw, (mid, "sources"), shared.sources, c.add)
                else:
                    c.add((mid, "sources"), f"expected a list, got {describe(raw)}")
            if None not in values.values():
                shared.misconceptions[mid] = Misconception(mid, **values, sources=tuple(refs))
    glossary_doc = _read(text_dir / "glossary.yaml", problems, label)
    if glossary_doc is not None:
        c = _Checker(glossary_doc, problems)
        for gid, entry in _entries(c, glossary_doc, shared, "glossary.yaml"):
            m = c.mapping(entry, (gid,), _KEYED[GlossaryEntry])
            values = c.plain(GlossaryEntry, m, (gid,))
            if None not in values.values():
                shared.glossary[gid] = GlossaryEntry(gid, **values)
    return shared


def _entries(c: _Checker, doc: YamlDoc, shared: _Shared, name: str) -> list[tuple[str, Any]]:
    """The entries of a glossary or misconceptions file; a translation's hash is kept apart."""
    entries = dict(c.mapping(doc.data, ()))
    found = entries.pop(SHARED_HASH_KEY, None)
    shared.hashes[name] = found if isinstance(found, str) else None
    return list(entries.items())


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
    top = c.fields(Lesson, doc.data, ())
    if not isinstance(doc.data, dict):  # an empty mapping goes on, to report the missing fields
        return None
    lesson_id = c.ident(top, "id", ())
    order = top.get("order")
    if "order" not in top:
        c.add((), "missing field 'order'")
    elif isinstance(order, bool) or not isinstance(order, int):
        c.add(("order",), f"expected a whole number, got {describe(order)}")
    elif order < 0:
        c.add(("order",), f"must be 0 or more, got {order}")
    kinds = " or ".join(LESSON_KINDS)
    kind = top.get("kind", "lesson")
    if not isinstance(kind, str):  # `kind: ~` would otherwise read as "unknown kind 'None'"
        c.add(("kind",), f"expected {kinds}, got {describe(kind)}")
    elif kind not in LESSON_KINDS:
        c.add(("kind",), f"unknown kind '{short(kind)}' (use {kinds})")
    values = c.plain(Lesson, top, ())  # title, summary, language, translated_from
    translated_from = values.pop("translated_from")  # optional: None when not a translation
    is_lesson = kind == "lesson"
    objectives = c.texts(top, "objectives", (), minimum=1 if is_lesson else 0)
    key_points = c.texts(top, "key_points", (), minimum=1 if is_lesson else 0)
    sections: list[Section] = []
    seen_sections: set[str] = set()
    raw_sections = (
        c.items(top, "sections", (), rules.MIN_SECTIONS) if is_lesson or "sections" in top else []
    )
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
        or kind not in LESSON_KINDS
        or None in values.values()
        or quiz is None
    ):
        return None
    return Lesson(
        id=lesson_id,
        order=order if isinstance(order, int) else 0,
        kind="quiz" if kind == "quiz" else "lesson",
        quiz=quiz,
        objectives=tuple(objectives),
        sections=tuple(sections),
        key_points=tuple(key_points),
        path=doc.file,
        translated_from=translated_from,
        **values,
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
    m = c.fields(Section, raw, path)
    if not isinstance(raw, dict):
        return None
    sid = c.ident(m, "id", path)
    values = c.plain(Section, m, path)  # title, body, evidence, checklist
    if values["checklist"]:
        rules.check_checklist(values["body"], (*path, "checklist"), c.add)
    raw_sources = c.items(m, "sources", path, rules.MIN_SOURCES)
    sources = rules.source_refs(raw_sources, (*path, "sources"), shared.sources, c.add)
    reviewed = None
    if "reviewed" not in m:
        c.add(path, "missing field 'reviewed'")
    else:
        reviewed = rules.review_date(m["reviewed"], (*path, "reviewed"), today, c.add)
    image = _parse_image(c, m["image"], (*path, "image"), images_dir) if "image" in m else None
    if sid is None or values["title"] is None or values["body"] is None:
        return None
    if not sources or reviewed is None:
        return None
    return Section(id=sid, sources=tuple(sources), reviewed=reviewed, image=image, **values)


def _parse_image(c: _Checker, raw: Any, path: FieldPath, images_dir: Path) -> Image | None:
    m = c.fields(Image, raw, path)
    values = c.plain(Image, m, path)  # file, alt, caption
    file = values["file"]
    if file and not rules.check_image_file(file, (*path, "file"), images_dir, c.add):
        return None
    return Image(**values) if None not in values.values() else None


def _parse_quiz(c: _Checker, top: dict[str, Any], shared: _Shared, final: bool) -> Quiz | None:
    if "quiz" not in top:
        c.add((), "missing field 'quiz'")
        return None
    m = c.fields(Quiz, top["quiz"], ("quiz",))
    values = c.plain(Quiz, m, ("quiz",))  # title, shuffle
    questions: list[Question] = []
    seen: set[str] = set()
    for i, raw in enumerate(c.items(m, "questions", ("quiz",), rules.MIN_QUESTIONS)):
        path: FieldPath = ("quiz", "questions", i)
        question = _parse_question(c, raw, path, shared, final)
        c.unique(question.id if question else _raw_id(raw), seen, path, "question")
        if question:
            questions.append(question)
    return Quiz(tuple(questions), **values)


def _parse_question(
    c: _Checker, raw: Any, path: FieldPath, shared: _Shared, final: bool
) -> Question | None:
    m = c.fields(Question, raw, path)
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
            f"expected a question type ({', '.join(QUESTION_TYPES)}), got {describe(qtype)}",
        )
        return None
    if not is_question_type(qtype):
        c.add(
            (*path, "type"),
            f"unknown question type '{short(qtype)}' (use one of: {', '.join(QUESTION_TYPES)})",
        )
        return None
    values = c.plain(Question, m, path, but=("topic",))  # prompt, explanation, safety
    topic = c.ident(m, "topic", path, required=final)
    rules.check_topic(topic, (*path, "topic"), shared.lesson_ids, c.add)
    choices: tuple[Choice, ...] = ()
    groups: tuple[Group, ...] = ()
    items: tuple[Item, ...] = ()
    if SHAPES[qtype].parts == "choices":
        choices = _parse_choices(c, m, path, qtype, shared)
    else:
        groups, items = _parse_items(c, m, path, qtype, shared)
    rules.check_safety(values["safety"], m, path, qtype, groups, items, c.add)
    if qid is None or values["prompt"] is None or values["explanation"] is None:
        return None
    return Question(qid, qtype, choices=choices, groups=groups, items=items, topic=topic, **values)


def _misconception(c: _Checker, m: dict[str, Any], path: FieldPath, shared: _Shared) -> str | None:
    mid = c.ident(m, "misconception", path, required=False)
    rules.check_misconception(mid, (*path, "misconception"), shared.misconceptions, c.add)
    return mid


def _parse_choices(
    c: _Checker, m: dict[str, Any], path: FieldPath, qtype: QuestionType, shared: _Shared
) -> tuple[Choice, ...]:
    fixed = SHAPES[qtype].fixed_choices
    raw_choices = c.items(m, "choices", path, rules.MIN_CHOICES)
    out: list[Choice] = []
    seen: set[str] = set()
    for j, raw in enumerate(raw_choices):
        cpath: FieldPath = (*path, "choices", j)
        cm = c.fields(Choice, raw, cpath)
        if not isinstance(raw, dict):
            continue
        cid = c.ident(cm, "id", cpath)
        c.unique(cid, seen, cpath, "choice")
        # True/false and myth/fact choices may leave their text out: the app says True, Myth...
        default_text = cid.capitalize() if fixed and cid else None
        text = c.text(cm, "text", cpath, required=fixed is None, default=default_text)
        values = c.plain(Choice, cm, cpath, but=("text", "misconception"))  # correct, feedback
        mis = _misconception(c, cm, cpath, shared)
        if cid and text and None not in values.values():
            out.append(Choice(cid, text, misconception=mis, **values))
    rules.check_correct_choices(qtype, raw_choices, (*path, "choices"), c.add)
    return tuple(out)


def _parse_items(
    c: _Checker, m: dict[str, Any], path: FieldPath, qtype: QuestionType, shared: _Shared
) -> tuple[tuple[Group, ...], tuple[Item, ...]]:
    sorted_into_groups = SHAPES[qtype].groups
    groups: list[Group] = []
    group_ids: set[str] = set()
    if sorted_into_groups:
        for j, raw in enumerate(c.items(m, "groups", path, rules.MIN_GROUPS)):
            gpath: FieldPath = (*path, "groups", j)
            gm = c.fields(Group, raw, gpath)
            gid, values = c.ident(gm, "id", gpath), c.plain(Group, gm, gpath)  # text
            c.unique(gid, group_ids, gpath, "group")
            if gid and None not in values.values():
                groups.append(Group(gid, **values))
    elif "groups" in m:
        c.add((*path, "groups"), f"only {rules.GROUPED_TYPES} questions have groups")
    items: list[Item] = []
    seen: set[str] = set()
    for j, raw in enumerate(c.items(m, "items", path, rules.MIN_ITEMS)):
        ipath: FieldPath = (*path, "items", j)
        im = c.fields(Item, raw, ipath)
        if not isinstance(raw, dict):
            continue
        iid = c.ident(im, "id", ipath)
        c.unique(iid, seen, ipath, "item")
        values = c.plain(Item, im, ipath, but=("answer", "misconception"))  # text, feedback
        answer = None
        if sorted_into_groups:
            answer = c.ident(im, "answer", ipath)
            rules.check_answer(answer, (*ipath, "answer"), group_ids, c.add)
        elif "answer" in im:
            c.add((*ipath, "answer"), f"{qtype} items have no answer: list them in the right order")
        mis = _misconception(c, im, ipath, shared)
        if iid and None not in values.values():
            items.append(Item(iid, answer=answer, misconception=mis, **values))
    return tuple(groups), tuple(items)


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
        _load_all(CONTENT_DIR, problems, "package", today)
        return sorted(problems)
    lesson_files: list[Path] = []
    for path in paths:
        try:
            if path.is_dir() and (path / "lessons").is_dir():
                _load_all(path, problems, "user", today)
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
        _build_with_package(lesson_files, problems, today)
    return sorted(problems)


def _build_with_package(
    lesson_files: Sequence[Path], problems: list[Problem], today: dt.date | None
) -> list[Lesson]:
    """Lesson files outside a content folder, against the package's sources, images, ..."""
    shared = _read_shared(CONTENT_DIR, problems, "package")
    # Lessons shipped with the package count as known, so a file can refer to them.
    for packaged in _lesson_files(CONTENT_DIR):
        shared.lesson_ids.add(_guess_id(packaged))
    lessons, _broken = _build(lesson_files, shared, CONTENT_DIR / "images", "user", problems, today)
    return lessons


def load_lesson_file(path: Path | str, *, today: dt.date | None = None) -> Lesson:
    """Load and validate one lesson file, as `spasm-edu validate FILE` checks it.

    Its sources, misconceptions, pictures and quiz topics refer to the package's content.

    Parameters
    ----------
    path
        A lesson YAML file, anywhere.
    today
        Also check review dates against this date. None (the default): they are not judged,
        as when a page is served.

    Raises
    ------
    ContentError
        With every problem of the file (or of the package's shared files), each as
        ``file:line: field: problem``.
    """
    problems: list[Problem] = []
    lessons = _build_with_package([Path(path)], problems, today)
    if problems or not lessons:
        raise ContentError(problems or [Problem(str(path), 1, "(file)", "no lesson in the file")])
    return lessons[0]


def _load(
    content_dir: Path,
    problems: list[Problem],
    label: str,
    today: dt.date | None,
    language: str = ENGLISH,
) -> tuple[Course, dict[str, list[Problem]]]:
    """The course in one language: a translation's texts with the content folder's sources and
    pictures (see translations.py)."""
    text_dir = content_dir if language == ENGLISH else translation_dir(content_dir, language)
    shared = _read_shared(content_dir, problems, label, text_dir)
    lessons, broken = _build(
        _lesson_files(text_dir), shared, content_dir / "images", label, problems, today
    )
    course = Course(tuple(lessons), shared.sources, shared.misconceptions, shared.glossary)
    return course, broken


def _load_all(
    content_dir: Path, problems: list[Problem], label: str, today: dt.date | None
) -> None:
    """Validate English and every translation, and each translation against English."""
    english, _ = _load(content_dir, problems, label, today)
    for language in languages(content_dir)[1:]:
        found: list[Problem] = []
        other, _ = _load(content_dir, found, label, today, language)
        problems.extend(found)
        shared = _read_shared(content_dir, [], label, translation_dir(content_dir, language))
        problems.extend(
            compare_courses(
                english,
                other,
                language,
                content_dir,
                shared.hashes,
                lambda path: _display(path, label),
            )
        )


def load_course(
    content_dir: Path | None = None,
    *,
    strict: bool = True,
    today: dt.date | None = None,
    language: str = ENGLISH,
) -> tuple[Course, dict[str, list[Problem]]]:
    """Load the course; with `strict`, raise ContentError if any file has a problem.

    Parameters
    ----------
    language
        "en", or a language with a folder under ``translations/`` (see `languages`).
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
    folder = content_dir or CONTENT_DIR
    # Only the package's own content is kept: it changes when an author edits it, not many
    # times a second as a test's folder may (a file's time is only as fine as the clock tick).
    key = (str(folder), today, language, _signature(folder)) if content_dir is None else None
    loaded = _LOADED.get(key) if key else None
    if loaded is None:
        problems: list[Problem] = []
        course, broken = _load(
            folder, problems, "package" if content_dir is None else "user", today, language
        )
        loaded = (course, broken, tuple(problems))
        if key:
            _LOADED[key] = loaded
        while len(_LOADED) > _LOADED_MAX:
            del _LOADED[next(iter(_LOADED))]
    course, broken, found = loaded
    if strict and found:
        raise ContentError(found)
    return course, {lesson: list(p) for lesson, p in broken.items()}


# Courses read, by folder, date, language and the folder's file signature: a kernel forked from
# the kernel template (voila/zygote_main.py) finds the course the template read, and an edited
# file changes the signature, so a page never shows stale content. The course is immutable.
_LOADED: dict[tuple[Any, ...], tuple[Course, dict[str, list[Problem]], tuple[Problem, ...]]] = {}
_LOADED_MAX = 8


def _signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Every file under `folder` with its modification time and size (about a millisecond)."""
    found = []
    for path in folder.rglob("*"):
        if "__pycache__" in path.parts or path.suffix == ".py":
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(found))
