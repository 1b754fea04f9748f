"""Wrong educator passcodes counted in the store, on SQLite and PostgreSQL: kept across kernels."""

from __future__ import annotations

import datetime as dt
import threading

from spasm_edu.results import PasscodeTries, ResultsStore
from spasm_edu.results.passcode import LOCK_SECONDS, MAX_MISSES, TryCount

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


def test_a_new_kernel_sees_the_misses_of_the_others(store_url: str) -> None:
    clock = Clock()
    first = ResultsStore(store_url, clock=clock).passcode_tries
    assert first.count() == TryCount() and not first.locked()
    for _ in range(MAX_MISSES - 2):
        assert not first.attempt(False)
    second = ResultsStore(store_url, clock=clock).passcode_tries  # a reload: a new kernel
    assert second.count() == TryCount(MAX_MISSES - 2)
    assert not second.attempt(False)
    assert not second.locked()
    assert not second.attempt(False)  # the fifth miss in a row, across both kernels
    assert first.locked() and second.locked()
    assert not first.attempt(True)  # refused while locked, and the lock is not extended
    clock.advance(LOCK_SECONDS - 1)
    assert ResultsStore(store_url, clock=clock).passcode_tries.locked()
    clock.advance(1)
    assert not second.locked()
    assert second.attempt(True)
    assert first.count() == TryCount()


def test_misses_from_many_kernels_at_once_are_all_counted(store_url: str) -> None:
    # Ten kernels miss at the same moment: the first five lock, the rest are refused without
    # counting. A lost update (two kernels both writing "3 -> 4") would leave no lock.
    clock = Clock()
    kernels = [ResultsStore(store_url, clock=clock).passcode_tries for _ in range(10)]
    assert kernels[0].attempt(True)  # migrates and creates the row: the race is on the count
    start = threading.Barrier(len(kernels))
    errors: list[BaseException] = []

    def miss(tries: PasscodeTries) -> None:
        try:
            start.wait(timeout=30)
            assert not tries.attempt(False)
        except BaseException as exc:  # reported below, with the thread's own traceback
            errors.append(exc)

    threads = [threading.Thread(target=miss, args=(k,)) for k in kernels]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert kernels[0].count() == TryCount(0, T0)
