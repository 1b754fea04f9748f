"""Kernel side of Voilà's warm kernels: wait for the visitor's request, once, and retry.

A preheated kernel runs its page before anyone asks for it, then waits here until Voilà hands
over the visitor's request (address, query string) through its /voila/query websocket
(handlers.QueryHandler). Only the standard library and tornado: this runs in every kernel.
"""

from __future__ import annotations

import logging
import os
import time

log = logging.getLogger(__name__)

REQUEST_WAIT_TRIES = 5
REQUEST_CONNECT_TIMEOUT = 10.0


def _request_known() -> bool:
    # Voilà puts the visitor's request into the environment; SERVER_SOFTWARE ("voila/x.y")
    # is always part of it, and absent from a preheated kernel before its visitor arrives.
    return os.environ.get("SERVER_SOFTWARE", "").startswith("voila/")


def request_info_url() -> str:
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

        conn = await websocket_connect(request_info_url(), connect_timeout=REQUEST_CONNECT_TIMEOUT)
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
        raise ConnectionError(f"no request info from {request_info_url()}") from (
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
