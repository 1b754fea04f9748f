"""Every malformed lesson file is rejected with a clear `file:line: field: problem`, fast.

The cases come from make_corpus.py: the hand-written ones are committed in corpus/ (run the script
again after changing them), the rest (the builder lesson's matrix and rules, the shipped lessons
broken) are made at collection and written once per session into a temporary folder. Each case
says which rule must fire. Cases too big to keep in the repository, and cases whose verdict
depends on the day (review dates), are made here too. Every check runs against a given day, never
the machine's clock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
import yaml

from spasm_edu.content import CONTENT_DIR, Problem, check_paths
from spasm_edu.content import _yaml as reader
from spasm_edu.content.loader import MAX_REVIEW_AGE, load_course
from tests.robustness.make_corpus import (
    CORPUS,
    MAX_CORPUS_BYTES,
    TODAY,
    committed,
    date_cases,
    dump,
    full_builder,
    generated,
    shipped,
    with_review_dates,
    write,
)

LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
# A hang guard, not a benchmark (timings are in benchmarks/): a file that takes this long has hit
# a hang or a blow-up. Generous, so that a loaded machine does not fail it.
HANG_GUARD_SECONDS = 10.0
COMMITTED: dict[str, str] = json.loads((CORPUS / "EXPECTED.json").read_text(encoding="utf-8"))
# Made in memory here (about a second), so that each case is a test; written by generated_corpus.
GENERATED = generated()
EXPECTED = {**COMMITTED, **GENERATED.expected}
CASES = sorted(EXPECTED)


@pytest.fixture(scope="session")
def generated_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The generated cases as files, with their EXPECTED.json: the folder to read them from."""
    folder = tmp_path_factory.mktemp("generated") / "corpus"
    write(GENERATED, folder)
    return folder


def case_path(case: str, generated_corpus: Path) -> Path:
    return (CORPUS if case in COMMITTED else generated_corpus) / case


def timed_check(paths: list[Path]) -> tuple[list[Problem], float]:
    start = time.perf_counter()
    problems = check_paths(paths, today=TODAY)
    return problems, time.perf_counter() - start


def assert_well_formed(problems: list[Problem]) -> None:
    for problem in problems:
        text = str(problem)
        assert LINE.match(text), f"not file:line: field: problem: {text!r}"
        assert len(text.splitlines()) == 1, f"more than one line: {text!r}"
        assert problem.line >= 1


