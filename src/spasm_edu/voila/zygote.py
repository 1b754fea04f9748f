"""Kernels forked from a template: a page's kernel in milliseconds, sharing most of its memory.

A normal kernel start runs a new Python that imports ipykernel, ipywidgets, SQLAlchemy and
spasm_edu and reads the course: about half a second of CPU and 50 MB of its own memory, paid
for every page view. `ZygoteProvisioner` (a jupyter_client kernel provisioner, chosen with
``--KernelProvisionerFactory.default_provisioner_name=spasm-edu-zygote``) asks one template
process (zygote_main.py, started on first use) to fork instead. The child is a normal
ipykernel with its own connection file, sockets, threads and session key: one process per page
view, as before; copy-on-write keeps the imported code shared between all of them.

If the template cannot start, dies, or gets a command it does not know (another kernel than
this Python's ipykernel), the provisioner starts the kernel the usual way (LocalProvisioner),
and a new template is started for the next kernel.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, ClassVar

from jupyter_client.provisioning.local_provisioner import LocalProvisioner

log = logging.getLogger(__name__)

READY_TIMEOUT = 120.0  # the template's imports, on a machine busy with a class
FORK_TIMEOUT = 10.0
RETRY_AFTER = 5.0  # after a failed template, start kernels the usual way this long
# The sockets a kernel binds (connection-file keys), and how long a launch waits for them.
SOCKET_PORTS = ("shell_port", "iopub_port", "stdin_port", "control_port", "hb_port")
LISTEN_TIMEOUT = 10.0


def supported() -> bool:
    """Forking a template needs fork() and pidfd (Linux 5.3 and newer)."""
    return sys.platform.startswith("linux") and hasattr(os, "pidfd_open")


class Zygote:
    """The server's end of one template process: start it, ask it to fork, notice it died."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._started: asyncio.Task[None] | None = None
        self._lock: asyncio.Lock | None = None
        self._failed_at = 0.0
        self.forks = 0

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def start(self) -> None:
        """Start the template (once; later callers wait for the same start)."""
        if self._started is None or (self._started.done() and not self.alive()):
            self._started = asyncio.ensure_future(self._start())
        await asyncio.shield(self._started)

    async def _start(self) -> None:
        self.close()
        ours, theirs = socket.socketpair()
        try:
            self.process = subprocess.Popen(  # noqa: S603 - our own module, this Python
                [sys.executable, "-m", "spasm_edu.voila.zygote_main", str(theirs.fileno())],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"},
            )
        finally:
            theirs.close()
        self._reader, self._writer = await asyncio.open_unix_connection(sock=ours)
        self._lock = asyncio.Lock()
        started = time.monotonic()
        reply = await self._read(READY_TIMEOUT)
        if not reply.get("ready"):
            raise RuntimeError(f"kernel template did not start: {reply}")
        log.info(
            "spasm-edu: kernel template ready (pid %d, %.1f s)",
            self.process.pid,
            time.monotonic() - started,
        )

    async def _read(self, timeout: float) -> dict[str, Any]:
        assert self._reader is not None
        line = await asyncio.wait_for(self._reader.readline(), timeout)
        if not line:
            raise ConnectionError("the kernel template has ended")
        reply: dict[str, Any] = json.loads(line)
        return reply

    async def fork(self, cmd: list[str], argv: list[str], env: dict[str, str], cwd: str) -> int:
        """A new kernel process running ``ipykernel_launcher argv`` (shown in ps as `cmd`).

        Raises ConnectionError when the template has died since it started: a new one starts
        in the background, and this kernel starts the usual way (no visitor waits for it).
        """
        if self._started is not None and self._started.done() and not self.alive():
            self._started = asyncio.ensure_future(self._start())
            self._started.add_done_callback(_log_failure)
            raise ConnectionError("the kernel template has ended; starting a new one")
        await self.start()
        assert self._lock is not None and self._writer is not None
        async with self._lock:
            request = {"argv": argv, "env": env, "cwd": cwd, "title": " ".join(cmd)}
            self._writer.write(json.dumps(request).encode() + b"\n")
            await self._writer.drain()
            reply = await self._read(FORK_TIMEOUT)
        if "pid" not in reply:
            raise RuntimeError(f"the kernel template could not fork: {reply}")
        self.forks += 1
        return int(reply["pid"])

    def failed(self) -> None:
        """The template did not answer: end it; kernels start the usual way for a while."""
        self._failed_at = time.monotonic()
        self.close()

    def resting(self) -> bool:
        return time.monotonic() - self._failed_at < RETRY_AFTER

    def close(self) -> None:
        """End the template (its kernels go on: they watch the server, not the template)."""
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()
            self.process = None


def _log_failure(task: asyncio.Future[None]) -> None:
    """A template started in the background failed: say so (the next kernel retries)."""
    if not task.cancelled() and task.exception() is not None:
        log.warning("spasm-edu: a new kernel template did not start: %s", task.exception())


