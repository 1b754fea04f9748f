"""Turn content text into safe HTML: everything is escaped first, then only our markup is added."""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from ..content import CONTENT_DIR, Course, GlossaryEntry, Lesson, Section
from ..content.loader import checklist_lines
from ..local_help import LocalHelp
from ..strings import text

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def inline(raw: str) -> str:
    """Escape `raw` and turn **bold** into <strong>."""
    return _BOLD.sub(r"<strong>\1</strong>", escape(raw, quote=True))


_NUMBERED = re.compile(r"^\d+[.)] ")


def _list_kind(line: str) -> str | None:
    if line.startswith("- "):
        return "ul"
    return "ol" if _NUMBERED.match(line) else None


def _item_text(line: str) -> str:
    return line[2:] if line.startswith("- ") else _NUMBERED.sub("", line, count=1)


def blocks(raw: str) -> str:
    """Paragraphs (split on blank lines), "- " bullet lists and "1. " numbered steps, escaped."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", raw.strip()):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        paragraph: list[str] = []
        items: list[str] = []
        kind: str | None = None
        for line in [*lines, ""]:
            line_kind = _list_kind(line) if line else None
            if items and line_kind != kind:
                out.append(
                    f"<{kind}>" + "".join(f"<li>{inline(i)}</li>" for i in items) + f"</{kind}>"
                )
                items = []
            if paragraph and (line_kind or not line):
                out.append(f"<p>{inline(' '.join(paragraph))}</p>")
                paragraph = []
            if line_kind:
                kind = line_kind
                items.append(_item_text(line))
            elif line:
                paragraph.append(line)
    return "".join(out)


@lru_cache(maxsize=64)
def _svg_data_uri(path: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


_TAG = re.compile(r"(<[^>]+>)")


def mark_terms(
    html: str, glossary: dict[str, GlossaryEntry], seen: set[str]
) -> tuple[str, list[GlossaryEntry]]:
    """Mark the first use of each glossary term (not yet in `seen`) with its definition."""
    found: list[GlossaryEntry] = []
    # Longer terms first, so "muscle spasm" wins over "spasm".
    for entry in sorted(glossary.values(), key=lambda e: -len(e.term)):
        if entry.id in seen:
            continue
        pattern = re.compile(
            rf"(?<![\w-])({re.escape(escape(entry.term))}(?:s|es)?)(?![\w-])", re.IGNORECASE
        )
        pieces = _TAG.split(html)
        inside_term = False
        for i, piece in enumerate(pieces):
            if piece.startswith("<"):
                inside_term = piece.startswith("<dfn") or (inside_term and piece != "</dfn>")
                continue
            match = None if inside_term else pattern.search(piece)
            if match:
                dfn = (
                    f'<dfn class="spasm-term" title="{escape(entry.definition)}">'
                    f"{match.group(1)}</dfn>"
                )
                pieces[i] = piece[: match.start()] + dfn + piece[match.end() :]
                found.append(entry)
                seen.add(entry.id)
                html = "".join(pieces)
                break
    return html, found


def section_html(
    section: Section, course: Course, language: str = "en", seen_terms: set[str] | None = None
) -> str:
    """One lesson section: heading, text, picture, evidence, words explained, Sources, date."""
    body, terms = mark_terms(
        blocks(section.body), course.glossary, seen_terms if seen_terms is not None else set()
    )
    parts = [f'<h2 id="{escape(section.id)}">{inline(section.title)}</h2>', body]
    if section.checklist:
        parts.append(checklist_link_html(section, language))
    if section.image is not None:
        uri = _svg_data_uri(CONTENT_DIR / "images" / section.image.file)
        parts.append(
            f'<figure class="spasm-figure"><img src="{uri}" alt="{escape(section.image.alt)}">'
            f"<figcaption>{inline(section.image.caption)}</figcaption></figure>"
        )
    if section.evidence:
        parts.append(
            f'<aside class="spasm-evidence"><p><strong>{escape(text("evidence_title", language))}'
            f"</strong></p>{blocks(section.evidence)}</aside>"
        )
    if terms:
        words = "".join(f"<dt>{escape(t.term)}</dt><dd>{escape(t.definition)}</dd>" for t in terms)
        parts.append(
            f'<details class="spasm-words"><summary>{escape(text("words_title", language))}'
            f"</summary><dl>{words}</dl></details>"
        )
    links = "".join(
        f'<li><a href="{escape(course.sources[s].url)}" target="_blank" rel="noopener noreferrer">'
        f"{escape(course.sources[s].title)}</a></li>"
        for s in section.sources
    )
    parts.append(
        f'<details class="spasm-sources"><summary>{escape(text("sources_title", language))}</summary>'
        f"<ul>{links}</ul></details>"
    )
    # Outside the collapsed Sources: learners see how current the section is, and a review that
    # is overdue shows here instead of hiding the lesson (`spasm-edu validate` flags it).
    reviewed = escape(text("reviewed", language, date=section.reviewed.isoformat()))
    parts.append(f'<p class="spasm-reviewed">{reviewed}</p>')
    return f'<section class="spasm-section">{"".join(parts)}</section>'


def download_link(body: str, filename: str, label: str, mime: str) -> str:
    """An <a download> link that holds the file itself, so nothing is served from disk."""
    data = base64.b64encode(body.encode("utf-8")).decode("ascii")
    return (
        f'<a class="spasm-download-link" download="{escape(filename)}" '
        f'href="data:{escape(mime)};charset=utf-8;base64,{data}">{escape(label)}</a>'
    )


CHECKLIST_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{plain_title}</title>
<style>body{{font-family:system-ui,Arial,sans-serif;max-width:40rem;margin:2rem auto;
padding:0 1rem;font-size:1.1rem;line-height:1.5;color:#1a1a1a;background:#fff}}
ul{{list-style:none;padding:0}}li{{margin:0 0 1.2rem}}
label{{display:flex;gap:0.6rem;align-items:flex-start}}
input{{flex:none;width:1.2rem;height:1.2rem;margin:0.2rem 0 0}}
.notes{{border-bottom:1px solid #6b6b6b;height:2.4rem}}
.small{{font-size:0.95rem;color:#3d3d3d}}</style></head>
<body><main><h1>{title}</h1><p class="small">{course}</p><p>{intro}</p>
<ul>{items}</ul>
<h2>{notes}</h2>{lines}
<p class="small">{disclaimer}</p></main></body></html>
"""


