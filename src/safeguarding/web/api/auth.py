"""Bearer-token authentication for the API. Sessions are not accepted, so there is no CSRF."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from safeguarding.web.accounts.models import ApiToken


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>``, checked against the hashed tokens people were issued.

    Why a request failed ("missing" or "invalid") is kept on the request, so the 401 response
    can say which.
    """

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get("Authorization", "")
        if not header.strip():
            request._api_auth_failure = "missing"  # type: ignore[attr-defined]
            return None
        scheme, _, raw = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            request._api_auth_failure = "invalid"  # type: ignore[attr-defined]
            return None
        user = self.authenticate(request, raw.strip())
        if user is None:
            request._api_auth_failure = "invalid"  # type: ignore[attr-defined]
        return user

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        """The person a live token belongs to, noting when the token was used."""
        found = ApiToken.find(token)
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        # Pages and services read the person from request.user; the session plays no part.
        request.user = found.user
        return found.user
