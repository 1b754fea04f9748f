"""Handouts to print: one lesson, or the whole course, as one HTML document."""

from __future__ import annotations

from markupsafe import Markup

from ..content import Course, Lesson, Section
from ..local_help import LocalHelp
from ..markup import inline, plain
from ..strings import text
from ._markup import (
    TAGS,
    SourceNumbers,
    Tag,
    blocks,
    disclaimer,
    document,
    figure,
    red_flags,
    write_lines,
)
from ._options import Paper

NOTE_LINES = 5  # ruled lines under a checklist ("Questions to ask your doctor")


def _section(section: Section, sources: SourceNumbers, language: str, h: Tag) -> Markup:
    """One section: heading, text (a checklist with boxes to tick), picture, sources and date."""
    parts = [
        Markup('<{h} id="{id}">{title}</{h}>').format(
            h=TAGS[h], id=section.id, title=inline(section.title)
        ),
        blocks(section.body, ticks=section.checklist),
    ]
    if section.checklist:
        parts.append(Markup("<p><strong>{}</strong></p>").format(text("checklist_notes", language)))
        parts.append(write_lines(NOTE_LINES))
    if section.image is not None:
        parts.append(figure(section.image))
    numbers = ", ".join(str(n) for n in sources.cite(section.sources))
    parts.append(
        Markup('<p class="reviewed">{} {}</p>').format(
            text("reviewed", language, date=section.reviewed.isoformat()),
            text("handout_sources_cited", language, numbers=numbers),
        )
    )
    return Markup('<section class="section">{}</section>').format(Markup().join(parts))


def _lesson_body(
    lesson: Lesson, sources: SourceNumbers, *, top: Tag, sub: Tag, lead: Markup | None = None
) -> Markup:
    """A lesson's title, summary, `lead`, key points and sections (headings `top`, `sub`)."""
    lang = lesson.language
    parts = [
        Markup("<{h}>{title}</{h}>").format(h=TAGS[top], title=inline(lesson.title)),
        Markup('<p class="summary">{}</p>').format(inline(lesson.summary)),
        lead or Markup(),
    ]
    if lesson.key_points:
        items = Markup().join(Markup("<li>{}</li>").format(inline(p)) for p in lesson.key_points)
        parts.append(
            Markup(
                '<section class="key-points"><{h}>{title}</{h}><ul>{items}</ul></section>'
            ).format(h=TAGS[sub], title=text("key_points_title", lang), items=items)
        )
    parts.extend(_section(s, sources, lang, sub) for s in lesson.sections)
    return Markup().join(parts)


def lesson_handout(course: Course, lesson: Lesson, local: LocalHelp, paper: Paper = "a4") -> Markup:
    """A lesson's handout: key points, the "Get help now" box with the local numbers, every
    section with its pictures, checklists and stop rules, the sources and review dates."""
    lang = lesson.language
    sources = SourceNumbers(course)
    # The disclaimer and the box come first, on page one, before the key points and detail.
    lead = Markup('<p class="course">{}</p>').format(text("course_name", lang))
    lead += disclaimer(lang) + red_flags(lang, local)
    body = _lesson_body(lesson, sources, top="h1", sub="h2", lead=lead) + sources.listing(lang)
    return document(title=plain(lesson.title), language=lang, paper=paper, body=body)


def course_handout(course: Course, local: LocalHelp, paper: Paper = "a4") -> Markup:
    """The whole course in one handout: the box once at the top, then each lesson on new pages."""
    lessons = [lesson for lesson in course.lessons if lesson.kind == "lesson"]
    lang = lessons[0].language if lessons else "en"
    sources = SourceNumbers(course)
    body = Markup().join(
        [
            Markup("<h1>{}</h1>").format(text("course_name", lang)),
            disclaimer(lang),
            red_flags(lang, local),
            *(
                Markup('<div class="lesson">{}</div>').format(
                    _lesson_body(lesson, sources, top="h2", sub="h3")
                )
                for lesson in lessons
            ),
            sources.listing(lang),
        ]
    )
    return document(title=text("course_name", lang), language=lang, paper=paper, body=body)
