"""Repository hygiene: licence, project links, links that stay inside, no machine paths."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
# A developer machine's folders: they mean nothing on a user's machine.
MACHINE_PATH = re.compile(r"(?<![\w.])/(?:work|root|home|Users)/[\w.-]+|[A-Z]:\\\\Users")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def tracked() -> list[Path]:
    names = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return [ROOT / n for n in names if (ROOT / n).is_file()]


def test_licence_file_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "BSD-3-Clause"
    assert (ROOT / "LICENSE").read_text().startswith("BSD 3-Clause License")
    assert {"Homepage", "Source", "Issues"} <= set(project["urls"])


def test_no_machine_paths_in_the_repository() -> None:
    found = []
    for path in tracked():
        if path == Path(__file__).resolve() or path.suffix in {".png", ".svg"}:
            continue
        text = path.read_text(errors="replace")
        for number, line in enumerate(text.splitlines(), 1):
            if "://" not in line and MACHINE_PATH.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "machine paths:\n" + "\n".join(found)


def test_machine_path_pattern_catches_what_it_should() -> None:
    # Built from parts, so this file holds no machine path itself.
    assert MACHINE_PATH.search("see " + "/".join(["", "work", "shared", "facts.md"]))
    assert MACHINE_PATH.search("cd " + "/".join(["", "home", "alice", "spasm"]))
    assert not MACHINE_PATH.search("/usr/bin/chromium and src/spasm_edu/home/x")


def test_every_docs_link_stays_inside_the_repository() -> None:
    docs = [p for p in tracked() if p.suffix == ".md" and "corpus" not in p.parts]
    broken = []
    for doc in docs:
        for target in MARKDOWN_LINK.findall(doc.read_text()):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue  # a web address or an anchor on the same page
            resolved = (doc.parent / target.split("#", 1)[0]).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert not broken, "links that leave the repository or go nowhere:\n" + "\n".join(broken)


def test_sources_list_is_up_to_date() -> None:
    from spasm_edu._docs import sources_markdown
    from spasm_edu.content import load_course

    course, _ = load_course()
    assert (ROOT / "docs" / "sources.md").read_text() == sources_markdown(course), (
        "docs/sources.md is out of date: run spasm-edu sources"
    )
