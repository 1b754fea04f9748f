"""Malformed lesson files, one broken rule each: hand-written in corpus/, or made at test time.

    .venv/bin/python tests/robustness/make_corpus.py

The script writes corpus/ (deleting and rewriting the whole folder) with only the hand-written
cases, committed() (``raw`` base: text typed here, not a lesson at all or YAML the reader refuses),
and their expectations in EXPECTED.json. Run it after changing add_raw(); a test checks that
corpus/ is what it writes. The output is deterministic (fixed seeds, no clock).

Every case made by breaking a valid document, generated(), is made when the tests run (in about a
second, in a temporary folder) and never committed: the matrix (each required field missing, each
field given each wrong kind of value, each bad id, each empty mapping), one case per loader rule,
and the breaks of the shipped lessons. Those follow the lessons as authors edit them: a case is
made from the current text and line numbers, and moves to the next lesson when one no longer has
what it edits.

Each case is a file (or, for a rule that needs two lessons, a folder of lesson files) named
``<category>__<base>__<where>__<what>.yaml``: the category of the break, the valid document it was
made from (``builder`` is tests.support.lessons.valid_lesson() with every optional field added, ``lesson01``
... ``lesson09`` are the shipped lessons, ``raw`` is hand-written text), where in the document, and
what was done there.

Each case comes with text that one of its problems must contain. It is matched against
``:<line>: <field>: <message>`` (the problem without the file name), so an expectation can pin the
line (``":3: (file): not valid YAML"``), the field and message (``"title: expected text"``), or
only the message. The expectations are written from docs/content-format.md, and computed from the
break itself (the field it changed, the line it edited), never read back from the validator: the
tests prove that the right rule fired, not merely that something did.

The checks run with ``today=TODAY``, the newest review date of the shipped lessons: on that day
they are all valid, so each problem comes from the break. TODAY moves when authors review the
lessons again, never with the clock. Cases whose verdict depends on the day (a review date too
old, or in the future) are made by the tests with date_cases(), relative to the day they inject.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import random
import re
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script: make `tests.support` importable
    sys.path.insert(0, str(ROOT))

from tests.support.lessons import valid_lesson  # noqa: E402

CORPUS = Path(__file__).resolve().parent / "corpus"
LESSONS_DIR = ROOT / "src" / "spasm_edu" / "content" / "lessons"
MAX_CORPUS_BYTES = 1_000_000  # the committed, hand-written part
FIXED = ("true_false", "myth_fact")

FieldPath = tuple[str | int, ...]
Doc = dict[str, Any]


# ---------------------------------------------------------------- the valid documents we break


def full_builder() -> Doc:
    """valid_lesson() with every optional field present, so that each one can be broken."""
    d = valid_lesson()
    out: Doc = {"id": d["id"], "order": d["order"], "kind": "lesson"}
    out.update({k: v for k, v in d.items() if k not in out})
    section = out["sections"][0]
    section["evidence"] = "The old advice was rest. Today's guidelines say keep moving."
    section["image"] = {
        "file": "lower-back-muscles.svg",
        "alt": "The muscles of the lower back.",
        "caption": "Back muscles.",
    }
    out["quiz"] = {"title": "Check what you learned", "shuffle": False, **out["quiz"]}
    out["quiz"]["questions"][0]["topic"] = "what-is-a-back-spasm"  # allowed outside the final quiz
    match = out["quiz"]["questions"][4]
    match["items"][1]["misconception"] = "bed-rest-cures"
    return out


def shipped() -> dict[str, tuple[str, Doc]]:
    """lesson01, lesson02, ...: (text, data) of each shipped lesson file, by its number."""
    out = {}
    for path in sorted(LESSONS_DIR.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        out[f"lesson{path.name[:2]}"] = (text, yaml.safe_load(text))
    return out


def final_quiz(lessons: dict[str, tuple[str, Doc]]) -> str:
    """The key of the shipped final quiz (kind: quiz), wherever the course puts it."""
    (key,) = [k for k, (_text, data) in lessons.items() if data.get("kind") == "quiz"]
    return key


def last_review() -> dt.date:
    """The newest review date of the shipped lessons."""
    return max(  # type: ignore[no-any-return]
        section["reviewed"]
        for _text, data in shipped().values()
        for section in data.get("sections", [])
    )


TODAY = last_review()


def dump(data: Any) -> str:
    # A wide line: every scalar stays on one line, so text edits can insert after a key safely.
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def quick_dump(data: Any) -> str:
    """dump() through libyaml: the same text about 20 times faster, for the generated cases.

    libyaml escapes characters beyond U+FFFF even with allow_unicode (an emoji becomes
    "\\U0001F600"); an author types them as they are, so such a document goes through dump().
    """
    text = yaml.dump(data, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=10_000)
    return dump(data) if "\\U" in text else text


# ---------------------------------------------------------------- walking a lesson by role


def get(doc: Any, path: FieldPath) -> Any:
    for part in path:
        doc = doc[part]
    return doc


def put(doc: Any, path: FieldPath, value: Any) -> None:
    get(doc, path[:-1])[path[-1]] = value


def delete(doc: Any, path: FieldPath) -> None:
    del get(doc, path[:-1])[path[-1]]


def mappings(doc: Doc) -> Iterator[tuple[FieldPath, str, str | None]]:
    """(path, role, question type) of every mapping in a lesson."""
    yield (), "lesson", None
    for i, section in enumerate(doc.get("sections") or []):
        yield ("sections", i), "section", None
        if "image" in section:
            yield ("sections", i, "image"), "image", None
    yield ("quiz",), "quiz", None
    for i, question in enumerate(doc["quiz"]["questions"]):
        qpath: FieldPath = ("quiz", "questions", i)
        yield qpath, "question", question["type"]
        for key, role in (("choices", "choice"), ("groups", "group"), ("items", "item")):
            for j, _ in enumerate(question.get(key) or []):
                yield (*qpath, key, j), role, question["type"]


def field_name(path: FieldPath) -> str:
    """The loader's name for a path: ("sections", 2, "title") -> "sections[2].title"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "(file)"


def slug(path: FieldPath) -> str:
    return ".".join(str(p) for p in path) or "top"


# What each field holds (docs/content-format.md), and so which check speaks when it is wrong.
FIELD_KINDS: dict[str, dict[str, str]] = {
    "lesson": {
        "id": "id",
        "order": "order",
        "kind": "kind",
        "language": "opt_text",
        "title": "text",
        "summary": "text",
        "objectives": "list",
        "sections": "list",
        "key_points": "list",
        "quiz": "mapping",
    },
    "section": {
        "id": "id",
        "title": "text",
        "body": "text",
        "evidence": "opt_text",
        "sources": "list",
        "reviewed": "date",
        "image": "mapping",
    },
    "image": {"file": "text", "alt": "text", "caption": "text"},
    "quiz": {"title": "opt_text", "shuffle": "bool", "questions": "list"},
    "question": {
        "id": "id",
        "type": "qtype",
        "prompt": "text",
        "explanation": "text",
        "choices": "list",
        "groups": "list",
        "items": "list",
        "topic": "id",
    },
    "choice": {
        "id": "id",
        "text": "text",
        "correct": "bool",
        "feedback": "text",
        "misconception": "id",
    },
    "group": {"id": "id", "text": "text"},
    "item": {"id": "id", "text": "text", "feedback": "text", "answer": "id", "misconception": "id"},
}
# What an entry of each list must be.
ENTRY_KINDS = {
    "sections": "mapping",
    "questions": "mapping",
    "choices": "mapping",
    "groups": "mapping",
    "items": "mapping",
    "objectives": "text_entry",
    "key_points": "text_entry",
    "sources": "source_entry",
}


def field_kind(role: str, key: str, qtype: str | None) -> str:
    kind = FIELD_KINDS[role][key]
    if role == "choice" and key == "text" and qtype in FIXED:
        return "opt_text"  # true_false and myth_fact choices may leave text out
    return kind


def required(role: str, qtype: str | None, final: bool) -> list[str]:
    """Fields that must be there, per docs/content-format.md."""
    if role == "lesson":
        base = ["id", "order", "title", "summary", "quiz"]
        return base if final else [*base, "objectives", "sections", "key_points"]
    if role == "question":
        extra = {"match": ["groups", "items"], "order": ["items"]}.get(qtype or "", ["choices"])
        return ["id", "type", "prompt", "explanation", *extra, *(["topic"] if final else [])]
    if role == "choice":
        return ["id", "correct", "feedback", *([] if qtype in FIXED else ["text"])]
    if role == "item":
        return ["id", "text", "feedback", *(["answer"] if qtype == "match" else [])]
    return {
        "section": ["id", "title", "body", "sources", "reviewed"],
        "image": ["file", "alt", "caption"],
        "quiz": ["questions"],
        "group": ["id", "text"],
    }[role]


def missing_message(role: str, key: str) -> str:
    if key == "feedback" and role in ("choice", "item"):
        return f"{role} has no feedback"
    return f"missing field '{key}'"


