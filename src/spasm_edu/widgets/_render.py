"""Turn content text into safe HTML: everything is escaped first, then only our markup is added.

Every builder returns `Markup`. Text goes in through ``Markup.format`` (which escapes its
arguments) or `escape`; ``Markup(...)`` itself is only for markup written here.
"""

from __future__ import annotations

import base64
import re
from functools import lru_cache
from html import unescape
from pathlib import Path

from markupsafe import Markup, escape

from ..content import CONTENT_DIR, Course, GlossaryEntry, Lesson, Section
from ..content.loader import checklist_lines
from ..content.translations import languages
from ..links import page_link, page_url
from ..local_help import LocalHelp
from ..markup import blocks as blocks
from ..markup import inline as inline
from ..markup import item_text as item_text
from ..markup import list_kind as list_kind
from ..settings import START_PAGE
from ..strings import text


@lru_cache(maxsize=64)
def _svg_data_uri(path: Path) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


_TAG = re.compile(r"(<[^>]+>)")


def mark_terms(
    html: Markup, glossary: dict[str, GlossaryEntry], seen: set[str]
) -> tuple[Markup, list[GlossaryEntry]]:
    """Mark the first use of each glossary term (not yet in `seen`) with its definition."""
    found: list[GlossaryEntry] = []
    # Cut and joined as plain str: Markup's own slicing and `+` would escape our tags.
    out = str(html)
    # Longer terms first, so "muscle spasm" wins over "spasm".
    for entry in sorted(glossary.values(), key=lambda e: -len(e.term)):
        if entry.id in seen:
            continue
        pattern = re.compile(
            rf"(?<![\w-])({re.escape(str(escape(entry.term)))}(?:s|es)?)(?![\w-])", re.IGNORECASE
        )
        pieces = _TAG.split(out)
        inside_term = False
        for i, piece in enumerate(pieces):
            if piece.startswith("<"):
                inside_term = piece.startswith("<dfn") or (inside_term and piece != "</dfn>")
                continue
            match = None if inside_term else pattern.search(piece)
            if match:
                # The matched word is escaped text of `html`: as text, format escapes it again.
                dfn = Markup('<dfn class="spasm-term" title="{}">{}</dfn>').format(
                    entry.definition, unescape(match.group(1))
                )
                pieces[i] = piece[: match.start()] + str(dfn) + piece[match.end() :]
                found.append(entry)
                seen.add(entry.id)
                out = "".join(pieces)
                break
    return Markup(out), found  # noqa: S704 (`html` with our <dfn> tags added)


def section_html(
    section: Section, course: Course, language: str = "en", seen_terms: set[str] | None = None
) -> Markup:
    """One lesson section: heading, text, picture, evidence, words explained, Sources, date."""
    body, terms = mark_terms(
        blocks(section.body), course.glossary, seen_terms if seen_terms is not None else set()
    )
    parts = [Markup('<h2 id="{}">{}</h2>').format(section.id, inline(section.title)), body]
    if section.checklist:
        parts.append(checklist_link_html(section, language))
    if section.image is not None:
        uri = _svg_data_uri(CONTENT_DIR / "images" / section.image.file)
        parts.append(
            Markup(
                '<figure class="spasm-figure"><img src="{}" alt="{}">'
                "<figcaption>{}</figcaption></figure>"
            ).format(uri, section.image.alt, inline(section.image.caption))
        )
    if section.evidence:
        parts.append(
            Markup('<aside class="spasm-evidence"><p><strong>{}</strong></p>{}</aside>').format(
                text("evidence_title", language), blocks(section.evidence)
            )
        )
    if terms:
        words = Markup().join(
            Markup("<dt>{}</dt><dd>{}</dd>").format(t.term, t.definition) for t in terms
        )
        parts.append(
            Markup(
                '<details class="spasm-words"><summary>{}</summary><dl>{}</dl></details>'
            ).format(text("words_title", language), words)
        )
    links = Markup().join(
        Markup('<li><a href="{}" target="_blank" rel="noopener noreferrer">{}</a></li>').format(
            course.sources[s].url, course.sources[s].title
        )
        for s in section.sources
    )
    parts.append(
        Markup('<details class="spasm-sources"><summary>{}</summary><ul>{}</ul></details>').format(
            text("sources_title", language), links
        )
    )
    # Outside the collapsed Sources: learners see how current the section is, and a review that
    # is overdue shows here instead of hiding the lesson (`spasm-edu validate` flags it).
    reviewed = text("reviewed", language, date=section.reviewed.isoformat())
    parts.append(Markup('<p class="spasm-reviewed">{}</p>').format(reviewed))
    return Markup('<section class="spasm-section">{}</section>').format(Markup().join(parts))


