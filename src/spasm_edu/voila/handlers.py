"""Our Tornado handlers: Voilà's page, kernel websocket, request hand-over and shutdown, fixed.

Every Jupyter server that runs Voilà as an extension gets EXTENSION_HANDLERS (extension.py);
`spasm-edu serve` gets SERVE_HANDLERS (app.py), which add the busy page, a faster websocket and
the warm-pool signals. Why each one exists, and when it can go: overrides.py.
"""

from __future__ import annotations

import json
import re
import secrets
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlencode

import tornado.web
from jupyter_server.auth.decorator import allow_unauthenticated
from jupyter_server.utils import url_path_join
from tornado.ioloop import IOLoop
from voila.request_info_handler import RequestInfoSocketHandler
from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
from voila.tornado.handler import TornadoVoilaHandler
from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

from ..content import CONTENT_DIR
from ..content.moved import MOVED_NOTEBOOKS
from ..content.translations import languages
from ..settings import PRESENT_VALUES, START_PAGE
from ..strings import text
from . import chunks
from .config import TEMPLATE

BUSY_MARKER = 'id="spasm-busy"'
BUSY_RETRY_SECONDS = 60
BUSY_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry}">
<title>{title}</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;
line-height:1.5;color:#1a1a1a}}a{{color:#0b57d0}}</style></head>
<body><main {marker}><h1>{title}</h1>
<p>{body}</p>
<p>{again}</p>
</main></body></html>
"""


def busy_page(url: str, retry: int = BUSY_RETRY_SECONDS, language: str = "en") -> str:
    """The page a visitor gets when the server has no room for another kernel right now."""
    link = f'<a href="{escape(url)}">{escape(text("busy_retry_now", language))}</a>'
    again = escape(text("busy_retry", language, retry="{retry}", link="{link}"))
    return BUSY_PAGE.format(
        lang=escape(language),
        retry=retry,
        marker=BUSY_MARKER,
        title=escape(text("busy_title", language)),
        body=escape(text("busy_body", language)),
        again=again.replace("{retry}", str(retry)).replace("{link}", link),
    )


def preferred_language(accept_language: str, available: tuple[str, ...]) -> str | None:
    """The available language an ``Accept-Language`` header prefers most, or None.

    ``es-MX,es;q=0.9,en;q=0.5`` -> ``es``; a language with ``q=0`` is refused, not preferred.
    """
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if "q" in params:  # a weight we cannot read: skip the entry, as if it were not there
            match = re.fullmatch(r"\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*", params)
            if match is None:
                continue
            quality = float(match.group(1))
        primary = tag.strip().split("-")[0].lower()
        if primary in available and quality > 0:
            ranked.append((-quality, index, primary))
    return min(ranked)[2] if ranked else None


def page_language(handler: tornado.web.RequestHandler) -> str:
    """The language of the page asked for: ``?lang=``, else the browser's preferred one."""
    available = languages(CONTENT_DIR)
    asked = handler.get_query_argument("lang", None)
    if asked in available:
        return str(asked)
    header = handler.request.headers.get("Accept-Language", "")
    return preferred_language(header, available) or "en"


class RenderHandler(TornadoVoilaHandler):  # type: ignore[misc]
    """A Voilà page that sets the `_xsrf` cookie its shutdown request will need, and opens a
    first visit to the start page in the visitor's language."""

    # Not @authenticated here: Voilà's get() checks the login; the cookie is no secret.
    async def get(self, path: str | None = None) -> None:
        if self._offer_language(path):
            return
        # Voilà's page reads the _xsrf cookie when it closes and sends it with its kernel
        # shutdown request; without the cookie that request fails the XSRF check (403).
        _ = self.xsrf_token
        await super().get(path)

    def _offer_language(self, path: str | None) -> bool:
        """A first visit to the start page (no language, no learner yet) whose browser prefers
        another language of the course than English goes to that language (``?lang=es``)."""
        if not (path or "").endswith(START_PAGE):
            return False
        if self.get_query_argument("lang", None) or self.get_query_argument("learner", None):
            return False
        wanted = preferred_language(
            self.request.headers.get("Accept-Language", ""), languages(CONTENT_DIR)
        )
        if wanted is None or wanted == "en":
            return False
        query = [*parse_qsl(self.request.query, keep_blank_values=True), ("lang", wanted)]
        self.redirect(f"{self.request.path}?{urlencode(query)}")
        return True


