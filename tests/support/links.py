"""The links of a page: every <a> in its HTML widgets, as the tests that follow links read them."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import ipywidgets as widgets


class _Links(HTMLParser):
    """The href and text of every <a> in an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.found.append((dict(attrs).get("href") or "", ""))
            self._open = []

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open is not None:
            self.found[-1] = (self.found[-1][0], "".join(self._open).strip())
            self._open = None


def page_links(root: widgets.Widget) -> list[tuple[str, str]]:
    """(href, text) of every link to another page of the course, in every HTML widget of a page.

    Links to other sites (sources), to a file held in the link (data:) and within the page
    (#...) are not page links.
    """
    parser = _Links()
    stack = [root]
    while stack:
        widget = stack.pop()
        if isinstance(widget, widgets.HTML):
            parser.feed(widget.value)
        stack.extend(getattr(widget, "children", ()))
    return [
        (href, label)
        for href, label in parser.found
        if not urlsplit(href).scheme and not href.startswith(("#", "/"))
    ]
