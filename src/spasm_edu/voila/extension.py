"""The Jupyter server extension: Voilà's pages fixed in every Jupyter server that runs Voilà.

`spasm-edu serve` runs Voilà on its own (app.py); Binder, JupyterHub, JupyterLab and a plain
`jupyter server` run Voilà as a server extension, and get the same page and shutdown fixes
from here (handlers.EXTENSION_HANDLERS), plus the old addresses of moved notebooks. pip enables
the extension for every Jupyter server in the environment
(etc/jupyter/jupyter_server_config.d/spasm_edu.json names the package `spasm_edu`, whose
`_jupyter_server_extension_points` names this module).
"""

from __future__ import annotations

from typing import Any

from . import dates, page_config, static_paths
from .handlers import EXTENSION_HANDLERS, shared_routes, warm_chunks


def replace_handlers(router: Any, replacements: dict[type, type]) -> int:
    """Swap handler classes in a tornado router (and the routers inside it); return how many."""
    swapped = 0
    for rule in getattr(router, "rules", ()):
        target = rule.target
        if isinstance(target, type) and target in replacements:
            rule.target = replacements[target]
            swapped += 1
        else:
            swapped += replace_handlers(target, replacements)
    return swapped


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": __name__}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    # Extensions load in alphabetical order and tornado tries the routes of the one loaded
    # first first: this route comes before Voilà's /voila/render/(.*), so it wins.
    web_app = serverapp.web_app
    dates.install()
    static_paths.install()
    page_config.install()
    web_app.add_handlers(".*$", shared_routes(web_app.settings.get("base_url", "/")))
    serverapp.log.info("spasm-edu: server extension loaded")


async def _start_jupyter_server_extension(serverapp: Any) -> None:
    # Extensions load in alphabetical order, so Voilà's routes do not exist yet when ours
    # loads; every extension has loaded by the time the server starts them.
    web_app = serverapp.web_app
    warm_chunks()
    swapped = replace_handlers(web_app.default_router, EXTENSION_HANDLERS)
    swapped += replace_handlers(web_app.wildcard_router, EXTENSION_HANDLERS)
    if swapped:
        serverapp.log.info("spasm-edu: Voilà's page and shutdown handlers fixed (%d)", swapped)
    else:
        serverapp.log.warning("spasm-edu: no Voilà routes found; is Voilà's extension enabled?")
