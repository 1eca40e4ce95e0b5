"""Single sign-on settings: signing in with the organisation's own account (OpenID Connect).

Councils sign their staff in with Microsoft Entra ID or another OpenID Connect provider.
Single sign-on is off unless the environment names the provider:

- ``SAFEGUARDING_OIDC_ISSUER``: the provider's issuer, exactly as its discovery document gives
  it; for Entra ID ``https://login.microsoftonline.com/<tenant id>/v2.0`` (the council's own
  tenant, never ``common`` or ``organizations``, so that only the council's accounts count).
- ``SAFEGUARDING_OIDC_CLIENT_ID`` and ``SAFEGUARDING_OIDC_CLIENT_SECRET``: the platform's
  registration with the provider. Register ``https://<the platform's host>/oidc/callback/`` as
  its redirect address.
- ``SAFEGUARDING_OIDC_AUTHORIZATION_ENDPOINT``, ``SAFEGUARDING_OIDC_TOKEN_ENDPOINT``,
  ``SAFEGUARDING_OIDC_USERINFO_ENDPOINT`` and ``SAFEGUARDING_OIDC_JWKS_URI``: the provider's
  endpoints, all four or none. When none is given they are read from
  ``<issuer>/.well-known/openid-configuration`` as the platform starts.

Who may sign in this way is decided in ``safeguarding.web.accounts.sso``: only people the
platform already knows. The settings module reads this one before Django's apps are ready, so
nothing here may import a model.
"""

from __future__ import annotations

import ipaddress
import json
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

PREFIX = "SAFEGUARDING_OIDC_"
BACKEND = "safeguarding.web.accounts.sso.OidcAccountBackend"
CALLBACK_VIEW = "safeguarding.web.accounts.sso.OidcAccountCallback"
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"
#: mozilla-django-oidc's setting for each endpoint: (our variable, the discovery document's key).
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": ("AUTHORIZATION_ENDPOINT", "authorization_endpoint"),
    "OIDC_OP_TOKEN_ENDPOINT": ("TOKEN_ENDPOINT", "token_endpoint"),
    "OIDC_OP_USER_ENDPOINT": ("USERINFO_ENDPOINT", "userinfo_endpoint"),
    "OIDC_OP_JWKS_ENDPOINT": ("JWKS_URI", "jwks_uri"),
}
#: Seconds to wait for the provider, at start-up and on each sign-in.
TIMEOUT = 10

FetchJson = Callable[[str], Mapping[str, Any]]


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _checked_url(name: str, url: str) -> str:
    """``url`` if it is an https address (http only on this machine, for tests)."""
    parts = urlsplit(url)
    secure = parts.scheme == "https" or (
        parts.scheme == "http" and _is_loopback(parts.hostname or "")
    )
    if not secure or not parts.hostname:
        raise ImproperlyConfigured(f"{name} must be an https:// address, not {url!r}.")
    return url


def fetch_json(url: str) -> Mapping[str, Any]:
    """The JSON document at ``url`` (an address already checked by ``_checked_url``)."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
        document = json.load(response)
    if not isinstance(document, dict):
        raise ValueError("the document is not a JSON object")
    return document


def discover(issuer: str, fetch: FetchJson = fetch_json) -> dict[str, str]:
    """The provider's endpoints from its discovery document, which must name the same issuer."""
    address = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        document = fetch(address)
    except (OSError, ValueError) as error:
        raise ImproperlyConfigured(
            f"Could not read the single sign-on provider's settings from {address}: {error}. "
            f"Check {PREFIX}ISSUER, or give the four endpoints in {PREFIX}AUTHORIZATION_ENDPOINT, "
            f"{PREFIX}TOKEN_ENDPOINT, {PREFIX}USERINFO_ENDPOINT and {PREFIX}JWKS_URI."
        ) from error
    if document.get("issuer") != issuer:
        raise ImproperlyConfigured(
            f"{PREFIX}ISSUER is {issuer!r} but the provider calls itself "
            f"{document.get('issuer')!r}. Use the issuer exactly as {address} gives it."
        )
    if "RS256" not in document.get("id_token_signing_alg_values_supported", ["RS256"]):
        raise ImproperlyConfigured("The single sign-on provider does not sign tokens with RS256.")
    endpoints = {}
    for setting, (_, key) in ENDPOINTS.items():
        if not document.get(key):
            raise ImproperlyConfigured(f"The provider's settings at {address} give no {key}.")
        endpoints[setting] = _checked_url(f"The provider's {key}", str(document[key]))
    return endpoints


def _explicit_endpoints(environ: Mapping[str, str]) -> dict[str, str] | None:
    """The endpoints the environment gives, or None when it gives none (all four or none)."""
    given = {
        setting: environ.get(PREFIX + variable, "").strip()
        for setting, (variable, _) in ENDPOINTS.items()
    }
    if not any(given.values()):
        return None
    if missing := [PREFIX + ENDPOINTS[s][0] for s, url in given.items() if not url]:
        raise ImproperlyConfigured(
            f"Give all four single sign-on endpoints or none; missing: {', '.join(missing)}."
        )
    return {s: _checked_url(PREFIX + ENDPOINTS[s][0], url) for s, url in given.items()}


def single_sign_on_settings(
    environ: Mapping[str, str],
    backends: Sequence[str] | None = None,
    *,
    fetch: FetchJson = fetch_json,
) -> dict[str, Any]:
    """The Django settings for single sign-on as the environment configures it.

    ``SINGLE_SIGN_ON`` is always there (False when no issuer is set); when it is on, the
    mozilla-django-oidc settings come with it, and the organisation's sign-in is added after
    ``backends`` (the sign-in backends already set).
    """
    issuer = environ.get(PREFIX + "ISSUER", "").strip()
    if not issuer:
        return {"SINGLE_SIGN_ON": False}
    _checked_url(PREFIX + "ISSUER", issuer)
    client_id = environ.get(PREFIX + "CLIENT_ID", "").strip()
    client_secret = environ.get(PREFIX + "CLIENT_SECRET", "").strip()
    if not client_id or not client_secret:
        raise ImproperlyConfigured(
            f"Single sign-on needs {PREFIX}CLIENT_ID and {PREFIX}CLIENT_SECRET as well as "
            f"{PREFIX}ISSUER."
        )
    endpoints = _explicit_endpoints(environ) or discover(issuer, fetch)
    return {
        "SINGLE_SIGN_ON": True,
        "AUTHENTICATION_BACKENDS": [*(backends or [DJANGO_BACKEND]), BACKEND],
        **endpoints,
        # Not a mozilla-django-oidc setting: the backend checks each token's ``iss`` against it.
        "OIDC_OP_ISSUER": issuer,
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": client_secret,
        "OIDC_RP_SIGN_ALGO": "RS256",
        "OIDC_RP_SCOPES": "openid email profile",
        "OIDC_USE_NONCE": True,
        "OIDC_USE_PKCE": True,
        # Roles are given in the platform: an unknown person is refused, never made a user.
        "OIDC_CREATE_USER": False,
        "OIDC_CALLBACK_CLASS": CALLBACK_VIEW,
        "OIDC_TIMEOUT": TIMEOUT,
    }


def urlpatterns() -> list[Any]:
    """The provider's way in and back (``/oidc/authenticate/``, ``/oidc/callback/``) when
    single sign-on is on; nothing otherwise."""
    from django.conf import settings
    from django.urls import include, path

    if not getattr(settings, "SINGLE_SIGN_ON", False):
        return []
    return [path("oidc/", include("mozilla_django_oidc.urls"))]
