"""Where a Voilà template's static files live, found once per template instead of per request.

Voilà's handler for `/voila/templates/<name>/static/...` (the template's scripts and styles,
seven of a page's 17 first-visit requests) looks up the template's folders twice for every
request: each time it walks the Jupyter data paths and reads every template's conf.json. On
a class server that was about a tenth of the server's single core while 60 students opened
a warm lesson. The folders do not change while the server runs, so they are looked up once.
A template installed while the server runs is found after a restart, as its Python is.
"""

from __future__ import annotations

from functools import lru_cache

import voila.static_file_handler as static_file_handler
from voila.paths import collect_static_paths

# Template names come from request paths: keep a few, so odd paths cannot grow the cache.
CACHED_TEMPLATES = 16


@lru_cache(maxsize=CACHED_TEMPLATES)
def _static_paths(app_names: tuple[str, ...], template_name: str) -> tuple[str, ...]:
    return tuple(collect_static_paths(list(app_names), template_name))


def static_paths(app_names: list[str], template_name: str = "default") -> list[str]:
    """As `voila.paths.collect_static_paths(app_names, template_name)`: a new list each call."""
    return list(_static_paths(tuple(app_names), template_name))


def install() -> None:
    """Use it in Voilà's template static file handler (spasm-edu serve and the extension)."""
    static_file_handler.collect_static_paths = static_paths
