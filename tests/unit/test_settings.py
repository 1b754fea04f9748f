"""One home for settings: environment names and page names live in spasm_edu/settings.py only."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from spasm_edu import settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "src" / "spasm_edu"
HOME = PACKAGE / "settings.py"
# What only settings.py may spell out: our environment variables and the fixed page names.
OWNED = ("SPASM_EDU_", settings.START_PAGE, settings.EDUCATOR_PAGE)


def _docstrings(tree: ast.Module) -> set[int]:
    """The string nodes that are docstrings: they may name a variable for the reader."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def owned_literals(path: Path, root: Path = ROOT) -> list[str]:
    """`file:line: text` for each string in the code (not docstrings, not comments) that
    spells out an environment name or a page name."""
    if path.suffix != ".py":
        text = path.read_text(errors="replace")
        return [
            f"{path.relative_to(root)}:{n}: {line.strip()}"
            for n, line in enumerate(text.splitlines(), 1)
            if any(name in line for name in OWNED)
        ]
    tree = ast.parse(path.read_text(), str(path))
    skip = _docstrings(tree)
    return [
        f"{path.relative_to(root)}:{node.lineno}: {node.value!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and any(name in node.value for name in OWNED)
    ]


def test_environment_and_page_names_are_written_only_in_settings() -> None:
    files = [
        p
        for p in PACKAGE.rglob("*")
        if p.is_file() and p != HOME and "__pycache__" not in p.parts
        if p.suffix not in {".png", ".svg", ".pyc"}
    ]
    found = [hit for path in sorted(files) for hit in owned_literals(path)]
    assert not found, (
        "name these through spasm_edu.settings (e.g. settings.START_PAGE, "
        "settings.DATABASE_URL_ENV):\n" + "\n".join(found)
    )


def test_the_one_home_check_sees_code_but_not_docstrings(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text(
        '"""Reads SPASM_EDU_DATABASE_URL."""\n'
        "# a comment may say SPASM_EDU_MAX_KERNELS\n"
        'NAME = "SPASM_EDU_X"\n'
        'link = f"{x}/00-start-here.ipynb"\n'
    )
    hits = sorted(owned_literals(module, tmp_path))
    assert hits == ["example.py:3: 'SPASM_EDU_X'", "example.py:4: '/00-start-here.ipynb'"]


def test_every_variable_is_named_spasm_edu_and_listed_once() -> None:
    names = [v.name for v in settings.VARIABLES]
    constants = {
        value
        for key, value in vars(settings).items()
        if key.endswith("_ENV") and isinstance(value, str)
    }
    assert len(names) == len(set(names))
    assert set(names) == constants
    assert all(re.fullmatch(r"SPASM_EDU_[A-Z_]+", name) for name in names)
    assert all(v.sets and v.default for v in settings.VARIABLES)


def test_the_readme_documents_every_variable() -> None:
    readme = (ROOT / "README.md").read_text()
    rows = set(re.findall(r"^\| `(SPASM_EDU_[A-Z_]+)` \|", readme, re.MULTILINE))
    assert rows == {v.name for v in settings.VARIABLES}


def test_reading_the_settings() -> None:
    assert settings.database_url({}) is None
    assert settings.database_url({settings.DATABASE_URL_ENV: ""}) is None
    assert settings.database_url({settings.DATABASE_URL_ENV: "sqlite://"}) == "sqlite://"
    assert settings.educator_passcode({settings.PASSCODE_ENV: "s3cret"}) == "s3cret"
    assert settings.educator_passcode({settings.PASSCODE_ENV: ""}) is None
    assert settings.max_kernels({}) is None
    assert settings.max_kernels({settings.MAX_KERNELS_ENV: " 40 "}) == 40
    assert settings.max_kernels({settings.MAX_KERNELS_ENV: "0"}) == 1
    assert settings.cull_idle_seconds({}) == settings.DEFAULT_CULL_IDLE_SECONDS == 600
    assert settings.cull_idle_seconds({settings.CULL_IDLE_ENV: "120"}) == 120


@pytest.mark.parametrize("name", [settings.MAX_KERNELS_ENV, settings.CULL_IDLE_ENV])
def test_a_setting_that_is_not_a_number_is_named_in_the_error(name: str) -> None:
    read = settings.max_kernels if name == settings.MAX_KERNELS_ENV else settings.cull_idle_seconds
    with pytest.raises(ValueError, match=f"{name} must be a whole number, not 'lots'"):
        read({name: "lots"})


SERVE_SETUP = """
import sys
import spasm_edu.cli as cli
cli.build_parser()
assert "ipywidgets" not in sys.modules, "building the parser imported ipywidgets"

import spasm_edu.server as server
server.serve = lambda *args, **kwargs: None  # up to starting Voila, not further
status = cli.main(["serve", "--no-browser", "--notebooks", sys.argv[1], "--db", sys.argv[2],
                   "--educator-passcode", "s3cret"])
assert status == 0, status
heavy = sorted(m for m in ("ipywidgets", "spasm_edu.app", "voila") if m in sys.modules)
assert not heavy, f"serve setup imported {heavy}"
"""


def test_serve_setup_imports_no_widgets(tmp_path: Path) -> None:
    # A process of its own: this test session has imported ipywidgets long ago.
    (tmp_path / settings.START_PAGE).write_text("{}")
    done = subprocess.run(
        [sys.executable, "-c", SERVE_SETUP, str(tmp_path), str(tmp_path / "r.sqlite3")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
