"""JupyterLab's page config read once every few seconds, not per page (spasm_edu/voila/page_config.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
import voila.utils
from jupyterlab_server.config import get_page_config as read_page_config
from voila.configuration import VoilaConfiguration

from spasm_edu.voila import page_config

PATHS = voila.utils.get_voila_labextensions_path([])


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    page_config._cache.clear()
    yield
    page_config._cache.clear()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(page_config.time, "monotonic", fake)
    return fake


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """jupyterlab_server's reads from disk, counted."""
    seen: list[list[str]] = []

    def read(paths: list[str], app_settings_dir: str | None = None, **kw: Any) -> dict[str, Any]:
        seen.append(paths)
        return read_page_config(paths, app_settings_dir, **kw)

    monkeypatch.setattr(page_config, "read_page_config", read)
    return seen


def test_the_same_answer_as_jupyterlab_server() -> None:
    found = page_config.page_config(PATHS)
    assert found == read_page_config(PATHS)
    names = {ext["name"] for ext in found["federated_extensions"]}
    assert "@jupyter-widgets/jupyterlab-manager" in names  # a real answer, not an empty one


def test_read_once_while_fresh_and_again_after(reads: list[list[str]], clock: Clock) -> None:
    for _ in range(5):
        page_config.page_config(PATHS)
    assert len(reads) == 1
    clock.now += page_config.FRESH_SECONDS - 0.5
    page_config.page_config(PATHS)
    assert len(reads) == 1
    clock.now += 1.0  # an extension installed meanwhile is seen from here on
    page_config.page_config(PATHS)
    assert len(reads) == 2
    page_config.page_config([*PATHS, "/elsewhere"])
    assert len(reads) == 3  # other folders, another answer


def test_each_caller_gets_its_own_copy() -> None:
    first = page_config.page_config(PATHS)
    first["federated_extensions"].clear()
    first["disabledExtensions"].append("changed by a caller")
    assert page_config.page_config(PATHS) == read_page_config(PATHS)


def test_voilas_page_config_is_unchanged(
    monkeypatch: pytest.MonkeyPatch, reads: list[list[str]], clock: Clock
) -> None:
    kwargs: dict[str, Any] = {
        "base_url": "/",
        "settings": {},
        "log": logging.getLogger("test"),
        "voila_configuration": VoilaConfiguration(),
    }
    before = voila.utils.get_page_config(**kwargs)
    monkeypatch.setattr(voila.utils, "gpc", voila.utils.gpc)  # restored after the test
    page_config.install()
    assert voila.utils.get_page_config(**kwargs) == before
    assert voila.utils.get_page_config(**kwargs) == before
    assert len(reads) == 1
