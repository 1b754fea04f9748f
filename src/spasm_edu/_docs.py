"""Documentation made from content: the list of sources the lessons cite (docs/sources.md)."""

from __future__ import annotations

from .content import Course

HEADER = """# Sources

Every lesson section cites its sources by id; this list is made from
`src/spasm_edu/content/sources.yaml` by `spasm-edu sources docs/sources.md` (do not edit it by
hand). Addresses are the canonical ones (the publisher or the guideline body), never mirrors.
"""


def sources_markdown(course: Course) -> str:
    """Markdown: each source with its address, and the lesson sections that cite it."""
    cited: dict[str, list[str]] = {}
    for lesson in course.lessons:
        for section in lesson.sections:
            for source_id in section.sources:
                cited.setdefault(source_id, []).append(
                    f"{lesson.title}: {section.title} (checked {section.reviewed.isoformat()})"
                )
    lines = [HEADER, "| id | source | cited in |", "| --- | --- | --- |"]
    for source in course.sources.values():
        where = "<br>".join(_cell(c) for c in cited.get(source.id, [])) or "not cited by a lesson"
        lines.append(f"| {source.id} | [{_cell(source.title)}]({source.url}) | {where} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    # A table cell: no pipes, no line breaks, no markup from the content.
    return " ".join(text.replace("|", "/").replace("*", "").split())
