"""A small OpenID Connect provider on loopback, for testing single sign-on end to end.

It does what Microsoft Entra ID does for the platform, and no more: a discovery document, an
authorize endpoint that signs in whoever the test chose (no page: it redirects straight back
with a code), a token endpoint that checks the client, the code, the redirect address and the
PKCE verifier and returns an RS256-signed identity token, a userinfo endpoint and the JWKS.
Tokens are signed here with ``cryptography``, not with the library the platform verifies them
with, so that the test does not check a library against itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

CLIENT_ID = "safeguarding-platform-test"
CLIENT_SECRET = "test-client-secret"  # invented for the test provider


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _number(value: int) -> str:
    return b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


@dataclass
class SignIn:
    """Who signs in at the provider next, and what (if anything) is wrong with their tokens."""

    claims: dict[str, Any]
    #: Claims of the identity token to replace (``aud``, ``exp``, ``iss``, ``nonce``...); None
    #: leaves a claim out.
    token_changes: dict[str, Any] = field(default_factory=dict)
    #: Claims of the userinfo answer to replace.
    userinfo_changes: dict[str, Any] = field(default_factory=dict)
    #: Sign the identity token with a key the JWKS does not publish (under the same key id).
    wrong_key: bool = False
    #: Send this instead of an identity token.
    id_token: str | None = None


@dataclass
class _Grant:
    sign_in: SignIn
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None


class OidcProvider:
    """The provider, serving on a free port of 127.0.0.1 until ``stop``."""

    def __init__(self) -> None:
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.key_id = secrets.token_hex(8)
        self.next_sign_in: SignIn | None = None
        self.codes: dict[str, _Grant] = {}
        self.access_tokens: dict[str, dict[str, Any]] = {}
        self.token_requests = 0
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/keys",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": ["openid", "email", "profile"],
            "code_challenge_methods_supported": ["S256"],
        }

    @property
    def jwks(self) -> dict[str, Any]:
        numbers = self.key.public_key().public_numbers()
        return {
            "keys": [
                {
                    "kty": "RSA",
                    "use": "sig",
                    "alg": "RS256",
                    "kid": self.key_id,
                    "n": _number(numbers.n),
                    "e": _number(numbers.e),
                }
            ]
        }

    def id_token(self, grant: _Grant) -> str:
        """The signed identity token for a grant, with the changes its sign-in asks for."""
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            **grant.sign_in.claims,
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        claims.update(grant.sign_in.token_changes)
        claims = {name: value for name, value in claims.items() if value is not None}
        header = {"alg": "RS256", "typ": "JWT", "kid": self.key_id}
        signing_input = ".".join(
            b64url(json.dumps(part, separators=(",", ":")).encode()) for part in (header, claims)
        )
        key = self.other_key if grant.sign_in.wrong_key else self.key
        signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{b64url(signature)}"

    # -- the endpoints ---------------------------------------------------------------------------

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], Any]:
        """Sign in whoever ``next_sign_in`` names and send them back with a code."""
        redirect_uri = query.get("redirect_uri", "")
        if query.get("client_id") != CLIENT_ID or not redirect_uri:
            return 400, {}, {"error": "invalid_request"}
        back: dict[str, str] = {"state": query.get("state", "")}
        if query.get("response_type") != "code" or "openid" not in query.get("scope", "").split():
            back["error"] = "invalid_request"
        elif self.next_sign_in is None:
            back["error"] = "access_denied"
        elif query.get("code_challenge_method", "S256") != "S256":
            back["error"] = "invalid_request"
        else:
            code = secrets.token_urlsafe(24)
            self.codes[code] = _Grant(
                self.next_sign_in, redirect_uri, query.get("nonce"), query.get("code_challenge")
            )
            back["code"] = code
        return 302, {"Location": f"{redirect_uri}?{urlencode(back)}"}, None

    def token(self, form: dict[str, str], authorization: str) -> tuple[int, dict[str, str], Any]:
        """Exchange a code (once) for an access token and an identity token."""
        self.token_requests += 1
        client_id, client_secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            client_id, _, client_secret = (
                base64.b64decode(authorization[6:]).decode().partition(":")
            )
        if client_id != CLIENT_ID or client_secret != CLIENT_SECRET:
            return 401, {}, {"error": "invalid_client"}
        grant = self.codes.pop(form.get("code", ""), None)
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant.redirect_uri
        ):
            return 400, {}, {"error": "invalid_grant"}
        if grant.code_challenge is not None:
            verifier = form.get("code_verifier", "")
            if b64url(hashlib.sha256(verifier.encode()).digest()) != grant.code_challenge:
                return 400, {}, {"error": "invalid_grant"}
        access_token = secrets.token_urlsafe(24)
        self.access_tokens[access_token] = {
            **grant.sign_in.claims,
            **grant.sign_in.userinfo_changes,
        }
        answer = {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 3600,
            "id_token": grant.sign_in.id_token or self.id_token(grant),
        }
        return 200, {"Cache-Control": "no-store"}, answer

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], Any]:
        claims = self.access_tokens.get(authorization.removeprefix("Bearer "))
        if not authorization.startswith("Bearer ") or claims is None:
            return 401, {"WWW-Authenticate": "Bearer"}, {"error": "invalid_token"}
        return 200, {}, claims

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self, status: int, headers: dict[str, str], body: Any) -> None:
                data = json.dumps(body).encode() if body is not None else b""
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if body is not None:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                address = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(address.query).items()}
                authorization = self.headers.get("Authorization", "")
                if address.path == "/.well-known/openid-configuration":
                    self._answer(200, {}, provider.discovery)
                elif address.path == "/keys":
                    self._answer(200, {}, provider.jwks)
                elif address.path == "/authorize":
                    self._answer(*provider.authorize(query))
                elif address.path == "/userinfo":
                    self._answer(*provider.userinfo(authorization))
                else:
                    self._answer(404, {}, {"error": "not_found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if urlsplit(self.path).path == "/token":
                    self._answer(*provider.token(form, self.headers.get("Authorization", "")))
                else:
                    self._answer(404, {}, {"error": "not_found"})

            def log_message(self, format: str, *args: Any) -> None:
                pass  # the test's output is enough

        return Handler