def checklist_page(section: Section, language: str = "en") -> str:
    """A small page of the section's checklist, with tick boxes and room for notes, to print."""
    items = "".join(
        f'<li><label><input type="checkbox"> {inline(line)}</label></li>'
        for line in checklist_lines(section.body)
    )
    return CHECKLIST_PAGE.format(
        lang=escape(language),
        plain_title=escape(section.title.replace("**", "")),
        title=inline(section.title),
        course=escape(text("course_name", language)),
        intro=escape(text("checklist_intro", language)),
        items=items,
        notes=escape(text("checklist_notes", language)),
        lines='<div class="notes"></div>' * 6,
        disclaimer=escape(text("disclaimer", language)),
    )


def checklist_link_html(section: Section, language: str = "en") -> str:
    """The link that saves the section's checklist as a page to print or keep."""
    link = download_link(
        checklist_page(section, language),
        f"{section.id}.html",
        text("checklist_download", language),
        "text/html",
    )
    return f'<p class="spasm-checklist-download">{link}</p>'


def red_flags_html(course: Course, language: str = "en", local: LocalHelp | None = None) -> str:
    """The always-visible callout: emergency signs, fever with infection risk, same-day signs.

    `local`: the emergency number and urgent-care route to name (default: the server's
    settings from the environment, else "your local emergency number" and "urgent care").
    """
    local = local if local is not None else LocalHelp.from_environ()
    link = ""
    for lesson in course.lessons:
        if lesson.id == "when-to-see-a-doctor":
            link = (
                f'<p><a href="{escape(lesson.notebook)}">'
                f"{escape(text('red_flags_link', language))}</a></p>"
            )
    # The sentence is escaped with a NUL where the number goes; then the number, escaped on
    # its own, takes that place in a span (tests and the screenshot find it there).
    number = local.emergency_number or text("emergency_number_default", language)
    now = escape(text("red_flags_now", language, emergency="\0")).replace(
        "\0", f'<span class="spasm-emergency-number">{escape(number)}</span>'
    )
    urgent = local.urgent_care or text("urgent_care_default", language)
    same_day = escape(text("red_flags_same_day", language, urgent_care=urgent))
    title = escape(text("red_flags_title", language))
    return (
        f'<aside class="spasm-redflags" aria-label="{title}">'
        f'<p class="spasm-redflags-title"><span aria-hidden="true">⚠</span> '
        f"<strong>{title}</strong></p>"
        f"<p><strong>{now}</strong></p>{_signs('red_flags_now_signs', language)}"
        f"<p><strong>{escape(text('red_flags_fever', language))}</strong></p>"
        f"<p><strong>{same_day}</strong></p>{_signs('red_flags_same_day_signs', language)}"
        f"{link}</aside>"
    )


def _signs(key: str, language: str) -> str:
    """A string of the box, one sign a line, as a bullet list."""
    return (
        "<ul>"
        + "".join(f"<li>{escape(s)}</li>" for s in text(key, language).splitlines())
        + "</ul>"
    )


def disclaimer_html(language: str = "en") -> str:
    """The short education-not-advice line shown on every page."""
    return f'<p class="spasm-disclaimer" role="note">{escape(text("disclaimer", language))}</p>'


def page_link(notebook: str, learner_id: str | None) -> str:
    """A relative link to a page, carrying the learner id so progress follows the learner."""
    return f"{notebook}?{urlencode({'learner': learner_id})}" if learner_id else notebook


def nav_html(
    course: Course,
    lesson: Lesson,
    language: str = "en",
    learner_id: str | None = None,
    *,
    end: bool = False,
) -> str:
    """Links back to the start page and on to the next lesson (`end`: the copy at the foot)."""
    start = page_link("00-start-here.ipynb", learner_id)
    links = [f'<a href="{escape(start)}">← {escape(text("nav_start", language))}</a>']
    nxt = course.next_lesson(lesson.id)
    if nxt is not None:
        href = page_link(nxt.notebook, learner_id)
        links.append(
            f'<a href="{escape(href)}">{escape(text("nav_next", language, title=nxt.title))} →</a>'
        )
    # Two navs on one page need different names to be told apart (axe: landmark-unique).
    label = escape(text("nav_label_end" if end else "nav_label", language))
    return f'<nav class="spasm-nav" aria-label="{label}">{" ".join(links)}</nav>'


def keep_link_html(lesson: Lesson, learner_id: str, language: str = "en") -> str:
    """A private link that brings the learner back to their saved answers."""
    href = escape(page_link(lesson.notebook, learner_id))
    return (
        f'<p class="spasm-keep-link">{escape(text("keep_link", language))} '
        f'<a href="{href}">{escape(text("keep_link_label", language))}</a></p>'
    )


def list_html(title: str, entries: tuple[str, ...], css: str) -> str:
    """A titled bullet list (objectives, key points)."""
    items = "".join(f"<li>{inline(e)}</li>" for e in entries)
    return f'<div class="{css}"><h2>{escape(title)}</h2><ul>{items}</ul></div>'
