"""JupyterHub for spasm-edu: every student a server of their own, one PostgreSQL store for all.

Run from this folder: ``jupyterhub -f jupyterhub_config.py`` (README.md here says how). The
tests in tests/hub run this same file on 127.0.0.1 with three swaps chosen by environment
variables: a shared-password authenticator, a spawner that needs no system users, and short culler
timeouts. What each variable does is in README.md; nothing secret is written here.
"""

# ruff: noqa: S108 - /tmp only as the documented default of the test spawner's home folders

from __future__ import annotations

import os
import sys
from pathlib import Path

from spasm_edu.hub import lti_environment, single_user_args
from spasm_edu.settings import (
    DATABASE_URL_ENV,
    EMERGENCY_NUMBER_ENV,
    LTI_NICKNAMES_ENV,
    PASSCODE_ENV,
    PUBLIC_URL_ENV,
    START_PAGE,
    URGENT_CARE_ENV,
)

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - JupyterHub provides it

HERE = Path(__file__).resolve().parent
env = os.environ.get


def _number(name: str, default: int) -> int:
    value = env(name, "").strip()
    return int(value) if value else default


# ---------------------------------------------------------------- addresses
# The public address (the proxy). Production: bind where your TLS terminates, or set
# SPASM_HUB_SSL_CERT/KEY for the proxy to serve HTTPS itself.
c.JupyterHub.bind_url = env("SPASM_HUB_BIND_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = env("SPASM_HUB_INTERNAL_URL", "http://127.0.0.1:8081")
c.ConfigurableHTTPProxy.api_url = env("SPASM_HUB_PROXY_API_URL", "http://127.0.0.1:8001")
if env("SPASM_HUB_SSL_CERT"):
    c.JupyterHub.ssl_cert = env("SPASM_HUB_SSL_CERT")
    c.JupyterHub.ssl_key = env("SPASM_HUB_SSL_KEY")
# configurable-http-proxy from npm, pinned in package.json (`npm ci` here); else the PATH.
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(proxy) if proxy.exists() else "configurable-http-proxy"]
# The hub's own state (users, cookie secret): a folder that survives restarts.
state = Path(env("SPASM_HUB_STATE_DIR", str(Path.cwd())))
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
# Our error page: plain words when a sign-in (an LMS launch) is refused.
c.JupyterHub.template_paths = [str(HERE / "templates")]
c.JupyterHub.last_activity_interval = _number("SPASM_HUB_ACTIVITY_SECONDS", 300)

# ---------------------------------------------------------------- who logs in
# "lti13" (students from Moodle, Canvas, Blackboard), "shared-password" (a workshop; the
# tests), or any other JupyterHub authenticator by its name (e.g. "oauthenticator.GenericOAuthenticator").
authenticator = env("SPASM_HUB_AUTHENTICATOR", "lti13")
if authenticator == "lti13":
    c.JupyterHub.authenticator_class = "ltiauthenticator.lti13.auth.LTI13Authenticator"
    c.LTI13Authenticator.issuer = env("SPASM_HUB_LTI_ISSUER", "")
    c.LTI13Authenticator.client_id = set(env("SPASM_HUB_LTI_CLIENT_ID", "").split())
    c.LTI13Authenticator.authorize_url = env("SPASM_HUB_LTI_AUTHORIZE_URL", "")
    c.LTI13Authenticator.jwks_endpoint = env("SPASM_HUB_LTI_JWKS_URL", "")
    c.LTI13Authenticator.username_key = "sub"  # the LMS's stable, opaque user id
    # The verified launch (course, user, name) is kept encrypted for the spawn below:
    # JUPYTERHUB_CRYPT_KEY (32 random bytes, hex) must be set in the hub's environment.
    c.Authenticator.enable_auth_state = True
    c.Authenticator.allow_all = True  # the LMS decides who may launch

    def _class_from_launch(spawner: object, auth_state: dict[str, object] | None) -> None:
        """Put the student of an LMS launch into the class of their course."""
        if auth_state:
            spawner.environment.update(lti_environment(auth_state, os.environ))  # type: ignore[attr-defined]

    c.Spawner.auth_state_hook = _class_from_launch
