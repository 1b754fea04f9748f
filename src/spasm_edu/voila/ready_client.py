"""A kernel client that knows a kernel is ready as soon as it is, for the server's own clients.

jupyter_client's ``wait_for_ready`` (which nbclient calls before it runs a page's notebook)
asks for ``kernel_info``, then reads IOPub until it has been silent for 0.2 s. That is 0.2 s
of waiting in every page view without a warm kernel, and in every warm kernel's start, while a
forked kernel answers in a few milliseconds. This client stops at the kernel's ``idle`` status
for its own ``kernel_info`` request: IOPub is connected, and everything the kernel published
before that has been read.

It also waits until the server's activity watcher (jupyter_server's, on a socket of its own)
has seen the kernel. That socket may have tried to connect before a forked kernel was
listening, and then tries again only after a pause: a quick notebook ran to its end unseen,
and the page's websocket, finding the kernel still "starting", waited half a second for
jupyter_server's second nudge. Another ``kernel_info`` request now gives the watcher a status
to see before the notebook runs.

`spasm-edu serve` sets it as every kernel manager's client (``config.voila_argv``).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from queue import Empty
from typing import Any

from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.channels import major_protocol_version
from jupyter_client.manager import KernelManager

__all__ = ["ReadyKernelClient"]

# How long one kernel_info request waits for the kernel's idle status on IOPub (jupyter_client
# waits as long for its first IOPub message) before it is asked again.
IOPUB_WAIT = 0.2
# How long to keep asking for the activity watcher's sake: after that, jupyter_server's own
# nudge deals with it, as before.
WATCHER_WAIT = 1.0


class ReadyKernelClient(AsyncKernelClient):
    """An ``AsyncKernelClient`` whose ``wait_for_ready`` returns once the kernel is ready."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers ``kernel_info`` and its IOPub status for it arrives.

        Raises ``RuntimeError`` if the kernel dies, or does not answer within `timeout`
        seconds (None: no limit), as jupyter_client's does.
        """
        if not isinstance(self.parent, KernelManager):
            # Not started by a manager (no watcher, heartbeats first): jupyter_client's way.
            await super().wait_for_ready(timeout)
            return
        start = time.monotonic()
        deadline = start + (float("inf") if timeout is None else timeout)
        ready = False
        while True:
            msg_id = self.kernel_info()
            reply = await self._reply_to(msg_id, wait=1.0)
            if reply is not None and await self._idle_after(msg_id, IOPUB_WAIT):
                if not ready:
                    ready = True
                    self._adapt(reply)
                if await self._watched() or time.monotonic() - start > WATCHER_WAIT:
                    return
                continue  # the watcher has seen nothing yet: one more status for it
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    async def _reply_to(self, msg_id: str, wait: float) -> dict[str, Any] | None:
        """The shell reply to `msg_id` (older replies are dropped), or None after `wait` s."""
        return await _first(self.shell_channel, lambda m: _parent(m) == msg_id, wait)

    async def _idle_after(self, msg_id: str, wait: float) -> bool:
        """Whether the kernel's idle status for `msg_id` arrives on IOPub within `wait` s."""

        def idle(msg: dict[str, Any]) -> bool:
            state = msg["content"].get("execution_state")
            return bool(msg["msg_type"] == "status" and state == "idle" and _parent(msg) == msg_id)

        return await _first(self.iopub_channel, idle, wait) is not None

    async def _watched(self) -> bool:
        """Whether the server's activity watcher has seen the kernel (True without one)."""
        for _ in range(3):  # its socket's callback runs on this loop: give it a turn
            if getattr(self.parent, "execution_state", "idle") != "starting":
                return True
            await asyncio.sleep(0.005)
        return False

    def _adapt(self, reply: dict[str, Any]) -> None:
        # As jupyter_client does with the reply: talk the kernel's protocol version.
        version = int(reply["content"]["protocol_version"].split(".")[0])
        if version != major_protocol_version:
            self.session.adapt_version = version


def _parent(msg: dict[str, Any]) -> Any:
    return msg["parent_header"].get("msg_id")


async def _first(
    channel: Any, wanted: Callable[[dict[str, Any]], bool], wait: float
) -> dict[str, Any] | None:
    """The first message on `channel` that is `wanted` (others are dropped), or None after
    `wait` seconds."""
    end = time.monotonic() + wait
    while (left := end - time.monotonic()) > 0:
        try:
            msg: dict[str, Any] = await channel.get_msg(timeout=left)
        except Empty:
            return None
        if wanted(msg):
            return msg
    return None