# The wrong values tried in every field, with the loader's word for their kind.
WRONG: dict[str, tuple[Any, str]] = {
    "list": (["one", "two"], "a list"),
    "mapping": ({"key": "value"}, "a mapping"),
    "number": (4.5, "a number"),
    "bool": (True, "true/false"),
    "null": (None, "nothing"),
    "nan": (math.nan, "a number (NaN)"),
    "inf": (math.inf, "a number (infinity)"),
    "date": (dt.date(2026, 1, 2), "a date"),
    "text": ("some text", "text"),
}


def wrong_type_message(kind: str, wrong: str) -> str | None:
    """The problem a wrong value gives in a field of this kind; None if the value is fine there."""
    word = WRONG[wrong][1]
    if kind in ("text", "opt_text", "text_entry"):
        if wrong == "text" or (wrong == "null" and kind == "opt_text"):
            return None  # a missing optional text is allowed
        return (
            "must not be empty"
            if wrong == "null" and kind == "text"
            else f"expected text, got {word}"
        )
    if kind == "id":
        return "'some text' is not a valid id" if wrong == "text" else f"expected an id, got {word}"
    if kind == "qtype":
        return (
            "unknown question type 'some text'"
            if wrong == "text"
            else "expected a question type (single, multiple, true_false, myth_fact, match, "
            f"order), got {word}"
        )
    if kind == "kind":
        return (
            "unknown kind 'some text'"
            if wrong == "text"
            else f"expected lesson or quiz, got {word}"
        )
    if kind == "order":
        return f"expected a whole number, got {word}"
    if kind == "list":
        return None if wrong == "list" else f"expected a list, got {word}"
    if kind == "date":
        return None if wrong == "date" else f"expected a date like 2026-11-25, got {word}"
    if kind == "bool":
        return None if wrong == "bool" else f"expected true or false, got {word}"
    if kind == "mapping":
        return None if wrong == "mapping" else f"expected a mapping of fields, got {word}"
    if kind == "source_entry":
        return (
            "unknown source 'some text'" if wrong == "text" else f"expected a source id, got {word}"
        )
    raise ValueError(kind)


# ---------------------------------------------------------------- text edits


def insert_after(text: str, pattern: str, content: str, nth: int = 0) -> tuple[str, int]:
    """Insert `content` as a sibling key after the nth line matching `pattern`; return its line."""
    lines = text.split("\n")
    hits = [i for i, line in enumerate(lines) if re.search(pattern, line)]
    i = hits[nth]
    m = re.match(r"^(\s*)(- )?", lines[i])
    assert m is not None
    indent = len(m.group(1)) + (2 if m.group(2) else 0)
    lines.insert(i + 1, " " * indent + content)
    return "\n".join(lines), i + 2


def line_of(text: str, pattern: str, nth: int = 0) -> int:
    """1-based line of the nth line matching `pattern`."""
    return [i for i, line in enumerate(text.split("\n"), 1) if re.search(pattern, line)][nth]


def replace_line(
    text: str, pattern: str, new: Callable[[str], str], nth: int = 0
) -> tuple[str, int]:
    lines = text.split("\n")
    i = [i for i, line in enumerate(lines) if re.search(pattern, line)][nth]
    lines[i] = new(lines[i])
    return "\n".join(lines), i + 1


# ---------------------------------------------------------------- the corpus


class Corpus:
    def __init__(self) -> None:
        self.files: dict[str, bytes | dict[str, bytes]] = {}
        self.expected: dict[str, str] = {}

    def add(self, name: str, content: str | bytes | dict[str, bytes], expected: str) -> None:
        name = re.sub(r"[^A-Za-z0-9_.+-]", "-", name)
        if isinstance(content, str):
            content = content.encode("utf-8")
        if not isinstance(content, dict):
            name += ".yaml"
        assert name not in self.files, name
        self.files[name] = content
        self.expected[name] = expected

    def data(
        self, category: str, base: str, where: str, what: str, doc: Doc, expected: str
    ) -> None:
        self.add(f"{category}__{base}__{where}__{what}", quick_dump(doc), expected)


def add_missing_fields(c: Corpus, bases: dict[str, Doc]) -> None:
    """Delete each required field at every level (once per role, question type and kind)."""
    seen: set[tuple[str, str, str]] = set()
    for base, doc in bases.items():
        final = doc.get("kind") == "quiz"
        for path, role, qtype in mappings(doc):
            variant = f"{qtype}/{final}" if role in ("question", "choice", "item") else str(final)
            for key in required(role, qtype, final):
                if (role, key, variant) in seen or key not in get(doc, path):
                    continue
                if final and role != "lesson" and key != "topic":
                    continue  # the final quiz adds only these rules; the rest is covered above
                seen.add((role, key, variant))
                broken = copy.deepcopy(doc)
                delete(broken, (*path, key))
                c.data(
                    "missing",
                    base,
                    slug(path),
                    key,
                    broken,
                    f"{field_name(path)}: {missing_message(role, key)}",
                )


def add_wrong_types(c: Corpus, bases: dict[str, Doc]) -> None:
    """Every field, and every list entry, given each wrong kind of value."""
    seen: set[tuple[str, str, str]] = set()
    for base, doc in bases.items():
        for path, role, qtype in mappings(doc):
            mapping = get(doc, path)
            for key in mapping:
                # true_false and myth_fact choices differ only in their id and text rules.
                fixed = role == "choice" and qtype in FIXED and key in ("id", "text")
                variant = "fixed" if fixed else ""
                if (role, key, variant) in seen:
                    continue
                seen.add((role, key, variant))
                targets = [((*path, key), field_kind(role, key, qtype))]
                if key in ENTRY_KINDS and mapping[key]:
                    targets.append(((*path, key, 0), ENTRY_KINDS[key]))
                for target, kind in targets:
                    for wrong, (value, _word) in WRONG.items():
                        message = wrong_type_message(kind, wrong)
                        if message is None:
                            continue
                        broken = copy.deepcopy(doc)
                        put(broken, target, value)
                        c.data(
                            "type",
                            base,
                            slug(target),
                            wrong,
                            broken,
                            f"{field_name(target)}: {message}",
                        )


def add_empty_mappings(c: Corpus, doc: Doc) -> None:
    """An empty mapping where one is expected must not be skipped silently (it once was)."""
    first_key = {
        "lesson": "id",
        "section": "id",
        "image": "file",
        "quiz": "questions",
        "question": "id",
        "choice": "id",
        "group": "id",
        "item": "id",
    }
    seen: set[str] = set()
    for path, role, _qtype in mappings(doc):
        if role in seen:
            continue
        seen.add(role)
        broken: Any = copy.deepcopy(doc)
        if path:
            put(broken, path, {})
        else:
            broken = {}
        c.add(
            f"empty-mapping__builder__{slug(path)}__{role}",
            quick_dump(broken),
            f"{field_name(path)}: missing field '{first_key[role]}'",
        )


def add_duplicates(c: Corpus, b: Doc) -> None:
    """Duplicate ids at each level, duplicate lesson ids, and duplicate keys."""
    q = ("quiz", "questions")
    cases: list[tuple[str, Callable[[Doc], None], str]] = [
        (
            "sections.1__section-id",
            lambda d: d["sections"].append(copy.deepcopy(d["sections"][0])),
            "sections[1].id: duplicate section id 'first'",
        ),
        (
            "quiz.questions.1__question-id",
            lambda d: get(d, q)[1].update(id="one"),
            "quiz.questions[1].id: duplicate question id 'one'",
        ),
        (
            "quiz.questions.0.choices.1__choice-id",
            lambda d: get(d, q)[0]["choices"][1].update(id="a"),
            "quiz.questions[0].choices[1].id: duplicate choice id 'a'",
        ),
        (
            "quiz.questions.1.choices.2__choice-id",
            lambda d: get(d, q)[1]["choices"][2].update(id="b"),
            "quiz.questions[1].choices[2].id: duplicate choice id 'b'",
        ),
        (
            "quiz.questions.2.choices.1__choice-id-true",
            lambda d: get(d, q)[2]["choices"][1].update(id="true"),
            "quiz.questions[2].choices[1].id: duplicate choice id 'true'",
        ),
        (
            "quiz.questions.3.choices.1__choice-id-myth",
            lambda d: get(d, q)[3]["choices"][1].update(id="myth"),
            "quiz.questions[3].choices[1].id: duplicate choice id 'myth'",
        ),
        (
            "quiz.questions.4.groups.1__group-id",
            lambda d: get(d, q)[4]["groups"][1].update(id="g1"),
            "quiz.questions[4].groups[1].id: duplicate group id 'g1'",
        ),
        (
            "quiz.questions.4.items.2__item-id",
            lambda d: get(d, q)[4]["items"][2].update(id="x"),
            "quiz.questions[4].items[2].id: duplicate item id 'x'",
        ),
        (
            "quiz.questions.5.items.1__item-id",
            lambda d: get(d, q)[5]["items"][1].update(id="p1"),
            "quiz.questions[5].items[1].id: duplicate item id 'p1'",
        ),
        (
            "quiz.questions.5__question-id-number",
            lambda d: [get(d, q)[0].update(id=7), get(d, q)[5].update(id="7")],
            "quiz.questions[5].id: duplicate question id '7'",
        ),
    ]
    for where, change, expected in cases:
        doc = copy.deepcopy(b)
        change(doc)
        c.data("duplicate-id", "builder", *where.split("__"), doc, expected)
    # Lesson ids: two files in one folder.
    first, second = copy.deepcopy(b), copy.deepcopy(b)
    second["order"] = 2
    c.add(
        "duplicate-id__builder__two-files__lesson-id",
        {
            "01-first.yaml": quick_dump(first).encode(),
            "02-second.yaml": quick_dump(second).encode(),
        },
        ":1: id: duplicate lesson id 'test-lesson' (also in",
    )
    # Duplicate keys, at each level, as text.
    btext = quick_dump(b)
    key_cases = [
        ("top", r"^title: ", "title: Another title", "title"),
        ("sections.0", r"^  title: First", "title: Again", "sections[0].title"),
        ("sections.0.image", r"^    alt: ", "alt: Again", "sections[0].image.alt"),
        ("quiz", r"^  shuffle: ", "shuffle: true", "quiz.shuffle"),
        ("quiz.questions.0", r"^  - id: one$", "id: two", "quiz.questions[0].id"),
        (
            "quiz.questions.0.choices.0",
            r"^      correct: true",
            "correct: false",
            "quiz.questions[0].choices[0].correct",
        ),
        (
            "quiz.questions.4.groups.0",
            r"^      text: Group 1",
            "text: Group one",
            "quiz.questions[4].groups[0].text",
        ),
        (
            "quiz.questions.5.items.0",
            r"^      feedback: First comes first",
            "feedback: Again.",
            "quiz.questions[5].items[0].feedback",
        ),
    ]
    for where, pattern, content, field in key_cases:
        new, line = insert_after(btext, pattern, content)
        c.add(
            f"duplicate-key__builder__{where}__{field.rsplit('.', 1)[-1]}",
            new,
            f":{line}: {field}: duplicate key",
        )
    new, line = insert_after(btext, r"^summary: ", "'title': Quoted, still the same key")
    c.add("duplicate-key__builder__top__title-quoted", new, f":{line}: title: duplicate key")


