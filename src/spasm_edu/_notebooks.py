"""Write the thin notebooks (a markdown intro and one call) from the content, so they never drift."""

from __future__ import annotations

import json
from pathlib import Path

from .content import Course
from .settings import (
    CHECK_AFTER_PAGE,
    CHECK_BEFORE_PAGE,
    EDUCATOR_PAGE,
    START_PAGE,
    SUMMARY_PAGE,
)
from .strings import text


def _notebook(title: str, intro: str, code: str) -> str:
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "intro",
                "metadata": {},
                "source": f"# {title}\n\n{intro}",
            },
            {
                "cell_type": "code",
                "execution_count": None,
                "id": "page",
                "metadata": {},
                "outputs": [],
                "source": code,
            },
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "title": title,
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def expected_notebooks(course: Course) -> dict[str, str]:
    """File name -> notebook JSON for the start page and every lesson."""
    out = {
        START_PAGE: _notebook(
            text("course_name"),
            text("nb_start_intro"),
            "from spasm_edu import show_start\n\nshow_start()",
        )
    }
    for lesson in course.lessons:
        call = "show_quiz" if lesson.kind == "quiz" else "show_lesson"
        out[lesson.notebook] = _notebook(
            lesson.title, lesson.summary, f'from spasm_edu import {call}\n\n{call}("{lesson.id}")'
        )
    for page, stage in ((CHECK_BEFORE_PAGE, "before"), (CHECK_AFTER_PAGE, "after")):
        out[page] = _notebook(
            text(f"check_{stage}_title"),
            text("nb_check_intro"),
            f'from spasm_edu import show_check\n\nshow_check("{stage}")',
        )
    out[SUMMARY_PAGE] = _notebook(
        text("summary_title"),
        text("nb_summary_intro"),
        "from spasm_edu import show_summary\n\nshow_summary()",
    )
    out[EDUCATOR_PAGE] = _notebook(
        text("nb_educator_title"),
        text("nb_educator_intro"),
        "from spasm_edu import show_educator\n\nshow_educator()",
    )
    return out


def write_notebooks(course: Course, folder: Path) -> list[str]:
    """Write notebooks that differ from the content; return the names written."""
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in expected_notebooks(course).items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != body:
            path.write_text(body, encoding="utf-8")
            written.append(name)
    return written