def download_link(body: str, filename: str, label: str, mime: str) -> Markup:
    """An <a download> link that holds the file itself, so nothing is served from disk."""
    data = base64.b64encode(body.encode("utf-8")).decode("ascii")
    return Markup(
        '<a class="spasm-download-link" download="{}" href="data:{};charset=utf-8;base64,{}">{}</a>'
    ).format(filename, mime, data, label)


CHECKLIST_PAGE = Markup("""<!DOCTYPE html>
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
""")


def checklist_page(section: Section, language: str = "en") -> Markup:
    """A small page of the section's checklist, with tick boxes and room for notes, to print."""
    items = Markup().join(
        Markup('<li><label><input type="checkbox"> {}</label></li>').format(inline(line))
        for line in checklist_lines(section.body)
    )
    return CHECKLIST_PAGE.format(
        lang=language,
        plain_title=section.title.replace("**", ""),
        title=inline(section.title),
        course=text("course_name", language),
        intro=text("checklist_intro", language),
        items=items,
        notes=text("checklist_notes", language),
        lines=Markup('<div class="notes"></div>') * 6,
        disclaimer=text("disclaimer", language),
    )


def checklist_link_html(section: Section, language: str = "en") -> Markup:
    """The link that saves the section's checklist as a page to print or keep."""
    link = download_link(
        checklist_page(section, language),
        f"{section.id}.html",
        text("checklist_download", language),
        "text/html",
    )
    return Markup('<p class="spasm-checklist-download">{}</p>').format(link)


def red_flags_html(
    course: Course,
    language: str = "en",
    local: LocalHelp | None = None,
    *,
    learner_id: str | None = None,
) -> Markup:
    """The always-visible callout: emergency signs, fever with infection risk, same-day signs.

    `local`: the emergency number and urgent-care route to name (default: the server's
    settings from the environment, else "your local emergency number" and "urgent care").
    `learner_id`: the learner its "Read more" link keeps.
    """
    local = local if local is not None else LocalHelp.from_environ()
    link = Markup()
    for lesson in course.lessons:
        if lesson.id == "when-to-see-a-doctor":
            link = Markup("<p>{}</p>").format(
                page_link(
                    lesson.notebook,
                    text("red_flags_link", language),
                    learner=learner_id,
                    lang=language,
                )
            )
    # The sentence (escaped) gets the number, escaped on its own, in a span where {emergency}
    # stands (tests and the screenshot find it there).
    number = local.emergency_number or text("emergency_number_default", language)
    now = escape(text("red_flags_now", language)).format(
        emergency=Markup('<span class="spasm-emergency-number">{}</span>').format(number)
    )
    urgent = local.urgent_care or text("urgent_care_default", language)
    same_day = text("red_flags_same_day", language, urgent_care=urgent)
    title = text("red_flags_title", language)
    return Markup(
        '<aside class="spasm-redflags" aria-label="{title}">'
        '<p class="spasm-redflags-title"><span aria-hidden="true">⚠</span> '
        "<strong>{title}</strong></p>"
        "<p><strong>{now}</strong></p>{now_signs}"
        "<p><strong>{fever}</strong></p>"
        "<p><strong>{same_day}</strong></p>{same_day_signs}"
        "{link}</aside>"
    ).format(
        title=title,
        now=now,
        now_signs=_signs("red_flags_now_signs", language),
        fever=text("red_flags_fever", language),
        same_day=same_day,
        same_day_signs=_signs("red_flags_same_day_signs", language),
        link=link,
    )


def _signs(key: str, language: str) -> Markup:
    """A string of the box, one sign a line, as a bullet list."""
    items = Markup().join(Markup("<li>{}</li>").format(s) for s in text(key, language).splitlines())
    return Markup("<ul>{}</ul>").format(items)


def alert(message: str) -> Markup:
    """A message read out at once (a refused passcode, a store that is down), escaped."""
    return Markup('<p role="alert">{}</p>').format(message)


