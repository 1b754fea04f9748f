"""The passcode lockout rule alone: 5 misses in a row lock every try for 30 s, and no longer."""

from __future__ import annotations

import datetime as dt

from spasm_edu.results.passcode import LOCK_SECONDS, MAX_MISSES, TryCount

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def misses(count: TryCount, n: int, when: dt.datetime) -> TryCount:
    for _ in range(n):
        count, accepted = count.after_try(False, when)
        assert not accepted
    return count


def test_five_misses_lock_every_try_for_thirty_seconds() -> None:
    assert (MAX_MISSES, LOCK_SECONDS) == (5, 30.0)
    count = misses(TryCount(), 4, at(0))
    assert count == TryCount(4) and not count.locked(at(0))
    count = misses(count, 1, at(1))
    assert count == TryCount(0, at(1)) and count.locked(at(1))
    # The right passcode is refused too while locked, and nothing is counted or extended.
    assert count.after_try(True, at(30)) == (count, False)
    assert misses(count, 3, at(30)) == count
    assert not count.locked(at(31))
    count, accepted = count.after_try(True, at(31))
    assert accepted and count == TryCount()


def test_a_right_passcode_starts_the_count_again() -> None:
    count = misses(TryCount(), 4, at(0))
    count, accepted = count.after_try(True, at(1))
    assert accepted and count == TryCount()
    assert not misses(count, 4, at(2)).locked(at(2))


def test_a_lock_is_bounded_whatever_the_clocks_say() -> None:
    locked = TryCount(0, at(0))
    # Stamped by a server whose clock runs a little ahead: honoured, for at most 30 s more.
    assert locked.locked(at(-10)) and not locked.locked(at(-30))
    # Stamped an hour ahead (a clock set back since): not a lock that lasts an hour.
    assert not TryCount(0, at(3600)).locked(at(0))