async def start_template() -> None:
    """Start the kernel template now (the server calls this as it starts); a failure is
    logged, and kernels start the usual way until a later start works."""
    try:
        await ZygoteProvisioner.zygote.start()
    except (OSError, RuntimeError, ValueError, asyncio.TimeoutError) as exc:
        log.warning("spasm-edu: kernel template did not start (%s)", exc)
        ZygoteProvisioner.zygote.failed()


def _ipykernel_args(cmd: list[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` when `cmd` runs this Python's ipykernel."""
    if len(cmd) < 3 or cmd[1:3] != ["-m", "ipykernel_launcher"]:
        return None
    if cmd[0] in ("python", "python3") or Path(cmd[0]).resolve() == Path(sys.executable).resolve():
        return cmd[3:]
    return None


class ZygoteProvisioner(LocalProvisioner):
    """A LocalProvisioner whose kernels are forked from the template when they can be.

    The process is watched through a pidfd (it is the template's child, not the server's):
    poll, wait, signals and kill all go through it.
    """

    zygote: ClassVar[Zygote] = Zygote()
    pidfd: int | None = None
    _gone = False  # the forked process has ended (its pidfd closed)

    @property
    def has_process(self) -> bool:
        return self.pidfd is not None or self._gone or super().has_process

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
        args = _ipykernel_args(cmd)
        zygote = self.zygote
        if args is None or not supported() or zygote.resting():
            return await super().launch_kernel(cmd, **kwargs)
        env = {str(k): str(v) for k, v in (kwargs.get("env") or os.environ).items()}
        cwd = str(kwargs.get("cwd") or os.getcwd())
        try:
            pid = await zygote.fork(cmd, args, env, cwd)
        except ConnectionError as exc:  # the template died; a new one is on its way
            self.log.warning("spasm-edu: %s; this kernel starts the usual way", exc)
            return await super().launch_kernel(cmd, **kwargs)
        except (OSError, RuntimeError, ValueError, asyncio.TimeoutError) as exc:
            self.log.warning("spasm-edu: kernel template failed (%s); starting the usual way", exc)
            zygote.failed()
            return await super().launch_kernel(cmd, **kwargs)
        try:
            self.pidfd = os.pidfd_open(pid)
        except ProcessLookupError:
            self.pidfd = None  # it died at once; poll() says so
            self._gone = True
        self.pid = self.pgid = pid
        self.cwd = cwd
        await self._listening()
        return self.connection_info

    async def _listening(self) -> None:
        """Wait (briefly) until the forked kernel listens on its IPC sockets.

        jupyter_server connects its activity watcher as soon as the launch returns; a socket
        that finds nothing to connect to tries again only after a pause, and a forked kernel
        can run a whole notebook in that pause, unseen (see ready_client.py). A kernel started
        the usual way is slower to listen than that pause, so only forked kernels need this.
        """
        info: dict[str, Any] = dict(self.connection_info)
        if info.get("transport") != "ipc":
            return
        paths = [Path(f"{info['ip']}-{info[key]}") for key in SOCKET_PORTS if key in info]
        end = time.monotonic() + LISTEN_TIMEOUT
        while not all(path.exists() for path in paths):
            if self._exited() or time.monotonic() > end:
                return  # jupyter_client notices a dead or silent kernel, as before
            await asyncio.sleep(0.002)

    def _exited(self) -> bool:
        if self._gone:
            return True
        if self.pidfd is None:
            return True
        poller = select.poll()  # not select(): a server with many kernels has fds above 1024
        poller.register(self.pidfd, select.POLLIN)
        return bool(poller.poll(0))

    async def poll(self) -> int | None:
        if self.pidfd is None and not self._gone:
            return await super().poll()
        if not self._exited():
            return None
        # It ended. jupyter_server forgets a kernel that died by itself without calling wait()
        # or cleanup(): close the pidfd now, or the server keeps one per crashed kernel.
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        self._gone = True
        return 0

    async def wait(self) -> int | None:
        if self.pidfd is None and not self._gone:
            return await super().wait()
        while not self._exited():
            await asyncio.sleep(0.05)
        self._close_pidfd()
        return 0

    def _close_pidfd(self) -> None:
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None
        self._gone = False

    async def send_signal(self, signum: int) -> None:
        if self.pidfd is None:
            return await super().send_signal(signum)
        if self._exited() or self.pid is None:
            return None
        try:
            # The kernel leads its own process group (setsid): reach anything it started too.
            os.killpg(self.pid, signum)
        except OSError:
            signal.pidfd_send_signal(self.pidfd, signum)
        return None

    async def kill(self, restart: bool = False) -> None:
        if self.pidfd is None:
            return await super().kill(restart)
        with contextlib.suppress(ProcessLookupError):
            await self.send_signal(signal.SIGKILL)
        return None

    async def terminate(self, restart: bool = False) -> None:
        if self.pidfd is None:
            return await super().terminate(restart)
        with contextlib.suppress(ProcessLookupError):
            await self.send_signal(signal.SIGTERM)
        return None

    async def cleanup(self, restart: bool = False) -> None:
        self._close_pidfd()
        await super().cleanup(restart)