def add_rules(c: Corpus, b: Doc) -> None:
    """Each validation rule of the loader, broken in the builder lesson."""
    q = ("quiz", "questions")

    def qn(d: Doc, i: int) -> Doc:
        return get(d, q)[i]  # type: ignore[no-any-return]

    html = [
        "<script>alert(1)</script>",
        "<b>bold</b>",
        "Text </p>",
        "<!-- note -->",
        "<?php x ?>",
        "a < b and <em>c</em>",
        "<IMG SRC=x onerror=y>",
        "< a href='x'>link</a>",
    ]
    # Each phrase, and the words of it that the rule must quote back.
    diagnosis = [
        ("You have sciatica.", "You have"),
        ("You probably have a strain.", "You probably have"),
        ("Do you have pain in your leg?", "Do you have"),
        ("Have you had a fall?", "Have you had"),
        ("What are your symptoms?", "What are your symptoms"),
        ("Describe your pain.", "Describe your pain"),
        ("You are suffering from a spasm.", "You are suffering from"),
        ("so you might have a slipped disk", "you might have"),
    ]
    text_fields: list[tuple[FieldPath, str]] = [
        (("title",), "title"),
        (("summary",), "summary"),
        (("objectives", 0), "objectives[0]"),
        (("key_points", 0), "key_points[0]"),
        (("sections", 0, "title"), "sections[0].title"),
        (("sections", 0, "body"), "sections[0].body"),
        (("sections", 0, "evidence"), "sections[0].evidence"),
        (("sections", 0, "image", "alt"), "sections[0].image.alt"),
        (("sections", 0, "image", "caption"), "sections[0].image.caption"),
        (("quiz", "title"), "quiz.title"),
        ((*q, 0, "prompt"), "quiz.questions[0].prompt"),
        ((*q, 0, "explanation"), "quiz.questions[0].explanation"),
        ((*q, 0, "choices", 0, "text"), "quiz.questions[0].choices[0].text"),
        ((*q, 0, "choices", 1, "feedback"), "quiz.questions[0].choices[1].feedback"),
        ((*q, 4, "groups", 0, "text"), "quiz.questions[4].groups[0].text"),
        ((*q, 4, "items", 0, "text"), "quiz.questions[4].items[0].text"),
        ((*q, 5, "items", 2, "feedback"), "quiz.questions[5].items[2].feedback"),
    ]
    for i, (path, field) in enumerate(text_fields):
        doc = copy.deepcopy(b)
        put(doc, path, html[i % len(html)])
        c.data(
            "html",
            "builder",
            slug(path),
            f"html{i % len(html)}",
            doc,
            f"{field}: HTML is not allowed",
        )
        doc = copy.deepcopy(b)
        phrase, words = diagnosis[i % len(diagnosis)]
        put(doc, path, phrase)
        c.data(
            "diagnosis",
            "builder",
            slug(path),
            f"phrase{i % len(diagnosis)}",
            doc,
            f"{field}: '{words}' reads like a diagnosis",
        )

    bad_ids = {
        "uppercase": "Lesson",
        "space": "my lesson",
        "underscore": "my_lesson",
        "trailing-hyphen": "lesson-",
        "leading-hyphen": "-lesson",
        "double-hyphen": "a--b",
        "accent": "leçon",
        "empty": "",
        "dot": "a.b",
        "slash": "../etc",
        "trailing-newline": "lesson\n",
        "emoji": "back-😀",
        "negative-number": -3,
    }
    for what, value in bad_ids.items():
        for path in (
            ("id",),
            ("sections", 0, "id"),
            (*q, 1, "id"),
            (*q, 0, "choices", 1, "id"),
            (*q, 4, "groups", 0, "id"),
            (*q, 5, "items", 0, "id"),
        ):
            if path != ("id",) and what not in ("uppercase", "space", "trailing-newline", "empty"):
                continue  # every bad id at the top; the usual mistakes at every level
            doc = copy.deepcopy(b)
            put(doc, path, value)
            shown = str(value).replace("\n", " ")
            c.data(
                "bad-id",
                "builder",
                slug(path),
                what,
                doc,
                f"{field_name(path)}: '{shown}' is not a valid id",
            )

    rules: list[tuple[str, str, Callable[[Doc], Any], str]] = [
        (
            "quiz.questions.0",
            "unknown-type-essay",
            lambda d: qn(d, 0).update(type="essay"),
            "quiz.questions[0].type: unknown question type 'essay'",
        ),
        (
            "quiz.questions.0",
            "unknown-type-capital",
            lambda d: qn(d, 0).update(type="Single"),
            "quiz.questions[0].type: unknown question type 'Single'",
        ),
        (
            "quiz.questions.0",
            "unknown-type-hyphen",
            lambda d: qn(d, 2).update(type="true-false"),
            "quiz.questions[2].type: unknown question type 'true-false'",
        ),
        (
            "quiz.questions.0",
            "single-0-correct",
            lambda d: qn(d, 0)["choices"][0].update(correct=False),
            "quiz.questions[0].choices: a single question needs exactly 1 correct choice, has 0",
        ),
        (
            "quiz.questions.0",
            "single-2-correct",
            lambda d: qn(d, 0)["choices"][1].update(correct=True),
            "quiz.questions[0].choices: a single question needs exactly 1 correct choice, has 2",
        ),
        (
            "quiz.questions.0",
            "single-3-correct",
            lambda d: [ch.update(correct=True) for ch in qn(d, 0)["choices"]],
            "exactly 1 correct choice, has 3",
        ),
        (
            "quiz.questions.0",
            "single-correct-as-text-true",
            lambda d: qn(d, 0)["choices"][0].update(correct="true"),
            "quiz.questions[0].choices[0].correct: expected true or false, got text",
        ),
        (
            "quiz.questions.0",
            "single-correct-yes-as-number",
            lambda d: qn(d, 0)["choices"][0].update(correct=1),
            "quiz.questions[0].choices[0].correct: expected true or false, got a number",
        ),
        (
            "quiz.questions.1",
            "multiple-0-correct",
            lambda d: [ch.update(correct=False) for ch in qn(d, 1)["choices"]],
            "quiz.questions[1].choices: a multiple question needs at least 1 correct choice",
        ),
        (
            "quiz.questions.2",
            "true_false-2-correct",
            lambda d: qn(d, 2)["choices"][1].update(correct=True),
            "quiz.questions[2].choices: a true_false question needs exactly 1 correct choice, "
            "has 2",
        ),
        (
            "quiz.questions.3",
            "myth_fact-0-correct",
            lambda d: qn(d, 3)["choices"][0].update(correct=False),
            "quiz.questions[3].choices: a myth_fact question needs exactly 1 correct choice, has 0",
        ),
        (
            "quiz.questions.2",
            "true_false-ids-yes-no",
            lambda d: [
                qn(d, 2)["choices"][0].update(id="yes"),
                qn(d, 2)["choices"][1].update(id="no"),
            ],
            "quiz.questions[2].choices: a true_false question has exactly the choices "
            "'true' and 'false'",
        ),
        (
            "quiz.questions.2",
            "true_false-unquoted-true",
            lambda d: qn(d, 2)["choices"][0].update(id=True),
            "quiz.questions[2].choices[0].id: expected an id, got true/false "
            '(write "true" in quotes)',
        ),
        (
            "quiz.questions.2",
            "true_false-three-choices",
            lambda d: qn(d, 2)["choices"].append(
                {"id": "maybe", "correct": False, "feedback": "No."}
            ),
            "a true_false question has exactly the choices 'true' and 'false'",
        ),
        (
            "quiz.questions.3",
            "myth_fact-one-choice",
            lambda d: qn(d, 3)["choices"].pop(),
            "quiz.questions[3].choices: needs at least 2 entries, has 1",
        ),
        (
            "quiz.questions.0",
            "single-one-choice",
            lambda d: qn(d, 0).update(choices=qn(d, 0)["choices"][:1]),
            "quiz.questions[0].choices: needs at least 2 entries, has 1",
        ),
        (
            "quiz.questions.0",
            "single-no-choices",
            lambda d: qn(d, 0).update(choices=[]),
            "quiz.questions[0].choices: needs at least 2 entries, has 0",
        ),
        (
            "quiz.questions.0.choices.2",
            "single-choice-no-feedback",
            lambda d: qn(d, 0)["choices"][2].pop("feedback"),
            "quiz.questions[0].choices[2]: choice has no feedback",
        ),
        (
            "quiz.questions.1.choices.0",
            "multiple-choice-no-feedback",
            lambda d: qn(d, 1)["choices"][0].pop("feedback"),
            "quiz.questions[1].choices[0]: choice has no feedback",
        ),
        (
            "quiz.questions.2.choices.1",
            "true_false-choice-no-feedback",
            lambda d: qn(d, 2)["choices"][1].pop("feedback"),
            "quiz.questions[2].choices[1]: choice has no feedback",
        ),
        (
            "quiz.questions.3.choices.1",
            "myth_fact-choice-empty-feedback",
            lambda d: qn(d, 3)["choices"][1].update(feedback="   "),
            "quiz.questions[3].choices[1].feedback: must not be empty",
        ),
        (
            "quiz.questions.4.items.1",
            "match-item-no-feedback",
            lambda d: qn(d, 4)["items"][1].pop("feedback"),
            "quiz.questions[4].items[1]: item has no feedback",
        ),
        (
            "quiz.questions.5.items.2",
            "order-item-no-feedback",
            lambda d: qn(d, 5)["items"][2].pop("feedback"),
            "quiz.questions[5].items[2]: item has no feedback",
        ),
        (
            "quiz.questions.4.items.0",
            "match-unknown-group",
            lambda d: qn(d, 4)["items"][0].update(answer="g9"),
            "quiz.questions[4].items[0].answer: unknown group 'g9'",
        ),
        (
            "quiz.questions.4",
            "match-one-group",
            lambda d: qn(d, 4)["groups"].pop(),
            "quiz.questions[4].groups: needs at least 2 entries, has 1",
        ),
        (
            "quiz.questions.4",
            "match-two-items",
            lambda d: qn(d, 4)["items"].pop(),
            "quiz.questions[4].items: needs at least 3 entries, has 2",
        ),
        (
            "quiz.questions.5",
            "order-two-items",
            lambda d: qn(d, 5)["items"].pop(),
            "quiz.questions[5].items: needs at least 3 entries, has 2",
        ),
        (
            "quiz.questions.5.items.0",
            "order-item-with-answer",
            lambda d: qn(d, 5)["items"][0].update(answer="g1"),
            "quiz.questions[5].items[0].answer: order items have no answer",
        ),
        (
            "quiz.questions.5",
            "order-with-groups",
            lambda d: qn(d, 5).update(groups=[{"id": "g1", "text": "G"}]),
            "quiz.questions[5].groups: only match questions have groups",
        ),
        (
            "quiz.questions.0",
            "unknown-lesson-topic",
            lambda d: qn(d, 0).update(topic="no-such-lesson"),
            "quiz.questions[0].topic: unknown lesson 'no-such-lesson'",
        ),
        (
            "sections.0.sources.0",
            "unknown-source",
            lambda d: d["sections"][0].update(sources=["R999"]),
            "sections[0].sources[0]: unknown source 'R999'",
        ),
        (
            "sections.0.sources.1",
            "unknown-source-lowercase",
            lambda d: d["sections"][0].update(sources=["R8", "r8"]),
            "sections[0].sources[1]: unknown source 'r8'",
        ),
        (
            "sections.0.sources",
            "no-sources",
            lambda d: d["sections"][0].update(sources=[]),
            "sections[0].sources: needs at least 1 entries",
        ),
        (
            "sections.0.sources",
            "sources-as-text",
            lambda d: d["sections"][0].update(sources="R8"),
            "sections[0].sources: expected a list, got text",
        ),
        (
            "quiz.questions.3.choices.1",
            "unknown-misconception",
            lambda d: qn(d, 3)["choices"][1].update(misconception="nope"),
            "quiz.questions[3].choices[1].misconception: unknown misconception 'nope'",
        ),
        (
            "quiz.questions.4.items.1",
            "unknown-misconception-on-item",
            lambda d: qn(d, 4)["items"][1].update(misconception="pain-is-fine"),
            "quiz.questions[4].items[1].misconception: unknown misconception 'pain-is-fine'",
        ),
        # Too old or in the future depends on the day: see date_cases(), made at test time.
        (
            "sections.0.reviewed",
            "review-date-and-time",
            lambda d: d["sections"][0].update(reviewed=dt.datetime(2026, 11, 1, 10, 30)),
            "sections[0].reviewed: expected a date like 2026-11-25, got a date and time",
        ),
        (
            "sections.0.reviewed",
            "review-date-quoted",
            lambda d: d["sections"][0].update(reviewed="2026-11-01"),
            "sections[0].reviewed: expected a date like 2026-11-25, got text",
        ),
        (
            "sections.0.reviewed",
            "review-date-words",
            lambda d: d["sections"][0].update(reviewed="last week"),
            "sections[0].reviewed: expected a date like 2026-11-25, got text",
        ),
        (
            "quiz.questions",
            "four-questions",
            lambda d: d["quiz"].update(questions=d["quiz"]["questions"][:4]),
            "quiz.questions: needs at least 5 entries, has 4",
        ),
        (
            "quiz.questions",
            "no-questions",
            lambda d: d["quiz"].update(questions=[]),
            "quiz.questions: needs at least 5 entries, has 0",
        ),
        (
            "objectives",
            "no-objectives",
            lambda d: d.update(objectives=[]),
            "objectives: needs at least 1 entries",
        ),
        (
            "key_points",
            "no-key-points",
            lambda d: d.update(key_points=[]),
            "key_points: needs at least 1 entries",
        ),
        (
            "sections",
            "no-sections",
            lambda d: d.update(sections=[]),
            "sections: needs at least 1 entries, has 0",
        ),
        (
            "objectives.1",
            "objective-blank",
            lambda d: d["objectives"].append("  "),
            "objectives[1]: expected text, got text",
        ),
        (
            "top",
            "unknown-kind",
            lambda d: d.update(kind="lecture"),
            "kind: unknown kind 'lecture' (use lesson or quiz)",
        ),
        ("top", "order-negative", lambda d: d.update(order=-1), "order: must be 0 or more, got -1"),
        (
            "top",
            "order-as-text",
            lambda d: d.update(order="first"),
            "order: expected a whole number, got text",
        ),
        ("top", "title-blank", lambda d: d.update(title="   "), "title: must not be empty"),
        ("top", "title-empty-string", lambda d: d.update(title=""), "title: must not be empty"),
        ("top", "unknown-field-titel", lambda d: d.update(titel="x"), "titel: unknown field"),
        (
            "sections.0",
            "unknown-field-text",
            lambda d: d["sections"][0].update(text="x"),
            "sections[0].text: unknown field",
        ),
        (
            "sections.0.image",
            "unknown-field-width",
            lambda d: d["sections"][0]["image"].update(width=300),
            "sections[0].image.width: unknown field",
        ),
        (
            "quiz",
            "unknown-field-random",
            lambda d: d["quiz"].update(random=True),
            "quiz.random: unknown field",
        ),
        (
            "quiz.questions.0",
            "unknown-field-hint",
            lambda d: qn(d, 0).update(hint="x"),
            "quiz.questions[0].hint: unknown field",
        ),
        (
            "quiz.questions.0.choices.0",
            "unknown-field-points",
            lambda d: qn(d, 0)["choices"][0].update(points=1),
            "quiz.questions[0].choices[0].points: unknown field",
        ),
        (
            "quiz.questions.4.groups.0",
            "unknown-field-colour",
            lambda d: qn(d, 4)["groups"][0].update(colour="red"),
            "quiz.questions[4].groups[0].colour: unknown field",
        ),
        (
            "quiz.questions.5.items.0",
            "unknown-field-position",
            lambda d: qn(d, 5)["items"][0].update(position=1),
            "quiz.questions[5].items[0].position: unknown field",
        ),
        (
            "sections.0.image.file",
            "image-missing",
            lambda d: d["sections"][0]["image"].update(file="nothing.svg"),
            "sections[0].image.file: no picture 'nothing.svg' in content/images/",
        ),
        (
            "sections.0.image.file",
            "image-png",
            lambda d: d["sections"][0]["image"].update(file="lower-back-muscles.png"),
            "sections[0].image.file: no picture 'lower-back-muscles.png'",
        ),
        (
            "sections.0.image.file",
            "image-path-traversal",
            lambda d: d["sections"][0]["image"].update(file="../images/lower-back-muscles.svg"),
            "sections[0].image.file: no picture '../images/lower-back-muscles.svg'",
        ),
        (
            "sections.0.image.file",
            "image-url",
            lambda d: d["sections"][0]["image"].update(file="https://example.org/x.svg"),
            "sections[0].image.file: no picture",
        ),
        (
            "sections.0.image.file",
            "image-name-uppercase",
            lambda d: d["sections"][0]["image"].update(file="Lower-Back-Muscles.svg"),
            "sections[0].image.file: no picture 'Lower-Back-Muscles.svg'",
        ),
        (
            "sections.0.image",
            "image-as-text",
            lambda d: d["sections"][0].update(image="lower-back-muscles.svg"),
            "sections[0].image: expected a mapping of fields, got text",
        ),
        (
            "quiz.shuffle",
            "shuffle-as-text",
            lambda d: d["quiz"].update(shuffle="yes"),
            "quiz.shuffle: expected true or false, got text",
        ),
    ]
    for where, what, change, expected in rules:
        doc = copy.deepcopy(b)
        change(doc)
        c.data("rule", "builder", where, what, doc, expected)


