"""`spasm-edu serve --emergency-number/--urgent-care` and their environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from spasm_edu.cli import main, set_local_help
from spasm_edu.content import load_course
from spasm_edu.local_help import (
    EMERGENCY_NUMBER_ENV,
    MAX_LENGTH,
    URGENT_CARE_ENV,
    LocalHelp,
    clean,
)
from spasm_edu.widgets._render import red_flags_html

COURSE, _ = load_course()


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (None, None),
        ("", None),
        ("   \n", None),
        ("112", "112"),
        ("  NHS\t 111\n", "NHS 111"),
        ("1\x002", "1 2"),
        ("9" * (MAX_LENGTH + 5), "9" * (MAX_LENGTH - 1) + "…"),
    ],
)
def test_clean(raw: str | None, shown: str | None) -> None:
    assert clean(raw) == shown


def test_set_local_help_puts_the_options_where_kernels_inherit_them() -> None:
    environ: dict[str, str] = {}
    lines = set_local_help(environ, "112", "NHS 111")
    assert environ == {EMERGENCY_NUMBER_ENV: "112", URGENT_CARE_ENV: "NHS 111"}
    assert any(line.endswith(": 112") for line in lines)
    # Without the options, a number already in the environment is kept and reported.
    environ = {EMERGENCY_NUMBER_ENV: "999"}
    lines = set_local_help(environ, None, None)
    assert environ == {EMERGENCY_NUMBER_ENV: "999"}
    assert any(line.endswith(": 999") for line in lines)
    assert any("urgent care (set --urgent-care)" in line for line in lines)


@pytest.fixture
def serve_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, Any]:
    """Run `spasm-edu serve` up to starting Voilà; record what the server process would pass on."""
    from spasm_edu.settings import DATABASE_URL_ENV, PASSCODE_ENV

    for name in (EMERGENCY_NUMBER_ENV, URGENT_CARE_ENV, DATABASE_URL_ENV, PASSCODE_ENV):
        monkeypatch.setenv(name, "")  # restored (unset) after the test, though serve sets it
        monkeypatch.delenv(name)
    (tmp_path / "00-start-here.ipynb").write_text("{}")
    seen: dict[str, Any] = {}

    def fake_serve(notebooks: Path, **kwargs: Any) -> None:
        seen["environ"] = dict(os.environ)
        # A kernel started now inherits this environment; its page builds the box from it.
        seen["box"] = red_flags_html(COURSE)

    monkeypatch.setattr("spasm_edu.server.serve", fake_serve)
    seen["args"] = ["serve", "--no-browser", "--notebooks", str(tmp_path)]
    seen["args"] += ["--db", str(tmp_path / "r.sqlite3")]
    return seen


def test_the_emergency_number_option_reaches_the_pages(
    serve_env: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    args = [*serve_env["args"], "--emergency-number", "112", "--urgent-care", "NHS 111"]
    assert main(args) == 0
    assert serve_env["environ"][EMERGENCY_NUMBER_ENV] == "112"
    assert serve_env["environ"][URGENT_CARE_ENV] == "NHS 111"
    assert '<span class="spasm-emergency-number">112</span>' in serve_env["box"]
    assert "from a doctor or NHS 111 if" in serve_env["box"]
    assert "pages name the emergency number as: 112" in capsys.readouterr().err


def test_without_the_option_the_environment_variable_is_used(
    serve_env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(EMERGENCY_NUMBER_ENV, "<b>000</b>")
    assert main(serve_env["args"]) == 0
    assert "&lt;b&gt;000&lt;/b&gt;" in serve_env["box"] and "<b>" not in serve_env["box"]
    assert "your local emergency number" not in serve_env["box"]


def test_without_either_the_default_wording_is_shown(serve_env: dict[str, Any]) -> None:
    assert main(serve_env["args"]) == 0
    assert EMERGENCY_NUMBER_ENV not in serve_env["environ"]
    assert ">your local emergency number</span>" in serve_env["box"]
    assert LocalHelp.from_environ(serve_env["environ"]) == LocalHelp()


@pytest.mark.parametrize("value", ["", "   ", "1\n2", "9" * (MAX_LENGTH + 1)])
def test_a_bad_emergency_number_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--emergency-number", value])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument --emergency-number" in err and "like 112 or NHS 111" in err
