"""A Voilà template's static folders, looked up once per template (spasm_edu/voila/static_paths.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import voila.paths
import voila.static_file_handler
from voila.static_file_handler import TemplateStaticFileHandler

from spasm_edu.voila import static_paths
from spasm_edu.voila.config import TEMPLATE
from tests.support import routes

APPS = ["voila", "nbconvert"]
OURS = f"/voila/templates/{TEMPLATE}/static/spasm-watchdog.js"
VOILAS = "/voila/templates/lab/static/index.css"  # from the template ours extends


@pytest.fixture
def lookups(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Voilà's folder lookup, counted; the handler uses ours; no cache from an earlier test."""
    seen: list[str] = []

    def counted(app_names: list[str], template_name: str = "default") -> list[str]:
        seen.append(template_name)
        return voila.paths.collect_static_paths(app_names, template_name)

    monkeypatch.setattr(static_paths, "collect_static_paths", counted)
    monkeypatch.setattr(voila.static_file_handler, "collect_static_paths", counted)
    static_paths._static_paths.cache_clear()
    static_paths.install()
    yield seen
    static_paths._static_paths.cache_clear()


def test_the_same_folders_as_voila_finds() -> None:
    for template in (TEMPLATE, "lab", "no-such-template"):
        found = static_paths.static_paths(APPS, template)
        assert found == voila.paths.collect_static_paths(APPS, template)
        found.append("changed by a caller")  # a copy: the cached folders stay as they were
        assert static_paths.static_paths(APPS, template) == voila.paths.collect_static_paths(
            APPS, template
        )


def test_the_handler_serves_and_refuses_as_before_with_one_lookup(lookups: list[str]) -> None:
    route = [(r"/voila/templates/(.*)", TemplateStaticFileHandler)]
    answers = routes.get(route, [(path, {}) for path in (OURS, OURS, VOILAS, OURS)])
    assert [a.code for a in answers] == [200, 200, 200, 200]
    assert b"Kernel watchdog" in answers[0].body
    assert answers[1].body == answers[0].body
    missing = routes.get(route, [(f"/voila/templates/{TEMPLATE}/static/no-such-file.js", {})])
    assert missing[0].code == 404
    # Voilà looked the folders up twice a request: 10 times for these five requests.
    assert sorted(lookups) == sorted([TEMPLATE, "lab"])