elif authenticator == "shared-password":
    # One password for everyone (a workshop, or the tests): anyone who has it may log in.
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = env("SPASM_HUB_SHARED_PASSWORD", "")
    c.Authenticator.allow_all = True
else:
    c.JupyterHub.authenticator_class = authenticator
c.Authenticator.admin_users = set(env("SPASM_HUB_ADMINS", "").split())

# ---------------------------------------------------------------- each student's server
# Production: a container per student ("docker": dockerspawner, "kubernetes": kubespawner),
# from an image with `pip install 'spasm-edu[postgresql]'` and the notebooks in
# SPASM_HUB_COURSE_DIR. "simple" (tests only): a local process, no system users, no isolation.
spawner = env("SPASM_HUB_SPAWNER", "docker")
c.JupyterHub.spawner_class = spawner
if spawner == "simple":
    c.SimpleLocalProcessSpawner.home_dir_template = env(
        "SPASM_HUB_HOME_TEMPLATE", "/tmp/spasm-hub-home/{username}"
    )
    c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
    c.Spawner.ip = "127.0.0.1"
c.Spawner.notebook_dir = env("SPASM_HUB_COURSE_DIR", "/srv/spasm-edu")
# The start page, in Voilà with our template; the notebooks are in notebook_dir/notebooks.
c.Spawner.default_url = f"/voila/render/notebooks/{START_PAGE}"
c.Spawner.args = single_user_args()
if spawner == "simple" and os.geteuid() == 0:
    c.Spawner.args.append("--allow-root")  # local processes of a hub run as root (CI)
# The store and the educator passcode come from the hub's environment, never a notebook.
c.Spawner.env_keep.extend(
    [
        DATABASE_URL_ENV,
        PASSCODE_ENV,
        EMERGENCY_NUMBER_ENV,
        URGENT_CARE_ENV,
        PUBLIC_URL_ENV,
        LTI_NICKNAMES_ENV,
    ]
)
c.Spawner.environment = {
    # How often a server tells the hub it is in use (the culler reads it).
    "JUPYTERHUB_ACTIVITY_INTERVAL": str(_number("SPASM_HUB_ACTIVITY_SECONDS", 300)),
}
c.Spawner.mem_limit = env("SPASM_HUB_MEM_LIMIT", "1G")  # honoured by container spawners
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# ---------------------------------------------------------------- the idle culler
# Stops a student's server after SPASM_HUB_CULL_TIMEOUT seconds without use; their answers
# are in PostgreSQL, so the next visit resumes where they were.
culler = {
    "name": "idle-culler",
    "command": [
        sys.executable,
        "-m",
        "jupyterhub_idle_culler",
        f"--timeout={_number('SPASM_HUB_CULL_TIMEOUT', 3600)}",
        f"--cull-every={_number('SPASM_HUB_CULL_EVERY', 300)}",
    ],
}
if env("SPASM_HUB_CULLER_TOKEN"):  # else the hub makes one; the tests run a culling pass with it
    culler["api_token"] = env("SPASM_HUB_CULLER_TOKEN")
c.JupyterHub.services = [culler]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
# A read-only token for monitoring (who has a server, since when, last activity); the tests
# use it to watch the culler.
if env("SPASM_HUB_MONITOR_TOKEN"):
    c.JupyterHub.services.append({"name": "monitor", "api_token": env("SPASM_HUB_MONITOR_TOKEN")})
    c.JupyterHub.load_roles.append(
        {
            "name": "monitor",
            "scopes": ["list:users", "read:users:activity", "read:servers"],
            "services": ["monitor"],
        }
    )
