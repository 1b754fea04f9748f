"""Checks the educator passcode in constant time, with a short lockout after repeated misses."""

from __future__ import annotations

import hmac
import time

import ipywidgets as widgets

from ..strings import text

MAX_TRIES = 5
LOCKOUT_SECONDS = 30.0


class PasscodeGuard:
    """Says whether a passcode is right; refuses all tries for a while after 5 misses."""

    def __init__(self, expected: str | None) -> None:
        self.expected = expected or ""
        self._misses = 0
        self._locked_until = 0.0

    @property
    def enabled(self) -> bool:
        """False when no passcode was set: then nothing unlocks."""
        return bool(self.expected)

    def locked(self) -> bool:
        """True while tries are refused after too many misses."""
        return time.monotonic() < self._locked_until

    def check(self, given: str) -> bool:
        """True if `given` is the passcode (never while locked or disabled)."""
        if not self.enabled or self.locked():
            return False
        if hmac.compare_digest(given.encode(), self.expected.encode()):
            self._misses = 0
            return True
        self._misses += 1
        if self._misses >= MAX_TRIES:
            self._locked_until, self._misses = time.monotonic() + LOCKOUT_SECONDS, 0
        return False


def passcode_fields(language: str = "en") -> tuple[widgets.Password, widgets.Text]:
    """The educator passcode and class code inputs shared by the educator and presenter pages."""
    style = {"description_width": "initial"}
    passcode = widgets.Password(description=text("edu_passcode", language), style=style)
    code = widgets.Text(
        description=text("edu_class_code", language), placeholder="BIO-7", style=style
    )
    return passcode, code
