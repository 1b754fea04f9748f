"""`spasm-edu readability` works where setuptools (and its `pkg_resources`) is absent, as in a
fresh venv on Python 3.12+: the project is installed with its runtime dependencies only into a
venv made without pip, by the pip running these tests (`pip --python`, pip 22.3+), from the
wheel cache when it has them.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from spasm_edu.content import load_course

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import importlib, spasm_edu
for name in ("setuptools", "pkg_resources"):
    try:
        importlib.import_module(name)
        print(name, "importable")
    except ModuleNotFoundError:
        print(name, "missing")
print(spasm_edu.__file__)
"""
# An import of pkg_resources at the start of a line runs when the module is imported; the ones
# indented under `try:` (babel's entry-point fallback, for instance) are only fallbacks.
UNCONDITIONAL = re.compile(rb"^(import|from)\s+pkg_resources\b", re.MULTILINE)


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME"}}
    return subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def newest_python() -> str:
    """The newest Python 3.12+ on this machine (pyenv's, where present), else this one.

    A venv of 3.12+ has no setuptools by default: the case users on Ubuntu 24.04 and
    Debian 13 meet. Without one, the test still runs, on this Python, with setuptools absent.
    """
    found = sorted(
        Path(p)
        for p in glob.glob(os.path.expanduser("~/.pyenv/versions/3.1[23]*/bin/python3"))
        + [shutil.which(f"python3.{minor}") or "" for minor in (12, 13)]
        if p and Path(p).is_file()
    )
    return str(found[-1]) if found else sys.executable


def test_installed_outside_the_checkout_without_setuptools(tmp_path: Path) -> None:
    """A plain `pip install` (not editable), used from another folder, on the newest Python."""
    venv = tmp_path / "venv"
    made = run(newest_python(), "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-compile")
    installed = run(*pip, ROOT, cwd=tmp_path)
    assert installed.returncode == 0, f"pip could not install the project:\n{installed.stderr}"

    probe = run(python, "-c", PROBE, cwd=tmp_path)
    assert probe.returncode == 0, probe.stderr
    lines = probe.stdout.splitlines()
    assert lines[:2] == ["setuptools missing", "pkg_resources missing"]
    assert Path(lines[2]).is_relative_to(venv), "spasm_edu must come from the new venv"

    site = next((venv / "lib").glob("python3.*/site-packages"))
    importers = [
        str(p.relative_to(site)) for p in site.rglob("*.py") if UNCONDITIONAL.search(p.read_bytes())
    ]
    assert importers == [], "runtime dependencies that import pkg_resources"

    report = run(venv / "bin" / "spasm-edu", "readability", cwd=tmp_path)
    assert report.returncode == 0, report.stderr
    assert "| lesson | text | FK grade | SMOG | reading ease | words | sentences |" in report.stdout
    rows = {tuple(ln.split(" | ")[:2]) for ln in report.stdout.splitlines()}
    course, _ = load_course(strict=False)
    for lesson in course.lessons:
        assert (f"| {lesson.id}", "quiz") in rows, report.stdout
    assert "Target: Flesch-Kincaid grade" in report.stdout

    # pip put the Voilà template and the server extension where Jupyter looks, and the
    # extension imports on this Python.
    assert (venv / "share/jupyter/voila/templates/spasm/index.html.j2").is_file()
    assert (venv / "etc/jupyter/jupyter_server_config.d/spasm_edu.json").is_file()
    ext = run(python, "-c", "import spasm_edu.voila.extension", cwd=tmp_path)
    assert ext.returncode == 0, ext.stderr
    valid = run(venv / "bin" / "spasm-edu", "validate", "--today", "2026-12-01", cwd=tmp_path)
    assert valid.returncode == 0, valid.stdout + valid.stderr
