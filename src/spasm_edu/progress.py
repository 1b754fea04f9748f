"""A learner's saved progress: who they are, saving each checked answer, and resuming.

Pure logic between the quiz engine and the results store; no widgets.
"""

from __future__ import annotations

import logging
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import parse_qs

from .content import Question
from .quiz import RESTART_QUESTION, REVEALED_ANSWER, Grade, QuizSession
from .results import PendingQueue, ResultsStore, StoreError

log = logging.getLogger(__name__)
LEARNER_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class SaveStatus:
    """What to tell the learner after an answer: saved, or waiting to be saved."""

    saved: bool
    pending: int


REQUEST_WAIT_TRIES = 5
REQUEST_CONNECT_TIMEOUT = 10.0


def _request_known() -> bool:
    # Voilà puts the visitor's request into the environment; SERVER_SOFTWARE ("voila/x.y")
    # is always part of it, and absent from a preheated kernel before its visitor arrives.
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def _request_info_url() -> str:
    """Where Voilà hands a preheated kernel its visitor's request (as voila.utils builds it)."""
    env = os.environ
    base = env.get("VOILA_WS_BASE_URL", env.get("VOILA_SERVER_URL", "/"))
    return (
        f"{env.get('VOILA_WS_PROTOCOL', 'ws')}://{env.get('VOILA_APP_IP', '127.0.0.1')}:"
        f"{env.get('VOILA_APP_PORT', '8866')}{base}voila/query/{env['VOILA_KERNEL_ID']}"
    )


def _receive_request_info() -> None:
    """Block until the request arrives, then put it into os.environ (one attempt).

    This is what ``voila.utils.wait_for_request()`` does, without importing ``voila``: that
    import pulls in jupyter_server and jsonschema, which compile grammars at import, and cost
    every preheated kernel about 3 s of CPU and 40 MB of memory. The kernel's own event loop
    runs in this thread, so the websocket runs on a new loop in a helper thread.
    """
    import asyncio
    import json
    import threading

    async def receive() -> str | bytes | None:
        from tornado.websocket import websocket_connect

        conn = await websocket_connect(_request_info_url(), connect_timeout=REQUEST_CONNECT_TIMEOUT)
        try:
            return await conn.read_message()  # as long as the visitor takes to arrive
        finally:
            conn.close()

    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["message"] = asyncio.run(receive())
        except Exception as exc:  # connection refused, timed out, closed: the caller retries
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="spasm-edu-request-info", daemon=True)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise ConnectionError(f"no request info from {_request_info_url()}") from (
            outcome["error"] if isinstance(outcome["error"], BaseException) else None
        )
    message = outcome.get("message")
    if not isinstance(message, (str, bytes)):
        raise ConnectionError("the server closed the request-info connection")
    for key, value in json.loads(message).items():
        os.environ[str(key)] = str(value)


def wait_for_visitor() -> None:
    """In a preheated kernel, block until Voilà hands over the visitor's request (once).

    Voilà delivers the request once per kernel: a second wait (Voilà's own
    ``wait_for_request()`` called twice) waits for a message that never comes and the page
    hangs. Voilà also gives up silently when the websocket cannot connect within 5 s (a busy
    server while a pool fills); then try again rather than build the page without the
    visitor's address.
    """
    if os.environ.get("VOILA_PREHEAT") != "True" or _request_known():
        return
    if "VOILA_KERNEL_ID" not in os.environ:  # not run by Voilà's renderer: nothing to wait for
        return
    for attempt in range(1, REQUEST_WAIT_TRIES + 1):
        try:
            _receive_request_info()
        except (ConnectionError, ValueError) as exc:
            log.warning("waiting for the visitor's request failed (try %d): %s", attempt, exc)
        if _request_known():
            return
        time.sleep(0.5 * attempt)  # the server is busy starting kernels: give it time
    log.error("the visitor's request never arrived: this page does not know its address")


def request_param(name: str) -> str:
    """A parameter of the page address (``?name=value``), which Voilà gives the kernel."""
    wait_for_visitor()
    values = parse_qs(os.environ.get("QUERY_STRING", "")).get(name, [])
    return values[0] if values else ""


def learner_from_request() -> str | None:
    """The learner id in the page address (``?learner=...``), if it is well formed."""
    value = request_param("learner")
    return value if LEARNER_RE.match(value) else None


class LearnerProgress:
    """Saves a learner's answers for one lesson and replays them after a reload."""

    def __init__(
        self, store: ResultsStore, learner_id: str, lesson_id: str, class_code: str = ""
    ) -> None:
        self.store = store
        self.learner_id = learner_id
        self.lesson_id = lesson_id
        self.class_code = class_code
        self._queue = PendingQueue(store)

    @classmethod
    def open(cls, store: ResultsStore, learner_id: str, lesson_id: str) -> LearnerProgress:
        """Progress of a known learner (their class comes from the store)."""
        learner = store.learner(learner_id)
        return cls(store, learner_id, lesson_id, learner.class_code if learner else "")

    @property
    def pending(self) -> int:
        """Answers not saved yet."""
        return len(self._queue)

    def record(self, question: Question, result: Grade) -> SaveStatus:
        """Save one checked answer (kept in memory and retried if the database fails)."""
        return self._add(question.id, result.answer, result.correct)

    def record_reveal(self, question: Question) -> SaveStatus:
        """Save that the learner asked to see the answer."""
        return self._add(question.id, REVEALED_ANSWER, False)

    def record_restart(self) -> SaveStatus:
        """Save that the learner started the quiz again (a reload then starts fresh too)."""
        return self._add(RESTART_QUESTION, "", False)

    def _add(self, question_id: str, answer: str, correct: bool) -> SaveStatus:
        saved = self._queue.record(
            learner_id=self.learner_id,
            lesson_id=self.lesson_id,
            question_id=question_id,
            answer=answer,
            correct=correct,
            class_code=self.class_code,
        )
        return SaveStatus(saved, len(self._queue))

    def flush(self) -> SaveStatus:
        """Try again to save what is waiting."""
        self._queue.flush()
        return SaveStatus(not len(self._queue), len(self._queue))

    def resume(self, session: QuizSession) -> int:
        """Replay this learner's saved answers into `session`; return how many were replayed."""
        try:
            attempts = self.store.attempts_for_learner(self.learner_id, self.lesson_id)
        except StoreError:
            log.warning("could not read saved answers of learner %s", self.learner_id)
            return 0
        history = [
            (a.question_id, a.answer) for a in sorted(attempts, key=lambda a: (a.answered_at, a.id))
        ]
        session.replay(history)
        return len(history)
