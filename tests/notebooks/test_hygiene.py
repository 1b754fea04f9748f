"""Notebooks are thin, stripped, generated from the content, and the start page links every lesson."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spasm_edu._notebooks import expected_notebooks
from spasm_edu.content import load_course

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
ALL = sorted(NOTEBOOKS.glob("*.ipynb"))
COURSE, _ = load_course()


def test_notebooks_match_the_content() -> None:
    expected = expected_notebooks(COURSE)
    assert sorted(p.name for p in ALL) == sorted(expected)
    for path in ALL:
        assert path.read_text(encoding="utf-8") == expected[path.name], (
            f"{path.name} is out of date: run `spasm-edu notebooks`"
        )


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_notebook_is_thin_and_stripped(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    assert nb["metadata"]["title"]
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds == ["markdown", "code"]
    code = "".join(nb["cells"][1]["source"])
    assert nb["cells"][1]["outputs"] == [] and nb["cells"][1]["execution_count"] is None
    for banned in ("def ", "class ", "observe(", "import ipywidgets", "display(", "lambda"):
        assert banned not in code, f"{path.name}: logic belongs in the package ({banned!r})"
    assert len(code.splitlines()) <= 3


def test_start_page_links_every_lesson() -> None:
    from spasm_edu import show_start

    html = "".join(w.value for w in show_start().children[0].children if hasattr(w, "value"))
    for path in ALL:
        if path.name != "00-start-here.ipynb":
            assert f'href="{path.name}"' in html
