"""spasm-edu: interactive lessons and quizzes about lower-back muscle spasms."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = [
    "__version__",
    "show_check",
    "show_educator",
    "show_lesson",
    "show_quiz",
    "show_start",
    "show_summary",
]

if TYPE_CHECKING:
    from .app import (
        show_check,
        show_educator,
        show_lesson,
        show_quiz,
        show_start,
        show_summary,
    )


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    """Jupyter server extension (enabled by pip): Voilà fixes in spasm_edu.voila.extension."""
    return [{"module": "spasm_edu.voila.extension"}]


def __getattr__(name: str) -> Any:
    # ipywidgets is imported only when a page is shown, so `import spasm_edu` stays fast
    # for the CLI and the pure modules.
    if name in __all__[1:]:
        from . import app

        return getattr(app, name)
    raise AttributeError(name)
