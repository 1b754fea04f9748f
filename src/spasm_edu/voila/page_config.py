"""The page config of JupyterLab's extensions, read from disk once every few seconds, not per page.

Every page view without a warm kernel (and every warm kernel's start) builds Voilà's page
config, and with it asks jupyterlab_server for the installed extensions: it reads every
extension's package.json and the page_config.json files on the Jupyter config path. On a class
server that was about a twentieth of the server's single core while 60 students opened a page
nobody named. What it reads changes only when someone installs or removes an extension, so
the answer is kept for `FRESH_SECONDS`: an extension installed while the server runs is seen
within that time. Each caller gets its own copy (Voilà changes the dict it is given).
"""

from __future__ import annotations

import copy
import time
from typing import Any

import voila.utils as voila_utils
from jupyterlab_server.config import get_page_config as read_page_config

FRESH_SECONDS = 10.0

_cache: dict[tuple[tuple[str, ...], str | None], tuple[float, dict[str, Any]]] = {}


def page_config(
    labextensions_path: list[str], app_settings_dir: str | None = None, logger: Any = None
) -> dict[str, Any]:
    """As jupyterlab_server's `get_page_config`, from a copy at most FRESH_SECONDS old."""
    key = (tuple(labextensions_path), app_settings_dir)
    now = time.monotonic()
    found = _cache.get(key)
    if found is None or now - found[0] >= FRESH_SECONDS:
        found = (now, read_page_config(labextensions_path, app_settings_dir, logger=logger))
        if len(_cache) > 8:  # paths come from the server's settings: a few at most
            _cache.clear()
        _cache[key] = found
    return copy.deepcopy(found[1])


def install() -> None:
    """Use it in Voilà's page config (spasm-edu serve and the server extension)."""
    voila_utils.gpc = page_config