class AdmissionRenderHandler(RenderHandler):
    """A page under `spasm-edu serve`: turns visitors away politely when there is no room.

    The admission checks are the ClassKernelManager's; without one (`--warm 0`) this is
    RenderHandler.
    """

    async def get(self, path: str | None = None) -> None:
        km = self.kernel_manager
        notebook = self.notebook_path or path or ""
        self._spasm_notebook = notebook
        if not hasattr(km, "check_admission"):
            await super().get(path)
            return
        if self.get_query_argument("present", "") in PRESENT_VALUES:
            km.follow_presenter(notebook)
        km.check_admission(notebook)
        km.visit_begin()
        try:
            if km.has_ready(notebook):
                await super().get(path)
            else:
                self._spasm_waiting = True
                async with km.cold_visit():
                    self._spasm_waiting = False
                    if not self._spasm_left:  # else: no page, no kernel for nobody
                        await super().get(path)
        finally:
            km.visit_end()

    _spasm_waiting = False
    _spasm_left = False

    def on_connection_close(self) -> None:
        # The visitor left (a reload, a second click, a closed tab). While they wait for a
        # turn, their page and kernel are not made when that turn comes.
        self._spasm_left = True
        if self._spasm_waiting:
            self._spasm_waiting = False
            self.kernel_manager.note_left_waiting()
        super().on_connection_close()

    def should_use_rendered_notebook(self, notebook_data: Any, pool_size: int, *args: Any) -> bool:
        # Only a kernel that is ready: never queue a visitor behind a refill.
        has_ready = getattr(self.kernel_manager, "has_ready", None)
        if has_ready is not None and not has_ready(getattr(self, "_spasm_notebook", "")):
            return False
        return bool(super().should_use_rendered_notebook(notebook_data, pool_size, *args))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        if status_code != 503:
            super().write_error(status_code, **kwargs)
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Retry-After", str(BUSY_RETRY_SECONDS))
        self.set_header("Cache-Control", "no-store")
        # Spread the automatic retries (45-90 s) so the turned-away visitors do not all
        # come back in the same second.
        retry = BUSY_RETRY_SECONDS * 3 // 4 + secrets.randbelow(BUSY_RETRY_SECONDS * 3 // 4)
        self.finish(busy_page(self.request.uri or "/", retry, page_language(self)))


class ShutdownHandler(VoilaShutdownKernelHandler):  # type: ignore[misc]
    """The page's shutdown request; a kernel already gone is a 404, not a server error."""

    @tornado.web.authenticated
    async def post(self, kernel_id: str) -> None:
        if kernel_id not in self.kernel_manager:
            raise tornado.web.HTTPError(404)
        await super().post(kernel_id)


class KernelSocketHandler(VoilaKernelWebsocketHandler):  # type: ignore[misc]
    """The page's kernel websocket, sending each message at once.

    Tornado leaves Nagle's algorithm on: a kernel reply of several small messages then waits
    for the browser's delayed ACK, and click -> feedback takes 40-50 ms instead of about 12 ms,
    at random.
    """

    async def open(self, *args: Any, **kwargs: Any) -> None:
        # A page is still arriving while its widgets load: pool refills wait for it too.
        note = getattr(self.settings.get("kernel_manager"), "note_visit", None)
        if note is not None:
            note()
        await super().open(*args, **kwargs)
        self.set_nodelay(True)


