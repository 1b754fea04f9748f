"""Where to get help locally: the emergency number and urgent-care route, set by the server."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass

# Set by whoever runs the server (`spasm-edu serve --emergency-number 112`, or a hub's spawner
# environment); every kernel inherits the server's environment, so every page shows them.
from .settings import EMERGENCY_NUMBER_ENV, URGENT_CARE_ENV

MAX_LENGTH = 60

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def clean(value: str | None) -> str | None:
    """A setting as pages show it: one line, spaces collapsed, at most MAX_LENGTH characters.

    None when unset or blank, so the default wording shows. The value is still plain text:
    the page escapes it like everything else.
    """
    if value is None:
        return None
    value = " ".join(_CONTROL.sub(" ", value).split())
    if len(value) > MAX_LENGTH:
        value = value[: MAX_LENGTH - 1].rstrip() + "…"
    return value or None


@dataclass(frozen=True)
class LocalHelp:
    """The local emergency number and same-day route; None means "use the default wording"."""

    emergency_number: str | None = None
    urgent_care: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> LocalHelp:
        """Read both settings from the environment (default: this process's)."""
        env = os.environ if environ is None else environ
        return cls(clean(env.get(EMERGENCY_NUMBER_ENV)), clean(env.get(URGENT_CARE_ENV)))
