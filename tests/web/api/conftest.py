"""Fixtures for the API tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.web.api.support import Caller


@pytest.fixture
def caller(world: Any) -> Callable[[str], Caller]:
    """``caller("police_contributor")``: a Caller holding a fresh token of that world user."""
    from safeguarding.web.accounts.models import ApiToken

    def make(role: str) -> Caller:
        _, raw = ApiToken.issue(world.users[role], f"tests as {role}")
        return Caller(Client(enforce_csrf_checks=True), raw)

    return make
