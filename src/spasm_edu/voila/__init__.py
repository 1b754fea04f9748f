"""The Voilà layer: how the lessons are served, and every change we make to Voilà.

config.py     page names, ClassConfig (warm pools, kernel cap), Voilà's settings for every server
kernels.py    ClassKernelManager: warm pools refilled when nobody arrives, the lesson on the
              projector warmed for the class, a kernel cap
handlers.py   the page (_xsrf cookie, busy page), kernel websocket, request hand-over, shutdown,
              status, moved notebooks
app.py        SpasmVoila and serve(): `spasm-edu serve`
extension.py  the Jupyter server extension (Binder, JupyterHub, JupyterLab, `jupyter server`)
handshake.py  kernel side: a warm kernel waits for its visitor's request
zygote.py     ZygoteProvisioner: page kernels forked from the kernel template (`serve`)
zygote_main.py  the kernel template process: imports once, forks a kernel per request
quiet_widgets.py  kernel side: a forked kernel sends widgets only once its page asks for them
overrides.py  OVERRIDES: the one table of what we override or touch in Voilà and jupyter_server

Kernels import handshake.py through this package, so the package itself imports nothing.
"""
