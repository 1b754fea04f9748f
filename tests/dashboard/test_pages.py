"""A real Voilà server: every page renders with its title, hides its source, and leaks no files."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
import requests

pytestmark = pytest.mark.dashboard

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
START = "00-start-here.ipynb"
# What only the notebooks' code cells and our package hold: none of it may reach a student.
SOURCE_MARKERS = re.compile(r"show_\w+\(|from spasm_edu|import spasm_edu")


def _title(notebook: str) -> str:
    return str(json.loads((ROOT / "notebooks" / notebook).read_text())["metadata"]["title"])


EXTERNAL_ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?//[^"]*"')
KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')


def _render(base: str, notebook: str, kernels: list[str]) -> requests.Response:
    response = requests.get(f"{base}/voila/render/{notebook}", timeout=120)
    kernels.extend(KERNEL_ID.findall(response.text))  # shut down by the fixture at the end
    return response


def test_every_lesson_has_a_page() -> None:
    from spasm_edu.content import load_course

    course, _broken = load_course()
    assert START in NOTEBOOKS
    assert {lesson.notebook for lesson in course.lessons} <= set(NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_page_renders_with_title_and_no_source(
    voila_server: str, voila_kernels: list[str], notebook: str
) -> None:
    response = _render(voila_server, notebook, voila_kernels)
    assert response.status_code == 200
    title = re.search(r"<title>(.*?)</title>", response.text, re.S)
    assert title is not None
    assert unescape(title.group(1)).strip() == _title(notebook)
    source = SOURCE_MARKERS.search(response.text)
    assert source is None, f"{notebook} shows source code: {source}"
    assert "Traceback" not in response.text
    # The widget output is there (as a view of a widget model), not an error or empty cell.
    assert "application/vnd.jupyter.widget-view+json" in response.text
    assert 'lang="en"' in response.text
    # Our "spasm" template: a <main> landmark around the cells, the kernel watchdog, and
    # nothing loaded from another site (an offline classroom; no third party sees the visit).
    assert re.search(r"<main\b", response.text)
    assert "spasm-watchdog.js" in response.text
    assert "cdn.jsdelivr.net" not in response.text
    external = EXTERNAL_ASSET.search(response.text)
    assert external is None, f"{notebook} loads {external.group(0)}"


def test_root_redirects_to_start_page(voila_server: str) -> None:
    response = requests.get(f"{voila_server}/", allow_redirects=False, timeout=10)
    assert response.status_code in (301, 302, 303, 307, 308)
    assert response.headers["Location"].endswith(f"/voila/render/{START}")


def test_unknown_notebook_is_a_plain_404(voila_server: str) -> None:
    response = requests.get(f"{voila_server}/voila/render/no-such-lesson.ipynb", timeout=30)
    assert response.status_code == 404
    assert "Traceback" not in response.text
    assert "File " not in response.text  # no Python stack frames, no server paths
    assert str(ROOT) not in response.text


YAML = "src%2Fspasm_edu%2Fcontent%2Flessons%2F01-what-is-a-back-spasm.yaml"
# Notebooks, lesson YAML, project files and a results database, by every route that serves
# files. The notebooks folder is the server root; the YAML and pyproject.toml sit one level up.
FORBIDDEN = [
    "/voila/files/01-what-is-a-back-spasm.ipynb",
    f"/voila/files/{START}",
    f"/voila/files/..%2F{YAML}",
    "/voila/files/../src/spasm_edu/content/lessons/01-what-is-a-back-spasm.yaml",
    "/voila/files/..%2Fpyproject.toml",
    "/voila/files/results.sqlite3",
    "/voila/files/..%2Fresults.sqlite3",
    "/files/01-what-is-a-back-spasm.ipynb",
    "/api/contents/01-what-is-a-back-spasm.ipynb",
    f"/voila/api/contents/..%2F{YAML}",
    "/voila/api/contents/..%2Fpyproject.toml",
    f"/voila/render/..%2F{YAML}",
    "/voila/render/..%2Fpyproject.toml",
    "/voila/static/..%2F..%2F..%2F..%2Fpyproject.toml",
    "/voila/labextensions/..%2F..%2Fpyproject.toml",
    "/voila/api/themes/..%2F..%2Fpyproject.toml",
]
LEAK_MARKERS = ("show_lesson", "quiz:", "questions:", "[project]", "SQLite format", "Traceback")


@pytest.mark.parametrize("path", FORBIDDEN)
def test_source_content_and_data_files_cannot_be_downloaded(voila_server: str, path: str) -> None:
    response = requests.get(voila_server + path, timeout=10)
    assert response.status_code in (403, 404), f"{path} answered {response.status_code}"
    for marker in LEAK_MARKERS:
        assert marker not in response.text


def test_template_route_fails_closed_on_odd_paths(voila_server: str) -> None:
    # Voilà 0.5.13's /voila/templates handler raises ValueError on a path without
    # <template>/static/ in it and answers 500 - with no content and no traceback.
    for path in ("/voila/templates/..%2F..%2Fpyproject.toml", "/voila/templates/lab/index.html.j2"):
        response = requests.get(voila_server + path, timeout=10)
        assert response.status_code in (403, 404, 500), path
        for marker in LEAK_MARKERS:
            assert marker not in response.text


def test_contents_api_lists_names_but_never_file_content(voila_server: str) -> None:
    # Voilà's tree page reads /voila/api/contents. It lists the notebooks (names, sizes) and
    # always blanks "content", so a notebook's source cannot be fetched through it.
    listing = requests.get(f"{voila_server}/voila/api/contents", timeout=10)
    assert listing.status_code == 200
    names = {entry["name"] for entry in listing.json()["content"]}
    assert names == set(NOTEBOOKS)
    for notebook in (START, "01-what-is-a-back-spasm.ipynb"):
        for query in ("", "?content=1", "?content=1&format=text", "?content=1&format=base64"):
            response = requests.get(
                f"{voila_server}/voila/api/contents/{notebook}{query}", timeout=10
            )
            assert response.status_code == 200
            assert response.json()["content"] is None
            assert "show_" not in response.text


@pytest.mark.parametrize("method", ["PUT", "POST", "PATCH", "DELETE"])
def test_contents_api_cannot_write(voila_server: str, method: str) -> None:
    body = {"type": "file", "format": "text", "content": "x"}
    response = requests.request(
        method, f"{voila_server}/voila/api/contents/dropped.txt", json=body, timeout=10
    )
    assert response.status_code in (403, 404, 405)
    assert not (ROOT / "notebooks" / "dropped.txt").exists()


def test_moved_notebook_keeps_its_old_address(voila_server: str, voila_kernels: list[str]) -> None:
    """A bookmark of a notebook's old name (the final quiz was 08) opens the page's new name."""
    from spasm_edu.content.moved import MOVED_NOTEBOOKS

    for old, new in MOVED_NOTEBOOKS.items():
        response = requests.get(
            f"{voila_server}/voila/render/{old}?learner=abc123", allow_redirects=False, timeout=10
        )
        assert response.status_code == 301, (old, response.status_code)
        assert response.headers["Location"] == f"/voila/render/{new}?learner=abc123"
        assert new in NOTEBOOKS and old not in NOTEBOOKS
    old, new = next(iter(MOVED_NOTEBOOKS.items()))
    page = requests.get(f"{voila_server}/voila/render/{old}", timeout=120)
    voila_kernels.extend(KERNEL_ID.findall(page.text))  # shut down by the fixture at the end
    assert page.status_code == 200 and page.url.endswith(f"/voila/render/{new}")
    title = re.search(r"<title>(.*?)</title>", page.text, re.S)
    assert title is not None and unescape(title.group(1)).strip() == _title(new)
