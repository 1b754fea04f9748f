"""The kernel template ("zygote"): a process that has imported what a lesson's kernel needs, and
forks a new kernel on request (server side: zygote.py).

Run as ``python -m spasm_edu.voila.zygote_main FD``: FD is this end of a socket pair with the
server. The template imports ipykernel, ipywidgets, SQLAlchemy and spasm_edu and reads the
course, freezes those objects out of the garbage collector (so a child's collections do not
write to pages it shares with the template), says ``ready``, then answers each request line
(JSON: argv, env, cwd) with the new kernel's pid.

What a child must not carry from the template: the request socket (closed), the template's
signal handlers (reset), its environment and working folder (replaced by the kernel's), its
random state (reseeded), a terminal (new session). The template starts no threads, opens no
zmq context and no database connection, so none are copied. A child watches the *server*
(not the template) and ends when the server is gone, as a kernel started by the server
itself does; so a template that dies takes no student's kernel with it.
"""

from __future__ import annotations

import gc
import json
import os
import random
import select
import signal
import socket
import sys
import threading
from typing import Any

# How often a forked kernel's threads may take the GIL from each other (Python's default: 5 ms).
SWITCH_INTERVAL = 0.0005  # seconds
# What a lesson's kernel imports, in the order it does. Extending this list only moves work
# from every kernel start to the template's one start.
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "ipykernel.eventloops",
    "ipykernel.iostream",
    "IPython.core.completer",
    "IPython.core.formatters",
    "IPython.core.history",
    "jupyter_client.session",
    "comm",
    "ipywidgets",
    "tornado.websocket",
    "sqlalchemy",
    "sqlalchemy.dialects.sqlite",
    "spasm_edu",
    "spasm_edu.app",
    "spasm_edu.progress",
    "spasm_edu.results",
    "spasm_edu.widgets",
    "spasm_edu.widgets.poll",
    "spasm_edu.widgets.presenter",
    "spasm_edu.widgets.educator",
    "spasm_edu.widgets.checks",
    "spasm_edu.widgets.summary",
    "spasm_edu.content.checks",
    "spasm_edu.voila.handshake",
    "spasm_edu.voila.quiet_widgets",
    # What IPKernelApp and InteractiveShell import as they start (debugpy for the debugger).
    "ipykernel.debugger",
    "IPython.core.debugger",
    "IPython.core.oinspect",
    "IPython.core.completerlib",
    "IPython.core.logger",
    "IPython.extensions.storemagic",
    "tornado.platform.asyncio",
    "xml.parsers.expat",
    "xmlrpc.client",
    "http.server",
    "faulthandler",
    "pydoc",
    "runpy",
    "setproctitle",
    "psutil",  # ipykernel imports it to end a kernel's children at shutdown: 5% of its CPU
)


