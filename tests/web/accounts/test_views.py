"""Signing in and out, and API tokens."""

from __future__ import annotations

from typing import Any

from django.test import Client

from safeguarding.web.accounts.models import ApiToken
from tests.conftest import PASSWORD


def test_sign_in_page_and_good_sign_in(world: Any) -> None:
    client = Client()
    page = client.get("/accounts/sign-in/")
    assert page.status_code == 200
    assert '<label class="govuk-label govuk-label--s" for="id_username">' in page.content.decode()
    response = client.post(
        "/accounts/sign-in/?next=/partnerships/tscp/",
        {"username": "board", "password": PASSWORD, "next": "/partnerships/tscp/"},
    )
    assert response.status_code == 302 and response["Location"] == "/partnerships/tscp/"
    assert client.get("/partnerships/tscp/").status_code == 200


def test_sign_in_errors_use_the_error_summary(world: Any) -> None:
    client = Client()
    blank = client.post("/accounts/sign-in/", {"username": "", "password": ""}).content.decode()
    assert "<title>Error: Sign in" in blank
    assert '<a href="#id_username">Enter your username</a>' in blank
    assert '<a href="#id_password">Enter your password</a>' in blank
    wrong = client.post("/accounts/sign-in/", {"username": "board", "password": "nope"})
    assert wrong.status_code == 200
    assert "Enter a correct username and password" in wrong.content.decode()


def test_sign_in_does_not_redirect_off_site(world: Any) -> None:
    response = Client().post(
        "/accounts/sign-in/",
        {"username": "board", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_sign_out_needs_post(world: Any) -> None:
    client = Client()
    client.force_login(world.users["board_member"])
    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_create_token_shows_it_once(world: Any) -> None:
    client = Client()
    client.force_login(world.users["police_contributor"])
    response = client.post("/accounts/tokens/", {"name": "Dashboard refresh"})
    page = response.content.decode()
    token = ApiToken.objects.get(user=world.users["police_contributor"])
    raw = page.split('id="new-token">')[1].split("<")[0]
    assert ApiToken.find(raw) == token
    assert response["Cache-Control"] == "no-store"
    again = client.get("/accounts/tokens/").content.decode()
    assert "Dashboard refresh" in again and raw not in again


def test_token_name_is_validated(world: Any) -> None:
    client = Client()
    client.force_login(world.users["board_member"])
    blank = client.post("/accounts/tokens/", {"name": "   "}).content.decode()
    assert '<a href="#id_name">Enter a name for the token</a>' in blank
    long = client.post("/accounts/tokens/", {"name": "x" * 101}).content.decode()
    assert "Token name must be 100 characters or fewer" in long
    assert not ApiToken.objects.exists()


def test_revoke_own_token_only(world: Any) -> None:
    mine, _ = ApiToken.issue(world.users["board_member"], "Mine")
    theirs, raw = ApiToken.issue(world.users["business_manager"], "Theirs")
    client = Client()
    client.force_login(world.users["board_member"])
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert ApiToken.find(raw) == theirs
    assert client.get(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    assert mine.revoked
    page = client.get("/accounts/tokens/").content.decode()
    assert "Revoked" in page and "Theirs" not in page


def test_tokens_page_needs_sign_in(world: Any) -> None:
    assert Client().get("/accounts/tokens/").status_code == 302
