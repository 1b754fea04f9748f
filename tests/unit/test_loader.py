"""The content loader: valid files load; each broken rule gives file:line: field: problem."""

from __future__ import annotations

import copy
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from spasm_edu.content import check_paths, load_course
from tests.support.lessons import valid_lesson, write_lesson

TODAY = dt.date(2026, 11, 25)
LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")


def problems_for(tmp_path: Path, data: Any) -> list[str]:
    path = write_lesson(tmp_path, data)
    return [str(p) for p in check_paths([path], today=TODAY)]


def test_valid_lesson_has_no_problems(tmp_path: Path) -> None:
    assert problems_for(tmp_path, valid_lesson()) == []


def mutate(change: Any) -> dict[str, Any]:
    data = valid_lesson()
    change(data)
    return data


CASES = [
    ("missing title", lambda d: d.pop("title"), "(file)", "missing field 'title'"),
    ("wrong type", lambda d: d.update(title=["x"]), "title", "expected text, got a list"),
    ("order not a number", lambda d: d.update(order="one"), "order", "expected a whole number"),
    ("unknown field", lambda d: d.update(titel="x"), "titel", "unknown field"),
    (
        "duplicate question id",
        lambda d: d["quiz"]["questions"][1].update(id="one"),
        "quiz.questions[1].id",
        "duplicate question id 'one'",
    ),
    (
        "duplicate section id",
        lambda d: d["sections"].append(copy.deepcopy(d["sections"][0])),
        "sections[1].id",
        "duplicate section id 'first'",
    ),
    (
        "single with 0 correct",
        lambda d: d["quiz"]["questions"][0]["choices"][0].update(correct=False),
        "quiz.questions[0].choices",
        "exactly 1 correct choice, has 0",
    ),
    (
        "single with 2 correct",
        lambda d: d["quiz"]["questions"][0]["choices"][1].update(correct=True),
        "quiz.questions[0].choices",
        "exactly 1 correct choice, has 2",
    ),
    (
        "choice without feedback",
        lambda d: d["quiz"]["questions"][0]["choices"][2].pop("feedback"),
        "quiz.questions[0].choices[2]",
        "choice has no feedback",
    ),
    (
        "unknown question type",
        lambda d: d["quiz"]["questions"][0].update(type="essay"),
        "quiz.questions[0].type",
        "unknown question type 'essay'",
    ),
    (
        "unknown lesson referenced",
        lambda d: d["quiz"]["questions"][0].update(topic="no-such-lesson"),
        "quiz.questions[0].topic",
        "unknown lesson 'no-such-lesson'",
    ),
    (
        "unknown source",
        lambda d: d["sections"][0].update(sources=["R999"]),
        "sections[0].sources[0]",
        "unknown source 'R999'",
    ),
    (
        "no sources",
        lambda d: d["sections"][0].update(sources=[]),
        "sections[0].sources",
        "needs at least 1 entries",
    ),
    (
        "old review date",
        lambda d: d["sections"][0].update(reviewed=dt.date(2020, 1, 1)),
        "sections[0].reviewed",
        "more than two years old",
    ),
    (
        "review date not a date",
        lambda d: d["sections"][0].update(reviewed="soon"),
        "sections[0].reviewed",
        "expected a date",
    ),
    (
        "too few questions",
        lambda d: d["quiz"].update(questions=d["quiz"]["questions"][:4]),
        "quiz.questions",
        "needs at least 5 entries",
    ),
    ("bad id", lambda d: d.update(id="Bad Id"), "id", "is not a valid id"),
    (
        "html in text",
        lambda d: d.update(summary="<script>alert(1)</script>"),
        "summary",
        "HTML is not allowed",
    ),
    (
        "unknown misconception",
        lambda d: d["quiz"]["questions"][3]["choices"][1].update(misconception="nope"),
        "quiz.questions[3].choices[1].misconception",
        "unknown misconception",
    ),
    (
        "true_false wrong ids",
        lambda d: d["quiz"]["questions"][2]["choices"][0].update(id="yes"),
        "quiz.questions[2].choices",
        "exactly the choices 'true' and 'false'",
    ),
    (
        "match answer unknown group",
        lambda d: d["quiz"]["questions"][4]["items"][0].update(answer="g9"),
        "quiz.questions[4].items[0].answer",
        "unknown group 'g9'",
    ),
    (
        "order item without feedback",
        lambda d: d["quiz"]["questions"][5]["items"][1].pop("feedback"),
        "quiz.questions[5].items[1]",
        "item has no feedback",
    ),
    (
        "missing image file",
        lambda d: d["sections"][0].update(
            image={"file": "nothing.svg", "alt": "a", "caption": "b"}
        ),
        "sections[0].image.file",
        "no picture 'nothing.svg'",
    ),
    (
        "NaN as title",
        lambda d: d.update(title=float("nan")),
        "title",
        "expected text, got a number",
    ),
    # Safety questions: `safety: true` needs a safety verdict, and a verdict needs the mark.
    (
        "safety question without a safety verdict",
        lambda d: d["quiz"]["questions"][0].update(safety=True),
        "quiz.questions[0].safety",
        "a safety question needs a safety verdict",
    ),
    (
        "Not safe in a question without safety: true",
        lambda d: d["quiz"]["questions"][0]["choices"][1].update(feedback="Not safe. It hurts."),
        "quiz.questions[0].choices[1].feedback",
        "feedback says 'Not safe' but the question has no 'safety: true'",
    ),
    (
        "Not safe without a reason",
        lambda d: (
            d["quiz"]["questions"][0].update(safety=True),
            d["quiz"]["questions"][0]["choices"][1].update(feedback="Not safe: wait."),
        ),
        "quiz.questions[0].choices[1].feedback",
        "say why it is not safe",
    ),
    (
        "Not safe on the right choice",
        lambda d: (
            d["quiz"]["questions"][0].update(safety=True),
            d["quiz"]["questions"][0]["choices"][0].update(feedback="Not safe. This is wrong."),
        ),
        "quiz.questions[0].choices[0].feedback",
        "a right choice cannot be 'Not safe'",
    ),
    (
        "Not safe on a match item",
        lambda d: d["quiz"]["questions"][4]["items"][0].update(feedback="Not safe. Call now."),
        "quiz.questions[4].items[0].feedback",
        "an item's feedback shows for right answers too",
    ),
    (
        "safety not true or false",
        lambda d: d["quiz"]["questions"][0].update(safety="yes"),
        "quiz.questions[0].safety",
        "expected true or false, got text",
    ),
    (
        "safety on an order question",
        lambda d: d["quiz"]["questions"][5].update(safety=True),
        "quiz.questions[5].safety",
        "an order question cannot be a safety question",
    ),
    (
        "safety match where nothing can be sorted too low",
        lambda d: (
            d["quiz"]["questions"][4].update(safety=True),
            [i.update(answer="g2") for i in d["quiz"]["questions"][4]["items"]],
        ),
        "quiz.questions[4].safety",
        "list the groups from most to least urgent",
    ),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_each_rule_names_file_line_and_field(
    tmp_path: Path, change: Any, field: str, message: str
) -> None:
    found = problems_for(tmp_path, mutate(change))
    parsed = [LINE.match(p) for p in found]
    assert all(parsed), found
    hits = [m for m in parsed if m and m["field"] == field and message in m["message"]]
    assert hits, f"expected {field}: {message} in {found}"
    assert hits[0]["file"].endswith("01-test-lesson.yaml")
    assert int(hits[0]["line"]) >= 1


def test_a_safety_question_with_its_verdict_is_valid(tmp_path: Path) -> None:
    def safe(d: dict[str, Any]) -> None:
        one, match = d["quiz"]["questions"][0], d["quiz"]["questions"][4]
        one["safety"] = True
        one["choices"][1]["feedback"] = "Not safe: this needs help now. Waiting can harm you."
        match["safety"] = True  # g1 before g2: g1 is the more urgent group

    assert problems_for(tmp_path, mutate(safe)) == []


def test_a_missing_safety_verdict_names_the_file_line_and_field(tmp_path: Path) -> None:
    data = mutate(lambda d: d["quiz"]["questions"][0].update(safety=True))
    path = write_lesson(tmp_path, data)
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.strip() == "safety: true")
    assert [str(p) for p in check_paths([path], today=TODAY)] == [
        f"{path}:{line}: quiz.questions[0].safety: a safety question needs a safety verdict: "
        "start the feedback of each unsafe wrong choice with 'Not safe.' and say why"
    ]
    # The same question in the shipped style passes once its unsafe choice says "Not safe".
    data["quiz"]["questions"][0]["choices"][2]["feedback"] = "NOT SAFE! It can do harm."
    assert problems_for(tmp_path, data) == []


