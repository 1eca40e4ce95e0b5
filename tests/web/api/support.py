"""Helpers for the API tests: a caller holding a bearer token, and problem-details checks."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

API = "/api/v1"


class Caller:
    """Sends requests to the API as one person, with their bearer token."""

    def __init__(self, client: Client, raw_token: str | None) -> None:
        self.client = client
        self.raw_token = raw_token

    def _headers(self) -> dict[str, str]:
        return {"HTTP_AUTHORIZATION": f"Bearer {self.raw_token}"} if self.raw_token else {}

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {}, **self._headers())

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            API + path, json.dumps(body), content_type="application/json", **self._headers()
        )

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(
            API + path, json.dumps(body), content_type="application/json", **self._headers()
        )

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path, **self._headers())


def problem(response: Any) -> dict[str, Any]:
    """The problem-details body of ``response``, after checking its shape."""
    assert response["Content-Type"] == "application/problem+json", response.content
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body), body
    assert body["status"] == response.status_code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def error_fields(response: Any) -> dict[str | None, str]:
    """The ``errors`` of a 422 problem, as field -> message."""
    assert response.status_code == 422, response.content
    body = problem(response)
    return {e["field"]: e["message"] for e in body["errors"]}
