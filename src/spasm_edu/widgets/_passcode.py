"""Checks the educator passcode in constant time, with a short lockout after repeated misses.

The misses are counted in the results store (``ResultsStore.passcode_tries``), so a reload,
a new tab or another kernel does not start the count again; the rule is ``TryCount``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
from collections.abc import Callable

import ipywidgets as widgets

from ..results import PasscodeTries, StoreError
from ..results.passcode import TryCount
from ..strings import text
from ._style import text_field

log = logging.getLogger(__name__)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


class PasscodeGuard:
    """Says whether a passcode is right; refuses all tries for 30 s after 5 misses in a row.

    Parameters
    ----------
    expected
        The passcode; None or empty: nothing unlocks.
    tries
        The count shared through the results store. None, or a store that cannot be
        reached, falls back to a count in this kernel: the rule as before, though a reload
        starts it again. A store that is down is nothing a visitor can cause, and locking
        every try then would keep the educator from the results a read-only or full
        database still shows.
    clock
        The current time, timezone-aware (default: the clock of `tries`, else the system's).
    """

    def __init__(
        self,
        expected: str | None,
        tries: PasscodeTries | None = None,
        *,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self.expected = expected or ""
        self._tries = tries
        self._clock = clock or (tries.clock if tries is not None else _utc_now)
        self._own = TryCount()  # this kernel's count: used only while the store is down

    @property
    def enabled(self) -> bool:
        """False when no passcode was set: then nothing unlocks."""
        return bool(self.expected)

    def locked(self) -> bool:
        """True while tries are refused after too many misses."""
        if self._own.locked(self._clock()):
            return True
        if self._tries is None:
            return False
        try:
            return self._tries.locked()
        except StoreError as exc:
            log.warning("passcode tries cannot be read from the results store: %s", exc)
            return False

    def check(self, given: str) -> bool:
        """True if `given` is the passcode (never while locked or disabled)."""
        if not self.enabled:
            return False
        # surrogatepass: a forged value with a lone surrogate is just wrong, not an error.
        right = hmac.compare_digest(
            given.encode("utf-8", "surrogatepass"), self.expected.encode("utf-8", "surrogatepass")
        )
        if self._own.locked(self._clock()):
            return False
        if self._tries is not None:
            try:
                return self._tries.attempt(right)
            except StoreError as exc:
                log.warning("passcode tries counted in this kernel: the store failed: %s", exc)
        self._own, accepted = self._own.after_try(right, self._clock())
        return accepted


def passcode_fields(language: str = "en") -> tuple[widgets.Password, widgets.Text]:
    """The educator passcode and class code inputs shared by the educator and presenter pages."""
    passcode = text_field(text("edu_passcode", language), password=True)
    code = text_field(text("edu_class_code", language), placeholder="BIO-7")
    passcode.add_class("spasm-passcode")
    code.add_class("spasm-class-code")
    return passcode, code
