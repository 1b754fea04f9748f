"""A client that speaks Voilà's page protocol, for load tests without a browser per student.

One `visit()` does what a student's browser does on a quiz page, minus running JavaScript:

1. GET the page (Voilà streams it while the kernel runs the notebook), and, for a browser
   with an empty cache, the page's scripts, styles and fonts (`assets`);
2. GET /api/kernels/<id> and open the kernel websocket with the protocol the page's JavaScript
   asks for (``v1.kernel.websocket.jupyter.org``: binary frames the server passes through
   without parsing; a server that does not choose it gets Jupyter's older JSON protocol);
3. kernel_info, then the widget state: a ``jupyter.widget.control`` comm and
   ``request_states``, as ipywidgets 8's manager does; the page is now interactive;
4. pick the right choice of the first single-choice question (`tests.support.answers`, the
   answers the tests give too), press Check, wait for the feedback update;
5. leave: close the websocket and send the page's shutdown POST (the ``_xsrf`` form field
   and cookie, as Voilà's ``beforeunload`` beacon does), or just close (a crashed tab).

Everything runs on one tornado event loop, so 120 visits cost the machine little.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cache
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import WebSocketClientConnection, websocket_connect

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script: make `tests.support` importable

from spasm_edu.content import Question, load_course  # noqa: E402
from tests.support.answers import ONE_CHOICE, answer_for, choice_label, labels_of  # noqa: E402

KERNEL_ID = re.compile(r'"kernelId": "([0-9a-f-]{36})"')
BUSY_MARKER = 'id="spasm-busy"'
V1 = "v1.kernel.websocket.jupyter.org"  # what @jupyterlab/services 7 (Voilà 0.5's page) asks for
AsyncHTTPClient.configure(None, max_clients=1000)  # the default (10) would queue our visitors


@dataclass
class Visit:
    """What one visitor saw; times in seconds from navigation (None: not reached)."""

    notebook: str
    status: str = "pending"  # ok | busy | error: ...
    kernel_id: str = ""
    http_status: int = 0
    first_byte: float | None = None
    html_done: float | None = None
    assets_done: float | None = None
    interactive: float | None = None
    phases: dict[str, float] = field(default_factory=dict)  # step -> seconds from navigation
    feedback_latency: list[float] = field(default_factory=list)
    verdict: str = ""
    # The kernel's execution_state in the server's kernel model, as the page reads it before it
    # connects ("starting": the server has not seen the kernel yet; its websocket then waits).
    kernel_state: str = ""
    learner_seen: bool | None = None  # the page's links carry the learner id given in the URL
    xsrf: str = ""
    connection: _Kernel | None = field(default=None, repr=False)  # kept with leave="keep"

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class _Kernel:
    """A kernel websocket with a reader task that routes messages by parent id and comm id."""

    def __init__(self, ws: WebSocketClientConnection) -> None:
        self.ws = ws
        self.v1 = ws.selected_subprotocol == V1
        self.session = uuid.uuid4().hex
        self._replies: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._idle: dict[str, asyncio.Future[None]] = {}
        self.comm_watchers: list[tuple[Any, asyncio.Future[dict[str, Any]]]] = []
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                for fut in [*self._replies.values(), *self._idle.values()]:
                    if not fut.done():
                        fut.set_exception(ConnectionError("kernel websocket closed"))
                return
            msg = _decode_v1(raw) if self.v1 and isinstance(raw, bytes) else _decode(raw)
            if msg is None:
                continue
            parent = msg.get("parent_header", {}).get("msg_id", "")
            msg_type = msg.get("header", {}).get("msg_type", "")
            if msg.get("channel") == "shell" and parent in self._replies:
                fut = self._replies.pop(parent)
                if not fut.done():
                    fut.set_result(msg)
            elif msg_type == "status" and msg["content"].get("execution_state") == "idle":
                idle = self._idle.pop(parent, None)
                if idle is not None and not idle.done():
                    idle.set_result(None)
            if msg_type == "comm_msg":
                for match, fut in list(self.comm_watchers):
                    if not fut.done() and match(msg):
                        fut.set_result(msg)

    def send(
        self,
        msg_type: str,
        content: dict[str, Any],
        *,
        reply: bool = False,
        idle: bool = False,
        metadata: dict[str, Any] | None = None,
    ) -> tuple[str, asyncio.Future[Any] | None]:
        msg_id = uuid.uuid4().hex
        header = {
            "msg_id": msg_id,
            "username": "",
            "session": self.session,
            "msg_type": msg_type,
            "version": "5.3",
            "date": datetime.now(timezone.utc).isoformat(),
        }
        fut: asyncio.Future[Any] | None = None
        loop = asyncio.get_running_loop()
        if reply:
            fut = self._replies[msg_id] = loop.create_future()
        elif idle:
            fut = self._idle[msg_id] = loop.create_future()
        if self.v1:
            parts = [header, {}, metadata or {}, content]
            frame = _encode_v1("shell", [json.dumps(x).encode() for x in parts])
            self.ws.write_message(frame, binary=True)
        else:
            self.ws.write_message(
                json.dumps(
                    {
                        "header": header,
                        "parent_header": {},
                        "metadata": metadata or {},
                        "content": content,
                        "channel": "shell",
                        "buffers": [],
                    }
                )
            )
        return msg_id, fut

    def watch(self, match: Any) -> asyncio.Future[dict[str, Any]]:
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.comm_watchers.append((match, fut))
        return fut

    def close(self) -> None:
        self.ws.close()
        self._reader.cancel()


def _encode_v1(channel: str, parts: list[bytes]) -> bytes:
    """A v1 frame: n, n little-endian offsets, the channel, header, parent, metadata, content."""
    name = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(name))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    head = len(offsets).to_bytes(8, "little") + b"".join(o.to_bytes(8, "little") for o in offsets)
    return head + name + b"".join(parts)


def _decode_v1(raw: bytes) -> dict[str, Any] | None:
    n = int.from_bytes(raw[:8], "little")
    offsets = [int.from_bytes(raw[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(n)]
    parts = [raw[offsets[i] : offsets[i + 1]] for i in range(n - 1)]
    if len(parts) < 5:
        return None
    channel, header, parent, metadata, content = parts[:5]
    return {
        "channel": channel.decode(),
        "header": json.loads(header),
        "parent_header": json.loads(parent),
        "metadata": json.loads(metadata),
        "content": json.loads(content),
    }


def _decode(raw: str | bytes) -> dict[str, Any] | None:
    if isinstance(raw, str):
        return json.loads(raw)  # type: ignore[no-any-return]
    # Jupyter's legacy binary frame (a message with buffers): n, n offsets, JSON first.
    n = int.from_bytes(raw[:4], "big")
    offsets = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(n)]
    end = offsets[1] if n > 1 else len(raw)
    try:
        return json.loads(raw[offsets[0] : end])  # type: ignore[no-any-return]
    except (ValueError, IndexError):
        return None


def _children(state: dict[str, Any]) -> list[str]:
    return [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]


def find_question(states: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """(choices, check button, feedback) model ids of the first single-choice question card,
    and the card's HTML."""

    def classes(mid: str) -> list[str]:
        return list(states[mid]["state"].get("_dom_classes", []))

    def descendants(mid: str) -> list[str]:
        out, todo = [], [mid]
        while todo:
            cur = todo.pop(0)
            out.append(cur)
            todo.extend(c for c in _children(states.get(cur, {}).get("state", {})) if c in states)
        return out

    for mid in states:
        if "spasm-card" not in classes(mid):
            continue
        inside = descendants(mid)
        # The answer's choices, not the "How sure are you?" radios (a card of checkboxes has
        # only those).
        radio = next(
            (
                m
                for m in inside
                if states[m]["model_name"] == "RadioButtonsModel"
                and "spasm-confidence" not in classes(m)
            ),
            None,
        )
        check = next((m for m in inside if "spasm-check" in classes(m)), None)
        feedback = next((m for m in inside if "spasm-feedback" in classes(m)), None)
        if radio and check and feedback:
            text = " ".join(str(states[m]["state"].get("value", "")) for m in inside)
            return radio, check, feedback, text
    return None