def read_case(path: Path) -> bytes | dict[str, bytes]:
    """A case as make_corpus.Corpus holds it: a file's bytes, or a folder's files."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in path.iterdir()}
    return path.read_bytes()


def test_the_committed_corpus_is_what_make_corpus_writes() -> None:
    made = committed()
    on_disk = {p.name for p in CORPUS.iterdir() if p.name != "EXPECTED.json"}
    assert on_disk == set(made.files), "run tests/robustness/make_corpus.py"
    assert made.expected == COMMITTED, "run tests/robustness/make_corpus.py"
    stale = [name for name, content in made.files.items() if read_case(CORPUS / name) != content]
    assert not stale, f"run tests/robustness/make_corpus.py: {stale}"
    assert all(name.split("__")[1] == "raw" for name in made.files), "only hand-written cases"
    size = sum(p.stat().st_size for p in CORPUS.rglob("*") if p.is_file())
    assert size < MAX_CORPUS_BYTES


def test_the_generated_cases_cover_the_matrix_and_every_lesson() -> None:
    assert not set(COMMITTED) & set(GENERATED.expected)
    categories = {name.split("__")[0] for name in GENERATED.files}
    assert {"missing", "type", "bad-id", "empty-mapping", "rule", "html"} <= categories
    assert len(GENERATED.files) >= 500
    bases = {name.split("__")[1] for name in GENERATED.files}
    assert set(shipped()) | {"builder"} == bases, "every shipped lesson is broken somewhere"


def test_the_bases_of_the_corpus_are_valid(tmp_path: Path) -> None:
    # Proves that each problem below comes from what the case broke, not from its base.
    path = tmp_path / "01-builder.yaml"
    path.write_text(dump(full_builder()), encoding="utf-8")
    assert check_paths([path], today=TODAY) == []
    assert check_paths([CONTENT_DIR / "lessons"], today=TODAY) == []


@pytest.mark.parametrize("case", CASES)
def test_each_bad_file_is_rejected_with_the_right_problem(
    case: str, generated_corpus: Path
) -> None:
    problems, seconds = timed_check([case_path(case, generated_corpus)])
    assert problems, f"{case} was accepted"
    assert_well_formed(problems)
    # The problem without its file name, so an expectation can pin ":line: field: message".
    found = [f":{p.line}: {p.field}: {p.message}" for p in problems]
    assert any(EXPECTED[case] in text for text in found), (
        f"expected {EXPECTED[case]!r} in:\n" + "\n".join(found)
    )
    assert seconds < HANG_GUARD_SECONDS, f"{case} took {seconds:.2f} s"


def run_cli(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("spasm-edu")
    head = [str(script)] if script.exists() else [sys.executable, "-m", "spasm_edu.cli"]
    return subprocess.run(
        [*head, "validate", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def test_the_cli_rejects_the_whole_corpus_one_line_per_problem(generated_corpus: Path) -> None:
    paths = {case: case_path(case, generated_corpus) for case in CASES}
    folders = [path for path in paths.values() if path.is_dir()]
    result = run_cli(CORPUS, generated_corpus, *folders, "--today", TODAY.isoformat())
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    problems = check_paths([CORPUS, generated_corpus, *folders], today=TODAY)
    assert len(lines) == len(problems)
    assert result.stderr.strip() == f"{len(problems)} problem(s) found."
    by_file: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        match = LINE.match(line)
        assert match, f"not file:line: field: problem: {line!r}"
        by_file[Path(match["file"]).name].append(line)
    for case, path in paths.items():
        names = [p.name for p in path.iterdir()] if path.is_dir() else [case]
        assert any(by_file.get(name) for name in names), f"no problem printed for {case}"


# ---------------------------------------------------------------- review dates, against a given day

# The corpus day, a leap day, and one far ahead: the cases move with the day they are checked on.
DAYS = [TODAY, dt.date(2028, 2, 29), dt.date(2031, 6, 30)]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_review_dates_are_judged_against_the_given_day(tmp_path: Path, today: dt.date) -> None:
    cases = date_cases(today)
    for name, (text, _expected) in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    for name, (_text, expected) in cases.items():
        problems = check_paths([tmp_path / name], today=today)
        found = [f":{p.line}: {p.field}: {p.message}" for p in problems]
        assert len(found) == 1 and expected in found[0], (name, expected, found)
    # The CLI takes the day too: the same problems, one line each.
    result = run_cli(tmp_path, "--today", today.isoformat())
    assert result.returncode == 1
    assert result.stdout.splitlines() == [str(p) for p in check_paths([tmp_path], today=today)]
    assert len(result.stdout.splitlines()) == len(cases)


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_review_dates_on_the_edges_are_fine(tmp_path: Path, today: dt.date) -> None:
    path = tmp_path / "01-edge.yaml"
    for reviewed in (today, today - MAX_REVIEW_AGE):  # reviewed today; exactly two years ago
        path.write_text(with_review_dates(full_builder(), today, 0, reviewed), encoding="utf-8")
        assert check_paths([path], today=today) == [], reviewed
        assert run_cli(path, "--today", today.isoformat()).returncode == 0


# ---------------------------------------------------------------- too big to keep in the repository


def lesson_text() -> str:
    return dump(full_builder())


def big_cases() -> dict[str, tuple[bytes, str]]:
    text = lesson_text()
    many = "".join(f"  - v{i}\n" for i in range(150_000))
    return {
        "over-1-mb": (
            (text + "#" * 1_000_000).encode(),
            ":1: (file): file is larger than 1,000,000",
        ),
        "exactly-1-mb-plus-1": (b"a" * 1_000_001, ":1: (file): file is larger than 1,000,000"),
        "just-under-1-mb-of-small-values": (
            ("objectives:\n" + many)[:999_990].rsplit("\n", 1)[0].encode() + b"\n",
            "(file): more than 20,000 YAML values",
        ),
        "just-under-1-mb-one-line": (
            text.replace(
                "summary: A lesson used by the tests.", "summary: " + "word " * 190_000 + "<b>"
            ).encode(),
            "summary: HTML is not allowed",
        ),
        "just-under-1-mb-of-brackets": (b"[" * 999_000, "(file): nested too deeply"),
        "just-under-1-mb-of-keys": (
            "".join(f"k{i}: {i}\n" for i in range(65_000)).encode(),
            "(file): more than 20,000 YAML values",
        ),
    }


@pytest.mark.parametrize("name", list(big_cases()))
def test_big_files_are_rejected_quickly(tmp_path: Path, name: str) -> None:
    content, expected = big_cases()[name]
    assert (
        len(content) > 1_000_000 if "over" in name or "plus" in name else len(content) <= 1_000_000
    )
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(content)
    problems, seconds = timed_check([path])
    assert_well_formed(problems)
    found = [f":{p.line}: {p.field}: {p.message}" for p in problems]
    assert any(expected in text for text in found), found
    assert seconds < HANG_GUARD_SECONDS, f"{name} took {seconds:.2f} s"


def test_a_huge_sparse_file_is_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(4 * 1024**3)  # 4 GB, but sparse: no disk used
    problems, seconds = timed_check([path])
    assert [p.message for p in problems] == ["file is larger than 1,000,000 bytes"]
    assert seconds < HANG_GUARD_SECONDS


def test_a_named_pipe_does_not_block(tmp_path: Path) -> None:
    (tmp_path / "pipe.yaml").unlink(missing_ok=True)
    os.mkfifo(tmp_path / "pipe.yaml")
    # Through the CLI, with a timeout: a regression would hang the test run otherwise.
    result = run_cli(tmp_path, timeout=30)
    assert result.returncode == 1
    assert f"{tmp_path / 'pipe.yaml'}:1: (file): not a regular file" in result.stdout


def test_unreadable_paths_are_problems_not_tracebacks(tmp_path: Path) -> None:
    (tmp_path / "folder.yaml").mkdir()  # a folder that the *.yaml glob picks up
    paths = [tmp_path, tmp_path / ("x" * 5000), Path("nul\0byte.yaml")]
    problems, _seconds = timed_check(paths)
    assert_well_formed(problems)
    assert {p.file for p in problems} == {
        str(path) for path in (tmp_path / "folder.yaml", *paths[1:])
    }


# ---------------------------------------------------------------- the pure-Python reader


@pytest.mark.slow  # PyYAML's Python parser: about ten seconds for the hand-written cases
def test_the_pure_python_reader_gives_problems_too(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without libyaml the reader falls back to PyYAML's Python code: no tracebacks there either.

    Only well-formed problems are required: the two parsers word syntax errors differently.
    """
    monkeypatch.setattr(reader, "_LOADER", yaml.SafeLoader)
    for case in sorted(COMMITTED):  # the hand-written cases: text the reader must survive
        problems, seconds = timed_check([CORPUS / case])
        assert problems, case
        assert_well_formed(problems)
        assert seconds < HANG_GUARD_SECONDS, f"{case} took {seconds:.2f} s"