def add_final_quiz_rules(c: Corpus, base: str, final: Doc) -> None:
    q = ("quiz", "questions")
    doc = copy.deepcopy(final)
    get(doc, q)[0]["topic"] = "no-such-lesson"
    c.data(
        "rule",
        base,
        "quiz.questions.0",
        "unknown-topic",
        doc,
        "quiz.questions[0].topic: unknown lesson 'no-such-lesson'",
    )
    doc = copy.deepcopy(final)
    get(doc, q)[3]["topic"] = "Home Care"
    c.data(
        "rule",
        base,
        "quiz.questions.3",
        "topic-not-an-id",
        doc,
        "quiz.questions[3].topic: 'Home Care' is not a valid id",
    )
    doc = copy.deepcopy(final)
    for question in get(doc, q):
        del question["topic"]
    c.data(
        "rule",
        base,
        "quiz.questions",
        "no-topics",
        doc,
        f"quiz.questions[{len(get(doc, q)) - 1}]: missing field 'topic'",
    )
    doc = copy.deepcopy(final)
    doc["kind"] = "Quiz"
    c.data("rule", base, "top", "kind-capital", doc, "kind: unknown kind 'Quiz'")


def add_shipped_lesson_cases(c: Corpus, lessons: dict[str, tuple[str, Doc]]) -> None:
    """Rules broken in the shipped lessons, as data and as text edits (which keep the comments and
    block text as the author wrote them). Each case goes to one lesson in turn, so that every
    lesson is used and the corpus stays small."""
    q = ("quiz", "questions")
    Case = Callable[[str, Doc], tuple[str, str | bytes, str] | None]

    def data_case(
        where: Callable[[Doc], str],
        what: str,
        change: Callable[[Doc], Any],
        expected: Callable[[Doc], str],
        needs_sections: bool = False,
    ) -> Case:
        def make(text: str, data: Doc) -> tuple[str, str | bytes, str] | None:
            if needs_sections and not data.get("sections"):
                return None
            doc = copy.deepcopy(data)
            change(doc)
            return f"rule__{{base}}__{where(data)}__{what}", quick_dump(doc), expected(data)

        return make

    def first_choice_q(d: Doc) -> int:
        return next(i for i, x in enumerate(get(d, q)) if x["type"] in ("single", *FIXED))

    def first_wrong_choice(d: Doc) -> FieldPath:
        return next(
            (*q, i, "choices", j)
            for i, x in enumerate(get(d, q))
            for j, ch in enumerate(x.get("choices", []))
            if not ch["correct"]
        )

    data_cases: list[Case] = [
        data_case(
            lambda d: "top",
            "html-in-title",
            lambda d: d.update(title=d["title"] + " <i>now</i>"),
            lambda d: "title: HTML is not allowed",
        ),
        data_case(
            lambda d: "quiz.questions.0",
            "diagnosis-in-prompt",
            lambda d: get(d, q)[0].update(prompt="Do you have back pain right now?"),
            lambda d: "quiz.questions[0].prompt: 'Do you have' reads like a diagnosis",
        ),
        data_case(
            lambda d: f"quiz.questions.{first_choice_q(d)}",
            "all-choices-correct",
            lambda d: [ch.update(correct=True) for ch in get(d, q)[first_choice_q(d)]["choices"]],
            lambda d: (
                f"quiz.questions[{first_choice_q(d)}].choices: a "
                f"{get(d, q)[first_choice_q(d)]['type']} question needs exactly 1 correct choice"
            ),
        ),
        data_case(
            lambda d: f"quiz.questions.{first_choice_q(d)}.choices.0",
            "choice-without-feedback",
            lambda d: get(d, q)[first_choice_q(d)]["choices"][0].pop("feedback"),
            lambda d: f"quiz.questions[{first_choice_q(d)}].choices[0]: choice has no feedback",
        ),
        data_case(
            lambda d: f"quiz.questions.{len(get(d, q)) - 1}",
            "unknown-type",
            lambda d: get(d, q)[-1].update(type="fill_in"),
            lambda d: f"quiz.questions[{len(get(d, q)) - 1}].type: unknown question type 'fill_in'",
        ),
        data_case(
            lambda d: "quiz.questions.1",
            "bad-id",
            lambda d: get(d, q)[1].update(id="Question Two"),
            lambda d: "quiz.questions[1].id: 'Question Two' is not a valid id",
        ),
        data_case(
            lambda d: "quiz",
            "too-few-questions",
            lambda d: d["quiz"].update(questions=get(d, q)[:3]),
            lambda d: "quiz.questions: needs at least 5 entries, has 3",
        ),
        data_case(
            lambda d: slug(first_wrong_choice(d)),
            "unknown-misconception",
            lambda d: get(d, first_wrong_choice(d)).update(misconception="cold-cures-all"),
            lambda d: (
                f"{field_name(first_wrong_choice(d))}.misconception: unknown "
                "misconception 'cold-cures-all'"
            ),
        ),
        data_case(
            lambda d: "quiz.questions.1",
            "duplicate-question-id",
            lambda d: get(d, q)[1].update(id=get(d, q)[0]["id"]),
            lambda d: f"quiz.questions[1].id: duplicate question id '{get(d, q)[0]['id']}'",
        ),
        data_case(
            lambda d: "sections.0.sources",
            "unknown-source",
            lambda d: d["sections"][0]["sources"].append("R404"),
            lambda d: (
                f"sections[0].sources[{len(d['sections'][0]['sources'])}]: unknown source 'R404'"
            ),
            needs_sections=True,
        ),
        data_case(
            lambda d: "sections.0.body",
            "diagnosis-in-body",
            lambda d: d["sections"][0].update(
                body=d["sections"][0]["body"] + "\nYou probably have a muscle strain.\n"
            ),
            lambda d: "sections[0].body: 'You probably have' reads like a diagnosis",
            needs_sections=True,
        ),
        data_case(
            lambda d: "sections.1",
            "duplicate-section-id",
            lambda d: d["sections"][1].update(id=d["sections"][0]["id"]),
            lambda d: f"sections[1].id: duplicate section id '{d['sections'][0]['id']}'",
            needs_sections=True,
        ),
    ]

    def text_case(make: Callable[[str], tuple[str, str | bytes, str]]) -> Case:
        def made(text: str, _data: Doc) -> tuple[str, str | bytes, str] | None:
            try:
                return make(text)
            except (LookupError, ValueError):  # no line to edit here (str.index: ValueError)
                return None

        return made

    def anchor(text: str) -> tuple[str, str, str]:
        new, line = replace_line(text, r"^quiz:", lambda s: "quiz: &quiz")
        return (
            f"anchor__{{base}}__line{line}__anchor-on-quiz",
            new,
            f":{line}: (file): YAML anchors and aliases are not allowed",
        )

    def typo(text: str) -> tuple[str, str, str]:
        new, line = insert_after(text, r"^      prompt: ", "promt: a typo", nth=1)
        return (
            f"rule__{{base}}__line{line}__unknown-field-typo",
            new,
            f":{line}: quiz.questions[1].promt: unknown field",
        )

    def tab(text: str) -> tuple[str, str, str]:
        new, line = replace_line(text, r"^    - id: ", lambda s: "\t" + s.lstrip(" "), nth=1)
        return f"raw__{{base}}__line{line}__tab-indent", new, f":{line}: (file): not valid YAML"

    def latin1(text: str) -> tuple[str, bytes, str]:
        raw = text.encode()
        at = raw.index(b"summary: ") + len(b"summary: ")
        return (
            f"raw__{{base}}__line{line_of(text, '^summary: ')}__latin1-byte",
            raw[:at] + b"\xe9t\xe9 " + raw[at:],
            f":{line_of(text, '^summary: ')}: (file): not valid UTF-8",
        )

    def cut_questions(text: str) -> tuple[str, str, str]:
        return (
            "raw__{base}__truncated-before-questions",
            text[: text.index("\n  questions:") + 1],
            "quiz: missing field 'questions'",
        )

    def cut_quiz(text: str) -> tuple[str, str, str]:
        return (
            "raw__{base}__truncated-before-quiz",
            text[: text.index("\nquiz:") + 1],
            "(file): missing field 'quiz'",
        )

    def second_document(text: str) -> tuple[str, str, str]:
        new, line = insert_after(text, r"^order: ", "---")
        return (
            f"raw__{{base}}__line{line}__second-document",
            new,
            f":{line}: (file): not valid YAML: expected a single document",
        )

    def unclosed(text: str) -> tuple[str, str, str]:
        new, line = insert_after(text, r"^language: ", "summary: [unclosed")
        return f"raw__{{base}}__line{line}__unclosed-bracket", new, "(file): not valid YAML"

    def crlf(text: str) -> tuple[str, str, str]:
        return (
            "raw__{base}__crlf-line-endings__html-in-title",
            text.replace("\n", "\r\n").replace("title: ", "title: <u>", 1),
            f":{line_of(text, '^title: ')}: title: HTML is not allowed",
        )

    def bom(text: str) -> tuple[str, str, str]:
        return (
            "raw__{base}__bom__unknown-field",
            "\ufeff" + text.replace("\nkind:", "\nkinds:", 1),
            f":{line_of(text, '^kind:')}: kinds: unknown field",
        )

    def duplicate_key(text: str) -> tuple[str, str, str]:
        new, line = insert_after(text, r"^      prompt: ", "prompt: Asked twice?")
        return (
            f"duplicate-key__{{base}}__line{line}__prompt",
            new,
            f":{line}: quiz.questions[0].prompt: duplicate key",
        )

    text_cases = [
        text_case(f)
        for f in (
            anchor,
            typo,
            tab,
            latin1,
            cut_questions,
            cut_quiz,
            second_document,
            unclosed,
            crlf,
            bom,
            duplicate_key,
        )
    ]
    names = list(lessons)
    k = 0
    for number, make in enumerate([*data_cases, *text_cases], 1):
        for attempt in range(len(names)):  # the next lesson that has what the case needs
            base = names[(k + attempt) % len(names)]
            made = make(*lessons[base])
            if made is not None:
                name, content, expected = made
                c.add(name.format(base=base), content, expected)
                k += attempt + 1
                break
        else:  # edits took from every lesson what this case needs: change the case
            raise ValueError(f"no shipped lesson has what case {number} needs (see above)")
    # Lesson ids: two files in one folder.
    text, data = lessons["lesson03"]
    c.add(
        "duplicate-id__lesson03__two-files__lesson-id",
        {
            "03-risk-factors.yaml": text.encode(),
            "09-copy.yaml": text.replace("order: 3", "order: 9").encode(),
        },
        f"id: duplicate lesson id '{data['id']}'",
    )


