"""Single sign-on with OpenID Connect, against a small provider on loopback.

The settings are read from the environment when Django starts, so each test here builds them
from an environment naming the test provider and applies them with ``override_settings``, and
the URL map is read again with them (and again without them afterwards).
"""

from __future__ import annotations

import importlib
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import clear_url_caches

from safeguarding.web import oidc
from safeguarding.web.audit.models import AuditEvent
from tests.web.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider, SignIn

REFUSED = "You cannot sign in with your organisation"
BOARD_ADDRESS = "board.member@testbury.example"


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    running = OidcProvider().start()
    yield running
    running.stop()


def _environment(provider: OidcProvider, **more: str) -> dict[str, str]:
    return {
        "SAFEGUARDING_OIDC_ISSUER": provider.issuer,
        "SAFEGUARDING_OIDC_CLIENT_ID": CLIENT_ID,
        "SAFEGUARDING_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        **more,
    }


def _read_urls_again() -> None:
    for name in ("mozilla_django_oidc.urls", "safeguarding.web.urls"):
        if name in sys.modules:
            importlib.reload(sys.modules[name])
    clear_url_caches()


@pytest.fixture
def single_sign_on(
    provider: OidcProvider, world: Any, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OidcProvider]:
    """Single sign-on on, with the test provider, for one test; the board member's account
    holds the address the provider gives for them."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")  # the backend's calls stay local
    configured = oidc.single_sign_on_settings(
        _environment(provider), settings.AUTHENTICATION_BACKENDS
    )
    board = world.users["board_member"]
    board.email = BOARD_ADDRESS
    board.save(update_fields=["email"])
    provider.next_sign_in = None
    with override_settings(**configured):
        _read_urls_again()
        try:
            yield provider
        finally:
            provider.next_sign_in = None
    _read_urls_again()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _visit_provider(address: str) -> str:
    """Open the provider's authorize address as a browser would: where it sends us back."""
    browser = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    try:
        browser.open(address, timeout=10)
    except urllib.error.HTTPError as answer:
        if answer.code == 302:
            return str(answer.headers["Location"])
        raise
    raise AssertionError("the provider did not send the browser back")


def _come_back(client: Client, back: str) -> HttpResponse:
    parts = urlsplit(back)
    assert parts.path == "/oidc/callback/"
    return client.get(parts.path, dict(parse_qsl(parts.query)))


def _start(client: Client, provider: OidcProvider, who: SignIn | None, next: str = "") -> str:
    """Start signing in and sign in at the provider: the address it sends the browser back to."""
    provider.next_sign_in = who
    started = client.get("/oidc/authenticate/", {"next": next} if next else {})
    assert started.status_code == 302
    assert started["Location"].startswith(f"{provider.issuer}/authorize?")
    return _visit_provider(started["Location"])


def _sign_in(client: Client, provider: OidcProvider, who: SignIn | None, next: str = "") -> Any:
    return _come_back(client, _start(client, provider, who, next))


