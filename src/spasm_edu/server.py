"""Start Voilà on the lesson notebooks with the settings students need.

With ``class_size`` (``spasm-edu serve --class-size N``) the server is set up for a class on
one machine: a pool of kernels that have already run the page is warmed before students arrive
and refilled only when no one is arriving; kernels of closed or crashed tabs are shut down;
above a cap on kernels (memory) or on waiting kernel starts (CPU), a visitor gets a short
"the server is busy, try again in a minute" page instead of a page that hangs.

Voilà is imported only when serving, so importing this module stays cheap.
"""

from __future__ import annotations

import asyncio
import json
import math
import os
import secrets
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

from .content.moved import MOVED_NOTEBOOKS

START_PAGE = "00-start-here.ipynb"
EDUCATOR_PAGE = "educator.ipynb"
STATUS_PATH = "spasm-edu/status"
MAX_KERNELS_ENV = "SPASM_EDU_MAX_KERNELS"
CULL_IDLE_ENV = "SPASM_EDU_CULL_IDLE_SECONDS"
KERNEL_MB = 80  # what one student's kernel may use (RSS), for the memory-based kernel cap
BUSY_MARKER = 'id="spasm-busy"'
BUSY_RETRY_SECONDS = 60
TEMPLATE = "spasm"
# A Jupyter data folder in the package with voila/templates/spasm: Voilà's "lab" template plus
# a <main> landmark, no CDN, and a watchdog that says when the page's kernel is gone.
TEMPLATE_DATA_DIR = Path(__file__).parent / "share" / "jupyter"


def notebooks_dir() -> Path:
    """The notebooks to serve: ./notebooks of a source checkout, else the copy in the package."""
    here = Path.cwd() / "notebooks"
    if (here / START_PAGE).is_file():
        return here
    packaged = Path(__file__).parent / "notebooks"
    if (packaged / START_PAGE).is_file():
        return packaged
    source = Path(__file__).resolve().parents[2] / "notebooks"
    return source


@dataclass(frozen=True)
class ClassConfig:
    """How the server is prepared for a class of `size` students arriving together.

    pools: warm kernels kept per notebook (the page a class opens first gets one per student).
    max_kernels: kernels alive at most (pool and students together); above it, the busy page.
    max_waiting_starts: cold kernel starts allowed to queue; above it, the busy page (a start
        costs about a second of both cores, so a longer queue means a wait nobody accepts).
    """

    size: int
    pools: dict[str, int] = field(default_factory=dict)
    max_kernels: int = 0
    max_waiting_starts: int = 20
    cold_start_concurrency: int = 2
    refill_concurrency: int = 2
    refill_quiet_seconds: float = 3.0
    settle_timeout_seconds: float = 30.0
    cull_idle_seconds: int = 600
    cull_interval_seconds: int = 60

    @property
    def pooled(self) -> int:
        """Warm kernels when every pool is full."""
        return sum(self.pools.values())


