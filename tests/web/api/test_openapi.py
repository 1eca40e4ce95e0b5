"""The OpenAPI document describes every record type; the docs page is served from this site."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from safeguarding.web.records.registry import BY_KEY, RECORD_TYPES
from tests.web.api.support import API


def _document(client: Client) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def _paths_of(record_type: Any) -> tuple[str, str]:
    if record_type.key == "partnership":
        return f"{API}/partnerships/", f"{API}/partnerships/{{slug}}"
    if record_type.key == "strategy_theme":
        base = f"{API}/areas/{{area_slug}}/strategies/{{strategy_id}}/themes/"
    elif record_type.area_path:
        base = f"{API}/areas/{{area_slug}}/{record_type.slug}/"
    elif record_type.partnership_path:
        base = f"{API}/partnerships/{{slug}}/{record_type.slug}/"
    else:
        base = f"{API}/{record_type.slug}/"
    return base, base + "{id}"


def test_document_lists_every_record_type_with_all_operations(db: None) -> None:
    paths = _document(Client())["paths"]
    for record_type in RECORD_TYPES:
        collection, item = _paths_of(record_type)
        assert set(paths[collection]) == {"get", "post"}, record_type.key
        assert set(paths[item]) == {"get", "patch", "delete"}, record_type.key


def test_document_needs_no_token_and_declares_bearer_auth(db: None) -> None:
    document = _document(Client())
    schemes = document["components"]["securitySchemes"]
    assert any(s == {"type": "http", "scheme": "bearer"} for s in schemes.values())
    operation = document["paths"][f"{API}/partnerships/"]["get"]
    assert operation["security"]


def test_schemas_show_codes_ids_and_lists(db: None) -> None:
    schemas = _document(Client())["components"]["schemas"]
    action = schemas["DeliveryActionCreate"]["properties"]
    assert action["status"]["enum"] == [
        "not_started",
        "in_progress",
        "completed",
        "paused",
        "cancelled",
    ]
    assert action["owner_agency"]["type"] == "integer"
    assert action["due_date"]["format"] == "date"
    assert action["title"]["maxLength"] == 250
    assert schemas["DeliveryActionCreate"]["additionalProperties"] is False
    assert set(schemas["DeliveryActionCreate"]["required"]) == {
        "priority",
        "title",
        "owner_agency",
        "lead",
        "due_date",
    }
    review = schemas["LearningReviewCreate"]["properties"]
    assert review["abuse_types"]["type"] == "array"
    assert "neglect" in review["abuse_types"]["items"]["enum"]
    priority = schemas["PriorityCreate"]["properties"]
    assert priority["periods"]["type"] == "array"
    assert priority["periods"]["items"]["type"] == "integer"
    output = schemas["DeliveryAction"]["properties"]
    assert {"id", "status", "status_label", "rag", "rag_label"} <= set(output)
    assert "required" not in schemas["DeliveryActionPatch"]
    update = schemas["ProgressUpdateCreate"]
    assert "action" in update["required"]
    assert "action" not in schemas["ProgressUpdatePatch"]["properties"]


def test_list_parameters_are_documented(db: None) -> None:
    paths = _document(Client())["paths"]
    operation = paths[f"{API}/partnerships/{{slug}}/actions/"]["get"]
    names = {p["name"] for p in operation["parameters"] if p["in"] == "query"}
    assert set(BY_KEY["delivery_action"].filters) <= names
    assert {"q", "limit", "offset"} <= names
    updates = paths[f"{API}/partnerships/{{slug}}/updates/"]["get"]
    assert "action" in {p["name"] for p in updates["parameters"]}
    assert "`action`" in paths[f"{API}/partnerships/{{slug}}/updates/"]["post"]["description"]


def test_operation_ids_are_unique_and_readable(db: None) -> None:
    paths = _document(Client())["paths"]
    ids = [op["operationId"] for path in paths.values() for op in path.values()]
    assert len(ids) == len(set(ids))
    assert "update_delivery_action" in ids


def test_docs_page_loads_only_local_files(db: None) -> None:
    client = Client()
    page = client.get(f"{API}/docs")
    assert page.status_code == 200
    html = page.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        if hasattr(asset, "streaming_content"):
            b"".join(asset.streaming_content)


def test_api_root_points_to_the_document(db: None) -> None:
    body = Client().get(f"{API}/").json()
    assert body["openapi"] == f"{API}/openapi.json"
    assert body["docs"] == f"{API}/docs"