# ---------------------------------------------------------------- one broken lesson


@pytest.mark.parametrize(
    "case",
    [
        "raw__raw__alias-bomb-billion-laughs.yaml",
        "raw__raw__deep-brackets-10k.yaml",
        "raw__raw__binary-garbage.yaml",
        "raw__raw__empty.yaml",
        "raw__raw__top-level-list.yaml",
        "raw__raw__python-object-on-whole-lesson.yaml",
        "type__builder__quiz__null.yaml",
    ],
)
def test_a_broken_lesson_does_not_stop_the_others_loading(
    tmp_path: Path, case: str, generated_corpus: Path
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    # A broken causes lesson still calls itself causes.
    text = case_path(case, generated_corpus).read_bytes()
    text = text.replace(b"id: test-lesson", b"id: causes", 1)
    (content / "lessons" / "02-causes.yaml").write_bytes(text)
    course, broken = load_course(content, strict=False, today=TODAY)
    assert list(broken) == ["causes"]
    assert broken["causes"], "the broken lesson's problems are reported"
    assert all(LINE.match(str(p)) for p in broken["causes"])
    ids = [lesson.id for lesson in course.lessons]
    assert "causes" not in ids
    assert ids == [
        "what-is-a-back-spasm",
        "risk-factors",
        "symptoms",
        "home-care",
        "medicines-and-care",
        "when-to-see-a-doctor",
        "living-with-your-back",
        "final-quiz",
    ]