def add_raw(c: Corpus, b: Doc) -> None:
    """Text that is not a lesson at all, or YAML the reader refuses."""
    btext = dump(b)
    rng = random.Random(20261125)
    raw: list[tuple[str, bytes | str, str]] = [
        ("empty", b"", ":1: (file): file is empty"),
        ("whitespace-only", b"  \n\n\t \n   ", ":1: (file): file is empty"),
        ("newlines-only", b"\n" * 500, ":1: (file): file is empty"),
        ("comments-only", b"# just a comment\n# and another\n", ":1: (file): file is empty"),
        (
            "document-markers-only",
            b"---\n...\n",
            ":2: (file): expected a mapping of fields, got nothing",
        ),
        ("bom-only", b"\xef\xbb\xbf", ":1: (file): file is empty"),
        ("bom-and-newline", b"\xef\xbb\xbf\n", ":1: (file): file is empty"),
        (
            "bom-then-list",
            b"\xef\xbb\xbf- a\n- b\n",
            ":1: (file): expected a mapping of fields, got a list",
        ),
        ("bom-twice", b"\xef\xbb\xbf\xef\xbb\xbfid: x\n", "(file)"),
        (
            "utf16-le-with-bom",
            "id: x\norder: 1\n".encode("utf-16"),
            ":1: (file): not valid UTF-8 text",
        ),
        ("utf16-be", "id: x\norder: 1\n".encode("utf-16-be"), "(file): not valid"),
        ("utf32", "id: x\n".encode("utf-32"), ":1: (file): not valid UTF-8 text"),
        ("latin1-line-3", b"id: x\norder: 1\ntitle: Caf\xe9\n", ":3: (file): not valid UTF-8 text"),
        ("lone-continuation-byte", b"id: x\ntitle: \x80\n", ":2: (file): not valid UTF-8 text"),
        (
            "truncated-multibyte-at-end",
            b"id: x\ntitle: caf\xc3",
            ":2: (file): not valid UTF-8 text",
        ),
        ("overlong-encoding", b"id: x\ntitle: \xc0\xaf\n", ":2: (file): not valid UTF-8 text"),
        (
            "utf8-encoded-surrogate",
            b"id: x\ntitle: \xed\xa0\x80\n",
            ":2: (file): not valid UTF-8 text",
        ),
        ("byte-ff", b"\xff\xfe\xfd", ":1: (file): not valid UTF-8 text"),
        (
            "binary-garbage",
            bytes(rng.randrange(256) for _ in range(4096)),
            "(file): not valid UTF-8",
        ),
        (
            "binary-png-header",
            b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(512)),
            ":1: (file): not valid UTF-8 text",
        ),
        (
            "binary-gzip",
            b"\x1f\x8b\x08\x00" + bytes(rng.randrange(256) for _ in range(512)),
            ":1: (file): not valid UTF-8 text",
        ),
        ("binary-elf", b"\x7fELF\x02\x01\x01" + b"\x00" * 64, ":1: (file): not valid YAML: "),
        ("nul-byte-line-2", b"id: x\ntitle: a\x00b\n", ":2: (file): not valid YAML: "),
        ("nul-bytes-only", b"\x00" * 64, ":1: (file): not valid YAML: "),
        (
            "bell-control-char",
            b"id: x\norder: 1\ntitle: ding\x07\n",
            ":3: (file): not valid YAML: ",
        ),
        (
            "escape-control-char",
            b"id: x\ntitle: \x1b[31mred\x1b[0m\n",
            ":2: (file): not valid YAML: ",
        ),
        ("noncharacter-fffe", "id: x\ntitle: a\ufffe\n", ":2: (file): not valid YAML: "),
        (
            "printable-unicode-garbage",
            "".join(
                chr(rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0xA0, 0xD7FF)]))
                for _ in range(3000)
            ),
            "(file)",
        ),
        (
            "tab-indent",
            "id: x\nquiz:\n\tquestions: []\n",
            ":3: (file): not valid YAML: tab character",
        ),
        (
            "tab-indent-in-list",
            btext.replace("\n  title: First", "\n\ttitle: First"),
            "(file): not valid YAML",
        ),
        ("unclosed-flow-sequence", "id: x\nobjectives: [one, two\n", "(file): not valid YAML"),
        ("unclosed-flow-mapping", "id: x\nquiz: {questions: [\n", "(file): not valid YAML"),
        (
            "unclosed-double-quote",
            'id: x\ntitle: "never closed\norder: 1\n',
            "(file): not valid YAML",
        ),
        ("unclosed-single-quote", "id: x\ntitle: 'never closed\n", "(file): not valid YAML"),
        ("stray-closing-bracket", "id: x\ntitle: a]\norder: ]\n", ":3: (file): not valid YAML"),
        (
            "bad-indentation",
            "id: x\nquiz:\n  title: a\n questions: []\n",
            ":4: (file): not valid YAML",
        ),
        ("colon-in-plain-text", "id: x\ntitle: Note: this breaks\n", ":2: (file): not valid YAML"),
        ("list-then-mapping", "- a\nb: c\n", "(file): not valid YAML"),
        ("bad-escape", 'id: x\ntitle: "\\q"\n', ":2: (file): not valid YAML"),
        ("block-scalar-bad-indicator", "id: x\nbody: |x\n  text\n", ":2: (file): not valid YAML"),
        ("unknown-directive-version", "%YAML 2.0\n---\nid: x\n", "(file): not valid YAML"),
        ("directive-without-document", "%YAML 1.1\n", "(file): not valid YAML"),
        (
            "two-documents",
            "id: a\n---\nid: b\n",
            ":2: (file): not valid YAML: expected a single document in the stream "
            "but found another",
        ),
        (
            "two-documents-second-empty",
            btext + "---\n",
            "(file): not valid YAML: expected a single",
        ),
        ("document-end-then-text", "id: a\n...\nid: b\n", "(file): not valid YAML"),
        ("many-documents", "---\na: 1\n" * 50, ":3: (file): not valid YAML: expected a single"),
        (
            "top-level-list",
            "- id: a\n- id: b\n",
            ":1: (file): expected a mapping of fields, got a list",
        ),
        (
            "top-level-text",
            "just some words\n",
            ":1: (file): expected a mapping of fields, got text",
        ),
        ("top-level-number", "42\n", ":1: (file): expected a mapping of fields, got a number"),
        ("top-level-nan", ".nan\n", ":1: (file): expected a mapping of fields, got a number (NaN)"),
        ("top-level-true", "true\n", ":1: (file): expected a mapping of fields, got true/false"),
        ("top-level-null", "~\n", ":1: (file): expected a mapping of fields, got nothing"),
        ("top-level-date", "2026-11-25\n", ":1: (file): expected a mapping of fields, got a date"),
        (
            "top-level-block-text",
            "|\n  id: x\n  order: 1\n",
            "(file): expected a mapping of fields, got text",
        ),
        ("top-level-empty-mapping", "{}\n", "(file): missing field 'id'"),
        ("top-level-empty-list", "[]\n", "(file): expected a mapping of fields, got a list"),
        (
            "anchor-and-alias",
            "a: &a [1, 2]\nb: *a\n",
            ":1: (file): YAML anchors and aliases are not allowed",
        ),
        (
            "alias-without-anchor",
            "id: x\ntitle: *nowhere\n",
            ":2: (file): YAML anchors and aliases",
        ),
        ("anchor-on-scalar", "id: &id x\n", ":1: (file): YAML anchors and aliases are not allowed"),
        (
            "alias-as-key",
            "base: &k title\n*k : x\n",
            ":1: (file): YAML anchors and aliases are not allowed",
        ),
        (
            "anchor-deep-in-lesson",
            btext.replace("  - id: one\n", "  - &q1\n    id: one\n"),
            "(file): YAML anchors and aliases are not allowed",
        ),
        (
            "merge-key-with-alias",
            "base: &b {title: x}\nlesson:\n  <<: *b\n",
            ":1: (file): YAML anchors and aliases are not allowed",
        ),
        (
            "merge-key-inline",
            btext.replace("\ntitle: A test lesson", "\n<<: {title: A test lesson}"),
            "(file): merge keys (<<) are not allowed",
        ),
        (
            "merge-key-in-choice",
            btext.replace("      correct: true\n", "      <<: {correct: true}\n", 1),
            "quiz.questions[0].choices[0]: merge keys (<<) are not allowed",
        ),
        (
            "merge-key-list",
            "id: x\n<<: [{a: 1}, {b: 2}]\n",
            ":2: (file): merge keys (<<) are not allowed",
        ),
        ("duplicate-key-top", "id: a\nid: b\n", ":2: id: duplicate key"),
        (
            "duplicate-key-many",
            "".join(f"title: t{i}\n" for i in range(200)),
            ":200: title: duplicate key",
        ),
        (
            "duplicate-key-nested-flow",
            "quiz: {title: a, title: b}\n",
            ":1: quiz.title: duplicate key",
        ),
        ("duplicate-key-int-and-text", "1: a\n'1': b\n", ":2: 1: duplicate key"),
        ("key-is-a-list", "? [a, b]\n: c\nid: x\n", ":1: (file): a key must be plain text"),
        ("key-is-a-mapping", "id: x\n? {a: 1}\n: c\n", ":2: (file): a key must be plain text"),
        ("key-with-space", "id: x\nkey points: [a]\n", ':2: ["key\\u0020points"]: unknown field'),
        ("key-with-newline", 'id: x\n"a\\nb": 1\n', ':2: ["a\\u000ab"]: unknown field'),
        ("key-with-dot", "id: x\nquiz.title: a\n", ':2: ["quiz.title"]: unknown field'),
        ("key-empty", "id: x\n'': 1\n", ':2: [""]: unknown field'),
        ("key-null", "id: x\n~: 1\n", ':2: ["~"]: unknown field'),
        # libyaml allows 1024 characters in a key written the short way; "? " allows any length.
        (
            "key-very-long",
            "id: x\n" + "k" * 1000 + ": 1\n",
            ':2: ["' + "k" * 39 + '…"]: unknown field',
        ),
        ("key-too-long-for-yaml", "id: x\n" + "k" * 5000 + ": 1\n", ":2: (file): not valid YAML"),
        (
            "key-explicit-very-long",
            "id: x\n? " + "k" * 5000 + "\n: 1\n",
            ':3: ["' + "k" * 39 + '…"]: unknown field',
        ),
        (
            "python-object-tag",
            "id: !!python/object:os.system {}\n",
            ":1: id: YAML tag '!!python/object:os.system' is not allowed",
        ),
        (
            "python-object-apply",
            "id: x\ntitle: !!python/object/apply:os.system [echo hi]\n",
            ":2: title: YAML tag '!!python/object/apply:os.system' is not allowed",
        ),
        (
            "python-name",
            "id: x\ntitle: !!python/name:os.system ''\n",
            ":2: title: YAML tag '!!python/name:os.system'",
        ),
        (
            "python-module",
            "id: x\ntitle: !!python/module:os ''\n",
            ":2: title: YAML tag '!!python/module:os'",
        ),
        (
            "python-tuple",
            "id: x\nobjectives: !!python/tuple [a, b]\n",
            ":2: objectives: YAML tag '!!python/tuple'",
        ),
        (
            "python-object-on-whole-lesson",
            "!!python/object:spasm_edu.content.Lesson\n" + btext,
            ":1: (file): YAML tag '!!python/object:spasm_edu.content.Lesson' is not allowed",
        ),
        (
            "python-object-on-section",
            btext.replace(
                "sections:\n- id: first", "sections:\n- !!python/object:x.Y\n  id: first"
            ),
            "sections[0]: YAML tag '!!python/object:x.Y' is not allowed",
        ),
        (
            "python-tag-on-key",
            "id: x\n!!python/str title: a\n",
            ":2: (file): YAML tag '!!python/str' is not allowed",
        ),
        (
            "binary-tag",
            "id: x\ntitle: !!binary aGVsbG8=\n",
            ":2: title: YAML tag '!!binary' is not allowed",
        ),
        (
            "set-tag",
            "id: x\nobjectives: !!set {a, b}\n",
            ":2: objectives: YAML tag '!!set' is not allowed",
        ),
        ("omap-tag", "id: x\nquiz: !!omap [a: 1]\n", ":2: quiz: YAML tag '!!omap' is not allowed"),
        (
            "pairs-tag",
            "id: x\nquiz: !!pairs [a: 1]\n",
            ":2: quiz: YAML tag '!!pairs' is not allowed",
        ),
        ("custom-local-tag", "id: !lesson x\n", ":1: id: YAML tag '!lesson' is not allowed"),
        (
            "verbatim-tag",
            "id: !<tag:example.org,2026:id> x\n",
            ":1: id: YAML tag 'tag:example.org,2026:id'",
        ),
        ("tag-directive", "%TAG !e! tag:example.org,2026:\n---\nid: !e!x a\n", ":3: id: YAML tag"),
        (
            "value-tag-alone-is-text-but-order-is-not",
            "id: x\norder: =\n",
            ":2: order: expected a whole number, got text",
        ),
        (
            "date-does-not-exist",
            btext.replace("reviewed: 2026-11-01", "reviewed: 2026-02-30"),
            "sections[0].reviewed: '2026-02-30' is not a real date",
        ),
        (
            "date-month-13",
            btext.replace("reviewed: 2026-11-01", "reviewed: 2026-13-45"),
            "sections[0].reviewed: '2026-13-45' is not a real date",
        ),
        (
            "date-hour-25",
            btext.replace("reviewed: 2026-11-01", "reviewed: 2026-11-01T25:00:00"),
            "sections[0].reviewed: '2026-11-01T25:00:00' is not a real date",
        ),
        (
            "date-bad-timezone",
            btext.replace("reviewed: 2026-11-01", "reviewed: 2026-11-01T10:00:00+99:00"),
            "sections[0].reviewed: '2026-11-01T10:00:00+99:00' is not a real date",
        ),
        (
            "date-year-0",
            btext.replace("reviewed: 2026-11-01", "reviewed: 0000-01-01"),
            "sections[0].reviewed: '0000-01-01' is not a real date",
        ),
        (
            "int-5000-digits",
            btext.replace("order: 1", "order: " + "9" * 5000),
            "order: number is too large",
        ),
        (
            "int-base-60-huge",
            btext.replace("id: test-lesson", "id: " + ":".join(["59"] * 3000)),
            ":1: id: number is too large",
        ),
        (
            "int-hex",
            btext.replace("order: 1", "order: 0x1F\norder_hex: yes"),
            "order_hex: unknown field",
        ),
        (
            "float-1e999",
            btext.replace("order: 1", "order: 1.0e+999"),
            "order: expected a whole number, got a number (infinity)",
        ),
        (
            "nan-order",
            btext.replace("order: 1", "order: .nan"),
            "order: expected a whole number, got a number (NaN)",
        ),
        (
            "nan-title-capital",
            btext.replace("title: A test lesson", "title: .NaN"),
            "title: expected text, got a number (NaN)",
        ),
        (
            "inf-negative-order",
            btext.replace("order: 1", "order: -.inf"),
            "order: expected a whole number, got a number (infinity)",
        ),
        (
            "null-tilde-title",
            btext.replace("title: A test lesson", "title: ~"),
            "title: must not be empty",
        ),
        (
            "null-empty-value",
            btext.replace("title: A test lesson", "title:"),
            "title: must not be empty",
        ),
        (
            "yes-as-bool-choice-id",
            btext.replace("id: 'true'", "id: yes"),
            "expected an id, got true/false",
        ),
        (
            "deep-brackets-10k",
            "a: " + "[" * 10_000 + "]" * 10_000 + "\n",
            "(file): nested too deeply",
        ),
        (
            "deep-braces-10k",
            "a: " + "{" * 10_000 + "}" * 10_000 + "\n",
            "(file): nested too deeply",
        ),
        ("deep-unclosed-brackets-10k", "[" * 10_000, "(file): "),
        ("deep-block-sequence", "- " * 5000 + "x\n", "(file): nested too deeply"),
        (
            "deep-block-mapping",
            "".join(" " * i + f"k{i}:\n" for i in range(60)) + " " * 60 + "v\n",
            ":21: (file): nested too deeply (more than 20 levels)",
        ),
        (
            "deep-21-in-objectives",
            btext.replace("- Know the thing.", "- " + "[" * 21 + "x" + "]" * 21),
            "(file): nested too deeply",
        ),
        (
            "many-values",
            "id: x\nobjectives: [" + ",".join(["a"] * 21_000) + "]\n",
            ":2: (file): more than 20,000 YAML values",
        ),
        (
            "many-keys",
            "".join(f"k{i}: 1\n" for i in range(10_500)),
            "(file): more than 20,000 YAML values",
        ),
        (
            "long-line-id",
            btext.replace("id: test-lesson", "id: " + "A" * 50_000),
            ":1: id: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA…' is not a valid id",
        ),
        (
            "long-line-unclosed-quote",
            'id: x\ntitle: "' + "word " * 4_000 + "\n",
            "(file): not valid YAML",
        ),
        (
            "long-line-html-at-end",
            btext.replace(
                "summary: A lesson used by the tests.",
                "summary: " + "plain words " * 2000 + "<script>",
            ),
            "summary: HTML is not allowed",
        ),
        (
            "long-line-diagnosis-at-end",
            btext.replace("body: ", "body: " + "and more " * 2500 + "so you have a strain. ", 1),
            "sections[0].body: 'you have' reads like a diagnosis",
        ),
        (
            "cr-only-line-endings",
            btext.replace("order: 1", "order: first").replace("\n", "\r"),
            ":2: order: expected a whole number, got text",
        ),
        (
            "mixed-line-endings",
            btext.replace("\n", "\r\n", 5).replace("order: 1", "order: x"),
            ":2: order: expected a whole number, got text",
        ),
        ("nel-line-separator-in-key", 'id: x\n"a\\Nb": 1\n', ':2: ["a\\u0085b"]: unknown field'),
        (
            "line-separator-in-title",
            'id: x\ntitle: "a\\Lb <b>"\n',
            ":2: title: HTML is not allowed",
        ),
        (
            "json-lesson-dates-as-text",
            json.dumps(b, default=str)[:-1] + ",}",
            "sections[0].reviewed: expected a date like 2026-11-25, got text",
        ),
        (
            "markdown-file",
            "# What is a back spasm?\n\nSome **text**.\n\n- a list\n",
            "(file): expected a mapping of fields, got text",
        ),
        (
            "html-file",
            "<!doctype html><html><body>hi</body></html>\n",
            ":1: (file): expected a mapping of fields, got text",
        ),
        (
            "python-file",
            "import os\nos.system('rm -rf /')\n",
            "(file): expected a mapping of fields, got text",
        ),
        ("ini-file", "[lesson]\nid = x\n", "(file): not valid YAML"),
    ]
    for what, content, expected in raw:
        c.add(f"raw__raw__{what}", content, expected)
    # An alias bomb ("billion laughs"): refused at the first anchor, before anything expands.
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    c.add(
        "raw__raw__alias-bomb-billion-laughs",
        "\n".join(bomb) + "\n",
        ":1: (file): YAML anchors and aliases are not allowed",
    )
    c.add(
        "raw__raw__alias-bomb-inside-lesson",
        btext.replace(
            "title: A test lesson", "title: A test lesson\nx: &x [lol, lol]\ny: [*x, *x, *x, *x]"
        ),
        "(file): YAML anchors and aliases are not allowed",
    )
    c.add(
        "raw__raw__alias-bomb-quadratic",
        "a: &a " + "x" * 1000 + "\nb: [" + ", ".join(["*a"] * 5000) + "]\n",
        ":1: (file): YAML anchors and aliases are not allowed",
    )
    c.add("duplicate-key__raw__flow__id", "{id: a, order: 1, id: b}\n", ":1: id: duplicate key")