@cache
def _one_choice_questions() -> tuple[Question, ...]:
    return tuple(
        q
        for lesson in load_course()[0].lessons
        for q in lesson.quiz.questions
        if q.type in ONE_CHOICE
    )


def _letters(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", unescape(re.sub(r"<[^>]+>", "", text)).lower())


def choice_index(labels: list[str], card_html: str = "", *, right: bool = True) -> int:
    """Where the shared right (or wrong) answer sits among a radio's labels, in the order shown.

    The question is the shipped one whose choices carry these labels and whose prompt the card
    shows (`card_html`, the card's HTML); 0 if none does.
    """
    shown = _letters(card_html)
    for q in _one_choice_questions():
        same = {choice_label(q, c.id) for c in q.choices} == set(labels)
        if same and _letters(q.prompt) in shown:
            (pick,), _ = labels_of(q, answer_for(q, right=right))
            return labels.index(pick)
    return 0


async def request_states(kernel: _Kernel, timeout: float) -> dict[str, Any]:
    """Ask for every widget's state, as ipywidgets 8's manager does; return the reply message."""
    control = uuid.uuid4().hex
    states_fut = kernel.watch(
        lambda m: (
            m["content"].get("comm_id") == control
            and m["content"]["data"].get("method") == "update_states"
        )
    )
    kernel.send(
        "comm_open",
        {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},
    )
    kernel.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
    states_msg = await asyncio.wait_for(states_fut, timeout)
    kernel.send("comm_close", {"comm_id": control, "data": {}})
    return states_msg


async def _fetch_assets(base: str, html: str, headers: dict[str, str]) -> None:
    """Scripts, styles and fonts the page names, six at a time like a browser on one host."""
    urls = sorted(
        set(re.findall(r'(?:src|href)="(/(?:voila|spasm-edu)/[^"?]+\.(?:js|css|woff2?))', html))
    )
    client = AsyncHTTPClient()
    gate = asyncio.Semaphore(6)

    async def one(path: str) -> None:
        async with gate:
            # A missing optional asset: the browser carries on too.
            with contextlib.suppress(HTTPClientError):
                # Compressed on the wire as for a browser, but not decompressed here: a
                # student's browser does that on its own device, not on the server's cores.
                await client.fetch(
                    base + path,
                    headers={**headers, "Accept-Encoding": "gzip"},
                    decompress_response=False,
                    request_timeout=120,
                )

    await asyncio.gather(*(one(u) for u in urls))


async def visit(
    base: str,
    notebook: str,
    *,
    learner: str | None = None,
    answer: bool = True,
    assets: bool = False,
    stay: float = 0.0,
    leave: str = "shutdown",
    timeout: float = 120.0,
    extra_assets: tuple[str, ...] = (),
    before_click: Callable[[], Awaitable[None]] | None = None,
) -> Visit:
    """One student opening a quiz page, answering one question, and leaving.

    leave: "shutdown" (close the websocket and send the page's shutdown POST), "close" (only
    close the websocket, as a crashed tab), or "keep" (leave the kernel connected; the caller
    closes it with `Visit`'s kernel id later). before_click: awaited once the answer is chosen,
    just before Check is clicked (a class clicking together).
    """
    v = Visit(notebook)
    start = time.perf_counter()

    def mark(step: str) -> None:
        v.phases[step] = time.perf_counter() - start

    query = f"?{urlencode({'learner': learner})}" if learner else ""
    url = f"{base}/voila/render/{notebook}{query}"
    chunks: list[bytes] = []

    def on_chunk(chunk: bytes) -> None:
        if v.first_byte is None:
            v.first_byte = time.perf_counter() - start
        chunks.append(chunk)

    kernel: _Kernel | None = None
    client = AsyncHTTPClient()
    try:
        try:
            resp = await client.fetch(
                HTTPRequest(url, streaming_callback=on_chunk, request_timeout=timeout)
            )
            v.http_status = resp.code
            cookie_header = resp.headers.get_list("Set-Cookie")
        except HTTPClientError as exc:
            v.http_status = exc.code
            body = b"".join(chunks).decode(errors="replace")
            if exc.response is not None and not body:
                body = (exc.response.body or b"").decode(errors="replace")
            v.status = "busy" if BUSY_MARKER in body else f"error: HTTP {exc.code}"
            return v
        html = b"".join(chunks).decode(errors="replace")
        v.html_done = time.perf_counter() - start
        v.phases["first_byte"] = v.first_byte or 0.0
        mark("html")
        found = KERNEL_ID.search(html)
        if not found:
            v.status = "error: no kernel id in the page"
            return v
        v.kernel_id = found.group(1)
        if "Traceback" in html:
            v.status = "error: traceback in the page"
            return v
        for cookie in cookie_header:
            if cookie.startswith("_xsrf="):
                v.xsrf = cookie.split(";", 1)[0].split("=", 1)[1]
        headers = {"Cookie": f"_xsrf={v.xsrf}"} if v.xsrf else {}
        if assets:
            await _fetch_assets(base, html + "".join(f'src="{a}"' for a in extra_assets), headers)
            v.assets_done = time.perf_counter() - start
        model = await client.fetch(
            f"{base}/api/kernels/{v.kernel_id}", headers=headers, request_timeout=timeout
        )
        v.kernel_state = json.loads(model.body).get("execution_state", "")
        mark("kernel_api")
        ws_base = base.replace("http://", "ws://", 1)
        ws = await asyncio.wait_for(
            websocket_connect(
                f"{ws_base}/api/kernels/{v.kernel_id}/channels?session_id={uuid.uuid4()}",
                subprotocols=[V1],
            ),
            timeout,
        )
        mark("websocket")
        kernel = _Kernel(ws)
        _, info = kernel.send("kernel_info_request", {}, reply=True)
        assert info is not None
        await asyncio.wait_for(info, timeout)
        mark("kernel_info")
        states_msg = await request_states(kernel, timeout)
        v.interactive = time.perf_counter() - start
        v.phases["states"] = v.interactive
        if learner:
            v.learner_seen = f"learner={learner}" in json.dumps(states_msg["content"]["data"])
        if answer:
            ids = find_question(states_msg["content"]["data"]["states"])
            if ids is None:
                v.status = "error: no question card in the widget state"
                return v
            radio, check, feedback, card_html = ids
            labels = list(
                states_msg["content"]["data"]["states"][radio]["state"]["_options_labels"]
            )
            _, picked = kernel.send(
                "comm_msg",
                {
                    "comm_id": radio,
                    "data": {
                        "method": "update",
                        "state": {"index": choice_index(labels, card_html)},
                        "buffer_paths": [],
                    },
                },
                idle=True,
            )
            assert picked is not None
            await asyncio.wait_for(picked, timeout)
            if before_click is not None:
                await before_click()
            shown = kernel.watch(
                lambda m: (
                    m["content"].get("comm_id") == feedback
                    and "spasm-feedback-"
                    in str(m["content"]["data"].get("state", {}).get("value", ""))
                )
            )
            clicked = time.perf_counter()
            kernel.send(
                "comm_msg",
                {"comm_id": check, "data": {"method": "custom", "content": {"event": "click"}}},
            )
            msg = await asyncio.wait_for(shown, timeout)
            v.feedback_latency.append(time.perf_counter() - clicked)
            value = msg["content"]["data"]["state"]["value"]
            v.verdict = "right" if "spasm-feedback-right" in value else "wrong"
        v.status = "ok"
        if stay:
            await asyncio.sleep(stay)
    except (asyncio.TimeoutError, TimeoutError):
        v.status = "error: timed out"
    except (OSError, ConnectionError, HTTPClientError, KeyError, ValueError) as exc:
        v.status = f"error: {type(exc).__name__}: {exc}"
    finally:
        if kernel is not None and leave == "keep":
            v.connection = kernel
        elif kernel is not None:
            kernel.close()
        if v.kernel_id and leave == "shutdown":
            await release(base, v)
    return v


def close(v: Visit) -> None:
    """Close a kept page's websocket without a shutdown request (a crashed tab)."""
    if v.connection is not None:
        v.connection.close()
        v.connection = None


async def release(base: str, v: Visit) -> int:
    """Leave the page as a browser does: close the websocket, send the shutdown request."""
    close(v)
    if not v.kernel_id:
        return 0
    body = urlencode({"_xsrf": v.xsrf})
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": base}
    if v.xsrf:
        headers["Cookie"] = f"_xsrf={v.xsrf}"
    try:
        resp = await AsyncHTTPClient().fetch(
            f"{base}/voila/api/shutdown/{v.kernel_id}",
            method="POST",
            body=body,
            headers=headers,
            request_timeout=60,
        )
        return resp.code
    except HTTPClientError as exc:
        return exc.code
    except OSError:
        return 0
