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
    "HUB_CLASS_ENV",
    "HUB_LEARNER_ENV",
    "HUB_LEARNER_KEY_ENV",
    "HUB_NICKNAME_ENV",
    "LTI_NICKNAMES_ENV",
    "MAX_KERNELS_ENV",
    "PASSCODE_ENV",
    "PRESENT_VALUES",
    "PUBLIC_URL_ENV",
    "START_PAGE",
    "URGENT_CARE_ENV",
    "VARIABLES",
    "Variable",
    "cull_idle_seconds",
    "database_url",
    "educator_passcode",
    "max_kernels",
    "public_url",
]

# ---------------------------------------------------------------- page names

START_PAGE: Final = "00-start-here.ipynb"  # every lesson, the quizzes, joining a class
EDUCATOR_PAGE: Final = "educator.ipynb"  # class results, behind the educator passcode
# `?present=` values that open a lesson as the projector presentation (app.py, the class server).
PRESENT_VALUES: Final = ("1", "yes", "true")
# The optional quick check at the start and at the end of the course (issue 19).
CHECK_BEFORE_PAGE: Final = "check-before.ipynb"
CHECK_AFTER_PAGE: Final = "check-after.ipynb"
SUMMARY_PAGE: Final = "summary.ipynb"  # the learner's take-home summary, to print or keep

# ---------------------------------------------------------------- environment variables

DATABASE_URL_ENV: Final = "SPASM_EDU_DATABASE_URL"
PASSCODE_ENV: Final = "SPASM_EDU_EDUCATOR_PASSCODE"
EMERGENCY_NUMBER_ENV: Final = "SPASM_EDU_EMERGENCY_NUMBER"
URGENT_CARE_ENV: Final = "SPASM_EDU_URGENT_CARE"
MAX_KERNELS_ENV: Final = "SPASM_EDU_MAX_KERNELS"
CULL_IDLE_ENV: Final = "SPASM_EDU_CULL_IDLE_SECONDS"
PUBLIC_URL_ENV: Final = "SPASM_EDU_PUBLIC_URL"
DEFAULT_CULL_IDLE_SECONDS: Final = 600
# Set by a JupyterHub for one student's server (deploy/jupyterhub, spasm_edu/hub.py): the start
# page joins that class as that learner, with no code typed (students arriving from an LMS).
HUB_CLASS_ENV: Final = "SPASM_EDU_CLASS"
HUB_LEARNER_ENV: Final = "SPASM_EDU_LEARNER"
HUB_NICKNAME_ENV: Final = "SPASM_EDU_NICKNAME"
# Set in the hub's own environment: the secret learner ids are made with, and whether the
# LMS's display names become nicknames.
HUB_LEARNER_KEY_ENV: Final = "SPASM_EDU_LEARNER_KEY"
LTI_NICKNAMES_ENV: Final = "SPASM_EDU_LTI_NICKNAMES"


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
    Variable(
        PUBLIC_URL_ENV,
        "the address students reach the server at, for the presenter's join QR code "
        "(`serve --public-url`)",
        "the address the presenter page was opened at",
    ),
    Variable(
        HUB_CLASS_ENV,
        "(set by the hub per student) the class the start page joins without a code",
        "unset: the student types a class code",
    ),
    Variable(
        HUB_LEARNER_ENV,
        "(set by the hub per student) the learner id that class membership is kept under",
        "unset: a new learner id when joining",
    ),
    Variable(
        HUB_NICKNAME_ENV,
        "(set by the hub per student) the nickname shown to the educator",
        "unset: no nickname",
    ),
    Variable(
        HUB_LEARNER_KEY_ENV,
        "(hub only) the secret that turns an LMS user and course into a learner id",
        "unset: LMS launches cannot join a class",
    ),
    Variable(
        LTI_NICKNAMES_ENV,
        "(hub only) `1` lets the LMS's display name become the nickname",
        "unset: no nicknames from the LMS",
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


def public_url(environ: Mapping[str, str] | None = None) -> str | None:
    """The address students reach the server at (e.g. ``http://10.0.0.5:8866``), or None."""
    return _env(environ).get(PUBLIC_URL_ENV, "").strip() or None


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
