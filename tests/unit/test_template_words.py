"""The spasm template's own words (shown before or without the page's widgets) are the app's."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from spasm_edu.strings import text

TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / "src/spasm_edu/share/jupyter/voila/templates/spasm/index.html.j2"
)


def _attribute(name: str) -> str:
    found = re.findall(rf'\s{name}="([^"]*)"', TEMPLATE.read_text(encoding="utf-8"))
    assert len(found) == 1, f"{TEMPLATE.name} has {len(found)} {name} attributes"
    return unescape(found[0])


def test_the_watchdog_says_the_app_strings() -> None:
    # The template cannot call text(): it carries English copies, which must not drift.
    assert _attribute("data-message") == text("connection_lost")
    assert _attribute("data-broken") == text("page_broken")
