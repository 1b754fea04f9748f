"""Property tests: mutate the valid lesson files at random; the validator never breaks.

Whatever the mutation (fields dropped, replaced, duplicated or renamed at random paths, random
values, flipped bytes, inserted YAML syntax, truncation), check_paths returns well-formed
`file:line: field: problem` lines, never raises and never hangs. Where the mutation has a known
answer (a required field deleted), the right problem must be among them.

Repeatable: derandomize=True gives the same examples on every run and machine.
"""

from __future__ import annotations

import copy
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spasm_edu.content import CONTENT_DIR, Problem, check_paths
from tests.robustness.make_corpus import (
    FIELD_KINDS,
    TODAY,
    dump,
    field_name,
    full_builder,
    get,
    mappings,
    missing_message,
    required,
)

# About a minute in all: `make test` runs these, `make test-fast` does not.
pytestmark = pytest.mark.slow

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
# A hang guard, not a benchmark (timings are in benchmarks/): generous, so that a loaded machine
# does not fail it; a call this slow has hit a hang or a blow-up.
HANG_GUARD_SECONDS = 10.0

FUZZ = settings(
    derandomize=True,  # the same examples on every run: CI is repeatable
    database=None,  # nothing written into the repository
    deadline=None,  # no per-example time limit: the hang guard in check() is the only one
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fuzz(examples: int) -> settings:
    """FUZZ with a number of examples: about 60 s for the whole file."""
    return settings(FUZZ, max_examples=examples)


TEXTS: dict[str, str] = {"builder": dump(full_builder())}
TEXTS.update(
    {
        p.stem: p.read_text(encoding="utf-8")
        for p in sorted((CONTENT_DIR / "lessons").glob("*.yaml"))
    }
)
DATA: dict[str, Any] = {name: yaml.safe_load(text) for name, text in TEXTS.items()}
FIELDS = sorted({key for keys in FIELD_KINDS.values() for key in keys})


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def check(folder: Path, content: bytes | str) -> list[Problem]:
    """check_paths on one file: it returns, and every problem is one well-formed line."""
    path = folder / "01-fuzz.yaml"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    start = time.perf_counter()
    problems = check_paths([path], today=TODAY)
    seconds = time.perf_counter() - start
    assert seconds < HANG_GUARD_SECONDS, f"took {seconds:.2f} s"
    for problem in problems:
        text = str(problem)
        assert LINE.match(text), f"not file:line: field: problem: {text!r}"
        assert len(text.splitlines()) == 1, f"more than one line: {text!r}"
        assert problem.line >= 1
        assert problem.file == str(path)
    return problems


def test_the_bases_are_valid(workdir: Path) -> None:
    for name, text in TEXTS.items():
        assert check(workdir, text) == [], name


# ---------------------------------------------------------------- random values and documents

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.dates()
    | st.datetimes()
    | st.sampled_from(
        [
            "",
            " ",
            "<b>x</b>",
            "You have a strain.",
            "R8",
            "true",
            "a--b",
            "bed-rest-cures",
            "single",
            "match",
            "what-is-a-back-spasm",
        ]
    )
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths_in(doc: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every value below the top of `doc`."""
    items = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from paths_in(value, (*prefix, key))


def mutate(doc: Any, path: tuple[str | int, ...], op: str, value: Any, key: str) -> None:
    parent, last = get(doc, path[:-1]), path[-1]
    if op == "drop":
        del parent[last]
    elif op == "replace":
        parent[last] = value
    elif op == "duplicate" and isinstance(parent, list):
        parent.insert(int(last), copy.deepcopy(parent[int(last)]))  # duplicate ids follow
    elif op == "duplicate":
        parent[key] = copy.deepcopy(parent[last])  # the same value under another field
    elif op == "rename" and isinstance(parent, dict):
        parent[key] = parent.pop(last)


@fuzz(600)
@given(base=st.sampled_from(sorted(DATA)), data=st.data())
def test_structural_mutations(workdir: Path, base: str, data: st.DataObject) -> None:
    doc = copy.deepcopy(DATA[base])
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        paths = list(paths_in(doc))
        if not paths:
            break
        path = data.draw(st.sampled_from(paths), label="path")
        op = data.draw(st.sampled_from(["drop", "replace", "duplicate", "rename"]), label="op")
        value = data.draw(values, label="value") if op == "replace" else None
        key = data.draw(st.sampled_from(FIELDS) | st.text(max_size=8), label="key")
        mutate(doc, path, op, value, key)
    check(workdir, dump(doc))


@fuzz(300)
@given(base=st.sampled_from(sorted(DATA)), data=st.data())
def test_deleting_any_required_field_is_reported(
    workdir: Path, base: str, data: st.DataObject
) -> None:
    doc = copy.deepcopy(DATA[base])
    final = doc.get("kind") == "quiz"
    choices = [
        (path, role, key)
        for path, role, qtype in mappings(doc)
        for key in required(role, qtype, final)
        if key in get(doc, path)
    ]
    path, role, key = data.draw(st.sampled_from(choices), label="field")
    del get(doc, path)[key]
    found = [f"{p.field}: {p.message}" for p in check(workdir, dump(doc))]
    expected = f"{field_name(path)}: {missing_message(role, key)}"
    assert any(text.startswith(expected) for text in found), (expected, found)


@fuzz(300)
@given(doc=values)
def test_random_documents(workdir: Path, doc: Any) -> None:
    assert check(workdir, dump(doc))  # nothing random is a valid lesson


@fuzz(300)
@given(
    text=st.text(max_size=300)
    | st.lists(
        st.sampled_from(
            [
                "id: x",
                "- ",
                "  ",
                "\t",
                ": ",
                "[",
                "]",
                "{",
                "}",
                "&a ",
                "*a",
                "!!python/object ",
                "<<: ",
                "---",
                "...",
                "? ",
                "|",
                ">",
                "'",
                '"',
                "#",
                "\n",
                "%YAML 1.1",
                "\ufeff",
                "\x00",
                "\u2028",
            ]
        ),
        max_size=60,
    ).map("".join)
)
def test_random_text(workdir: Path, text: str) -> None:
    check(workdir, text)


@fuzz(200)
@given(raw=st.binary(max_size=400))
def test_random_bytes(workdir: Path, raw: bytes) -> None:
    check(workdir, raw)


# ---------------------------------------------------------------- byte-level damage to real files

SNIPPETS = [
    b"&a ",
    b"*a",
    b"<<: ",
    b"!!python/object:os.system ",
    b"!!binary ",
    b"[",
    b"{",
    b"]",
    b"}",
    b"\t",
    b"- ",
    b": ",
    b"---\n",
    b"...\n",
    b"? ",
    b"|",
    b">",
    b"'",
    b'"',
    b"#",
    b"\n",
    b"\r",
    b"\x00",
    b"\xff",
    b"\xc3",
    b"\xef\xbb\xbf",
    b".nan",
    b"~",
    b"<b>",
    b"2026-13-45",
    b"9" * 5000,
    b"[" * 500,
    b"\n  ",
    "\u2028".encode(),
]


@fuzz(1000)
@given(base=st.sampled_from(sorted(TEXTS)), data=st.data())
def test_byte_mutations(workdir: Path, base: str, data: st.DataObject) -> None:
    raw = bytearray(TEXTS[base].encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 5), label="mutations")):
        at = data.draw(st.integers(0, max(len(raw) - 1, 0)), label="at")
        op = data.draw(
            st.sampled_from(["flip", "insert", "delete", "truncate", "line"]), label="op"
        )
        if op == "flip" and raw:
            raw[at] = data.draw(st.integers(0, 255), label="byte")
        elif op == "insert":
            raw[at:at] = data.draw(
                st.sampled_from(SNIPPETS) | st.binary(min_size=1, max_size=8), label="snippet"
            )
        elif op == "delete":
            del raw[at : at + data.draw(st.integers(1, 200), label="length")]
        elif op == "truncate":
            del raw[at:]
        else:  # duplicate or drop a whole line: duplicate keys, broken indentation
            lines = bytes(raw).split(b"\n")
            i = data.draw(st.integers(0, len(lines) - 1), label="line")
            lines[i : i + 1] = [] if data.draw(st.booleans(), label="drop") else [lines[i]] * 2
            raw = bytearray(b"\n".join(lines))
    check(workdir, bytes(raw))
