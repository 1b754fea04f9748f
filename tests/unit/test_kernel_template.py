"""Kernels forked from the kernel template (spasm_edu/voila/zygote.py and zygote_main.py),
driven through jupyter_client as the server drives them: each kernel is a process of its own
with the launch's environment, folder and connection file; interrupts, shutdowns and kills
reach it; a dead kernel, a dead template or a dead server is noticed, and takes nothing else
with it. Real kernels (a few seconds); no timings are asserted, only generous hang guards.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import uuid
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import psutil
import pytest
from jupyter_client.asynchronous.client import AsyncKernelClient
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning.factory import KernelProvisionerFactory
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets.config import Config

from spasm_edu.voila.config import READY_CLIENT
from spasm_edu.voila.ready_client import ReadyKernelClient
from spasm_edu.voila.zygote import (
    RETRY_AFTER,
    SOCKET_PORTS,
    Zygote,
    ZygoteProvisioner,
    _ipykernel_args,
)
from tests.support.processes import pidfds

T = TypeVar("T")

GUARD = 60.0  # seconds: a hang guard, never a speed requirement
PROVISIONER = "spasm-edu-zygote"  # pyproject.toml's entry point


def gone(pid: int) -> bool:
    """The process has ended (a zombie nobody reaped yet counts as ended)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_for(check: Callable[[], bool], what: str, timeout: float = GUARD) -> None:
    """Poll `check` until it holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"not within {timeout:.0f} s: {what}"
        time.sleep(0.1)  # polling a condition: a process ending


class Kernel:
    """A started kernel and a client connected to it."""

    def __init__(self, km: AsyncKernelManager, kc: AsyncKernelClient) -> None:
        self.km = km
        self.kc = kc
        assert km.provisioner is not None and km.provisioner.pid is not None
        self.pid: int = km.provisioner.pid

    @property
    def forked(self) -> bool:
        """Started through the template (watched through a pidfd), not as a new Python."""
        provisioner = self.km.provisioner
        return isinstance(provisioner, ZygoteProvisioner) and provisioner.pidfd is not None

    async def run(self, code: str) -> tuple[dict[str, Any], str]:
        """Execute `code`; the reply's content and everything it printed."""
        out: list[str] = []

        def hook(msg: dict[str, Any]) -> None:
            if msg["header"]["msg_type"] == "stream":
                out.append(msg["content"]["text"])

        reply = await self.kc.execute_interactive(code, timeout=GUARD, output_hook=hook)
        return reply["content"], "".join(out)

    async def value(self, expression: str) -> Any:
        """What `expression` evaluates to in the kernel (through JSON)."""
        content, out = await self.run(f"import json as _j; print(_j.dumps({expression}))")
        assert content["status"] == "ok", content
        return json.loads(out)


class LoopThread:
    """An event loop of the module's own, in a thread of its own: a browser test earlier in
    the session may leave a loop running in this thread, where no other loop can run."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the module's loop and return its result (hang guard: 3 x GUARD)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=3 * GUARD)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(GUARD)
        self.loop.close()


async def _on_loop(action: Callable[[], Any]) -> None:
    action()


@pytest.fixture(scope="module")
def runner() -> Iterator[LoopThread]:
    """One event loop for the module (the template's socket belongs to the loop that started
    it, as in the server), jupyter_client set to the template's provisioner, and a template of
    the module's own, ended at the end."""
    factory = KernelProvisionerFactory.instance()
    old_name, old_zygote = factory.default_provisioner_name, ZygoteProvisioner.zygote
    factory.default_provisioner_name = PROVISIONER
    ZygoteProvisioner.zygote = Zygote()
    loop = LoopThread()
    try:
        yield loop
    finally:
        # On its loop: it closes its socket there.
        loop.run(_on_loop(ZygoteProvisioner.zygote.close))
        loop.close()
        ZygoteProvisioner.zygote = old_zygote
        factory.default_provisioner_name = old_name


