"""The overrides table (spasm_edu/voila/overrides.py) against the installed Voilà, jupyter_server
and nbconvert: every name we rely on still exists, our overrides still take effect, and no
private name is used without a row."""

from __future__ import annotations

import ast
import importlib
import inspect
import json
import pkgutil
from collections.abc import Iterator
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Any as AnyTrait
from traitlets import Unicode
from traitlets.config import Configurable
from voila.voila_kernel_manager import voila_kernel_manager_factory

import spasm_edu.voila
from spasm_edu.voila.handshake import request_info_url
from spasm_edu.voila.kernels import ClassKernelManager
from spasm_edu.voila.overrides import OVERRIDES, VKM, Override

PACKAGE = Path(spasm_edu.voila.__file__).parent
ROWS = [(row, name) for row in OVERRIDES for name in row.names]
# Private names of the standard library that are its documented API.
STDLIB = {"_exit"}  # os._exit: how a forked child ends (zygote_main.py)
# Module attributes of the standard library a forked kernel sets as a started one has them.
STDLIB_SET = {"sys:argv"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _last(name: str) -> str:
    return name.rpartition(":")[2].rpartition(".")[2]


def _gone(name: str, row: Override, error: Exception) -> str:
    versions = ", ".join(f"{d} {version(d)}" for d in ("voila", "jupyter_server", "nbconvert"))
    return (
        f"{name} is gone ({type(error).__name__}: {error}) with {versions}.\n"
        f"spasm_edu/voila/overrides.py needs it for: {row.what}\n"
        f"why: {row.why}\nupstream: {row.upstream}; it can go when {row.remove_when}.\n"
        "Find another way (or drop the override), then update the row."
    )


class _Parent(Configurable):
    """What Voilà's kernel manager reads of its parent, the Voilà app."""

    root_dir = Unicode()
    notebook_path = AnyTrait(None)


@pytest.fixture(scope="module")
def voila_manager(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An instance of the kernel manager class Voilà's factory builds (no notebooks: no kernels)."""
    voila_class = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 0)
    return voila_class(parent=_Parent(root_dir=str(tmp_path_factory.mktemp("empty"))))


@pytest.mark.parametrize(("row", "name"), ROWS, ids=[name for _, name in ROWS])
def test_every_name_we_rely_on_still_exists(row: Override, name: str, voila_manager: Any) -> None:
    module_name, _, qualname = name.partition(":")
    parts = qualname.split(".")
    try:
        if f"{module_name}:{parts[0]}" == VKM:
            found: Any = voila_manager
            parts = parts[1:]
        else:
            found = importlib.import_module(module_name)
        for part in parts:
            found = getattr(found, part)
    except (ImportError, AttributeError) as error:
        pytest.fail(_gone(name, row, error), pytrace=False)


def _row(text: str) -> Override:
    (row,) = (row for row in OVERRIDES if text in row.what)
    return row


def test_voila_builds_its_kernel_manager_from_the_factory_name_we_swap() -> None:
    import voila.app

    row = _row("voila_kernel_manager_factory")
    source = inspect.getsource(voila.app.Voila.init_settings)
    assert "voila_kernel_manager_factory(" in source, (
        "Voila.init_settings no longer calls voila.app.voila_kernel_manager_factory: "
        f"ClassKernelManager would silently not be used.\nRow: {row.what}"
    )


def test_voila_looks_its_exporter_up_at_every_page() -> None:
    import voila.exporter
    import voila.notebook_renderer

    row = _row("CachedExporter")
    source = inspect.getsource(voila.notebook_renderer.NotebookRenderer.initialize)
    assert "VoilaExporter(" in source, (
        "NotebookRenderer.initialize no longer builds voila.notebook_renderer.VoilaExporter: "
        f"the template cache would silently not be used.\nRow: {row.what}"
    )
    assert issubclass(voila.notebook_renderer.VoilaExporter, voila.exporter.VoilaExporter)


@pytest.mark.parametrize(
    "env",
    [
        {"VOILA_APP_PORT": "9999", "VOILA_SERVER_URL": "/user/ana/"},
        {
            "VOILA_APP_IP": "[::1]",
            "VOILA_APP_PORT": "8866",
            "VOILA_SERVER_URL": "/",
            "VOILA_WS_BASE_URL": "/proxy/",
            "VOILA_WS_PROTOCOL": "wss",
        },
    ],
)
def test_a_warm_kernel_asks_where_voila_would(
    env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import voila.utils

    row = _row("handshake.wait_for_visitor")
    for name in ("VOILA_APP_IP", "VOILA_WS_BASE_URL", "VOILA_WS_PROTOCOL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "k-1", **env}.items():
        monkeypatch.setenv(name, value)
    asked: list[str] = []

    async def get_request_info(url: str) -> str:
        asked.append(url)
        return json.dumps({})

    # Voilà's own helper, up to the point where it would connect.
    if not hasattr(voila.utils, "_get_request_info"):
        pytest.fail(f"voila.utils._get_request_info is gone: compare by hand. Row: {row.what}")
    monkeypatch.setattr(voila.utils, "_get_request_info", get_request_info)
    voila.utils.wait_for_request()
    assert asked == [request_info_url()], (
        f"the handshake asks elsewhere than Voilà. Row: {row.what}"
    )


# ---- nothing private without a row -----------------------------------------------------------


def _scan(path: Path) -> tuple[set[str], set[str], set[str]]:
    """Private names used, private names of our own, and foreign module attributes assigned."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    used: set[str] = set()
    ours: set[str] = set()
    assigned: set[str] = set()
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                # `import a.b as c` binds c to a.b; `import a.b` binds a.
                bound = alias.asname or alias.name.partition(".")[0]
                modules[bound] = alias.name if alias.asname else bound
        elif isinstance(node, ast.ImportFrom):
            used.update(p for p in (node.module or "").split(".") if _private(p))
            used.update(a.name for a in node.names if _private(a.name))
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            ours.update({node.name} if _private(node.name) else set())
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and _private(node.id):
            ours.add(node.id)
        elif isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(node.ctx, ast.Store) and isinstance(base, ast.Name):
                if base.id == "self" and _private(node.attr):
                    ours.add(node.attr)
                elif base.id in modules:
                    assigned.add(f"{modules[base.id]}:{node.attr}")
            elif _private(node.attr):
                used.add(node.attr)
    return used, ours, assigned


def _our_classes() -> Iterator[type]:
    for info in pkgutil.iter_modules([str(PACKAGE)]):
        module = importlib.import_module(f"spasm_edu.voila.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                yield cls


def _overridden(cls: type, bases: tuple[type, ...], ours: set[str]) -> set[str]:
    """Private names our source defines in `cls` that a class of Voilà, jupyter_server... has."""
    theirs = [b for base in bases for b in base.__mro__ if not b.__module__.startswith("spasm_")]
    return {n for n in vars(cls) if n in ours and any(n in vars(b) for b in theirs)}


def test_every_private_name_we_use_or_override_has_a_row(voila_manager: Any) -> None:
    listed = {_last(name) for _, name in ROWS if _private(_last(name))}
    listed_attributes = {name for _, name in ROWS if "." not in name.partition(":")[2]}
    used: set[str] = set()
    ours: set[str] = set()
    assigned: dict[str, str] = {}
    self_stores: set[str] = set()
    for path in sorted(PACKAGE.glob("*.py")):
        file_used, file_ours, file_assigned = _scan(path)
        used |= file_used
        ours |= file_ours
        assigned.update(dict.fromkeys(file_assigned, path.name))
        if path.name == "kernels.py":
            self_stores = file_ours
    overridden: set[str] = set()
    for cls in _our_classes():
        overridden |= _overridden(cls, cls.__bases__, ours)
    # ClassKernelManager's base is Voilà's class, made at run time.
    overridden |= _overridden(ClassKernelManager, (type(voila_manager),), ours)

    theirs = (used - ours - STDLIB) | overridden
    assert not theirs - listed, (
        f"private names of Voilà / jupyter_server used or overridden without a row in "
        f"spasm_edu/voila/overrides.py: {sorted(theirs - listed)}"
    )
    unlisted = {
        name: file
        for name, file in assigned.items()
        if name not in listed_attributes and name not in STDLIB_SET
    }
    assert not unlisted, f"module attributes of theirs replaced without a row: {unlisted}"
    assert not listed - theirs, (
        f"rows for private names nothing uses now: {sorted(listed - theirs)}"
    )
    # ClassKernelManager's own state must not land on an attribute of Voilà's instance.
    clash = (self_stores & set(vars(voila_manager))) - listed
    assert not clash, f"ClassKernelManager state clashes with Voilà's attributes: {clash}"