# ---------------------------------------------------------------- review dates, made at test time


def with_review_dates(
    doc: Doc, today: dt.date, section: int = 0, reviewed: dt.date | None = None
) -> str:
    """`doc` as text with every section reviewed `today`, except `section`, reviewed `reviewed`."""
    doc = copy.deepcopy(doc)
    for each in doc["sections"]:
        # A new date object each time: PyYAML writes an object it meets twice as an anchor and
        # an alias, which the reader refuses.
        each["reviewed"] = dt.date(today.year, today.month, today.day)
    if reviewed is not None:
        doc["sections"][section]["reviewed"] = reviewed
    return dump(doc)


def date_cases(today: dt.date) -> dict[str, tuple[str, str]]:
    """The cases whose verdict depends on the day, made relative to `today` when a test runs.

    Name -> (lesson text, expected problem), as in the corpus. They are never written to the
    corpus: a file "reviewed tomorrow" made once is valid a day later. All other review dates
    are `today`, so each case still breaks one rule only.
    """
    builder, lessons = full_builder(), shipped()
    lesson04, lesson05 = lessons["lesson04"][1], lessons["lesson05"][1]
    last = len(lesson04["sections"]) - 1
    # name: (base, section, days from today to its review date)
    cases: dict[str, tuple[Doc, int, int]] = {
        "rule__builder__sections.0.reviewed__old-review-date": (builder, 0, -3 * 365),
        "rule__builder__sections.0.reviewed__review-date-just-over-two-years": (builder, 0, -732),
        "rule__builder__sections.0.reviewed__review-date-tomorrow": (builder, 0, 1),
        "rule__builder__sections.0.reviewed__future-review-date": (builder, 0, 3 * 365),
        f"rule__lesson04__sections.{last}.reviewed__old-review-date": (lesson04, last, -7 * 365),
        "rule__lesson05__sections.1.reviewed__future-review-date": (lesson05, 1, 4 * 365),
    }
    out = {}
    for name, (doc, section, offset) in cases.items():
        reviewed = today + dt.timedelta(days=offset)
        problem = (
            f"review date {reviewed} is more than two years old"
            if offset < 0
            else "review date is in the future"
        )
        out[f"{name}.yaml"] = (
            with_review_dates(doc, today, section, reviewed),
            f"sections[{section}].reviewed: {problem}",
        )
    return out


