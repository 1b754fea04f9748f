"""`spasm-edu serve` starts quietly: no deprecation or other warnings before the first visitor."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.support.servers import start_server, stop

pytestmark = pytest.mark.dashboard

WARNING = re.compile(r"warning", re.IGNORECASE)


def test_serve_starts_without_warnings(tmp_path: Path) -> None:
    proc, base = start_server(tmp_path, ["--warm", "0"])
    try:
        # The server answers; everything it printed so far is its start.
        assert requests.get(base + "/", allow_redirects=False, timeout=10).is_redirect
    finally:
        stop(proc)
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "serving the lessons at" in log
    assert not [ln for ln in log.splitlines() if WARNING.search(ln)], log
