"""The outbox: checked answers that could not be saved yet wait here, in order, until they are."""

from __future__ import annotations

import logging
import threading
from collections import deque

from ._errors import SaveError
from .learners import LearnerStore, PendingAttempt

__all__ = ["PendingQueue"]

logger = logging.getLogger(__name__)


class PendingQueue:
    """An in-memory outbox: attempts that could not be saved wait here, in order.

    The UI calls :meth:`add` instead of ``ResultsStore.save``; when it returns ``False`` it
    can say "not saved yet, retrying" and call :meth:`flush` later (on the next answer, or
    from a timer). Nothing is dropped while the kernel runs.

    Parameters
    ----------
    store
        Where attempts are saved (a ``ResultsStore``).
    """

    def __init__(self, store: LearnerStore) -> None:
        self._store = store
        self._pending: deque[PendingAttempt] = deque()
        self._lock = threading.RLock()
        self._last_error: SaveError | None = None

    def __len__(self) -> int:
        return len(self._pending)

    @property
    def pending(self) -> tuple[PendingAttempt, ...]:
        """Attempts still waiting, oldest first."""
        with self._lock:
            return tuple(self._pending)

    @property
    def last_error(self) -> SaveError | None:
        """The most recent save failure, ``None`` once everything is saved."""
        return self._last_error

    def add(self, attempt: PendingAttempt) -> bool:
        """Queue an attempt, then :meth:`flush`.

        Parameters
        ----------
        attempt
            The attempt to save; invalid input was refused when it was made, so nothing
            invalid is ever queued.

        Returns
        -------
        bool
            ``True`` if the queue is empty afterwards (this attempt, and everything before
            it, is saved); ``False`` if it waits in the queue.
        """
        with self._lock:
            self._pending.append(attempt)
            self.flush()
            return not self._pending

    def flush(self) -> int:
        """Save queued attempts in order, stopping at the first failure.

        Returns
        -------
        int
            How many attempts were saved by this call.
        """
        saved = 0
        with self._lock:
            while self._pending:
                try:
                    self._store.save(self._pending[0])
                except SaveError as err:
                    self._last_error = err
                    logger.warning("%d attempt(s) not saved yet: %s", len(self._pending), err)
                    break
                self._pending.popleft()
                saved += 1
            else:
                self._last_error = None
        return saved
