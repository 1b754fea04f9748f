"""Binder builds: its Python runs every pin, the pins cover the package, repo2docker's plan."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from tests.packaging.resolve import resolve_for

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself needs tomli on 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"


def binder_python() -> str:
    """The Python that binder/runtime.txt asks for, e.g. "3.12"."""
    text = (BINDER / "runtime.txt").read_text().strip()
    found = re.fullmatch(r"python-(3\.\d+)", text)
    assert found, f"binder/runtime.txt should read python-3.X, not {text!r}"
    return found.group(1)


def pins() -> dict[str, str]:
    """binder/requirements.txt as {canonical name: version}; every line an exact pin."""
    out = {}
    for line in (BINDER / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"binder/requirements.txt: {line!r} is not an exact pin"
        out[canonicalize_name(req.name)] = spec.version
    return out


def test_runtime_is_a_supported_python() -> None:
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert binder_python() in SpecifierSet(requires)


def test_pins_cover_every_runtime_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pinned = pins()
    for line in project["dependencies"]:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name in pinned, f"{req.name} (a runtime dependency) has no pin for Binder"
        assert req.specifier.contains(pinned[name]), (
            f"Binder pins {req.name}=={pinned[name]}, outside pyproject's {req.specifier}"
        )


def test_pins_resolve_for_binders_python() -> None:
    version = binder_python()
    report = resolve_for([f"{name}=={v}" for name, v in pins().items()], version)
    installed = {
        canonicalize_name(d["metadata"]["name"]): d["metadata"]["version"]
        for d in report["install"]
    }
    for name, version_ in pins().items():
        assert installed.get(name) == version_, f"{name}=={version_} not installable on {version}"


def test_repo2docker_installs_pins_then_runs_postbuild(tmp_path: Path) -> None:
    # repo2docker reads the repository; give it just what Binder sees of ours.
    repo = tmp_path / "repo"
    shutil.copytree(BINDER, repo / "binder")
    shutil.copy(ROOT / "pyproject.toml", repo)
    r2d = Path(sys.executable).with_name("jupyter-repo2docker")
    result = subprocess.run(
        [str(r2d), "--no-build", "--debug", str(repo)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    dockerfile = result.stdout + result.stderr
    assert result.returncode == 0, dockerfile[-3000:]
    assert f"python={binder_python()}" in dockerfile
    install = dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    post_build = dockerfile.index("RUN ./binder/postBuild")
    assert install < post_build


def test_postbuild_installs_with_dependencies_and_copies_nothing() -> None:
    script = (BINDER / "postBuild").read_text()
    commands = [ln for ln in script.splitlines() if ln.strip() and not ln.startswith("#")]
    # A dependency missing from the pins is installed rather than breaking the page.
    assert any("pip install" in ln and "--no-deps" not in ln for ln in commands)
    # The template and the server extension come from the package (pip), the settings from
    # the CLI (one source with `spasm-edu serve`), nothing copied by hand.
    assert not any(re.match(r"\s*(cp|cat|mv|ln)\b", ln) for ln in commands), commands
    assert any("spasm-edu jupyter-config" in ln for ln in commands)
