"""JupyterHub's part: single-user server settings, and students arriving from an LMS course.

deploy/jupyterhub/jupyterhub_config.py calls the hub-side functions here (standard library and
our settings only: the hub imports no widgets). An LTI 1.3 launch gives the hub a verified
id_token; `lti_environment` turns it into the environment of that student's server (class,
learner id, nickname if allowed), and the start page calls `join_from_environment`, so the
student is in the class of their course without typing a code.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .settings import (
    HUB_CLASS_ENV,
    HUB_LEARNER_ENV,
    HUB_LEARNER_KEY_ENV,
    HUB_NICKNAME_ENV,
    LTI_NICKNAMES_ENV,
)

if TYPE_CHECKING:
    from .results import Learner, ResultsStore

__all__ = [
    "CONTEXT_CLAIM",
    "LaunchError",
    "class_code_for",
    "join_from_environment",
    "learner_id_for",
    "lti_environment",
    "single_user_args",
]

CONTEXT_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/context"
ROLES_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/roles"
# The join form's rule (widgets/learner.py CLASS_CODE_RE; a test keeps the two equal), here
# without importing the widgets into the hub.
CLASS_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
LEARNER_RE = re.compile(r"^[0-9a-f]{32}$")
MAX_NICKNAME = 40
_YES = ("1", "yes", "true")


class LaunchError(ValueError):
    """An LMS launch the hub cannot turn into a class: no course, no user, or no key."""


def class_code_for(course_id: str) -> str:
    """The class code of an LMS course: its id if it is a valid code, else a short hash of it.

    Moodle's course ids ("42") fit as they are; Canvas's long opaque ids become
    ``lms-`` and 16 hex digits, always the same for the same course.
    """
    if CLASS_CODE_RE.match(course_id):
        return course_id
    return "lms-" + hashlib.sha256(course_id.encode()).hexdigest()[:16]


def learner_id_for(key: str, issuer: str, course_id: str, user: str) -> str:
    """The learner id of one LMS user in one course: the same at every launch, unguessable.

    A keyed hash (HMAC-SHA256 with the hub's secret key): a student who knows another's LMS
    user id still cannot name their learner id in a page address.
    """
    message = "\n".join((issuer, course_id, user)).encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()[:32]


def lti_environment(id_token: Mapping[str, Any], environ: Mapping[str, str]) -> dict[str, str]:
    """The environment of a student's server after an LTI 1.3 launch (the verified id_token).

    Parameters
    ----------
    id_token
        The decoded launch (ltiauthenticator's auth_state): ``iss``, ``sub``, the context
        (course) and roles claims, and ``name`` if the LMS sends names. A teacher's launch
        (Instructor or Administrator role) joins no class: the result is empty.
    environ
        The hub's environment: ``SPASM_EDU_LEARNER_KEY`` (required) and
        ``SPASM_EDU_LTI_NICKNAMES`` (``1`` to let the LMS's display name be the nickname).

    Raises
    ------
    LaunchError
        If the launch names no course or user, or the hub has no learner key.
    """
    roles = id_token.get(ROLES_CLAIM) or []
    if any(str(role).endswith(("#Instructor", "#Administrator")) for role in roles):
        return {}  # teachers open the educator page (passcode); they answer for no class
    key = environ.get(HUB_LEARNER_KEY_ENV, "")
    if not key:
        raise LaunchError(f"set {HUB_LEARNER_KEY_ENV} in the hub's environment")
    context = id_token.get(CONTEXT_CLAIM) or {}
    course = str(context.get("id", "")) if isinstance(context, Mapping) else ""
    user = str(id_token.get("sub", ""))
    if not course or not user:
        raise LaunchError("the LMS launch names no course or no user")
    env = {
        HUB_CLASS_ENV: class_code_for(course),
        HUB_LEARNER_ENV: learner_id_for(key, str(id_token.get("iss", "")), course, user),
    }
    name = str(id_token.get("name") or "").strip()
    if name and environ.get(LTI_NICKNAMES_ENV, "").strip().lower() in _YES:
        env[HUB_NICKNAME_ENV] = name[:MAX_NICKNAME]
    return env


def single_user_args() -> list[str]:
    """Command-line settings for a hub's single-user server: what ``spasm-edu jupyter-config``
    writes (Voilà's settings, culling idle kernels), plus IPC kernels (no port races)."""
    from .voila.config import jupyter_config_files

    args = ["--KernelManager.transport=ipc"]
    for data in jupyter_config_files().values():
        for section, settings in data.items():
            for name, value in settings.items():
                for item in value if isinstance(value, list) else [value]:
                    args.append(f"--{section}.{name}={item}")
    return args


def join_from_environment(
    store: ResultsStore, environ: Mapping[str, str] | None = None
) -> Learner | None:
    """Join the class the hub set for this server, as its learner; None if none is set.

    Registering is idempotent: the second launch finds the learner, their class and their
    answers as they were.

    Raises
    ------
    StoreError
        If the database cannot be reached.
    """
    import os

    env = os.environ if environ is None else environ
    code, learner_id = env.get(HUB_CLASS_ENV, ""), env.get(HUB_LEARNER_ENV, "")
    if not CLASS_CODE_RE.match(code) or not LEARNER_RE.match(learner_id):
        return None
    nickname = env.get(HUB_NICKNAME_ENV, "").strip()[:MAX_NICKNAME] or None
    return store.register_learner(learner_id, class_code=code, nickname=nickname)
