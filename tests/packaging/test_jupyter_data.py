"""pip puts our Voilà template and server extension where every Jupyter server looks."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_config_path, jupyter_path

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "src" / "spasm_edu" / "share" / "jupyter" / "voila" / "templates" / "spasm"


def test_template_is_installed_next_to_voilas_own() -> None:
    installed = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / "spasm"
    assert (installed.parent / "lab").is_dir(), "Voilà's own templates live here"
    for source in TEMPLATE.rglob("*"):
        if source.is_file():
            copy = installed / source.relative_to(TEMPLATE)
            assert copy.is_file() and copy.read_bytes() == source.read_bytes(), (
                f"{copy} is missing or stale: reinstall (make test does when the template changes)"
            )
    # Voilà finds it by name on the Jupyter path (`voila --template=spasm`, the extension).
    found = [p for p in jupyter_path("voila", "templates", "spasm") if Path(p).is_dir()]
    assert found


def test_server_extension_is_enabled_for_every_jupyter_server() -> None:
    enabled = {}
    for folder in jupyter_config_path():
        for path in Path(folder, "jupyter_server_config.d").glob("*.json"):
            config = json.loads(path.read_text())
            enabled.update(config.get("ServerApp", {}).get("jpserver_extensions", {}))
    assert enabled.get("spasm_edu") is True
    import spasm_edu

    (point,) = spasm_edu._jupyter_server_extension_points()
    assert point["module"] == "spasm_edu.voila.extension"
    # What jupyter_server calls in the module the point names.
    extension = importlib.import_module(point["module"])
    assert callable(extension._load_jupyter_server_extension)
    assert callable(extension._start_jupyter_server_extension)