def committed() -> Corpus:
    """The hand-written cases: what corpus/ holds, with EXPECTED.json."""
    c = Corpus()
    add_raw(c, full_builder())
    return c


def generated() -> Corpus:
    """Every case made by breaking a valid document: made when the tests run, never committed."""
    builder = full_builder()
    lessons = shipped()
    c = Corpus()
    final = final_quiz(lessons)
    add_missing_fields(c, {"builder": builder, final: lessons[final][1]})
    add_wrong_types(c, {"builder": builder})
    add_empty_mappings(c, builder)
    add_duplicates(c, builder)
    add_rules(c, builder)
    add_final_quiz_rules(c, final, lessons[final][1])
    add_shipped_lesson_cases(c, lessons)
    return c


def write(c: Corpus, folder: Path) -> None:
    """Write the cases of `c` into `folder` (emptied first) with their EXPECTED.json."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    for name, content in c.files.items():
        if isinstance(content, dict):
            (folder / name).mkdir()
            for file, data in content.items():
                (folder / name / file).write_bytes(data)
        else:
            (folder / name).write_bytes(content)
    (folder / "EXPECTED.json").write_text(
        json.dumps(c.expected, indent=1, sort_keys=True, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )


def main() -> None:
    c = committed()
    write(c, CORPUS)
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    print(f"{len(c.files)} hand-written cases, {size:,} bytes in {CORPUS}")
    counts: dict[str, int] = {}
    for name in generated().files:
        counts[name.split("__")[0]] = counts.get(name.split("__")[0], 0) + 1
    print(f"{sum(counts.values())} cases made when the tests run:")
    for category, count in sorted(counts.items()):
        print(f"  {category:16} {count}")
    assert size < MAX_CORPUS_BYTES, f"corpus is {size:,} bytes, over {MAX_CORPUS_BYTES:,}"


if __name__ == "__main__":
    main()
