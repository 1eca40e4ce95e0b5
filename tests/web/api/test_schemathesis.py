"""Schemathesis against the API's own OpenAPI document: no operation answers with a 5xx.

Every operation is called with generated parameters and bodies, valid and not, with the bearer
token of the children's partnership's business manager (who may change everything in it), so
that requests reach the code that reads, writes and deletes records. Half the cases have their
path parameters set to records that exist in the test world, the rest keep what was generated
(mostly unknown records: the 404 paths).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from safeguarding.web.api.endpoints import api
from tests.conftest import World

EXAMPLES_PER_OPERATION = 20


@pytest.fixture
def _requests_keep_the_test_transaction() -> Iterator[None]:
    """Django closes the database connection after each request it serves, which would end
    the test's transaction; its test client stops that the same way."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def app(world: World, _requests_keep_the_test_transaction: None) -> Any:
    """The site as its WSGI server runs it, middleware and all."""
    from django.core.wsgi import get_wsgi_application

    return get_wsgi_application()


@pytest.fixture
def token(world: World) -> str:
    from safeguarding.web.accounts.models import ApiToken

    _, raw = ApiToken.issue(world.users["business_manager"], "schemathesis")
    return raw


@pytest.fixture
def real_parameters(world: World) -> dict[str, Any]:
    """Path parameters naming records that exist, by parameter name."""
    return {
        "slug": world.children.slug,
        "area_slug": world.area.slug,
        "id": world.priority.pk,
    }


# The document as the API serves it at /api/v1/openapi.json (test_openapi checks it is).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
_turn = itertools.count()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_with_a_server_error(
    case: Any, app: Any, token: str, real_parameters: dict[str, Any]
) -> None:
    if case.path_parameters and next(_turn) % 2 == 0:
        for name in case.path_parameters:
            if name in real_parameters:
                case.path_parameters[name] = real_parameters[name]
    response = case.call(app=app, headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=[not_a_server_error])
