"""Bearer-token authentication: only a live token of an active person opens the API."""

from __future__ import annotations

from typing import Any

from django.test import Client

from safeguarding.web.accounts.models import ApiToken
from tests.conftest import PASSWORD
from tests.web.api.support import API, problem


def _get(client: Client, path: str, header: str | None) -> Any:
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return client.get(API + path, **extra)


def test_missing_token_is_401_with_bearer_challenge(world: Any) -> None:
    response = _get(Client(), "/partnerships/", None)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in problem(response)["detail"]


def test_wrong_token_is_401_invalid_token(world: Any) -> None:
    response = _get(Client(), "/partnerships/", "Bearer sgp_not-a-real-token")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert "not valid" in problem(response)["detail"]


def test_other_schemes_and_empty_bearer_are_refused(world: Any) -> None:
    _, raw = ApiToken.issue(world.users["business_manager"], "scheme test")
    for header in (f"Basic {raw}", "Bearer", "Bearer   ", raw, f"Token {raw}"):
        response = _get(Client(), "/partnerships/", header)
        assert response.status_code == 401, header
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(world: Any) -> None:
    token, raw = ApiToken.issue(world.users["business_manager"], "to revoke")
    assert _get(Client(), "/partnerships/", f"Bearer {raw}").status_code == 200
    token.revoked = True
    token.save()
    response = _get(Client(), "/partnerships/", f"Bearer {raw}")
    assert response.status_code == 401
    problem(response)


def test_token_of_deactivated_person_is_401(world: Any) -> None:
    user = world.users["board_member"]
    _, raw = ApiToken.issue(user, "leaver")
    user.is_active = False
    user.save()
    assert _get(Client(), "/partnerships/", f"Bearer {raw}").status_code == 401


def test_valid_token_works_and_records_last_use(world: Any) -> None:
    token, raw = ApiToken.issue(world.users["business_manager"], "works")
    assert token.last_used is None
    response = _get(Client(), "/partnerships/", f"Bearer {raw}")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["items"]] == ["tscp"]
    token.refresh_from_db()
    assert token.last_used is not None


def test_signed_in_session_does_not_open_the_api(world: Any) -> None:
    client = Client()
    assert client.login(username="manager", password=PASSWORD)
    response = client.get(API + "/partnerships/")
    assert response.status_code == 401


def test_token_requests_need_no_csrf_token(world: Any) -> None:
    _, raw = ApiToken.issue(world.users["business_manager"], "csrf")
    client = Client(enforce_csrf_checks=True)
    response = client.patch(
        f"{API}/partnerships/tscp",
        '{"description": "Keeps children safe."}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Keeps children safe."


def test_authentication_comes_before_validation(world: Any) -> None:
    response = Client().post(
        f"{API}/partnerships/tscp/actions/", "not json", content_type="application/json"
    )
    assert response.status_code == 401