def _available_mb() -> int | None:
    try:
        import psutil  # type: ignore[import-untyped]  # ipykernel's dependency: always there
    except ImportError:
        return None
    return int(psutil.virtual_memory().available // 2**20)


def class_config(
    size: int,
    notebooks: Sequence[str],
    *,
    class_pages: Sequence[str] = (START_PAGE,),
    available_mb: int | None = None,
    cpus: int | None = None,
    environ: dict[str, str] | None = None,
) -> ClassConfig:
    """Settings for a class of `size` on this machine.

    The pages the whole class opens at once (`class_pages`: the start page, or the lesson the
    teacher names) get a warm kernel per student; every other student page gets one per 20
    students, refilled between arrivals; the educator page none. The kernel cap leaves room
    for every student's page, the pools and a margin, and never plans for more than 80% of
    the free memory at 80 MB a kernel.
    """
    if size < 1:
        raise ValueError("the class size must be at least 1")
    env = os.environ if environ is None else environ
    # A teacher's old page name (a notebook that moved) still names the page.
    class_pages = [MOVED_NOTEBOOKS.get(page, page) for page in class_pages]
    unknown = sorted(set(class_pages) - set(notebooks))
    if unknown:
        raise ValueError(f"no such page to prepare for the class: {', '.join(unknown)}")
    pools = dict.fromkeys(class_pages, size)
    for name in notebooks:
        if name not in pools and name != EDUCATOR_PAGE and size // 20:
            pools[name] = size // 20
    wanted = size + sum(pools.values()) + max(4, math.ceil(size / 2))
    free = _available_mb() if available_mb is None else available_mb
    if free is not None:
        wanted = max(4, min(wanted, int(free * 0.8) // KERNEL_MB))
    return _config(size, pools, wanted, env, cpus)


def solo_config(
    notebooks: Sequence[str],
    warm: int = 1,
    *,
    available_mb: int | None = None,
    cpus: int | None = None,
    environ: dict[str, str] | None = None,
) -> ClassConfig:
    """Settings without a class: `warm` kernels kept ready for every page.

    A page then opens in about half the time (the kernel has started and built the page
    before the visitor asks), for a kernel's memory (about 75 MB) per page and warm kernel.
    The kernel cap only guards the memory: 80% of what is free, at 80 MB a kernel.
    """
    if warm < 1:
        raise ValueError("warm kernels per page must be at least 1 (0: use no config)")
    env = os.environ if environ is None else environ
    pools = dict.fromkeys(notebooks, warm)
    free = _available_mb() if available_mb is None else available_mb
    cap = max(sum(pools.values()) + 4, int(free * 0.8) // KERNEL_MB) if free is not None else 1000
    return _config(0, pools, cap, env, cpus)


def _config(
    size: int, pools: dict[str, int], cap: int, env: Mapping[str, str], cpus: int | None
) -> ClassConfig:
    """The settings both kinds of server share: the cap (unless the environment sets one),
    culling of idle kernels, and starts limited to the cores."""
    if env.get(MAX_KERNELS_ENV, "").strip():
        cap = max(1, int(env[MAX_KERNELS_ENV]))
    cull = int(env.get(CULL_IDLE_ENV, "").strip() or 600)
    n_cpus = cpus or os.cpu_count() or 1
    return ClassConfig(
        size=size,
        pools=pools,
        max_kernels=cap,
        max_waiting_starts=max(4, 10 * n_cpus),
        cold_start_concurrency=max(1, n_cpus),
        # Without a class nobody arrives in a burst: refill one at a time, soon after a page
        # is served, so the next page (or a reload) finds a warm kernel too.
        refill_concurrency=max(1, n_cpus) if size else 1,
        refill_quiet_seconds=3.0 if size else 0.5,
        cull_idle_seconds=cull,
        cull_interval_seconds=max(1, min(60, cull // 4)),
    )


# Voilà's settings for the lessons, wherever Voilà runs: `spasm-edu serve` passes them on the
# command line; Binder and JupyterHub read them from voila.json (`spasm-edu jupyter-config`).
VOILA_SETTINGS: dict[str, Any] = {
    "strip_sources": True,
    "show_tracebacks": False,
    "theme": "light",
    "template": TEMPLATE,
    "file_allowlist": [r".*\.(png|svg)"],
    "file_denylist": [r".*\.(ipynb|py|yaml|yml|sqlite3|db|json)"],
}
# Kernels of closed or crashed tabs (no websocket left, idle) are shut down after this long.
CULL_SETTINGS: dict[str, Any] = {
    "cull_idle_timeout": 600,
    "cull_interval": 60,
    "cull_connected": False,
    "cull_busy": False,
}


def jupyter_config_files() -> dict[str, dict[str, Any]]:
    """Config files for a Jupyter server running Voilà as an extension, by relative path.

    voila.json gives Voilà our settings; the server config culls the kernels of tabs that
    crashed or lost their network. (Closed tabs free their kernels through the server
    extension, which pip enables.)
    """
    return {
        "voila.json": {"VoilaConfiguration": VOILA_SETTINGS},
        "jupyter_server_config.d/spasm-edu.json": {"MappingKernelManager": CULL_SETTINGS},
    }


def write_jupyter_config(folder: Path) -> list[Path]:
    """Write `jupyter_config_files()` under `folder` (e.g. ~/.jupyter); return the paths."""
    written = []
    for name, data in jupyter_config_files().items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _flags(section: str, settings: Mapping[str, Any]) -> list[str]:
    """traitlets command-line flags; a list is one flag per item (the non-deprecated form)."""
    flags = []
    for name, value in settings.items():
        for item in value if isinstance(value, list) else [value]:
            flags.append(f"--{section}.{name}={item}")
    return flags


def voila_argv(
    notebooks: Path,
    *,
    host: str,
    port: int,
    open_browser: bool,
    class_cfg: ClassConfig | None = None,
) -> list[str]:
    """Command-line settings for Voilà: start page, sources stripped, tracebacks hidden."""
    argv = [
        str(notebooks),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move to another port
        *_flags("VoilaConfiguration", VOILA_SETTINGS),
        # IPC avoids two kernels starting together picking the same TCP port.
        "--KernelManager.transport=ipc",
        # A restarted kernel has none of its page's widgets: let a dead kernel stay dead, so
        # it frees its memory and the page's watchdog sees it gone and asks for a reload.
        "--KernelRestarter.restart_limit=0",
    ]
    if class_cfg is not None:
        argv += [
            "--preheat_kernel=True",
            "--pool_size=0",  # pool sizes per notebook come from ClassConfig.pools
            "--VoilaKernelManager.fill_delay=0",  # the refill waits for a quiet moment instead
            *_flags(
                "MappingKernelManager",
                {
                    **CULL_SETTINGS,
                    "cull_idle_timeout": class_cfg.cull_idle_seconds,
                    "cull_interval": class_cfg.cull_interval_seconds,
                },
            ),
        ]
    if not open_browser:
        argv.append("--no-browser")
    return argv


BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry}">
<title>The server is busy</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;
line-height:1.5;color:#1a1a1a}}a{{color:#0b57d0}}</style></head>
<body><main {marker}><h1>The server is busy</h1>
<p>Too many people opened a page at the same moment. Please try again in a minute.</p>
<p>This page tries again by itself in {retry} seconds, or <a href="{url}">try again now</a>.</p>
</main></body></html>
"""


def busy_page(url: str, retry: int = BUSY_RETRY_SECONDS) -> str:
    """The page a visitor gets when the server has no room for another kernel right now."""
    return BUSY_PAGE.format(retry=retry, marker=BUSY_MARKER, url=escape(url))


def _kernel_manager_class(base: type, cfg: ClassConfig) -> type:
    """Voilà's preheating kernel manager, with a refill that waits for quiet and a kernel cap.

    Voilà refills a pool one second after each use and starts every missing kernel at once, so
    a burst as large as the pool starts as many kernels again while students still wait. Here a
    pool kernel starts only when no page request has arrived for a few seconds, a few at a time,
    and never above the kernel cap; a visitor who finds the pool empty gets a kernel of their
    own right away (or the busy page), never a refill still waiting its turn.
    """
    import tornado.web
    from jupyter_server._tz import utcnow
    from traitlets import TraitError, default

    class ClassKernelManager(base):  # type: ignore[misc]
        def __init__(self, **kwargs: Any) -> None:
            # Voilà's __init__ already queues the first fill, so set our state before it.
            self._class = cfg
            self._refill_slots = asyncio.Semaphore(cfg.refill_concurrency)
            self._cold_slots = asyncio.Semaphore(cfg.cold_start_concurrency)
            self._settled: dict[str, asyncio.Event] = {}
            self._in_flight = 0
            self._last_visit = 0.0
            self._cold_waiting = 0
            self._refilling = 0
            self._closing = False
            self._announced = False
            super().__init__(**kwargs)

        @default("kernel_pools_config")
        def _class_pools(self) -> dict[str, Any]:
            pools: dict[str, Any] = {"default": {"pool_size": 0, "kernel_env_variables": {}}}
            pools.update({nb: {"pool_size": n} for nb, n in cfg.pools.items()})
            return pools

        # ---- what the page handler asks -------------------------------------------------

        def kernel_count(self) -> int:
            return len(self.list_kernel_ids())

        def has_ready(self, notebook: str) -> bool:
            """A pool kernel of this notebook has run it and waits for its visitor."""
            return any(
                t.done() and not t.cancelled() and t.exception() is None
                for t in self._pools.get(notebook, ())
            )

        def check_admission(self, notebook: str) -> None:
            """Raise HTTP 503 (the busy page) when a visitor cannot get a kernel soon."""
            if self.has_ready(notebook):
                return
            if self._cold_waiting >= cfg.max_waiting_starts:
                raise tornado.web.HTTPError(503, reason="too many kernels starting")
            if self.kernel_count() + self._cold_waiting >= cfg.max_kernels:
                raise tornado.web.HTTPError(503, reason="kernel cap reached")

        def visit_begin(self) -> None:
            self._in_flight += 1
            self._last_visit = time.monotonic()

        def visit_end(self) -> None:
            self._in_flight -= 1
            self._last_visit = time.monotonic()

        def mark_settled(self, kernel_id: str) -> None:
            """A pool kernel reached wait_for_request(): its notebook has run up to there."""
            self._settled.setdefault(kernel_id, asyncio.Event()).set()

        def class_status(self) -> dict[str, Any]:
            return {
                "class_size": cfg.size,
                "kernels": self.kernel_count(),
                "max_kernels": cfg.max_kernels,
                "cold_waiting": self._cold_waiting,
                "visits_in_flight": self._in_flight,
                "pools": {
                    nb: {
                        "size": n,
                        "ready": sum(
                            1
                            for t in self._pools.get(nb, ())
                            if t.done() and not t.cancelled() and t.exception() is None
                        ),
                    }
                    for nb, n in cfg.pools.items()
                },
                "pools_full": self._pools_full(),
            }

        # ---- pool kernels: warmed when nobody is arriving --------------------------------

        def _pools_full(self) -> bool:
            return all(
                sum(
                    1
                    for t in self._pools.get(nb, ())
                    if t.done() and not t.cancelled() and t.exception() is None
                )
                >= n
                for nb, n in cfg.pools.items()
            )

        def _quiet(self) -> bool:
            return (
                self._in_flight == 0
                and self._cold_waiting == 0
                and time.monotonic() - self._last_visit >= cfg.refill_quiet_seconds
                and self.kernel_count() + self._refilling < cfg.max_kernels
            )

        async def _initialize(
            self, notebook_path: str, kernel_id: str | None = None, **kwargs: Any
        ) -> Any:
            if kernel_id is not None:  # a restart of a kernel in use, not a pool refill
                return await super()._initialize(notebook_path, kernel_id, **kwargs)
            async with self._refill_slots:
                while not self._quiet():
                    if self._closing:
                        raise RuntimeError("the server is stopping")
                    await asyncio.sleep(0.25)
                self._refilling += 1
                try:
                    result = await super()._initialize(notebook_path, None, **kwargs)
                    await self._settle(result)
                except Exception:
                    if not self._closing:
                        self.log.exception(
                            "spasm-edu: a warm kernel for %s did not start", notebook_path
                        )
                        asyncio.get_running_loop().call_later(
                            5, self._replace, notebook_path, asyncio.current_task()
                        )
                    raise
                finally:
                    self._refilling -= 1
            # Checked once this pool task has finished (it is still running here).
            asyncio.get_running_loop().call_soon(self._announce_if_full)
            return result

        def _replace(self, notebook: str, task: asyncio.Task[Any] | None) -> None:
            # A failed pool entry would count as taken forever: drop it and start another.
            pool = self._pools.get(notebook)
            if pool is not None and task in pool and not self._closing:
                pool.remove(task)
                self.fill_if_needed(delay=0, notebook_name=notebook)

        def _announce_if_full(self) -> None:
            if not self._announced and self._pools_full():
                self._announced = True
                if cfg.size:
                    self.log.info(
                        "spasm-edu: %d warm kernels: ready for a class of %d", cfg.pooled, cfg.size
                    )
                else:
                    self.log.info("spasm-edu: %d warm kernels: every page is ready", cfg.pooled)

        async def _settle(self, result: dict[str, Any]) -> None:
            # Hold the refill slot until the notebook has run up to the visitor's request (or
            # to its end), so refills never pile up on the CPU.
            event = self._settled.setdefault(result["kernel_id"], asyncio.Event())
            waiter = asyncio.ensure_future(event.wait())
            try:
                await asyncio.wait(
                    {waiter, result["task"]},
                    timeout=cfg.settle_timeout_seconds,
                    return_when=asyncio.FIRST_COMPLETED,
                )
            finally:
                waiter.cancel()
                self._settled.pop(result["kernel_id"], None)

        async def get_rendered_notebook(self, notebook_name: str, *args: Any, **kwargs: Any) -> Any:
            # Voilà takes the first pool entry; make it a ready kernel, not a queued refill.
            pool = self._pools.get(notebook_name, [])
            failed = [t for t in pool if t.done() and (t.cancelled() or t.exception())]
            for task in failed:
                pool.remove(task)
            pool.sort(key=lambda t: not t.done())
            rendered = await super().get_rendered_notebook(notebook_name, *args, **kwargs)
            # A pool kernel may have sat idle for longer than the culling limit; out of the
            # pool and before its page connects, the culler would take it from the visitor.
            kernel = self._kernels.get(rendered[2])
            if kernel is not None:
                kernel.last_activity = utcnow()
            return rendered

        # ---- a visitor's own kernel when the pool has none ready ------------------------

        async def start_kernel(self, *args: Any, **kwargs: Any) -> str:
            if self.kernel_count() + self._cold_waiting >= cfg.max_kernels:
                raise tornado.web.HTTPError(503, reason="kernel cap reached")
            self._cold_waiting += 1
            try:
                # A few at a time: on two cores sixty simultaneous starts all finish late.
                async with self._cold_slots:
                    return str(await super().start_kernel(*args, **kwargs))
            finally:
                self._cold_waiting -= 1

        async def cull_kernel_if_idle(self, kernel_id: str) -> Any:
            # A kernel still starting (a pool refill) has no last_activity yet, and
            # jupyter_server's culler logs a TraitError traceback for it: skip it this round.
            kernel = self._kernels.get(kernel_id)
            try:
                _ = kernel.last_activity if kernel is not None else None
            except TraitError:
                return None
            return await super().cull_kernel_if_idle(kernel_id)

        async def shutdown_all(self, *args: Any, **kwargs: Any) -> None:
            self._closing = True
            await super().shutdown_all(*args, **kwargs)

    return ClassKernelManager


def _voila_class(class_cfg: ClassConfig | None) -> Any:
    """Voilà with our routes and fixes; with `class_cfg`, prepared for a class."""
    import jinja2
    import tornado.web
    import voila.app as voila_app
    import voila.notebook_renderer as voila_renderer
    from jupyter_core.paths import jupyter_path
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler
    from voila.exporter import VoilaExporter
    from voila.request_info_handler import RequestInfoSocketHandler
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler
    from voila.tornado.handler import TornadoVoilaHandler
    from voila.tornado.kernel_websocket_handler import VoilaKernelWebsocketHandler

    from . import serverext

    class MemoryBytecodeCache(jinja2.BytecodeCache):
        """Compiled templates kept for the server's life (checked against the file's source)."""

        def __init__(self) -> None:
            self._code: dict[str, bytes] = {}

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            code = self._code.get(bucket.key)
            if code is not None:
                bucket.bytecode_from_string(code)

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            self._code[bucket.key] = bucket.bytecode_to_string()

    templates_cache = MemoryBytecodeCache()

    class CachedExporter(VoilaExporter):  # type: ignore[misc]
        """Voilà makes a new exporter, and compiles ~13 templates again, for every page view
        (about 0.1 s of the server's one core); share the compiled code between them."""

        def _create_environment(self) -> Any:
            env = super()._create_environment()
            env.bytecode_cache = templates_cache
            return env

    voila_renderer.VoilaExporter = CachedExporter

    class RenderHandler(serverext.RenderHandler):
        """A page (with the _xsrf cookie fix); turns visitors away politely when there is no room."""

        async def get(self, path: str | None = None) -> None:
            km = self.kernel_manager
            notebook = self.notebook_path or path or ""
            self._spasm_notebook = notebook
            if not hasattr(km, "check_admission"):
                await super().get(path)
                return
            km.check_admission(notebook)
            km.visit_begin()
            try:
                await super().get(path)
            finally:
                km.visit_end()

        def should_use_rendered_notebook(
            self, notebook_data: Any, pool_size: int, *args: Any
        ) -> bool:
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
            self.finish(busy_page(self.request.uri or "/", retry))

    class KernelSocketHandler(VoilaKernelWebsocketHandler):  # type: ignore[misc]
        """The page's kernel websocket, sending each message at once.

        Tornado leaves Nagle's algorithm on: a kernel reply of several small messages then
        waits for the browser's delayed ACK, and click -> feedback takes 40-50 ms instead of
        about 12 ms, at random.
        """

        async def open(self, *args: Any, **kwargs: Any) -> None:
            await super().open(*args, **kwargs)
            self.set_nodelay(True)

    class QueryHandler(RequestInfoSocketHandler):  # type: ignore[misc]
        """Hands a preheated kernel its visitor's request; tells the pool it is warm.

        Voilà's on_close removes the last waiter in the table when the closing one is not
        there (a kernel that connected twice), so another kernel's request goes nowhere and
        its page never finishes; remove only our own entry.
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

    replace = {
        TornadoVoilaHandler: RenderHandler,
        VoilaKernelWebsocketHandler: KernelSocketHandler,
        RequestInfoSocketHandler: QueryHandler,
        VoilaShutdownKernelHandler: serverext.ShutdownHandler,
    }

    class SpasmVoila(voila_app.Voila):  # type: ignore[misc]
        """Voilà with "/" sent to the start page instead of a file listing, and the old
        addresses of renamed notebooks sent to their new names."""

        @property
        def data_dir(self) -> str:
            # Voilà takes its themes from the first "voila" folder on the Jupyter path; skip
            # ours (see serve), which holds only the template.
            ours = TEMPLATE_DATA_DIR / "voila"
            found = [p for p in jupyter_path("voila") if os.path.isdir(p) and Path(p) != ours]
            return str(Path(found[0]).resolve()) if found else str(super().data_dir)

        def init_handlers(self) -> list[tuple[object, ...]]:
            start = url_path_join(self.server_url, "voila/render", START_PAGE)
            handlers: list[tuple[object, ...]] = [
                (self.server_url, RedirectHandler, {"url": start}),
                (url_path_join(self.server_url, STATUS_PATH), StatusHandler),
                # Old addresses of renamed notebooks, before Voilà's /voila/render/(.*).
                *serverext.moved_notebook_routes(self.server_url),
            ]
            for route in super().init_handlers():
                pattern, handler, *rest = route
                handlers.append((pattern, replace.get(handler, handler), *rest))
            return handlers

        def init_settings(self) -> dict[str, Any]:
            if class_cfg is None:
                return dict(super().init_settings())
            # Voilà builds its kernel manager class inside init_settings from this factory;
            # wrap it for the duration of the call to add the class behaviour.
            original = voila_app.voila_kernel_manager_factory

            def factory(*args: Any, **kwargs: Any) -> type:
                return _kernel_manager_class(original(*args, **kwargs), class_cfg)

            voila_app.voila_kernel_manager_factory = factory
            try:
                return dict(super().init_settings())
            finally:
                voila_app.voila_kernel_manager_factory = original

    return SpasmVoila


def serve(
    notebooks: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8866,
    open_browser: bool = True,
    extra: Sequence[str] = (),
    class_size: int = 0,
    class_pages: Sequence[str] = (START_PAGE,),
    warm: int = 1,
) -> None:
    """Run Voilà until interrupted; "/" redirects to the start page.

    class_size: prepare for a class of this many students (see `class_config`); 0 for a
        few visitors at a time.
    class_pages: the notebooks the class opens together (a warm kernel per student each).
    warm: without a class, warm kernels kept ready per page (see `solo_config`); 0 starts a
        kernel when a page is opened (slower pages, less memory; content edits show at once).
    """
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Voilà looks templates up on the Jupyter path, at start and for every static file.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(TEMPLATE_DATA_DIR), os.environ.get("JUPYTER_PATH")])
    )
    class_cfg = None
    names = sorted(p.name for p in notebooks.glob("*.ipynb"))
    if class_size:
        class_cfg = class_config(class_size, names, class_pages=class_pages)
    elif warm:
        class_cfg = solo_config(names, warm)
    # A preheated kernel fetches its visitor's request from this address (Voilà's default
    # is 127.0.0.1, which a server bound to one other address does not answer).
    if class_cfg is not None and host not in ("0.0.0.0", "::", ""):  # noqa: S104 - compared
        os.environ["VOILA_APP_IP"] = f"[{host}]" if ":" in host else host
    app = _voila_class(class_cfg).instance()
    app.initialize(
        [
            *voila_argv(
                notebooks, host=host, port=port, open_browser=open_browser, class_cfg=class_cfg
            ),
            *extra,
        ]
    )
    # traitlets leaves the logger at DEBUG and filters at the handler: every kernel message
    # then builds a debug record nobody sees (about a tenth of the server's time under load).
    app.log.setLevel(app.log_level)
    sys.stdout.write(f"spasm-edu: serving the lessons at http://{host}:{port}/\n")
    if class_cfg is not None and class_cfg.size:
        sys.stdout.write(
            f"spasm-edu: class of {class_cfg.size}: warming {class_cfg.pooled} kernels "
            f"(about {class_cfg.pooled * 70 / 1024:.1f} GB); at most {class_cfg.max_kernels} "
            f"kernels; idle kernels of closed tabs end after {class_cfg.cull_idle_seconds} s. "
            "Wait for 'ready for a class' before students arrive.\n"
        )
    elif class_cfg is not None:
        sys.stdout.write(
            f"spasm-edu: warming {class_cfg.pooled} kernels, {warm} per page (about "
            f"{class_cfg.pooled * 70 / 1024:.1f} GB), so pages open fast; --warm 0 for none.\n"
        )
    sys.stdout.flush()
    app.start()
