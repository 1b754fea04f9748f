"""Our tornado routes in a bare app on a loopback port, for handler tests without a Jupyter server."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import tornado.web
from tornado.httpclient import AsyncHTTPClient, HTTPResponse
from tornado.httpserver import HTTPServer
from tornado.testing import bind_unused_port


def get(
    routes: Sequence[tuple[str, type]], requests: Sequence[tuple[str, dict[str, str]]]
) -> list[HTTPResponse]:
    """GET each (path, headers) in turn; no redirect followed, no body decompressed.

    The app runs on a loop of its own in a thread: a browser test earlier in the session
    (Playwright's sync API) may hold this thread's loop.
    """

    async def fetch_all() -> list[HTTPResponse]:
        sock, port = bind_unused_port()
        server = HTTPServer(tornado.web.Application(list(routes)))
        server.add_sockets([sock])
        client = AsyncHTTPClient(force_instance=True)
        try:
            return [
                await client.fetch(
                    f"http://127.0.0.1:{port}{path}",
                    headers=headers,
                    follow_redirects=False,
                    decompress_response=False,
                    raise_error=False,
                )
                for path, headers in requests
            ]
        finally:
            client.close()
            server.stop()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fetch_all()).result(timeout=60)