def _signed_in_as(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def _board(**claims: Any) -> SignIn:
    return SignIn({"sub": "entra-object-1", "name": "Bo Ard", "email": BOARD_ADDRESS, **claims})


def _refused(response: HttpResponse, client: Client) -> bool:
    return (
        response.status_code == 403
        and REFUSED in response.content.decode()
        and _signed_in_as(client) is None
    )


# -- the settings --------------------------------------------------------------------------------


def test_off_unless_an_issuer_is_set(world: Any) -> None:
    assert oidc.single_sign_on_settings({}, ["x.Backend"]) == {"SINGLE_SIGN_ON": False}
    assert settings.SINGLE_SIGN_ON is False
    client = Client()
    assert "organisation's account" not in client.get("/accounts/sign-in/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404


def test_endpoints_are_discovered_from_the_issuer(provider: OidcProvider) -> None:
    configured = oidc.single_sign_on_settings(_environment(provider), ["throttle.Backend"])
    assert configured["SINGLE_SIGN_ON"] is True
    assert configured["AUTHENTICATION_BACKENDS"] == ["throttle.Backend", oidc.BACKEND]
    assert configured["OIDC_OP_AUTHORIZATION_ENDPOINT"] == f"{provider.issuer}/authorize"
    assert configured["OIDC_OP_TOKEN_ENDPOINT"] == f"{provider.issuer}/token"
    assert configured["OIDC_OP_USER_ENDPOINT"] == f"{provider.issuer}/userinfo"
    assert configured["OIDC_OP_JWKS_ENDPOINT"] == f"{provider.issuer}/keys"
    assert configured["OIDC_RP_SIGN_ALGO"] == "RS256"
    assert configured["OIDC_CREATE_USER"] is False
    assert configured["OIDC_USE_PKCE"] is True


def test_endpoints_given_explicitly_are_not_discovered() -> None:
    def no_discovery(address: str) -> Mapping[str, Any]:
        raise AssertionError(f"asked for {address}")

    given = {
        "SAFEGUARDING_OIDC_ISSUER": "https://login.example/tenant/v2.0",
        "SAFEGUARDING_OIDC_CLIENT_ID": "id",
        "SAFEGUARDING_OIDC_CLIENT_SECRET": "secret",
        "SAFEGUARDING_OIDC_AUTHORIZATION_ENDPOINT": "https://login.example/authorize",
        "SAFEGUARDING_OIDC_TOKEN_ENDPOINT": "https://login.example/token",
        "SAFEGUARDING_OIDC_USERINFO_ENDPOINT": "https://graph.example/oidc/userinfo",
        "SAFEGUARDING_OIDC_JWKS_URI": "https://login.example/keys",
    }
    configured = oidc.single_sign_on_settings(given, fetch=no_discovery)
    assert configured["OIDC_OP_USER_ENDPOINT"] == "https://graph.example/oidc/userinfo"
    assert configured["OIDC_OP_ISSUER"] == "https://login.example/tenant/v2.0"
    assert configured["AUTHENTICATION_BACKENDS"] == [oidc.DJANGO_BACKEND, oidc.BACKEND]


ISSUER = "https://login.example/tenant/v2.0"
DOCUMENT = {
    "issuer": ISSUER,
    "authorization_endpoint": "https://login.example/authorize",
    "token_endpoint": "https://login.example/token",
    "userinfo_endpoint": "https://login.example/userinfo",
    "jwks_uri": "https://login.example/keys",
}


@pytest.mark.parametrize(
    ("changes", "document", "message"),
    [
        ({"SAFEGUARDING_OIDC_CLIENT_SECRET": ""}, DOCUMENT, "CLIENT_SECRET"),
        ({"SAFEGUARDING_OIDC_ISSUER": "http://login.example/t"}, DOCUMENT, "https://"),
        (
            {"SAFEGUARDING_OIDC_TOKEN_ENDPOINT": "https://login.example/token"},
            DOCUMENT,
            "all four",
        ),
        ({}, {**DOCUMENT, "issuer": "https://login.example/other/v2.0"}, "calls itself"),
        ({}, {**DOCUMENT, "jwks_uri": ""}, "no jwks_uri"),
        ({}, {**DOCUMENT, "token_endpoint": "http://login.example/token"}, "https://"),
        ({}, None, "Could not read"),
    ],
)
def test_a_wrong_configuration_stops_start_up(
    changes: dict[str, str], document: dict[str, str] | None, message: str
) -> None:
    def fetch(address: str) -> Mapping[str, Any]:
        assert address == f"{ISSUER}/.well-known/openid-configuration"
        if document is None:
            raise OSError("connection refused")
        return document

    environment = {
        "SAFEGUARDING_OIDC_ISSUER": ISSUER,
        "SAFEGUARDING_OIDC_CLIENT_ID": "id",
        "SAFEGUARDING_OIDC_CLIENT_SECRET": "secret",
        **changes,
    }
    with pytest.raises(ImproperlyConfigured, match=message):
        oidc.single_sign_on_settings(environment, fetch=fetch)


# -- signing in ----------------------------------------------------------------------------------


def test_the_sign_in_page_offers_the_organisation_account(single_sign_on: OidcProvider) -> None:
    page = Client().get("/accounts/sign-in/", {"next": "/partnerships/tscp/"}).content.decode()
    assert "Sign in with your organisation's account" in page
    assert 'href="/oidc/authenticate/?next=/partnerships/tscp/"' in page


def test_a_known_person_signs_in(single_sign_on: OidcProvider, world: Any) -> None:
    client = Client()
    who = _board(email=BOARD_ADDRESS.upper())  # addresses match whatever their case
    response = _sign_in(client, single_sign_on, who, next="/partnerships/tscp/")
    assert response.status_code == 302 and response["Location"] == "/partnerships/tscp/"
    assert _signed_in_as(client) == str(world.users["board_member"].pk)
    assert client.session["_auth_user_backend"] == oidc.BACKEND
    assert client.get("/partnerships/tscp/").status_code == 200
    signed_in = AuditEvent.objects.get(action="sign_in", user=world.users["board_member"])
    assert signed_in.note == "with single sign-on"


def test_the_sign_in_name_is_enough_without_an_email(
    single_sign_on: OidcProvider, world: Any
) -> None:
    client = Client()
    who = SignIn({"sub": "entra-object-1", "preferred_username": BOARD_ADDRESS})
    assert _sign_in(client, single_sign_on, who).status_code == 302
    assert _signed_in_as(client) == str(world.users["board_member"].pk)


def test_an_unknown_person_is_refused_and_no_account_is_made(
    single_sign_on: OidcProvider, world: Any
) -> None:
    accounts = get_user_model().objects.count()
    client = Client()
    stranger = SignIn({"sub": "entra-object-9", "email": "stranger@testbury.example"})
    response = _sign_in(client, single_sign_on, stranger)
    assert _refused(response, client)
    assert "Ask your platform administrator" in response.content.decode()
    assert get_user_model().objects.count() == accounts


def test_switched_off_and_shared_addresses_are_refused(
    single_sign_on: OidcProvider, world: Any
) -> None:
    board = world.users["board_member"]
    board.is_active = False
    board.save(update_fields=["is_active"])
    client = Client()
    assert _refused(_sign_in(client, single_sign_on, _board()), client)
    board.is_active = True
    board.save(update_fields=["is_active"])
    manager = world.users["business_manager"]
    manager.email = BOARD_ADDRESS.title()
    manager.save(update_fields=["email"])
    assert _refused(_sign_in(client, single_sign_on, _board()), client)


def test_a_sign_in_name_that_is_not_an_address_is_refused(
    single_sign_on: OidcProvider, world: Any
) -> None:
    client = Client()
    nameless = SignIn({"sub": "entra-object-1", "preferred_username": "board"})
    assert _refused(_sign_in(client, single_sign_on, nameless), client)


@pytest.mark.parametrize(
    "what_is_wrong",
    [
        pytest.param({"wrong_key": True}, id="bad-signature"),
        pytest.param({"token_changes": {"aud": "another-application"}}, id="wrong-audience"),
        pytest.param(
            {"token_changes": {"aud": [CLIENT_ID, "another-application"]}},
            id="shared-audience-without-azp",
        ),
        pytest.param({"token_changes": {"exp": int(time.time()) - 3600}}, id="expired"),
        pytest.param({"token_changes": {"exp": None}}, id="no-expiry"),
        pytest.param({"token_changes": {"iss": "https://elsewhere.example"}}, id="wrong-issuer"),
        pytest.param({"token_changes": {"nonce": "guessed"}}, id="wrong-nonce"),
        pytest.param({"userinfo_changes": {"sub": "someone-else"}}, id="userinfo-of-another"),
        pytest.param({"id_token": "not-a-token"}, id="not-a-token"),
        pytest.param({"id_token": "e30.e30.AA"}, id="no-key-id"),
    ],
)
def test_a_token_that_fails_a_check_is_refused(
    single_sign_on: OidcProvider, world: Any, what_is_wrong: dict[str, Any]
) -> None:
    client = Client()
    who = SignIn(_board().claims, **what_is_wrong)
    assert _refused(_sign_in(client, single_sign_on, who), client)
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


def test_a_cancelled_sign_in_is_refused(single_sign_on: OidcProvider, world: Any) -> None:
    client = Client()
    back = _start(client, single_sign_on, None)
    assert "error=access_denied" in back
    assert _refused(_come_back(client, back), client)


def test_the_way_back_must_belong_to_this_browser(single_sign_on: OidcProvider, world: Any) -> None:
    someone = Client()
    back = _start(someone, single_sign_on, _board())
    # A browser that started no sign-in, and one that started its own, cannot use it.
    stranger = Client()
    assert _refused(_come_back(stranger, back), stranger)
    started_own = Client()
    _start(started_own, single_sign_on, _board())
    assert _refused(_come_back(started_own, back), started_own)
    # The state is checked before the code is spent: the right browser can still use it.
    assert _come_back(someone, back).status_code == 302
    assert _signed_in_as(someone) == str(world.users["board_member"].pk)


def test_a_way_back_cannot_be_used_twice(single_sign_on: OidcProvider, world: Any) -> None:
    client = Client()
    back = _start(client, single_sign_on, _board())
    assert _come_back(client, back).status_code == 302
    client.post("/accounts/sign-out/")
    assert _refused(_come_back(client, back), client)
    _start(client, single_sign_on, _board())  # a new sign-in under way does not revive it
    assert _refused(_come_back(client, back), client)
