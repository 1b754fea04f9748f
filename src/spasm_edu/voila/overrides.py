"""Every override of Voilà, jupyter_server or nbconvert in this package, and every name of theirs
we rely on: what, why, the upstream issue, and when it can go.

`names` are what must still exist after an upgrade, as "module:Qualified.name" (for
`voila.voila_kernel_manager:VoilaKernelManager`, the class Voilà's factory builds).
tests/unit/test_voila_overrides.py imports every one and fails naming the name and its row;
it also fails when this package uses a private name (`_x`) or replaces a module attribute of
theirs that no row lists, or when a row lists a private name nothing uses any more.
"""

from __future__ import annotations

from dataclasses import dataclass

VKM = "voila.voila_kernel_manager:VoilaKernelManager"
KERNELS = "jupyter_server.services.kernels.kernelmanager"
QUERY = "voila.request_info_handler:RequestInfoSocketHandler"
NONE_FILED = "none filed"


@dataclass(frozen=True)
class Override:
    """One row: what we change (our name first), why, upstream, when it can go, their names."""

    what: str
    why: str
    upstream: str
    remove_when: str
    names: tuple[str, ...]


OVERRIDES: tuple[Override, ...] = (
    Override(
        what="handlers.RenderHandler.get reads xsrf_token (every server)",
        why="the page's kernel shutdown request needs the _xsrf cookie; Voilà never sets it, "
        "so a closed tab keeps its kernel (~70 MB) until the culler takes it",
        upstream="voila-dashboards/voila#1458",
        remove_when="Voilà sets the cookie on its pages",
        names=("voila.tornado.handler:TornadoVoilaHandler.get",),
    ),
    Override(
        what="handlers.ShutdownHandler.post answers 404 for a kernel already gone",
        why="a culled kernel, or a second close, was a 500 with a traceback in the log",
        upstream=NONE_FILED,
        remove_when="Voilà checks the kernel id first",
        names=("voila.shutdown_kernel_handler:VoilaShutdownKernelHandler.post",),
    ),
    Override(
        what="extension.replace_handlers swaps Voilà's handler classes in a running Jupyter "
        "server's routes (handlers.EXTENSION_HANDLERS)",
        why="Voilà's server extension has no setting for its handler classes, and adds its "
        "routes after ours load",
        upstream=NONE_FILED,
        remove_when="the RenderHandler and ShutdownHandler rows are gone",
        names=(
            "voila.tornado.handler:TornadoVoilaHandler",
            "voila.shutdown_kernel_handler:VoilaShutdownKernelHandler",
        ),
    ),
    Override(
        what="app.SpasmVoila.init_handlers: / redirects to the start page, the status and "
        "moved-notebook routes, our handlers for Voilà's (handlers.SERVE_HANDLERS)",
        why="Voilà shows a file listing at /, and has no setting for its handler classes",
        upstream=NONE_FILED,
        remove_when="the redirect stays (our start page); the swap goes with the handler rows",
        names=(
            "voila.app:Voila.init_handlers",
            "voila.tornado.kernel_websocket_handler:VoilaKernelWebsocketHandler",
            QUERY,
        ),
    ),
    Override(
        what="handlers.AdmissionRenderHandler: the busy page (503) above the kernel cap; "
        "should_use_rendered_notebook takes only a pool kernel that is ready",
        why="Voilà has no kernel cap (a burst hangs every page), and queues a visitor behind a "
        "pool refill that has not started yet",
        upstream=NONE_FILED,
        remove_when="Voilà caps kernels and hands out only ready pool kernels",
        names=("voila.handler:VoilaHandler.should_use_rendered_notebook",),
    ),
    Override(
        what="handlers.KernelSocketHandler.open sets TCP_NODELAY",
        why="with Nagle's algorithm a reply of several small messages waits for the browser's "
        "delayed ACK: click -> feedback 40-50 ms instead of about 12 ms",
        upstream=NONE_FILED,
        remove_when="jupyter_server's kernel websocket sets nodelay",
        names=("voila.tornado.kernel_websocket_handler:VoilaKernelWebsocketHandler.open",),
    ),
    Override(
        what="handlers.QueryHandler.on_close removes only its own entry of "
        "RequestInfoSocketHandler._waiters",
        why="Voilà's on_close deletes the last waiter in the table when the closing one is not "
        "there (a kernel that connected twice): another kernel's request goes nowhere and its "
        "page never finishes",
        upstream=NONE_FILED,
        remove_when="Voilà's on_close removes only its own entry",
        names=(f"{QUERY}._waiters", f"{QUERY}.on_close"),
    ),
    Override(
        what="handlers.QueryHandler.open tells the ClassKernelManager the kernel is warm",
        why="a refill holds its slot until its notebook has run up to the visitor's request, "
        "so refills never pile up on the CPU",
        upstream="ours, not a fix",
        remove_when="with the ClassKernelManager rows",
        names=(f"{QUERY}.open",),
    ),
    Override(
        what="kernels.class_kernel_managers swaps voila.app.voila_kernel_manager_factory while "
        "app.SpasmVoila.init_settings runs, to put ClassKernelManager on Voilà's class",
        why="Voilà builds its preheating kernel manager class inside Voila.init_settings; "
        "multi_kernel_manager_class only sets the class under it",
        upstream=NONE_FILED,
        remove_when="Voilà takes its pool policy (or the pooling class) from a setting",
        names=("voila.app:voila_kernel_manager_factory", "voila.app:Voila.init_settings"),
    ),
    Override(
        what="kernels.ClassKernelManager._initialize: a pool kernel starts only when no page "
        "was asked for lately, a few at a time, under the cap; a failed one is replaced",
        why="Voilà refills 1 s after each use and starts every missing kernel at once: a burst "
        "as large as the pool starts as many kernels again while students wait",
        upstream=NONE_FILED,
        remove_when="Voilà's refill waits for a quiet moment and respects a cap",
        names=(
            f"{VKM}._initialize",
            f"{VKM}.fill_if_needed",
            f"{VKM}.kernel_pools_config",
            f"{VKM}.fill_delay",
        ),
    ),
    Override(
        what="kernels.ClassKernelManager reads VoilaKernelManager._pools (only in _pool()): "
        "ready counts; get_rendered_notebook drops failed entries and puts ready ones first",
        why="Voilà hands out the first pool entry even when it is a refill still starting, "
        "and keeps a failed entry forever; the busy page and the status page need ready counts",
        upstream=NONE_FILED,
        remove_when="Voilà counts ready kernels and skips unready or failed entries",
        names=(f"{VKM}._pools", f"{VKM}.get_rendered_notebook"),
    ),
    Override(
        what="kernels.ClassKernelManager.get_rendered_notebook sets last_activity of the kernel "
        "it hands out",
        why="a pool kernel may have waited longer than the culling limit; out of the pool and "
        "before its page connects, the culler would take it from the visitor",
        upstream=NONE_FILED,
        remove_when="Voilà marks a pool kernel active when it hands it out",
        names=(f"{KERNELS}:ServerKernelManager.last_activity",),
    ),
    Override(
        what="kernels.ClassKernelManager.cull_kernel_if_idle skips a kernel without last_activity",
        why="jupyter_server's culler logs a TraitError traceback for a kernel still starting",
        upstream="none filed for jupyter_server (the same race in the classic notebook: "
        "jupyter/notebook#5345)",
        remove_when="jupyter_server's culler skips kernels still starting",
        names=(f"{KERNELS}:AsyncMappingKernelManager.cull_kernel_if_idle",),
    ),
    Override(
        what="kernels.ClassKernelManager.start_kernel (cap, a few starts at a time) and "
        "shutdown_all (stops refills)",
        why="sixty kernel starts at once on two cores all finish late; above the cap a visitor "
        "gets the busy page",
        upstream="ours, not a fix",
        remove_when="stays while we cap kernels",
        names=(f"{VKM}.start_kernel", f"{VKM}.shutdown_all"),
    ),
    Override(
        what="app.CachedExporter overrides TemplateExporter._create_environment; "
        "app.use_cached_exporter (from SpasmVoila.init_settings) sets "
        "voila.notebook_renderer.VoilaExporter to it for the process",
        why="Voilà makes a new exporter, and compiles ~13 templates again, for every page view "
        "(about 0.1 s of CPU); it has no setting for the exporter class",
        upstream=NONE_FILED,
        remove_when="Voilà reuses its exporter or its jinja environment between pages",
        names=(
            "voila.notebook_renderer:VoilaExporter",
            "nbconvert.exporters.templateexporter:TemplateExporter._create_environment",
        ),
    ),
    Override(
        what="app.SpasmVoila.data_dir skips our template folder",
        why="Voilà takes its themes from the first 'voila' folder on the Jupyter path, and "
        "serve puts ours (the template only) first",
        upstream=NONE_FILED,
        remove_when="Voilà finds its themes in its own package",
        names=("voila.app:Voila.data_dir",),
    ),
    Override(
        what="handshake.wait_for_visitor does what voila.utils.wait_for_request does, "
        "without importing voila, once, with retries",
        why="importing voila costs each warm kernel ~3 s of CPU and 40 MB; Voilà's helper hangs "
        "when called twice, and gives up silently when it cannot connect within 5 s",
        upstream=NONE_FILED,
        remove_when="voila.utils imports light, waits once and retries",
        names=(
            "voila.utils:wait_for_request",
            *(
                f"voila.utils:ENV_VARIABLE.{name}"
                for name in (
                    "VOILA_PREHEAT",
                    "VOILA_KERNEL_ID",
                    "VOILA_APP_IP",
                    "VOILA_APP_PORT",
                    "VOILA_WS_PROTOCOL",
                    "VOILA_WS_BASE_URL",
                    "VOILA_SERVER_URL",
                    "SERVER_SOFTWARE",
                    "QUERY_STRING",
                )
            ),
        ),
    ),
    Override(
        what="app.serve sets VOILA_APP_IP to the address it serves on",
        why="a warm kernel asks 127.0.0.1 for its visitor's request, which a server bound to "
        "one other address does not answer",
        upstream=NONE_FILED,
        remove_when="Voilà passes its own address to its kernels",
        names=("voila.utils:ENV_VARIABLE.VOILA_APP_IP",),
    ),
    Override(
        what="zygote.ZygoteProvisioner extends jupyter_client's LocalProvisioner (launch, poll, "
        "wait, signals, cleanup through a pidfd); config.voila_argv names it as the default "
        "provisioner",
        why="a kernel forked from the kernel template is not the server's child, so the "
        "Popen the LocalProvisioner keeps does not exist; jupyter_client's provisioner "
        "interface is the supported way to start kernels differently",
        upstream=NONE_FILED,
        remove_when="never (a supported extension point); re-check on a jupyter_client major",
        names=(
            "jupyter_client.provisioning.local_provisioner:LocalProvisioner.launch_kernel",
            "jupyter_client.provisioning.local_provisioner:LocalProvisioner.pre_launch",
            "jupyter_client.provisioning.local_provisioner:LocalProvisioner.cleanup",
            "jupyter_client.provisioning.factory:KernelProvisionerFactory.default_provisioner_name",
        ),
    ),
    Override(
        what="zygote_main: in a forked kernel, IPKernelApp.init_poller does nothing and "
        "IPKernelApp.init_kernel also registers ipywidgets' comm targets",
        why="ipykernel's parent poller watches the parent process, the template, and would end "
        "every kernel with it (the child watches the server instead); ipywidgets registers "
        "its comm targets only when imported in a running kernel, and the template imported "
        "it before there was one",
        upstream=NONE_FILED,
        remove_when="never while kernels are forked from a template",
        names=(
            "ipykernel.kernelapp:IPKernelApp.init_poller",
            "ipykernel.kernelapp:IPKernelApp.init_kernel",
            "ipywidgets:register_comm_target",
        ),
    ),
    Override(
        what="quiet_widgets: in a forked kernel, ipykernel's BaseComm.publish_msg sends no "
        "jupyter.widget message until a page opens the jupyter.widget.control comm (whose "
        "handler, ipywidgets' Widget.handle_control_comm_opened, is wrapped to say so); that "
        "comm's request_states is answered as Widget._handle_control_comm_msg does, without "
        "its discarded Widget.get_manager_state() call",
        why="Voilà's page asks for every widget's state once it is connected; what the kernel "
        "sent before went only to the server, which decoded each message twice and dropped "
        "it: half of a page view's server CPU, a third of its kernel's. The discarded call "
        "built every widget's state a second time: 4-5 ms of each page view's kernel",
        upstream=NONE_FILED,
        remove_when="never while Voilà runs notebooks through nbclient; re-check on an "
        "ipykernel or ipywidgets major (BaseComm.kernel must still gate Widget._send)",
        names=(
            "ipykernel.comm.comm:BaseComm.publish_msg",
            "ipykernel.comm.comm:BaseComm.kernel",
            "ipywidgets:Widget.handle_control_comm_opened",
            "ipywidgets:Widget._handle_control_comm_msg",
            "ipywidgets:Widget._control_comm",
            "ipywidgets:Widget._model_name",
            "ipywidgets:Widget._model_module",
            "ipywidgets:Widget._model_module_version",
            "ipywidgets.widgets.widget:_instances",
            "ipywidgets.widgets.widget:_remove_buffers",
            "comm:get_comm_manager",
        ),
    ),
    Override(
        what="ready_client.ReadyKernelClient (config.voila_argv sets it as "
        "KernelManager.client_factory) overrides AsyncKernelClient.wait_for_ready; "
        "zygote.ZygoteProvisioner.launch_kernel returns once a forked kernel's IPC sockets exist",
        why="jupyter_client waits for 0.2 s of IOPub silence before nbclient runs a notebook "
        "(0.2 s of every page view without a warm kernel, and of every warm kernel's start); "
        "jupyter_server's activity watcher, connecting before a forked kernel listened, missed "
        "the whole notebook, and the page's websocket waited 0.5 s for a second nudge",
        upstream=NONE_FILED,
        remove_when="jupyter_client stops at the idle status of its kernel_info request",
        names=(
            "jupyter_client.asynchronous.client:AsyncKernelClient.wait_for_ready",
            "jupyter_client.manager:KernelManager.client_factory",
            "jupyter_client.channels:major_protocol_version",
            "jupyter_client.provisioning.local_provisioner:LocalProvisioner.launch_kernel",
        ),
    ),
    Override(
        what="kernels.ClassKernelManager.follow_presenter changes kernel_pools_config while "
        "the server runs and calls fill_if_needed",
        why="the lesson on the projector is the one the class opens next: it gets a warm "
        "kernel per student only then, instead of every lesson all the time",
        upstream=NONE_FILED,
        remove_when="Voilà can resize a pool at run time",
        names=(f"{VKM}.kernel_pools_config", f"{VKM}.fill_if_needed"),
    ),
    Override(
        what="chunks.py serves Voilà's webpack chunks and the widget extensions' rspack chunks "
        "as one script, from the folders Voilà serves them from; the template loads it "
        "before Voilà's voila.js",
        why="a first visit fetched 88 chunks one by one: a millisecond of the server's single "
        "core and a round trip each; a preloaded chunk is never fetched again",
        upstream=NONE_FILED,
        remove_when="Voilà bundles its app in a few files",
        names=("voila.paths:collect_static_paths", "voila.utils:get_voila_labextensions_path"),
    ),
    Override(
        what="static_paths.install replaces voila.static_file_handler.collect_static_paths "
        "(the template static file handler's folder lookup) with one cached per template",
        why="the handler walked the data paths and read every template's conf.json twice for "
        "each of a page's template scripts and styles: about a tenth of the server's core "
        "while a class opened a warm lesson",
        upstream=NONE_FILED,
        remove_when="Voilà finds a template's static folders once",
        names=(
            "voila.static_file_handler:collect_static_paths",
            "voila.static_file_handler:TemplateStaticFileHandler",
        ),
    ),
    Override(
        what="page_config.install replaces voila.utils.gpc (jupyterlab_server's "
        "get_page_config, as Voilà imported it) with one that reads the disk at most every "
        "10 s and hands each caller a copy",
        why="every page view without a warm kernel read every extension's package.json and the "
        "page_config.json files again: about a twentieth of the server's core while a class "
        "opened a page nobody named",
        upstream=NONE_FILED,
        remove_when="Voilà or jupyterlab_server keeps the page config between pages",
        names=(
            "voila.utils:gpc",
            "voila.utils:get_page_config",
            "jupyterlab_server.config:get_page_config",
        ),
    ),
    Override(
        what="dates.install replaces jupyter_client.session.extract_dates in the server "
        "(spasm-edu serve and the server extension) with one that reads dates with "
        "datetime.fromisoformat",
        why="dateutil's isoparse took 20-30 µs a message, and the server reads each kernel "
        "message at least twice (nbclient, the activity tracker): a few percent of its core",
        upstream=NONE_FILED,
        remove_when="jupyter_client parses dates with fromisoformat",
        names=(
            "jupyter_client.session:extract_dates",
            "jupyter_client.jsonutil:ISO8601_PAT",
            "jupyter_client.jsonutil:parse_date",
        ),
    ),
)
