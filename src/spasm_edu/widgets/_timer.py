"""The one timer of the pages: calls a function every few seconds on the kernel's event loop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

log = logging.getLogger(__name__)


class Timer:
    """Calls `tick` every `seconds` on the kernel's event loop, from `start` until `stop`.

    The kernel runs widget handlers on its event loop, so a tick never races a click. Without a
    running loop (plain Python, the widget tests) `start` only marks the timer `active`, and
    `fire` runs a tick by hand. A tick that raises is logged and the timer goes on.

    Parameters
    ----------
    seconds
        Time from one tick to the next.
    tick
        Called with no arguments; what it returns is ignored.
    loop
        The loop to schedule on (tests pass one they drive); default: the loop running at
        `start`, if any.
    """

    def __init__(
        self,
        seconds: float,
        tick: Callable[[], object],
        *,
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.seconds = seconds
        self.active = False
        self._tick = tick
        self._loop = loop
        self._handle: asyncio.TimerHandle | None = None

    def start(self) -> None:
        """Tick every `seconds` from now on (a timer already started goes on as it was)."""
        self.active = True
        self._schedule()

    def stop(self) -> None:
        """No more ticks until the next `start`."""
        self.active = False
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def fire(self) -> None:
        """Tick now; while active, the next tick follows `seconds` after this one."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        try:
            self._tick()
        except Exception:
            log.exception("timer tick %r failed", getattr(self._tick, "__qualname__", self._tick))
        self._schedule()

    def _schedule(self) -> None:
        if not self.active or self._handle is not None:
            return
        loop = self._loop
        if loop is None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return  # no loop (plain Python): nothing ticks by itself
        self._handle = loop.call_later(self.seconds, self.fire)
