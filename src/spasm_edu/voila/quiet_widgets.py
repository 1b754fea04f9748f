"""In a page kernel, widgets send nothing until the page asks for them.

Voilà's page learns its widgets in one message: once it is connected, it opens ipywidgets'
`jupyter.widget.control` comm and asks for every widget's state (`request_states`). What a
kernel sends before that, while the server runs the notebook in it, reaches no browser: each
widget's `comm_open` (its whole state) and each change to it goes to the server alone, which
decodes it twice (nbclient and the activity tracker) and drops it. A lesson builds 107 widget
models; those messages were most of what a page view cost the kernel to send and the server to
read.

So a kernel forked for `spasm-edu serve` (zygote_main.py) publishes no `jupyter.widget`
message until a page opens the control comm; from then on, every message goes out as usual
(widgets made later are opened as always), and the page's `request_states` is answered as
ipywidgets answers it, less a second build of every state that ipywidgets throws away. Only
there: JupyterLab and the classic notebook draw widgets from the `comm_open` messages as
cells run, so plain kernels are left alone.
"""

from __future__ import annotations

from typing import Any

WIDGET_TARGET = "jupyter.widget"
CONTROL_TARGET = "jupyter.widget.control"


class _State:
    quiet = True


def install() -> None:
    """In a running kernel: hold widget messages back until the control comm opens.

    Registers ipywidgets' comm targets (as importing it in a running kernel would).
    """
    import ipywidgets
    from comm import get_comm_manager
    from ipykernel.comm.comm import BaseComm
    from ipykernel.kernelbase import Kernel
    from ipywidgets.widgets.widget import _instances, _remove_buffers

    publish = BaseComm.publish_msg

    def publish_msg(self: Any, msg_type: str, *args: Any, **kwargs: Any) -> None:
        if _State.quiet and getattr(self, "target_name", None) == WIDGET_TARGET:
            # No page listens yet: it gets this widget's state when it asks. ipywidgets sends
            # a widget's changes only through a comm that knows its kernel, which publish_msg
            # sets when it first sends: set it here, as that first send is skipped.
            if self.kernel is None:
                self.kernel = Kernel.instance()
            return
        publish(self, msg_type, *args, **kwargs)  # type: ignore[no-untyped-call]

    def control_opened(comm: Any, msg: dict[str, Any]) -> None:
        _State.quiet = False
        ipywidgets.Widget.handle_control_comm_opened(comm, msg)
        comm.on_msg(answer_control_message)

    def answer_control_message(msg: dict[str, Any]) -> None:
        # ipywidgets' own answer to request_states, less a `get_manager_state()` whose result
        # it throws away: every widget's state built twice, 4-5 ms of each page view.
        if msg["content"]["data"].get("method") != "request_states":
            ipywidgets.Widget._handle_control_comm_msg(msg)  # raises its own error
            return
        states = {
            w.model_id: {
                "model_name": w._model_name,
                "model_module": w._model_module,
                "model_module_version": w._model_module_version,
                "state": w.get_state(drop_defaults=False),
            }
            for w in list(_instances.values())
        }
        states, buffer_paths, buffers = _remove_buffers(states)
        data = {"method": "update_states", "states": states, "buffer_paths": buffer_paths}
        ipywidgets.Widget._control_comm.send(data, buffers=buffers)

    BaseComm.publish_msg = publish_msg  # type: ignore[method-assign]
    ipywidgets.register_comm_target()
    manager = get_comm_manager()
    if manager is not None:
        manager.register_target(CONTROL_TARGET, control_opened)
