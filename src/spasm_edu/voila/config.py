"""What the lessons are served with: a class's warm pools and cap, Voilà's settings.

Pure settings, no Voilà import: `spasm-edu serve` (app.py), `spasm-edu jupyter-config` and the
tests read them. Page names and environment variables come from ``spasm_edu/settings.py``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..content.moved import MOVED_NOTEBOOKS
from ..settings import (
    DEFAULT_CULL_IDLE_SECONDS,
    EDUCATOR_PAGE,
    START_PAGE,
    cull_idle_seconds,
    max_kernels,
)

STATUS_PATH = "spasm-edu/status"
READY_CLIENT = "spasm_edu.voila.ready_client.ReadyKernelClient"  # ready_client.py
PROVISIONER_NAME = "spasm-edu-zygote"  # pyproject.toml's entry point for zygote.ZygoteProvisioner
KERNEL_MB = 80  # what one student's kernel may use (RSS), for the memory-based kernel cap
# ... and a kernel forked from the kernel template (zygote.py): its own pages (about 27 MB after
# a lesson) and its share of the template's, with a margin.
FORKED_KERNEL_MB = 40
IOPUB_TIMEOUT_SECONDS = 60
TEMPLATE = "spasm"
# A Jupyter data folder in the package with voila/templates/spasm: Voilà's "lab" template plus
# a <main> landmark, no CDN, and a watchdog that says when the page's kernel is gone.
TEMPLATE_DATA_DIR = Path(__file__).parents[1] / "share" / "jupyter"


def notebooks_dir() -> Path:
    """The notebooks to serve: ./notebooks of a source checkout, else the copy in the package."""
    here = Path.cwd() / "notebooks"
    if (here / START_PAGE).is_file():
        return here
    packaged = Path(__file__).parents[1] / "notebooks"
    if (packaged / START_PAGE).is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "notebooks"  # the checkout, run from elsewhere


@dataclass(frozen=True)
class ClassConfig:
    """How the server is prepared for a class of `size` students arriving together.

    pools: warm kernels kept per notebook (the page a class opens first gets one per student).
    follow_presenter: the lesson an educator opens on the projector (``?present=1``) gets a
        warm kernel per student too, while the educator introduces it (kernels.py); any of
        `student_pages` can be.
    arrival_pages: pools that are there for the class's arrival (the class pages): each warm
        kernel taken lowers the pool by one, down to `after_arrival`, so the server does not
        warm a second class's worth for students who have come; after `rearm_quiet_seconds`
        with no page opened (the class has gone), they are warmed for a class again.
    max_kernels: kernels alive at most (pool and students together); above it, the busy page.
    max_waiting_starts: cold kernel starts allowed to queue; above it, the busy page (a start
        costs about a second of both cores, so a longer queue means a wait nobody accepts).
    """

    size: int
    pools: dict[str, int] = field(default_factory=dict)
    follow_presenter: bool = False
    student_pages: tuple[str, ...] = ()
    arrival_pages: tuple[str, ...] = ()
    after_arrival: int = 1
    rearm_quiet_seconds: float = 600.0
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
    fork: bool = False,
) -> ClassConfig:
    """Settings for a class of `size` on this machine.

    The pages the whole class opens at once (`class_pages`: the start page, or the lesson the
    teacher names) get a warm kernel per student; every other student page gets one per 20
    students, refilled between arrivals; the educator page none. The kernel cap leaves room
    for every student's page, the pools and a margin, and never plans for more than 80% of
    the free memory at 80 MB a kernel.

    With `fork` (kernels forked from the kernel template: a fraction of the CPU and about half
    the memory), every other student page keeps one warm kernel for a class of 10 or more,
    the lesson on the projector gets one per student (`follow_presenter`), a cold start is not
    turned away while up to two classes' worth are waiting, and the cap plans at 40 MB a
    kernel.
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
    # Every other student page: a warm kernel per 20 students; with forked kernels one (a
    # refill is quick, and the lesson on the projector gets a kernel per student).
    others = (1 if size >= 10 else 0) if fork else size // 20
    for name in notebooks:
        if name not in pools and name != EDUCATOR_PAGE and others:
            pools[name] = others
    wanted = size + sum(pools.values()) + max(4, math.ceil(size / 2))
    if fork:  # room for the lesson on the projector's pool and a second wave of arrivals
        wanted += 2 * size
    free = _available_mb() if available_mb is None else available_mb
    kernel_mb = FORKED_KERNEL_MB if fork else KERNEL_MB
    if free is not None:
        wanted = max(4, min(wanted, int(free * 0.8) // kernel_mb))
    students = tuple(name for name in notebooks if name != EDUCATOR_PAGE)
    cfg = replace(_config(size, pools, wanted, env, cpus, fork=fork), student_pages=students)
    if fork:  # a refill is quick: the class pages' pools are for the arrival only
        cfg = replace(
            cfg, arrival_pages=tuple(dict.fromkeys(class_pages)), after_arrival=max(2, others)
        )
    return cfg


def solo_config(
    notebooks: Sequence[str],
    warm: int = 1,
    *,
    available_mb: int | None = None,
    cpus: int | None = None,
    environ: dict[str, str] | None = None,
    fork: bool = False,
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
    kernel_mb = FORKED_KERNEL_MB if fork else KERNEL_MB
    cap = max(sum(pools.values()) + 4, int(free * 0.8) // kernel_mb) if free is not None else 1000
    return _config(0, pools, cap, env, cpus, fork=fork)


def _config(
    size: int,
    pools: dict[str, int],
    cap: int,
    env: Mapping[str, str],
    cpus: int | None,
    *,
    fork: bool = False,
) -> ClassConfig:
    """The settings both kinds of server share: the cap (unless the environment sets one),
    culling of idle kernels, and starts limited to the cores."""
    cap = max_kernels(env) or cap
    cull = cull_idle_seconds(env)
    n_cpus = cpus or os.cpu_count() or 1
    waiting = max(4, 10 * n_cpus)
    if fork:  # a forked start is cheap: a wait beats a busy page for two classes' worth
        waiting = max(waiting, 2 * size)
    return ClassConfig(
        size=size,
        pools=pools,
        follow_presenter=fork and size > 0,
        max_kernels=cap,
        max_waiting_starts=waiting,
        # A forked start waits more than it computes (a kernel's sockets connecting): more
        # of them at once keep the cores busy.
        cold_start_concurrency=max(1, n_cpus) * (3 if fork and size else 1),
        # Without a class nobody arrives in a burst: refill one at a time, soon after a page
        # is served, so the next page (or a reload) finds a warm kernel too.
        refill_concurrency=max(1, n_cpus) * (3 if fork else 1) if size else 1,
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
    "cull_idle_timeout": DEFAULT_CULL_IDLE_SECONDS,
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
    fork: bool = False,
) -> list[str]:
    """Command-line settings for Voilà: start page, sources stripped, tracebacks hidden;
    with `fork`, kernels forked from the kernel template (zygote.py)."""
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
        # nbclient waits 4 s for a cell's last output, then sends the page without it (a
        # lesson without its widgets): on a machine busy with a class, wait longer.
        f"--VoilaExecutor.iopub_timeout={IOPUB_TIMEOUT_SECONDS}",
        # jupyter_client's clients wait for 0.2 s of IOPub silence before a notebook runs.
        f"--KernelManager.client_factory={READY_CLIENT}",
    ]
    if fork:
        argv.append(f"--KernelProvisionerFactory.default_provisioner_name={PROVISIONER_NAME}")
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
