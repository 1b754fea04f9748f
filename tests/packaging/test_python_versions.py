"""The runtime dependencies in pyproject.toml resolve, as wheels from the index, for every Python
we support (3.10 to 3.13), on this platform (see resolve.py for how markers are handled)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.packaging.resolve import resolve_for

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself needs tomli on 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
SUPPORTED = ["3.10", "3.11", "3.12", "3.13"]


@pytest.mark.parametrize("python", SUPPORTED)
def test_runtime_dependencies_resolve(python: str) -> None:
    assert SpecifierSet(PROJECT["requires-python"]).contains(python + ".0")
    report = resolve_for(PROJECT["dependencies"], python)
    names = {canonicalize_name(d["metadata"]["name"]) for d in report["install"]}
    assert {canonicalize_name(Requirement(r).name) for r in PROJECT["dependencies"]} <= names
