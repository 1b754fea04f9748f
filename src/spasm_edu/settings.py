"""Every setting in one place: the environment variables spasm-edu reads, and the page names.

Whoever runs the server sets the variables (`spasm-edu serve` sets some from its options, a
hub's spawner sets them directly); every kernel inherits the server's environment, so every
page reads the same values through the functions here. Standard library only: the CLI, the
Voilà layer, the store and the widgets all import it. Voilà's own settings are
``VOILA_SETTINGS`` in ``voila/config.py``; lesson pages are named by the content
(``Lesson.notebook``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Final, NamedTuple

__all__ = [
    "CULL_IDLE_ENV",
    "DATABASE_URL_ENV",
    "DEFAULT_CULL_IDLE_SECONDS",
    "EDUCATOR_PAGE",
    "EMERGENCY_NUMBER_ENV",
    "MAX_KERNELS_ENV",
    "PASSCODE_ENV",
    "START_PAGE",
    "URGENT_CARE_ENV",
    "VARIABLES",
    "Variable",
    "cull_idle_seconds",
    "database_url",
    "educator_passcode",
    "max_kernels",
]

# ---------------------------------------------------------------- page names

START_PAGE: Final = "00-start-here.ipynb"  # every lesson, the quizzes, joining a class
EDUCATOR_PAGE: Final = "educator.ipynb"  # class results, behind the educator passcode

# ---------------------------------------------------------------- environment variables

DATABASE_URL_ENV: Final = "SPASM_EDU_DATABASE_URL"
PASSCODE_ENV: Final = "SPASM_EDU_EDUCATOR_PASSCODE"
EMERGENCY_NUMBER_ENV: Final = "SPASM_EDU_EMERGENCY_NUMBER"
URGENT_CARE_ENV: Final = "SPASM_EDU_URGENT_CARE"
MAX_KERNELS_ENV: Final = "SPASM_EDU_MAX_KERNELS"
CULL_IDLE_ENV: Final = "SPASM_EDU_CULL_IDLE_SECONDS"
DEFAULT_CULL_IDLE_SECONDS: Final = 600


class Variable(NamedTuple):
    """One environment variable: its name, what it sets, and what holds when it is unset."""

    name: str
    sets: str
    default: str


# The README's table ("Environment variables") lists every one; a test checks the names.
VARIABLES: Final = (
    Variable(
        DATABASE_URL_ENV,
        "where answers are saved: any SQLAlchemy URL (`serve --db`)",
        "`results.sqlite3` in the user's data folder",
    ),
    Variable(
        PASSCODE_ENV,
        "the passcode of the educator page and of presenter polls (`serve --educator-passcode`)",
        "unset: both are turned off",
    ),
    Variable(
        EMERGENCY_NUMBER_ENV,
        'the emergency number the "Get help now" box names (`serve --emergency-number`)',
        '"your local emergency number"',
    ),
    Variable(
        URGENT_CARE_ENV,
        "the same-day route besides a doctor (`serve --urgent-care`)",
        '"urgent care"',
    ),
    Variable(
        MAX_KERNELS_ENV,
        "the most kernels alive at once; above it visitors get the busy page",
        "from the class size and the free memory",
    ),
    Variable(
        CULL_IDLE_ENV,
        "seconds before the kernel of a crashed or disconnected tab is shut down",
        str(DEFAULT_CULL_IDLE_SECONDS),
    ),
)


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def database_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The results database URL, or None (unset or empty) for the default SQLite file."""
    return _env(environ).get(DATABASE_URL_ENV) or None


def educator_passcode(environ: Mapping[str, str] | None = None) -> str | None:
    """The educator passcode, or None (unset or empty): then nothing unlocks."""
    return _env(environ).get(PASSCODE_ENV) or None


def _whole_number(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name} must be a whole number, not {value!r}") from None


def max_kernels(environ: Mapping[str, str] | None = None) -> int | None:
    """The kernel cap the environment sets (at least 1), or None to compute one.

    Raises
    ------
    ValueError
        If the variable is set to something other than a whole number.
    """
    value = _env(environ).get(MAX_KERNELS_ENV, "").strip()
    return max(1, _whole_number(MAX_KERNELS_ENV, value)) if value else None


def cull_idle_seconds(environ: Mapping[str, str] | None = None) -> int:
    """Seconds an idle, disconnected kernel lives (default 600).

    Raises
    ------
    ValueError
        If the variable is set to something other than a whole number.
    """
    value = _env(environ).get(CULL_IDLE_ENV, "").strip()
    return _whole_number(CULL_IDLE_ENV, value) if value else DEFAULT_CULL_IDLE_SECONDS