class QueryHandler(RequestInfoSocketHandler):  # type: ignore[misc]
    """Hands a preheated kernel its visitor's request; tells the pool it is warm.

    Voilà's on_close removes the last waiter in the table when the closing one is not there
    (a kernel that connected twice), so another kernel's request goes nowhere and its page
    never finishes; remove only our own entry.
    """

    def open(self, kernel_id: str) -> None:
        super().open(kernel_id)
        mark = getattr(self.settings.get("kernel_manager"), "mark_settled", None)
        if mark is not None:
            mark(kernel_id)

    def on_close(self) -> None:
        waiters = RequestInfoSocketHandler._waiters
        for kernel_id, waiter in list(waiters.items()):
            if waiter is self:
                del waiters[kernel_id]


class StatusHandler(tornado.web.RequestHandler):
    """Kernel counts and pool fill as JSON, for the machine itself (benchmarks, admins)."""

    def get(self) -> None:
        if self.request.remote_ip not in ("127.0.0.1", "::1"):
            raise tornado.web.HTTPError(404)
        km = self.settings["kernel_manager"]
        status = (
            km.class_status()
            if hasattr(km, "class_status")
            else {"kernels": len(km.list_kernel_ids())}
        )
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(status))


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


class ChunksHandler(tornado.web.RequestHandler):
    """Voilà's code chunks as one script (chunks.py); public, like Voilà's own static files.
    `no-cache` as Voilà's labextensions: a browser revalidates (a 304 from the ETag) and never
    keeps an old Voilà's code after an upgrade."""

    @allow_unauthenticated
    async def get(self) -> None:
        bundle = chunks.built(TEMPLATE)
        if bundle is None:
            bundle = await IOLoop.current().run_in_executor(None, chunks.bundle_for, TEMPLATE)
        gzipped = "gzip" in self.request.headers.get("Accept-Encoding", "")
        self.set_header("Content-Type", "text/javascript; charset=UTF-8")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("Vary", "Accept-Encoding")
        self.set_header("Etag", f'"{bundle.etag}{"-gzip" if gzipped else ""}"')
        if self.check_etag_header():
            self.set_status(304)
            return
        if gzipped:
            self.set_header("Content-Encoding", "gzip")
        self.finish(bundle.gzipped if gzipped else bundle.body)

    def compute_etag(self) -> str | None:
        return None  # set from the bundle above: hashing 4 MB on every request costs 10 ms


def warm_chunks() -> None:
    """Make the chunk script in a thread now, so no visitor waits for it."""
    IOLoop.current().run_in_executor(None, chunks.bundle_for, TEMPLATE)


def shared_routes(base_url: str) -> list[tuple[str, type]]:
    """Our routes in every Jupyter server that runs Voilà (and under `spasm-edu serve`): the
    chunk script, and the old address of every moved notebook, in any folder."""
    routes: list[tuple[str, type]] = [(url_path_join(base_url, chunks.URL_PATH), ChunksHandler)]
    if MOVED_NOTEBOOKS:
        names = "|".join(re.escape(name) for name in MOVED_NOTEBOOKS)
        route = url_path_join(base_url, "voila/render/") + f"(?:.*/)?(?:{names})"
        routes.append((route, MovedNotebookHandler))
    return routes


# Voilà's handler -> ours, in every Jupyter server that runs Voilà as an extension.
EXTENSION_HANDLERS: dict[type, type] = {
    TornadoVoilaHandler: RenderHandler,
    VoilaShutdownKernelHandler: ShutdownHandler,
}
# Voilà's handler -> ours, under `spasm-edu serve`.
SERVE_HANDLERS: dict[type, type] = {
    TornadoVoilaHandler: AdmissionRenderHandler,
    VoilaKernelWebsocketHandler: KernelSocketHandler,
    RequestInfoSocketHandler: QueryHandler,
    VoilaShutdownKernelHandler: ShutdownHandler,
}
