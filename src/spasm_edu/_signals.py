"""Interrupts that wait: a checked answer is saved before a closing page's interrupt lands."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["interrupts_held"]


@contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold an interrupt (SIGINT) until the block is done, then deliver it.

    jupyter_client interrupts a kernel before every shutdown, and a page that closes asks for
    one. Arriving after a checked answer's feedback went out, it ended the click's handler
    before or during the save, and the answer was lost (2-3 of 10 pages closed the moment
    their feedback came). Blocks may nest. Python runs signal handlers in the main thread
    only, so only there is anything held.
    """
    previous = signal.getsignal(signal.SIGINT)
    if previous is None or threading.current_thread() is not threading.main_thread():
        yield  # a handler set outside Python cannot be put back: leave it alone
        return
    held: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if held:
            signal.raise_signal(signal.SIGINT)  # to the handler that was there before
