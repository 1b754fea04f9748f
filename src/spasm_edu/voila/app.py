"""`spasm-edu serve`: Voilà on the lesson notebooks with the settings students need.

With a class size (`spasm-edu serve --class-size N`) the server is set up for a class on one
machine: a pool of kernels that have already run the page is warmed before students arrive and
refilled only when no one is arriving (kernels.py); kernels of closed or crashed tabs are shut
down; above a cap on kernels (memory) or on waiting kernel starts (CPU), a visitor gets a short
"the server is busy, try again in a minute" page instead of a page that hangs (handlers.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import CodeType
from typing import Any, ClassVar

import jinja2
import voila.app as voila_app
import voila.notebook_renderer as voila_renderer
from jupyter_core.paths import jupyter_path
from jupyter_server.utils import url_path_join
from tornado.web import RedirectHandler
from traitlets import Instance
from voila.exporter import VoilaExporter

from ..settings import START_PAGE
from . import dates, page_config, static_paths
from .config import (
    STATUS_PATH,
    TEMPLATE_DATA_DIR,
    ClassConfig,
    class_config,
    solo_config,
    voila_argv,
)
from .handlers import SERVE_HANDLERS, StatusHandler, shared_routes, warm_chunks
from .kernels import class_kernel_managers


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept for the server's life, as code objects (checked against the
    file's source). Keeping the code itself, not its marshalled bytes, spares unmarshalling
    13 templates at every page view: about a fifteenth of the server's core when pages are
    opened without a warm kernel."""

    def __init__(self) -> None:
        self._code: dict[str, tuple[str, CodeType]] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        found = self._code.get(bucket.key)
        if found is not None and found[0] == bucket.checksum:
            bucket.code = found[1]

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = (bucket.checksum, bucket.code)


class CachedExporter(VoilaExporter):  # type: ignore[misc]
    """Voilà makes a new exporter, and compiles ~13 templates again, for every page view
    (about 0.1 s of the server's one core); share the compiled code between them."""

    # One per process: a bucket is keyed by template name and file, and jinja checks the
    # source's checksum before it uses the code, so sharing it can never serve a stale page.
    bytecode_cache: ClassVar[jinja2.BytecodeCache] = MemoryBytecodeCache()

    def _create_environment(self) -> Any:
        env = super()._create_environment()
        env.bytecode_cache = self.bytecode_cache
        return env


def use_cached_exporter() -> None:
    """Make Voilà's page renderer build CachedExporters, for the rest of this process.

    Voilà has no setting for its exporter class: its NotebookRenderer looks the name
    VoilaExporter up in voila.notebook_renderer at every page view, so that name is replaced.
    """
    voila_renderer.VoilaExporter = CachedExporter


class SpasmVoila(voila_app.Voila):  # type: ignore[misc]
    """Voilà with "/" sent to the start page, our handlers, and warm kernels for a class."""

    class_cfg = Instance(
        ClassConfig,
        allow_none=True,
        help="Warm pools and kernel cap (class_config or solo_config); None: no warm kernels.",
    )

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
            *shared_routes(self.server_url),
        ]
        for route in super().init_handlers():
            pattern, handler, *rest = route
            handlers.append((pattern, SERVE_HANDLERS.get(handler, handler), *rest))
        return handlers

    def init_settings(self) -> dict[str, Any]:
        use_cached_exporter()
        if self.class_cfg is None:
            return dict(super().init_settings())
        # Voilà builds its kernel manager here: make it a ClassKernelManager.
        with class_kernel_managers(self.class_cfg):
            return dict(super().init_settings())


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
    fork: bool = True,
) -> None:
    """Run Voilà until interrupted; "/" redirects to the start page.

    class_size: prepare for a class of this many students (see `class_config`); 0 for a
        few visitors at a time.
    class_pages: the notebooks the class opens together (a warm kernel per student each).
    warm: without a class, warm kernels kept ready per page (see `solo_config`); 0 starts a
        kernel when a page is opened (slower pages, less memory; content edits show at once).
    fork: fork kernels from the kernel template (zygote.py) where the system allows it.
    """
    from .zygote import supported

    fork = fork and supported()
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    # Voilà looks templates up on the Jupyter path, at start and for every static file.
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        filter(None, [str(TEMPLATE_DATA_DIR), os.environ.get("JUPYTER_PATH")])
    )
    class_cfg = None
    names = sorted(p.name for p in notebooks.glob("*.ipynb"))
    if class_size:
        class_cfg = class_config(class_size, names, class_pages=class_pages, fork=fork)
    elif warm:
        class_cfg = solo_config(names, warm, fork=fork)
    # A preheated kernel fetches its visitor's request from this address (Voilà's default
    # is 127.0.0.1, which a server bound to one other address does not answer).
    if class_cfg is not None and host not in ("0.0.0.0", "::", ""):  # noqa: S104 - compared
        os.environ["VOILA_APP_IP"] = f"[{host}]" if ":" in host else host
    app = SpasmVoila.instance(class_cfg=class_cfg)
    app.initialize(
        [
            *voila_argv(
                notebooks,
                host=host,
                port=port,
                open_browser=open_browser,
                class_cfg=class_cfg,
                fork=fork,
            ),
            *extra,
        ]
    )
    # traitlets leaves the logger at DEBUG and filters at the handler: every kernel message
    # then builds a debug record nobody sees (about a tenth of the server's time under load).
    app.log.setLevel(app.log_level)
    sys.stdout.write(f"spasm-edu: serving the lessons at http://{host}:{port}/\n")
    kernel_mb = 30 if fork else 70  # PSS of a page's kernel, forked or started (benchmarks/)
    if class_cfg is not None and class_cfg.size:
        sys.stdout.write(
            f"spasm-edu: class of {class_cfg.size}: warming {class_cfg.pooled} kernels "
            f"(about {class_cfg.pooled * kernel_mb / 1024:.1f} GB); at most {class_cfg.max_kernels} "
            f"kernels; idle kernels of closed tabs end after {class_cfg.cull_idle_seconds} s. "
            "Wait for 'ready for a class' before students arrive.\n"
        )
    elif class_cfg is not None:
        sys.stdout.write(
            f"spasm-edu: warming {class_cfg.pooled} kernels, {warm} per page (about "
            f"{class_cfg.pooled * kernel_mb / 1024:.1f} GB), so pages open fast; --warm 0 for none.\n"
        )
    sys.stdout.flush()
    from tornado.ioloop import IOLoop

    dates.install()
    static_paths.install()
    page_config.install()
    IOLoop.current().add_callback(warm_chunks)
    if fork:
        from .zygote import start_template

        IOLoop.current().add_callback(start_template)  # ready before the first visitor
    app.start()
