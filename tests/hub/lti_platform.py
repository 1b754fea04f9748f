"""A simulated LMS (an LTI 1.3 platform) on 127.0.0.1: a test RSA key, its JWKS endpoint, and
the OIDC launch the way Moodle or Canvas does it.

The flow (LTI 1.3 / IMS Security Framework): the browser opens the platform's launch page, which
posts the login initiation to the hub (``/hub/lti13/oauth_login``); the hub redirects to the
platform's ``/authorize`` with a state and a nonce; the platform signs an id_token for that
nonce and posts it to the hub's ``/hub/lti13/oauth_callback``. The hub fetches the public key
from ``/jwks.json``. Launches are prepared by `Platform.prepare`, named by the login_hint.
"""

from __future__ import annotations

import html
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.support.servers import free_port

ISSUER = "https://lms.example.test"  # only a name in the tokens; never contacted
CLIENT_ID = "spasm-edu-tool"
DEPLOYMENT_ID = "1"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
LEARNER_ROLE = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
KID = "test-key-1"


@dataclass
class Launch:
    """One launch: who, from which course, and what is wrong with it (if anything)."""

    user: str
    course: str
    name: str | None = None
    roles: tuple[str, ...] = (LEARNER_ROLE,)
    bad_signature: bool = False
    expired: bool = False
    audience: str = CLIENT_ID


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Platform:
    """The platform's keys, its prepared launches, and its loopback HTTP server."""

    hub_base: str
    key: rsa.RSAPrivateKey = field(default_factory=_new_key)
    other_key: rsa.RSAPrivateKey = field(default_factory=_new_key)  # not in the JWKS
    launches: dict[str, Launch] = field(default_factory=dict)
    base: str = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> None:
        """Serve on a free loopback port, in a thread of this process."""
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                platform.handle(self)

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the tests read the hub's log, not this one."""

        port = free_port()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.base = f"http://127.0.0.1:{port}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop the HTTP server."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def prepare(self, launch: Launch) -> str:
        """Register a launch; return the platform address a browser opens to start it."""
        hint = uuid.uuid4().hex
        self.launches[hint] = launch
        return f"{self.base}/launch?hint={hint}"

    def jwks(self) -> dict[str, Any]:
        """The public key set the hub verifies signatures with."""
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]}

    def login_form(self, hint: str) -> dict[str, str]:
        """The login initiation the platform posts to the hub (step 1)."""
        return {
            "iss": ISSUER,
            "login_hint": hint,
            "target_link_uri": f"{self.hub_base}/hub/spawn",
            "client_id": CLIENT_ID,
            "lti_deployment_id": DEPLOYMENT_ID,
            "lti_message_hint": hint,
        }

    def id_token(self, launch: Launch, nonce: str) -> str:
        """The signed launch (step 3), with whatever is wrong with it."""
        now = int(time.time())
        issued = now - 3600 if launch.expired else now
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": launch.audience,
            "sub": launch.user,
            "iat": issued,
            "exp": issued + 300,
            "nonce": nonce,
            CLAIM + "version": "1.3.0",
            CLAIM + "deployment_id": DEPLOYMENT_ID,
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "target_link_uri": f"{self.hub_base}/hub/spawn",
            CLAIM + "roles": list(launch.roles),
            CLAIM + "resource_link": {"id": "spasm-edu-lessons"},
            CLAIM + "context": {"id": launch.course, "label": launch.course, "title": "Back care"},
        }
        if launch.name:
            claims["name"] = launch.name
        key = self.other_key if launch.bad_signature else self.key
        return jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        """Route a GET: /jwks.json, /launch (step 1), /authorize (step 3)."""
        url = urlparse(request.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/jwks.json":
            import json

            self._reply(request, json.dumps(self.jwks()), "application/json")
        elif url.path == "/launch" and query.get("hint") in self.launches:
            target = f"{self.hub_base}/hub/lti13/oauth_login"
            self._reply(request, auto_post(target, self.login_form(query["hint"])))
        elif url.path == "/authorize" and query.get("login_hint") in self.launches:
            launch = self.launches[query["login_hint"]]
            fields = {
                "id_token": self.id_token(launch, query["nonce"]),
                "state": query["state"],
            }
            self._reply(request, auto_post(query["redirect_uri"], fields))
        else:
            request.send_error(404)

    @staticmethod
    def _reply(request: BaseHTTPRequestHandler, body: str, kind: str = "text/html") -> None:
        data = body.encode()
        request.send_response(200)
        request.send_header("Content-Type", f"{kind}; charset=utf-8")
        request.send_header("Content-Length", str(len(data)))
        request.end_headers()
        request.wfile.write(data)


def auto_post(action: str, fields: dict[str, str]) -> str:
    """A page that posts `fields` to `action` at once, as an LMS's launch pages do."""
    inputs = "".join(
        f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
        for k, v in fields.items()
    )
    return (
        f'<!doctype html><html><body><form id="f" method="post" action="{html.escape(action)}">'
        f"{inputs}</form><script>document.getElementById('f').submit()</script></body></html>"
    )