def preload() -> None:
    """Import PRELOAD (a missing optional module is skipped); read the course and strings once."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError as exc:  # an optional part (e.g. psycopg) is not installed
            print(f"spasm-edu zygote: {name} not preloaded: {exc}", file=sys.stderr)
    from spasm_edu.content import CONTENT_DIR, load_course
    from spasm_edu.content.translations import languages
    from spasm_edu.strings import text

    for language in languages(CONTENT_DIR):
        try:
            load_course(strict=False, language=language)  # fills load_course's cache
            # Every page names each language in itself: reading a strings file was a third of
            # a forked kernel's lesson (35 of 85 ms), in every kernel.
            text("language_name", language)
        except Exception as exc:
            print(f"spasm-edu zygote: course ({language}) not preloaded: {exc}", file=sys.stderr)


def _watch_server(server_pid: int) -> None:
    """In a kernel: end this process when the server ends (ipykernel's parent poller would
    watch the template instead, and end every kernel with it)."""
    try:
        fd = os.pidfd_open(server_pid)
    except OSError:  # the server is already gone
        os._exit(1)

    def wait() -> None:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        poller.poll()
        os._exit(1)

    threading.Thread(target=wait, name="spasm-edu-server-watch", daemon=True).start()


def _set_title(title: str) -> None:
    """What ps (and psutil's cmdline) show: the command a started kernel would have."""
    try:
        import setproctitle
    except ImportError:  # a dependency; without it the kernel only shows the template's name
        return
    setproctitle.setproctitle(title)


def _become_kernel(conn: socket.socket, request: dict[str, Any], server_pid: int) -> None:
    """In the forked child: drop what belongs to the template, then run ipykernel. Never
    returns."""
    code = 1
    try:
        conn.close()
        os.setsid()  # its own process group: interrupts and kills reach it, not the template
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.environ.clear()
        os.environ.update(request["env"])
        os.environ["JPY_PARENT_PID"] = str(server_pid)  # as jupyter_client's launcher sets it
        template_dir = os.getcwd()
        os.chdir(request["cwd"])
        random.seed()
        # A kernel's messages leave through ipykernel's IO thread, which waits for the GIL:
        # up to 5 ms a message by default while the main thread runs the click's handler.
        sys.setswitchinterval(SWITCH_INTERVAL)
        # ipykernel read JPY_PARENT_PID when the template imported it (0 there): say it here,
        # or every kernel prints a "Ctrl-C will not work" note into the server's log.
        argv = [*request["argv"], f"--IPKernelApp.parent_handle={server_pid}"]
        # A page's code is the notebook's, the same for every student: IPython's history of it
        # went to one SQLite file that every kernel wrote to at its start and its end.
        argv.append("--HistoryManager.enabled=False")
        sys.argv = ["ipykernel_launcher", *argv]
        _set_title(request.get("title") or " ".join(sys.argv))
        # As ipykernel_launcher does: the folder it was started from is not on its path (the
        # template's was the server's folder, where a teacher's own files could shadow ours).
        if sys.path and sys.path[0] in ("", template_dir, os.getcwd()):
            del sys.path[0]
        from ipykernel import kernelapp

        # ipykernel's parent poller ends the kernel when its parent changes: that parent is the
        # template, and a template that dies must take no student's kernel with it. Watch the
        # server instead (JPY_PARENT_PID, which jupyter_client set to the server's pid).
        kernelapp.IPKernelApp.init_poller = lambda self: None  # type: ignore[method-assign]
        _watch_server(server_pid)
        # ipywidgets registers its comm targets when it is imported in a running kernel; the
        # template imported it before there was one, so register them once the kernel exists,
        # with widget messages held back until the page asks for the widgets.
        start_kernel = kernelapp.IPKernelApp.init_kernel

        def init_kernel(self: Any) -> None:
            start_kernel(self)  # type: ignore[no-untyped-call]
            from spasm_edu.voila import quiet_widgets

            quiet_widgets.install()

        kernelapp.IPKernelApp.init_kernel = init_kernel  # type: ignore[method-assign]
        kernelapp.launch_new_instance(argv=argv)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _reap() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def serve(conn: socket.socket) -> None:
    """Answer fork requests until the server closes the socket (or ends)."""
    server_pid = os.getppid()
    reader = conn.makefile("rb")
    conn.sendall(b'{"ready": true}\n')
    while True:
        readable, _, _ = select.select([conn], [], [], 1.0)
        _reap()
        if os.getppid() != server_pid:
            return  # the server is gone
        if not readable:
            continue
        line = reader.readline()
        if not line:
            return  # the server closed the socket
        try:
            request = json.loads(line)
        except ValueError as exc:
            conn.sendall(json.dumps({"error": f"bad request: {exc}"}).encode() + b"\n")
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            reader.close()
            _become_kernel(conn, request, server_pid)
        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def main() -> None:
    conn = socket.socket(fileno=int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server's Ctrl-C is the server's to handle
    # setproctitle finds the memory it writes to from the environment, which a child replaces:
    # set it up here, with the environment still whole.
    _set_title("spasm-edu kernel template (python -m spasm_edu.voila.zygote_main)")
    preload()
    gc.collect()
    gc.freeze()  # objects made so far stay out of every child's collections: pages stay shared
    try:
        serve(conn)
    finally:
        conn.close()


if __name__ == "__main__":
    main()