@pytest.fixture(scope="module")
def ipc_dir() -> Iterator[Path]:
    """A short folder for the kernels' IPC sockets (a socket path has at most 107 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="spasm-kt-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def start(runner: LoopThread, ipc_dir: Path) -> Iterator[Callable[..., Kernel]]:
    """start(**start_kernel_kwargs) -> a ready Kernel; every one is shut down afterwards."""
    started: list[Kernel] = []

    def _start(km: AsyncKernelManager | None = None, **kwargs: Any) -> Kernel:
        km = km or AsyncKernelManager(transport="ipc", ip=str(ipc_dir / "k"))
        km.transport, km.ip = "ipc", str(ipc_dir / "k")

        async def go() -> Kernel:
            await asyncio.wait_for(km.start_kernel(**kwargs), GUARD)
            kc = km.client()
            kc.start_channels()
            await kc.wait_for_ready(timeout=GUARD)
            return Kernel(km, kc)

        kernel = runner.run(go())
        started.append(kernel)
        return kernel

    yield _start
    for kernel in started:
        runner.run(_on_loop(kernel.kc.stop_channels))
        if kernel.km.has_kernel:
            runner.run(asyncio.wait_for(kernel.km.shutdown_kernel(now=True), GUARD))


def template_pid() -> int:
    pid = ZygoteProvisioner.zygote.pid
    assert pid is not None and ZygoteProvisioner.zygote.alive(), "no kernel template running"
    return pid


def test_a_kernel_is_forked_from_the_template_and_runs_code(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    kernel = start()
    assert isinstance(kernel.km.provisioner, ZygoteProvisioner)
    assert kernel.forked
    process = psutil.Process(kernel.pid)
    # The template's child, not this process's (the server's); the template is ours.
    assert process.ppid() == template_pid() != os.getpid()
    assert psutil.Process(template_pid()).ppid() == os.getpid()
    assert "spasm_edu.voila.zygote_main" in " ".join(psutil.Process(template_pid()).cmdline())
    # ps names the kernel and its connection file, as for a kernel started the usual way.
    cmdline = " ".join(process.cmdline())
    assert "-m ipykernel_launcher" in cmdline
    assert kernel.km.connection_file in cmdline
    content, out = runner.run(kernel.run("print(6 * 7)"))
    assert content["status"] == "ok" and out == "42\n"
    # ipywidgets' comm targets exist in the kernel (the template imported ipywidgets before
    # there was a kernel to register them with).
    targets = runner.run(kernel.value("sorted(__import__('comm').get_comm_manager().targets)"))
    assert {"jupyter.widget", "jupyter.widget.control"} <= set(targets)
    # The kernel knows its server (this process) as its parent, as a started kernel does.
    assert runner.run(kernel.value("int(__import__('os').environ['JPY_PARENT_PID'])")) == (
        os.getpid()
    )
    app = "__import__('ipykernel.kernelapp').kernelapp.IPKernelApp.instance()"
    assert runner.run(kernel.value(f"{app}.parent_handle")) == os.getpid()
    # IPython keeps no history file for a page's code (the notebook's, every student's).
    assert runner.run(kernel.value("get_ipython().history_manager.enabled")) is False


def test_the_launch_environment_and_folder_are_the_kernels(
    runner: LoopThread, start: Callable[..., Kernel], tmp_path: Path
) -> None:
    marker = uuid.uuid4().hex
    env = {k: v for k, v in os.environ.items() if k != "PYDEVD_DISABLE_FILE_VALIDATION"}
    env["SPASM_TEST_MARKER"] = marker
    kernel = start(env=env, cwd=str(tmp_path))
    assert kernel.forked
    got = runner.run(
        kernel.value(
            "[__import__('os').environ.get('SPASM_TEST_MARKER'), __import__('os').getcwd(),"
            " 'PYDEVD_DISABLE_FILE_VALIDATION' in __import__('os').environ]"
        )
    )
    # The template's own variable (set for it by the server) is not the kernel's.
    assert got == [marker, str(tmp_path), False]
    assert psutil.Process(kernel.pid).cwd() == str(tmp_path)
    # Nor is the template's folder (the server's) on the kernel's import path.
    kernel_path = runner.run(kernel.value("__import__('sys').path"))
    assert os.getcwd() != str(tmp_path)
    on_pythonpath = os.getcwd() in os.environ.get("PYTHONPATH", "").split(os.pathsep)
    assert on_pythonpath or os.getcwd() not in kernel_path, kernel_path


def test_two_kernels_are_separate_processes_with_their_own_state(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    a, b = start(), start()
    assert a.forked and b.forked
    assert a.pid != b.pid
    assert psutil.Process(a.pid).ppid() == psutil.Process(b.pid).ppid() == template_pid()
    draws = "[__import__('random').random() for _ in range(4)]"
    assert runner.run(a.value(draws)) != runner.run(b.value(draws))  # reseeded after the fork
    content, _ = runner.run(a.run("secret_answer = 'A'"))
    assert content["status"] == "ok"
    assert runner.run(a.value("'secret_answer' in globals()")) is True
    assert runner.run(b.value("'secret_answer' in globals()")) is False


WIDGET_MESSAGES = ("comm_open", "comm_msg", "comm_close")


async def _widget_messages(kernel: Kernel, code: str) -> list[str]:
    """Run `code`; the widget messages (type and comm id) it sent on IOPub."""
    sent: list[str] = []

    def hook(msg: dict[str, Any]) -> None:
        if msg["header"]["msg_type"] in WIDGET_MESSAGES:
            sent.append(f"{msg['header']['msg_type']} {msg['content']['comm_id']}")

    reply = await kernel.kc.execute_interactive(code, timeout=GUARD, output_hook=hook)
    assert reply["content"]["status"] == "ok", reply["content"]
    return sent


async def _ask_for_widgets(kernel: Kernel) -> dict[str, Any]:
    """What a Voilà page does once connected: open ipywidgets' control comm and ask for every
    widget's state; returns the states."""
    kc = kernel.kc
    comm_id = uuid.uuid4().hex
    opened = kc.session.msg(
        "comm_open",
        {"comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"},
    )
    kc.shell_channel.send(opened)
    ask = kc.session.msg("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
    kc.shell_channel.send(ask)
    while True:
        msg = await kc.get_iopub_msg(timeout=GUARD)
        if msg["header"]["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == comm_id:
            states: dict[str, Any] = msg["content"]["data"]["states"]
            return states


def test_widget_messages_wait_for_the_page_and_then_flow(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    kernel = start()
    assert kernel.forked
    make = "import ipywidgets as w; b = w.Button(description='one'); b.description = 'two'"
    # While the notebook runs, no page listens: nothing of the widget is sent...
    assert runner.run(_widget_messages(kernel, make)) == []
    model = runner.run(kernel.value("b.model_id"))
    # ... and the page that asks gets it whole, with its latest state.
    states = runner.run(_ask_for_widgets(kernel))
    assert states[model]["state"]["description"] == "two"
    assert states[model]["model_name"] == "ButtonModel"
    # Every widget, as ipywidgets' own answer has it (ours only skips a state it discarded).
    assert states == runner.run(kernel.value("w.Widget.get_manager_state()['state']"))
    # Once the page has asked, a change and a new widget go out as usual.
    sent = runner.run(_widget_messages(kernel, "b.description = 'three'; c = w.Checkbox()"))
    new = runner.run(kernel.value("c.model_id"))
    assert f"comm_msg {model}" in sent
    assert f"comm_open {new}" in sent
    # The page's clicks reach the kernel's handlers, and their changes reach the page.
    runner.run(kernel.run("b.on_click(lambda _: setattr(b, 'description', 'clicked'))"))
    click = kernel.kc.session.msg(
        "comm_msg", {"comm_id": model, "data": {"method": "custom", "content": {"event": "click"}}}
    )
    kernel.kc.shell_channel.send(click)

    async def change_seen() -> dict[str, Any]:
        while True:
            msg = await kernel.kc.get_iopub_msg(timeout=GUARD)
            if msg["header"]["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == model:
                data: dict[str, Any] = msg["content"]["data"]
                return data

    assert runner.run(change_seen())["state"] == {"description": "clicked"}


def test_an_interrupt_stops_running_code_and_the_kernel_goes_on(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    kernel = start()
    assert kernel.forked

    async def scenario() -> dict[str, Any]:
        kc = kernel.kc
        msg_id = kc.execute("import time; print('sleeping', flush=True); time.sleep(60)")
        while True:  # the code is running once it has printed
            msg = await kc.get_iopub_msg(timeout=GUARD)
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream":
                break
        await kernel.km.interrupt_kernel()
        while True:
            reply: dict[str, Any] = await kc.get_shell_msg(timeout=GUARD)
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply["content"]

    content = runner.run(scenario())
    assert content["status"] == "error" and content["ename"] == "KeyboardInterrupt", content
    assert runner.run(kernel.km.is_alive())
    assert runner.run(kernel.value("1 + 1")) == 2


def test_a_launch_returns_once_the_kernel_listens(runner: LoopThread, ipc_dir: Path) -> None:
    # jupyter_server connects its activity watcher as soon as the launch returns: every socket
    # is there to connect to (a socket that finds none tries again only after a pause).
    km = AsyncKernelManager(transport="ipc", ip=str(ipc_dir / "listen"))

    async def launch() -> list[Path]:
        await asyncio.wait_for(km.start_kernel(), GUARD)
        info = km.get_connection_info()
        return [Path(f"{info['ip']}-{info[key]}") for key in SOCKET_PORTS]

    paths = runner.run(launch())
    try:
        assert isinstance(km.provisioner, ZygoteProvisioner) and km.provisioner.pidfd is not None
        assert len(paths) == 5 and [p for p in paths if not p.exists()] == []
    finally:
        runner.run(asyncio.wait_for(km.shutdown_kernel(now=True), GUARD))


def test_a_ready_kernel_is_known_to_the_servers_watcher_and_runs_code(
    runner: LoopThread, ipc_dir: Path
) -> None:
    """As `spasm-edu serve` runs a page: jupyter_server's kernel manager, with our client.
    Ready means the kernel answered, its IOPub is read up to its idle status, and the
    server's activity watcher has seen it (not "starting": a page's websocket would wait)."""
    config = Config()
    config.KernelManager.client_factory = READY_CLIENT
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(ipc_dir / "served")
    manager = AsyncMappingKernelManager(config=config)

    async def three_pages() -> list[tuple[str, str, dict[str, Any]]]:
        seen = []
        for _ in range(3):
            kernel_id = await asyncio.wait_for(manager.start_kernel(), GUARD)
            km = manager.get_kernel(kernel_id)
            kc = km.client()
            kc.start_channels()
            try:
                assert isinstance(kc, ReadyKernelClient)
                await kc.wait_for_ready(timeout=GUARD)
                state = km.execution_state
                out: list[str] = []

                def hook(msg: dict[str, Any], out: list[str] = out) -> None:
                    if msg["header"]["msg_type"] == "stream":
                        out.append(msg["content"]["text"])

                reply = await kc.execute_interactive(
                    "print(6 * 7)", timeout=GUARD, output_hook=hook
                )
                seen.append((state, "".join(out), reply["content"]))
            finally:
                kc.stop_channels()
                await asyncio.wait_for(manager.shutdown_kernel(kernel_id, now=True), GUARD)
        return seen

    for state, out, content in runner.run(three_pages()):
        assert state in ("idle", "busy")
        assert content["status"] == "ok" and out == "42\n"


def test_a_dead_kernel_is_never_ready(runner: LoopThread, start: Callable[..., Kernel]) -> None:
    kernel = start()
    kernel.km.client_factory = ReadyKernelClient
    os.kill(kernel.pid, signal.SIGKILL)
    wait_for(lambda: not runner.run(kernel.km.is_alive()), "is_alive() False for a killed kernel")

    async def ready() -> None:
        kc = kernel.km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=GUARD)
        finally:
            kc.stop_channels()

    with pytest.raises(RuntimeError, match="died"):
        runner.run(ready())


def test_a_client_without_a_manager_waits_the_usual_way(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    # No kernel manager (an existing kernel's connection file): no watcher to wait for, and
    # heartbeats first, as jupyter_client does.
    kernel = start()

    async def ready() -> str:
        kc = ReadyKernelClient()
        kc.load_connection_file(kernel.km.connection_file)
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=GUARD)
            reply = await kc.execute_interactive("x = 1", timeout=GUARD)
            return str(reply["content"]["status"])
        finally:
            kc.stop_channels()

    assert runner.run(ready()) == "ok"


@pytest.mark.parametrize("now", [False, True], ids=["shutdown", "kill"])
def test_a_shutdown_ends_the_process(
    runner: LoopThread, start: Callable[..., Kernel], now: bool
) -> None:
    kernel = start()
    assert kernel.forked
    runner.run(_on_loop(kernel.kc.stop_channels))
    runner.run(asyncio.wait_for(kernel.km.shutdown_kernel(now=now), GUARD))
    assert runner.run(kernel.km.is_alive()) is False
    # Ended and reaped by the template (no zombie left behind).
    wait_for(lambda: not psutil.pid_exists(kernel.pid), f"kernel {kernel.pid} reaped")


def test_a_killed_kernel_is_seen_dead_and_takes_no_other_kernel(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    a, b = start(), start()
    assert a.forked and b.forked
    (fd,) = [fd for fd, pid in pidfds(os.getpid()).items() if pid == a.pid]
    os.kill(a.pid, signal.SIGKILL)
    wait_for(lambda: not runner.run(a.km.is_alive()), "is_alive() False for a killed kernel")
    # Seen dead, its pidfd is closed (the server may never call wait() or cleanup()).
    assert pidfds(os.getpid()).get(fd) not in (a.pid, -1), "the dead kernel's pidfd is open"
    assert runner.run(b.value("'still here'")) == "still here"
    # The server can shut the dead kernel down as usual.
    runner.run(asyncio.wait_for(a.km.shutdown_kernel(now=True), GUARD))
    wait_for(lambda: not psutil.pid_exists(a.pid), f"killed kernel {a.pid} reaped")


def test_a_dead_template_takes_no_kernel_and_a_new_one_follows(
    runner: LoopThread, start: Callable[..., Kernel]
) -> None:
    a = start()
    assert a.forked
    old = ZygoteProvisioner.zygote.process
    assert old is not None
    old.kill()
    old.wait(GUARD)
    # The kernel forked from it goes on, and its namespace with it.
    runner.run(a.run("kept = 'yes'"))
    assert runner.run(a.value("kept")) == "yes"
    assert runner.run(a.km.is_alive())
    # The next kernel works (forked from a new template, or started the usual way).
    b = start()
    assert runner.run(b.value("2 * 21")) == 42
    if not b.forked:
        # Started the usual way while a new template starts (or rests after a failure).
        zygote = ZygoteProvisioner.zygote
        wait_for(lambda: not zygote.resting(), "the template's rest ends", RETRY_AFTER + GUARD)
        b = start()
    assert b.forked
    assert psutil.Process(b.pid).ppid() == template_pid() != old.pid
    assert runner.run(b.value("3 * 3")) == 9
    assert runner.run(a.value("kept")) == "yes"


def test_only_this_pythons_ipykernel_is_forked() -> None:
    me = sys.executable
    assert _ipykernel_args([me, "-m", "ipykernel_launcher", "-f", "c.json"]) == ["-f", "c.json"]
    assert _ipykernel_args(["python3", "-m", "ipykernel_launcher", "-f", "c.json"]) == [
        "-f",
        "c.json",
    ]
    assert _ipykernel_args(["/opt/other/bin/python", "-m", "ipykernel_launcher"]) is None
    assert _ipykernel_args([me, "-m", "ipykernel", "-f", "c.json"]) is None
    assert _ipykernel_args([me, "-m"]) is None
    assert _ipykernel_args(["R", "--slave", "-e", "IRkernel::main()"]) is None


def test_another_kernel_command_starts_the_usual_way(
    runner: LoopThread, start: Callable[..., Kernel], tmp_path: Path
) -> None:
    spec = tmp_path / "kernels" / "other"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "other", "language": "python"})
    )
    manager = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    km = AsyncKernelManager(kernel_name="other", kernel_spec_manager=manager)
    kernel = start(km)
    assert isinstance(kernel.km.provisioner, ZygoteProvisioner)
    assert not kernel.forked
    assert psutil.Process(kernel.pid).ppid() == os.getpid()  # a new Python, ours
    assert runner.run(kernel.value("5 + 5")) == 10
    # Its widgets are sent as they are made, as JupyterLab and the classic notebook need.
    sent = runner.run(_widget_messages(kernel, "import ipywidgets as w; b = w.Button()"))
    assert f"comm_open {runner.run(kernel.value('b.model_id'))}" in sent


SERVER = textwrap.dedent(
    """
    import asyncio, json, os, sys
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning.factory import KernelProvisionerFactory
    from spasm_edu.voila.zygote import ZygoteProvisioner

    async def main():
        KernelProvisionerFactory.instance().default_provisioner_name = sys.argv[1]
        km = AsyncKernelManager(transport="ipc", ip=sys.argv[2])
        await km.start_kernel()
        kc = km.client()
        kc.start_channels()
        await kc.wait_for_ready(timeout=120)
        pids = {
            "kernel": km.provisioner.pid,
            "template": ZygoteProvisioner.zygote.pid,
            "forked": km.provisioner.pidfd is not None,
        }
        with open(sys.argv[3] + ".tmp", "w") as f:
            json.dump(pids, f)
        os.replace(sys.argv[3] + ".tmp", sys.argv[3])
        await asyncio.sleep(600)

    asyncio.run(main())
    """
)


def test_a_kernel_ends_with_its_server(ipc_dir: Path, tmp_path: Path) -> None:
    result = tmp_path / "pids.json"
    with (tmp_path / "server.log").open("wb") as log:
        server = subprocess.Popen(
            [sys.executable, "-c", SERVER, PROVISIONER, str(ipc_dir / "s"), str(result)],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    pids: dict[str, Any] = {}
    try:
        wait_for(lambda: result.exists() or server.poll() is not None, "the server's kernel")
        assert result.exists(), (tmp_path / "server.log").read_text(errors="replace")
        pids = json.loads(result.read_text())
        assert pids["forked"] is True
        assert psutil.Process(pids["kernel"]).ppid() == pids["template"]
        server.kill()
        server.wait(GUARD)
        wait_for(lambda: gone(pids["kernel"]), "the kernel ends with its server", 30)
        wait_for(lambda: gone(pids["template"]), "the template ends with its server", 30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(GUARD)
        for pid in (pids.get("kernel"), pids.get("template")):
            if pid and not gone(pid):
                os.kill(pid, signal.SIGKILL)
