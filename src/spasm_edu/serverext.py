"""The Jupyter server extension: Voilà fixes that every way of serving the lessons needs.

`spasm-edu serve` runs Voilà on its own; Binder, JupyterHub, JupyterLab and a plain
`jupyter server` run Voilà as a server extension. Both use the handlers here, so a fix made
for one reaches the others. pip enables the extension for every Jupyter server in the
environment (etc/jupyter/jupyter_server_config.d/spasm_edu.json).

| override | why | upstream | remove when |
| --- | --- | --- | --- |
| `RenderHandler.get` reads `xsrf_token` | the page's kernel shutdown request needs the `_xsrf` cookie; Voilà never sets it, so a closed tab keeps its kernel (~70 MB) | voila-dashboards/voila#1458 | Voilà sets the cookie on its pages |
| `ShutdownHandler.post` answers 404 | a kernel already gone (culled, or a second close) was a 500 with a traceback in the log | none filed | Voilà checks the id first |

One addition, not an override: `MovedNotebookHandler` sends the old address of a notebook that
got a new file name (`content/moved.py`) to the new one, so students' bookmarks keep working.
"""

from __future__ import annotations

import re
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.utils import url_path_join
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler

from .content.moved import MOVED_NOTEBOOKS


class RenderHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """A Voilà page that sets the `_xsrf` cookie its shutdown request will need."""

    # Not @authenticated here: Voilà's get() checks the login; the cookie is no secret.
    async def get(self, path: str | None = None) -> None:
        # Voilà's page reads the _xsrf cookie when it closes and sends it with its kernel
        # shutdown request; without the cookie that request fails the XSRF check (403).
        _ = self.xsrf_token
        await super().get(path)


class ShutdownHandler(VoilaShutdownKernelHandler):  # type: ignore[misc]
    """The page's shutdown request; a kernel already gone is a 404, not a server error."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if kernel_id not in self.kernel_manager:
            raise tornado.web.HTTPError(404)
        await super().post(kernel_id)


class MovedNotebookHandler(tornado.web.RequestHandler):
    """An old notebook address (a bookmark) sent on to the notebook's current file name.

    Same folder, same query string (`?learner=...`, `?token=...`); a path-absolute address
    under the server's own base URL, so it can never lead to another site.
    """

    # Public: it only names another page of this server, which checks the login itself.
    @allow_unauthenticated
    def get(self, *_args: str) -> None:
        folder, _, old = self.request.path.rpartition("/")
        url = f"{folder}/{MOVED_NOTEBOOKS[old]}"
        if self.request.query:
            url += f"?{self.request.query}"
        self.redirect(url, permanent=True)


def moved_notebook_routes(base_url: str) -> list[tuple[str, type]]:
    """The route that answers the old address of every moved notebook, in any folder."""
    if not MOVED_NOTEBOOKS:
        return []
    names = "|".join(re.escape(name) for name in MOVED_NOTEBOOKS)
    return [
        (url_path_join(base_url, "voila/render/") + f"(?:.*/)?(?:{names})", MovedNotebookHandler)
    ]


# Voilà's handler -> ours. `spasm-edu serve` subclasses RenderHandler further (busy page).
REPLACEMENTS: dict[type, type] = {
    TornadoVoilaHandler: RenderHandler,
    VoilaShutdownKernelHandler: ShutdownHandler,
}


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
    return [{"module": "spasm_edu.serverext"}]


def _load_jupyter_server_extension(serverapp: Any) -> None:
    # Extensions load in alphabetical order and tornado tries the routes of the one loaded
    # first first: this route comes before Voilà's /voila/render/(.*), so it wins.
    web_app = serverapp.web_app
    web_app.add_handlers(".*$", moved_notebook_routes(web_app.settings.get("base_url", "/")))
    serverapp.log.info("spasm-edu: server extension loaded")


async def _start_jupyter_server_extension(serverapp: Any) -> None:
    # Extensions load in alphabetical order, so Voilà's routes do not exist yet when ours
    # loads; every extension has loaded by the time the server starts them.
    web_app = serverapp.web_app
    swapped = replace_handlers(web_app.default_router, REPLACEMENTS)
    swapped += replace_handlers(web_app.wildcard_router, REPLACEMENTS)
    if swapped:
        serverapp.log.info("spasm-edu: Voilà's page and shutdown handlers fixed (%d)", swapped)
    else:
        serverapp.log.warning("spasm-edu: no Voilà routes found; is Voilà's extension enabled?")
