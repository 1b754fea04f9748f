"""Notebooks that got a new file name: the one list the servers redirect from.

A lesson's notebook is named from its `order` (`NN-<id>.ipynb`, see `Lesson.notebook`), so a
new lesson placed before another renames that one. Students keep bookmarks of the old address:
add the old name here, mapped to the current one, and both `spasm-edu serve` and Voilà as a
Jupyter server extension send the old address (any folder, query string kept) to the new one.
When a notebook moves again, point its older names at the newest name too (one hop, never a
chain). tests/unit/test_moved_notebooks.py checks every target is a notebook we write and no
old name is one.
"""

from __future__ import annotations

MOVED_NOTEBOOKS: dict[str, str] = {
    # Issue 13: "Living with your back" became lesson 8, so the final quiz is now 9.
    "08-final-quiz.ipynb": "09-final-quiz.ipynb",
}
