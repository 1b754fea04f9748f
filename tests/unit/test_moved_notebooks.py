"""Renamed notebooks: one list (content/moved.py), consistent with the notebooks we write, and a
redirect from each old address that keeps the folder and the query string."""

from __future__ import annotations

import re

import pytest
from tornado.httpclient import HTTPResponse

from spasm_edu._notebooks import expected_notebooks
from spasm_edu.content import load_course
from spasm_edu.content.moved import MOVED_NOTEBOOKS
from spasm_edu.voila.handlers import MovedNotebookHandler, shared_routes
from tests.support import routes

COURSE, _ = load_course()


def test_every_moved_notebook_points_at_a_notebook_we_write() -> None:
    current = set(expected_notebooks(COURSE))
    assert MOVED_NOTEBOOKS, "nothing moved: drop the route instead"
    for old, new in MOVED_NOTEBOOKS.items():
        assert new in current, f"{old} -> {new}: no such notebook (chain or typo)"
        assert old not in current, f"{old} is a notebook again: remove it from MOVED_NOTEBOOKS"
        assert "/" not in old and old.endswith(".ipynb")


def test_the_final_quiz_keeps_its_old_address() -> None:
    assert MOVED_NOTEBOOKS["08-final-quiz.ipynb"] == COURSE.lesson("final-quiz").notebook


@pytest.mark.parametrize("base_url", ["/", "/user/ana/"])
def test_the_route_matches_only_the_old_names(base_url: str) -> None:
    ((pattern, _),) = [r for r in shared_routes(base_url) if r[1] is MovedNotebookHandler]
    route = re.compile(pattern + "$")  # tornado anchors a route at both ends
    for path in ("08-final-quiz.ipynb", "notebooks/08-final-quiz.ipynb", "a/b/08-final-quiz.ipynb"):
        assert route.match(f"{base_url}voila/render/{path}"), path
    for path in (
        "09-final-quiz.ipynb",
        "108-final-quiz.ipynb",
        "08-final-quiz.ipynb/x",
        "08-final-quizXipynb",
        "x08-final-quiz.ipynb",
    ):
        assert not route.match(f"{base_url}voila/render/{path}"), path
    assert not route.match(f"{base_url}voila/tree/08-final-quiz.ipynb")


def _get(*paths: str) -> list[HTTPResponse]:
    """GET each path from the route in a bare tornado app, as both servers mount it."""
    return routes.get(shared_routes("/base/"), [(path, {}) for path in paths])


def test_old_address_redirects_keeping_folder_and_query() -> None:
    cases = {
        "/base/voila/render/08-final-quiz.ipynb": "/base/voila/render/09-final-quiz.ipynb",
        "/base/voila/render/notebooks/08-final-quiz.ipynb?learner=ab12&token=t%26x": (
            "/base/voila/render/notebooks/09-final-quiz.ipynb?learner=ab12&token=t%26x"
        ),
    }
    for (path, location), response in zip(cases.items(), _get(*cases), strict=True):
        assert response.code == 301, path
        assert response.headers["Location"] == location


def test_other_addresses_are_not_answered() -> None:
    paths = ("/base/voila/render/09-final-quiz.ipynb", "/base/voila/render/08-final-quiz.ipynb.bak")
    assert [response.code for response in _get(*paths)] == [404, 404]