def disclaimer_html(language: str = "en") -> Markup:
    """The short education-not-advice line shown on every page."""
    # data-spasm-lang: the template's spasm-lang.js makes it the page's <html lang>; the
    # watchdog (spasm-watchdog.js) says "connection lost" in the page's language from here.
    return Markup(
        '<p class="spasm-disclaimer" role="note" data-spasm-lang="{}" '
        'data-spasm-connection-lost="{}">{}</p>'
    ).format(language, text("connection_lost", language), text("disclaimer", language))


def page_intro_html(title: str, intro: str, language: str) -> Markup:
    """The page's title and intro in its language, for a page not in English.

    A notebook's own intro (its first cell: the title and a line, which Voilà shows before the
    kernel draws anything) is written once, in English. The template's spasm-lang.js puts these
    words in its place, and the title in the browser's tab. Empty for English.
    """
    if language == "en":
        return Markup()
    return Markup(
        '<span hidden data-spasm-intro-title="{}" data-spasm-intro-text="{}"></span>'
    ).format(inline_text(title), inline_text(intro))


def inline_text(raw: str) -> str:
    """Content text without its **bold** markers, for places that take no markup."""
    return raw.replace("**", "")


def nav_html(
    course: Course,
    lesson: Lesson,
    language: str = "en",
    learner_id: str | None = None,
    *,
    end: bool = False,
) -> Markup:
    """Links back to the start page and on to the next lesson (`end`: the copy at the foot)."""
    start = Markup("← {}").format(text("nav_start", language))
    links = [page_link(START_PAGE, start, learner=learner_id, lang=language)]
    nxt = course.next_lesson(lesson.id)
    if nxt is not None:
        onward = Markup("{} →").format(text("nav_next", language, title=nxt.title))
        links.append(page_link(nxt.notebook, onward, learner=learner_id, lang=language))
    # Two navs on one page need different names to be told apart (axe: landmark-unique).
    label = text("nav_label_end" if end else "nav_label", language)
    switch = Markup() if end else language_switch_html(lesson.notebook, language, learner_id)
    return Markup('<nav class="spasm-nav" aria-label="{}">{}</nav>{}').format(
        label, Markup(" ").join(links), switch
    )


def start_nav_html(language: str = "en", learner_id: str | None = None) -> Markup:
    """The navigation of a page outside the lessons: back to the start page."""
    start = Markup("← {}").format(text("nav_start", language))
    return Markup('<nav class="spasm-nav" aria-label="{}">{}</nav>').format(
        text("nav_label", language),
        page_link(START_PAGE, start, learner=learner_id, lang=language),
    )


def language_switch_html(notebook: str, language: str, learner_id: str | None = None) -> Markup:
    """ "English | Español": the same page in each language, keeping the learner.

    Each name is written in its own language (and marked so, for screen readers); the page's
    own language is the current one. Empty when the course has one language.
    """
    found = languages(CONTENT_DIR)
    if len(found) < 2:
        return Markup()
    links = []
    for lang in found:
        name = text("language_name", lang)
        if lang == language:
            links.append(
                Markup('<span lang="{}" aria-current="true"><strong>{}</strong></span>').format(
                    lang, name
                )
            )
        else:
            href = page_url(notebook, learner=learner_id, lang=lang)
            links.append(
                Markup('<a href="{}" lang="{}" hreflang="{}">{}</a>').format(href, lang, lang, name)
            )
    return Markup('<nav class="spasm-language" aria-label="{}">{}</nav>').format(
        text("language_switch", language), Markup(" | ").join(links)
    )


def keep_link_html(lesson: Lesson, learner_id: str, language: str = "en") -> Markup:
    """A private link that brings the learner back to their saved answers."""
    return Markup('<p class="spasm-keep-link">{} {}</p>').format(
        text("keep_link", language),
        page_link(
            lesson.notebook, text("keep_link_label", language), learner=learner_id, lang=language
        ),
    )


def list_html(title: str, entries: tuple[str, ...], css: str) -> Markup:
    """A titled bullet list (objectives, key points)."""
    items = Markup().join(Markup("<li>{}</li>").format(inline(e)) for e in entries)
    return Markup('<div class="{}"><h2>{}</h2><ul>{}</ul></div>').format(css, title, items)
