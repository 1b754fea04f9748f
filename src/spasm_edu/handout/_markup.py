"""Small HTML builders for printed pages: content text escaped first, then our markup added.

The lesson pages have their own builders in widgets/_render.py, but importing anything from
the widgets package imports ipywidgets; handouts are made without it, so the few builders
they need are here. Text goes in through ``Markup.format`` (which escapes its arguments) or
`escape`; ``Markup(...)`` itself is only for markup written here.
"""

from __future__ import annotations

import base64
from functools import lru_cache
from pathlib import Path
from typing import Literal

from markupsafe import Markup, escape

from ..content import CONTENT_DIR, Course, Image
from ..local_help import LocalHelp
from ..markup import ListKind, inline
from ..markup import blocks as _blocks
from ..strings import text
from ._css import stylesheet
from ._options import Paper

TICK_BOX = "☐"  # what the reader ticks with a pen
# Tag names put into markup by name: only these, written out here.
Tag = Literal["h1", "h2", "h3", "ul", "ol"]
TAGS: dict[Tag, Markup] = {
    "h1": Markup("h1"),
    "h2": Markup("h2"),
    "h3": Markup("h3"),
    "ul": Markup("ul"),
    "ol": Markup("ol"),
}


def blocks(raw: str, *, ticks: bool = False) -> Markup:
    """Paragraphs, "- " bullets and "1. " steps, escaped (spasm_edu.markup).

    `ticks`: the "- " lines are a checklist, each with a box to tick on paper.
    """
    return _blocks(raw, lambda kind, items: _list(kind, items, ticks=ticks and kind == "ul"))


def _list(kind: ListKind, items: list[str], *, ticks: bool) -> Markup:
    if ticks:
        lis = Markup().join(
            Markup('<li><span class="box" aria-hidden="true">{}</span> {}</li>').format(
                TICK_BOX, inline(i)
            )
            for i in items
        )
        return Markup('<ul class="ticks">{}</ul>').format(lis)
    lis = Markup().join(Markup("<li>{}</li>").format(inline(i)) for i in items)
    return Markup("<{kind}>{lis}</{kind}>").format(kind=TAGS[kind], lis=lis)


@lru_cache(maxsize=32)
def _svg_data_uri(path: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def figure(image: Image) -> Markup:
    """A content picture inline (so the file stands alone), with its alt text and caption."""
    uri = _svg_data_uri(CONTENT_DIR / "images" / image.file)
    return Markup('<figure><img src="{}" alt="{}"><figcaption>{}</figcaption></figure>').format(
        uri, image.alt, inline(image.caption)
    )


def red_flags(language: str, local: LocalHelp, heading: Tag = "h2") -> Markup:
    """The "Get help now" box: the same strings and local settings as every lesson page."""
    number = local.emergency_number or text("emergency_number_default", language)
    now = escape(text("red_flags_now", language)).format(
        emergency=Markup('<span class="emergency-number">{}</span>').format(number)
    )
    urgent = local.urgent_care or text("urgent_care_default", language)
    return Markup(
        '<section class="redflags" aria-labelledby="get-help-now">'
        '<{h} id="get-help-now"><span aria-hidden="true">⚠</span> {title}</{h}>'
        "<p><strong>{now}</strong></p>{now_signs}"
        "<p><strong>{fever}</strong></p>"
        "<p><strong>{same_day}</strong></p>{same_day_signs}</section>"
    ).format(
        h=TAGS[heading],
        title=text("red_flags_title", language),
        now=now,
        now_signs=_signs("red_flags_now_signs", language),
        fever=text("red_flags_fever", language),
        same_day=text("red_flags_same_day", language, urgent_care=urgent),
        same_day_signs=_signs("red_flags_same_day_signs", language),
    )


def _signs(key: str, language: str) -> Markup:
    items = Markup().join(Markup("<li>{}</li>").format(s) for s in text(key, language).splitlines())
    return Markup("<ul>{}</ul>").format(items)


def disclaimer(language: str) -> Markup:
    """The short education-not-advice line every page shows."""
    return Markup('<p class="disclaimer">{}</p>').format(text("disclaimer", language))


def write_lines(count: int) -> Markup:
    """Empty ruled lines to write notes on."""
    return Markup('<div class="write-lines" aria-hidden="true">{}</div>').format(
        Markup('<div class="write-line"></div>') * count
    )


class SourceNumbers:
    """Numbers for the sources a document cites, in the order it first cites them."""

    def __init__(self, course: Course) -> None:
        self._course = course
        self._numbers: dict[str, int] = {}

    def cite(self, ids: tuple[str, ...]) -> list[int]:
        """The numbers of these source ids (new ones get the next numbers)."""
        for source_id in ids:
            self._numbers.setdefault(source_id, len(self._numbers) + 1)
        return [self._numbers[s] for s in ids]

    def listing(self, language: str, heading: Tag = "h2") -> Markup:
        """The numbered list of every cited source: title and address, printed in full."""
        items = Markup().join(
            Markup('<li id="source-{}">{} <span class="url">{}</span></li>').format(
                n, self._course.sources[s].title, self._course.sources[s].url
            )
            for s, n in self._numbers.items()
        )
        return Markup(
            '<section class="sources"><{h}>{title}</{h}><ol>{items}</ol></section>'
        ).format(h=TAGS[heading], title=text("sources_title", language), items=items)


def document(*, title: str, language: str, paper: Paper, body: Markup) -> Markup:
    """A whole HTML file: <html lang>, a plain <title>, the print CSS, and one <main>."""
    return Markup(
        '<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>{title}</title><style>{css}</style></head>"
        "<body><main>{body}</main></body></html>\n"
    ).format(lang=language, title=title, css=stylesheet(paper), body=body)
