"""No route leads to changing or removing the audit trail: its own pages only read, the JSON API
has no audit endpoint, and Django's admin is not installed."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records.registry import BY_MODEL
from tests.conftest import World


def _views(patterns: list[Any]) -> list[Any]:
    found = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            found.append(pattern.callback)
    return found


def test_django_admin_is_not_installed(world: World) -> None:
    assert "django.contrib.admin" not in settings.INSTALLED_APPS
    assert not any(
        getattr(view, "__module__", "").startswith("django.contrib.admin")
        for view in _views(get_resolver().url_patterns)
    )
    admin = Client()
    admin.force_login(world.users["administrator"])
    assert admin.get("/admin/").status_code == 404


def test_audit_events_are_not_a_record_type_that_pages_or_the_api_edit() -> None:
    # The record pages and the API's endpoints are made from the registry of record types.
    assert AuditEvent not in BY_MODEL


def test_the_api_has_no_audit_trail_endpoint(world: World) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    for path in document["paths"]:
        words = path.lower().replace("_", "-")
        assert not any(w in words for w in ("audit-trail", "audit-event", "auditevent")), path
    schemas = " ".join(document.get("components", {}).get("schemas", {})).lower()
    assert "auditevent" not in schemas


def test_the_audit_apps_own_addresses_only_read() -> None:
    audit_views = [
        view
        for view in _views(get_resolver().url_patterns)
        if getattr(view, "__module__", "").startswith("safeguarding.web.audit")
    ]
    assert {view.__name__ for view in audit_views} == {"audit_trail", "audit_trail_csv"}
