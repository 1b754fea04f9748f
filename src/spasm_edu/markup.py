"""The little markup content text has, as escaped HTML: **bold**, paragraphs, "- " bullets and
"1. " numbered steps. Pure (markupsafe only), for the pages (widgets/_render.py) and for the
handouts (handout/_markup.py), which must not need ipywidgets."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Literal

from markupsafe import Markup, escape

ListKind = Literal["ul", "ol"]
# Renders one list: its kind and its items' text (not yet escaped).
ListRenderer = Callable[[ListKind, list[str]], Markup]

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_NUMBERED = re.compile(r"^\d+[.)] ")
_LISTS = {"ul": Markup("<ul>{}</ul>"), "ol": Markup("<ol>{}</ol>")}

__all__ = [
    "ListKind",
    "ListRenderer",
    "blocks",
    "inline",
    "item_text",
    "list_kind",
    "plain",
    "plain_list",
]


def inline(raw: str) -> Markup:
    """Escape `raw` and turn **bold** into <strong>."""
    return Markup(_BOLD.sub(r"<strong>\1</strong>", str(escape(raw))))  # noqa: S704 (escaped first)


def plain(raw: str) -> str:
    """Content text without its **bold** markers (for a <title>, a file name, an attribute)."""
    return raw.replace("**", "")


def plain_list(kind: ListKind, items: list[str]) -> Markup:
    """A <ul> or <ol> of the items, each escaped."""
    return _LISTS[kind].format(
        Markup().join(Markup("<li>{}</li>").format(inline(i)) for i in items)
    )


def list_kind(line: str) -> ListKind | None:
    """ "ul" for a "- " line, "ol" for a "1. " line, else None."""
    if line.startswith("- "):
        return "ul"
    return "ol" if _NUMBERED.match(line) else None


def item_text(line: str) -> str:
    """A list line without its "- " or "1. "."""
    return line[2:] if line.startswith("- ") else _NUMBERED.sub("", line, count=1)


def blocks(raw: str, render_list: ListRenderer = plain_list) -> Markup:
    """Paragraphs (split on blank lines), "- " bullet lists and "1. " numbered steps, escaped.

    `render_list` makes each list's HTML (the handouts draw boxes to tick in a checklist).
    """
    out: list[Markup] = []
    for block in re.split(r"\n\s*\n", raw.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        kind: ListKind | None = None
        for line in [*lines, ""]:
            line_kind = list_kind(line) if line else None
            if items and line_kind != kind:
                out.append(render_list(kind or "ul", items))
                items = []
            if paragraph and (line_kind or not line):
                out.append(Markup("<p>{}</p>").format(inline(" ".join(paragraph))))
                paragraph = []
            if line_kind:
                kind = line_kind
                items.append(item_text(line))
            elif line:
                paragraph.append(line)
    return Markup().join(out)
