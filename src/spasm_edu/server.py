"""Start Voilà on the lesson notebooks with the settings students need."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

START_PAGE = "00-start-here.ipynb"


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


def voila_argv(notebooks: Path, *, host: str, port: int, open_browser: bool) -> list[str]:
    """Command-line settings for Voilà: start page, sources stripped, tracebacks hidden."""
    argv = [
        str(notebooks),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",  # a busy port is an error, not a silent move to another port
        "--strip_sources=True",
        "--show_tracebacks=False",
        "--theme=light",
        "--VoilaConfiguration.file_allowlist=['.*\\.(png|svg)']",
        "--VoilaConfiguration.file_denylist=['.*\\.(ipynb|py|yaml|yml|sqlite3|db|json)']",
        # IPC avoids two kernels starting together picking the same TCP port.
        "--KernelManager.transport=ipc",
    ]
    if not open_browser:
        argv.append("--no-browser")
    return argv


def serve(notebooks: Path, *, host: str = "127.0.0.1", port: int = 8866,
          open_browser: bool = True, extra: Sequence[str] = ()) -> None:
    """Run Voilà until interrupted; "/" redirects to the start page."""
    from jupyter_server.utils import url_path_join
    from tornado.web import RedirectHandler
    from voila.app import Voila

    class SpasmVoila(Voila):  # type: ignore[misc]
        """Voilà with "/" sent to the start page instead of a file listing."""

        def init_handlers(self) -> list[tuple[object, ...]]:
            start = url_path_join(self.server_url, "voila/render", START_PAGE)
            handlers: list[tuple[object, ...]] = [(self.server_url, RedirectHandler, {"url": start})]
            return handlers + list(super().init_handlers())

    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    app = SpasmVoila.instance()
    app.initialize([*voila_argv(notebooks, host=host, port=port, open_browser=open_browser), *extra])
    sys.stdout.write(f"spasm-edu: serving the lessons at http://{host}:{port}/\n")
    sys.stdout.flush()
    app.start()