def test_line_numbers_point_at_the_field(tmp_path: Path) -> None:
    text = (
        "id: x\norder: 1\ntitle: T\nsummary: S\nobjectives: [a]\nkey_points: [b]\n"
        "sections:\n  - id: s\n    title: 7\n"
    )
    found = problems_for(tmp_path, text)
    assert any(":9: sections[0].title: expected text, got a number" in p for p in found), found


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "file is empty"),
        (b"id: x\ntitle: [unclosed\n", "not valid YAML"),
        (b"id: x\ntitle: \xff\xfe\n", "not valid UTF-8"),
        (b"a: &a [1, 2]\nb: *a\n", "anchors and aliases are not allowed"),
        (b"id: x\nid: y\n", "duplicate key"),
        (b"- just\n- a list\n", "expected a mapping"),
        (b"x" * 1_000_001, "larger than"),
        (b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "nested too deeply"),
    ],
)
def test_broken_files_give_a_problem_not_a_traceback(
    tmp_path: Path, raw: bytes, message: str
) -> None:
    path = tmp_path / "01-broken.yaml"
    path.write_bytes(raw)
    found = [str(p) for p in check_paths([path], today=TODAY)]
    assert any(message in p for p in found), found
    assert all(LINE.match(p) for p in found)


def test_missing_path_is_reported(tmp_path: Path) -> None:
    found = [str(p) for p in check_paths([tmp_path / "nope.yaml"], today=TODAY)]
    assert found == [f"{tmp_path / 'nope.yaml'}:1: (file): no such file or folder"]


