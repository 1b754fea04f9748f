"""Resolve requirements for another Python with pip, as wheels from the index.

`pip install --dry-run --python-version X.Y` picks wheels and checks Requires-Python for X.Y, but it
still evaluates environment markers for the Python running pip (pypa/pip#11010, #13296): a
dependency such as `exceptiongroup; python_version < "3.11"` is left out for 3.10. So each
resolve's report is walked again with markers for X.Y; whatever pip left out is added as a
requirement and the resolve is repeated, until nothing is missing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterable
from typing import Any

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def pip_resolve(requirements: Iterable[str], python: str) -> dict[str, Any]:
    command = [
        *(sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed"),
        *("--only-binary=:all:", "--python-version", python, "--quiet", "--report", "-"),
        *requirements,
    ]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    assert proc.returncode == 0, (
        f"pip cannot resolve the runtime dependencies for Python {python}:\n{proc.stderr}"
    )
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


def left_out(roots: Iterable[str], report: dict[str, Any], python: str) -> set[str]:
    """Requirements that apply on `python` but that the resolve does not satisfy."""
    env = {key: str(value) for key, value in default_environment().items()}
    env.update(python_version=python, python_full_version=f"{python}.0")
    env.update(implementation_version=f"{python}.0")
    found = {canonicalize_name(d["metadata"]["name"]): d["metadata"] for d in report["install"]}
    missing: set[str] = set()
    todo = [(Requirement(r), {""}) for r in roots]
    seen: set[tuple[str, str]] = set()
    while todo:
        req, extras = todo.pop()
        if req.marker and not any(req.marker.evaluate({**env, "extra": e}) for e in extras):
            continue
        name = canonicalize_name(req.name)
        meta = found.get(name)
        if meta is None or not req.specifier.contains(meta["version"], prereleases=True):
            req.marker = None
            missing.add(str(req))
            continue
        for extra in {"", *req.extras} - {e for n, e in seen if n == name}:
            seen.add((name, extra))
            todo.extend((Requirement(r), {extra}) for r in meta.get("requires_dist", []))
    return missing


def resolve_for(requirements: Iterable[str], python: str) -> dict[str, Any]:
    """pip's install report for `requirements` on `python`, markers evaluated for `python`."""
    roots = list(requirements)
    for _ in range(5):
        report = pip_resolve(roots, python)
        missing = left_out(roots, report, python)
        if not missing:
            return report
        roots += sorted(missing)
    raise AssertionError(f"still unresolved for Python {python}: {sorted(missing)}")
