"""The old home of the Voilà layer, now the `spasm_edu.voila` package: its names still import
from here (cli.py does). Voilà is imported only by `serve` and the busy page, when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import CULL_IDLE_ENV, EDUCATOR_PAGE, MAX_KERNELS_ENV, START_PAGE
from .voila.config import (
    CULL_SETTINGS,
    KERNEL_MB,
    STATUS_PATH,
    TEMPLATE,
    TEMPLATE_DATA_DIR,
    VOILA_SETTINGS,
    ClassConfig,
    class_config,
    jupyter_config_files,
    notebooks_dir,
    solo_config,
    voila_argv,
    write_jupyter_config,
)

if TYPE_CHECKING:
    from .voila.app import serve
    from .voila.handlers import BUSY_MARKER, BUSY_PAGE, BUSY_RETRY_SECONDS, busy_page

__all__ = [
    "BUSY_MARKER",
    "BUSY_PAGE",
    "BUSY_RETRY_SECONDS",
    "CULL_IDLE_ENV",
    "CULL_SETTINGS",
    "EDUCATOR_PAGE",
    "KERNEL_MB",
    "MAX_KERNELS_ENV",
    "START_PAGE",
    "STATUS_PATH",
    "TEMPLATE",
    "TEMPLATE_DATA_DIR",
    "VOILA_SETTINGS",
    "ClassConfig",
    "busy_page",
    "class_config",
    "jupyter_config_files",
    "notebooks_dir",
    "serve",
    "solo_config",
    "voila_argv",
    "write_jupyter_config",
]
_HANDLERS = ("BUSY_MARKER", "BUSY_PAGE", "BUSY_RETRY_SECONDS", "busy_page")


def __getattr__(name: str) -> Any:
    # Importing Voilà takes about a second: only `serve` and the busy page need it.
    if name == "serve":
        from .voila.app import serve

        return serve
    if name in _HANDLERS:
        from .voila import handlers

        return getattr(handlers, name)
    raise AttributeError(name)