def test_one_broken_lesson_leaves_the_others_loadable(tmp_path: Path) -> None:
    import shutil

    from spasm_edu.content import CONTENT_DIR

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    (content / "lessons" / "02-causes.yaml").write_text("id: causes\norder: [\n")
    course, broken = load_course(content, strict=False)
    assert "causes" in broken
    assert "what-is-a-back-spasm" in [lesson.id for lesson in course.lessons]
    assert "causes" not in [lesson.id for lesson in course.lessons]


def test_the_validator_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from spasm_edu.cli import main

    good = write_lesson(tmp_path, valid_lesson(), "01-good.yaml")
    assert main(["validate", str(good), "--today", TODAY.isoformat()]) == 0
    bad = write_lesson(tmp_path, mutate(lambda d: d.pop("summary")), "02-bad.yaml")
    assert main(["validate", str(bad), "--today", TODAY.isoformat()]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:1: (file): missing field 'summary'" in out
    assert "Traceback" not in out


def test_the_validator_cli_checks_review_dates_against_the_given_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from spasm_edu.cli import main

    good = write_lesson(tmp_path, valid_lesson(), "01-good.yaml")  # reviewed 2026-11-01
    assert main(["validate", str(good), "--today", "2028-11-01"]) == 0
    assert main(["validate", str(good), "--today", "2028-11-02"]) == 1
    assert main(["validate", str(good), "--today", "2026-10-31"]) == 1
    out = [line.split(": ", 1)[1] for line in capsys.readouterr().out.splitlines()]
    assert out == [
        "sections[0].reviewed: review date 2026-11-01 is more than two years old",
        "sections[0].reviewed: review date is in the future",
    ]


@pytest.mark.parametrize("day", ["2026-13-01", "2026-02-30", "20261125", "tomorrow", ""])
def test_a_malformed_today_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str
) -> None:
    from spasm_edu.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["validate", "--today", day])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --today: '{day}' is not a valid date: write it YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_serving_does_not_judge_review_dates(tmp_path: Path) -> None:
    """load_course without a day (as a served page calls it) keeps a lesson due for review."""
    import shutil

    from spasm_edu.content import CONTENT_DIR, ContentError

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = content / "lessons" / "02-causes.yaml"
    path.write_text(
        re.sub(r"(?m)^(\s*reviewed:) .*$", r"\1 2001-01-01", path.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    course, broken = load_course(content)  # strict: no problem at all
    assert broken == {}
    assert {s.reviewed for s in course.lesson("causes").sections} == {dt.date(2001, 1, 1)}
    with pytest.raises(ContentError, match="review date 2001-01-01 is more than two years old"):
        load_course(content, today=TODAY)


@pytest.mark.parametrize(
    ("wording", "bad"),
    [
        ("You have sciatica.", True),
        ("You probably have a slipped disk.", True),
        ("Do you have pain in your leg?", True),
        ("Have you had a fall?", True),
        ("If you have numbness, call for help.", False),
        ("People with a fever should get help.", False),
        ('A doctor may say "you have a strained muscle".', False),
    ],
)
def test_no_diagnosis_wording(tmp_path: Path, wording: str, bad: bool) -> None:
    found = problems_for(tmp_path, mutate(lambda d: d["sections"][0].update(body=wording)))
    assert any("reads like a diagnosis" in p for p in found) is bad, found


@pytest.mark.parametrize(
    ("host", "passcode", "warns"),
    [
        ("127.0.0.1", None, False),
        ("localhost", None, False),
        ("0.0.0.0", None, True),
        ("192.168.1.5", "", True),
        ("0.0.0.0", "s3cret", False),
    ],
)
def test_serving_beyond_loopback_without_a_passcode_warns(
    host: str, passcode: str | None, warns: bool
) -> None:
    from spasm_edu.cli import exposure_warning

    message = exposure_warning(host, passcode)
    assert (message is not None) is warns
    if message:
        assert host in message and "--educator-passcode" in message


def test_dependency_floors_have_the_security_fixes() -> None:
    import tomllib

    deps = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())["project"]
    text = " ".join(deps["dependencies"])
    assert "voila>=0.5.6" in text and "jupyter_server>=2.21.1" in text


# ---------------------------------------------------------------- one lesson file, fields from the model


def test_load_lesson_file_gives_the_lesson_or_every_problem(tmp_path: Path) -> None:
    from spasm_edu.content import ContentError, Lesson, load_lesson_file

    lesson = load_lesson_file(write_lesson(tmp_path, valid_lesson()), today=TODAY)
    assert isinstance(lesson, Lesson)
    assert (lesson.id, lesson.kind, lesson.language) == ("test-lesson", "lesson", "en")
    assert [q.id for q in lesson.quiz.questions][:2] == ["one", "many"]

    bad = write_lesson(tmp_path, mutate(lambda d: d.pop("summary")), "02-bad.yaml")
    with pytest.raises(ContentError) as error:
        load_lesson_file(bad)
    assert [str(p) for p in error.value.problems] == [f"{bad}:1: (file): missing field 'summary'"]
    # As served (no day), a review that is due is not judged; against a day, it is.
    assert load_lesson_file(write_lesson(tmp_path, valid_lesson()), today=None)
    with pytest.raises(ContentError, match="review date is in the future"):
        load_lesson_file(write_lesson(tmp_path, valid_lesson()), today=dt.date(2026, 10, 31))


def test_the_fields_a_file_may_give_are_the_models(tmp_path: Path) -> None:
    """A field of the model is a field of the format; any other is an unknown field."""
    import dataclasses

    from spasm_edu.content import Choice, Item, Lesson, Question, Section
    from spasm_edu.content.model import file_fields

    for cls in (Choice, Item, Question, Section):
        assert file_fields(cls) == {f.name for f in dataclasses.fields(cls)}
    assert file_fields(Lesson) == {f.name for f in dataclasses.fields(Lesson)} - {"path"}
    found = problems_for(tmp_path, mutate(lambda d: d.update(path="/etc/passwd")))
    assert [p.split(": ", 1)[1] for p in found] == ["path: unknown field"]


def test_a_misconceptions_sources_must_be_known(tmp_path: Path) -> None:
    import shutil

    from spasm_edu.content import CONTENT_DIR, ContentError

    content = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, content, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    course, _ = load_course(content)
    assert course.misconceptions["bed-rest-cures"].sources == ("R13", "R20", "R21")
    path = content / "misconceptions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("sources: [R13, R20, R21]", "sources: [R13, R999]", 1))
    with pytest.raises(ContentError) as error:
        load_course(content)
    assert [f"{p.field}: {p.message}" for p in error.value.problems] == [
        "bed-rest-cures.sources[1]: unknown source 'R999' (not in sources.yaml)"
    ]
