"""Errors come back as problem details with plain-English messages, and no input gives a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from safeguarding.web.api import resources
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records import models as m
from safeguarding.web.records.registry import RECORD_TYPES
from tests.web.api.support import API, Caller, error_fields, problem


def _new_action(world: Any, **changes: Any) -> dict[str, Any]:
    body = {
        "priority": world.priority.pk,
        "title": "Audit neglect referrals",
        "owner_agency": world.police.pk,
        "lead": "Inspector",
        "due_date": "2025-03-31",
    }
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_date": "31/03/2025"}, "due_date", "Due date: Enter a real date, like 2025-03-31"),
        ({"due_date": "2025-02-30"}, "due_date", "Due date: Enter a real date, like 2025-03-31"),
        ({"due_date": 1735689600}, "due_date", "Due date: Enter a real date, like 2025-03-31"),
        ({"due_date": "20250331"}, "due_date", "Due date: Enter a real date, like 2025-03-31"),
        ({"title": "x" * 251}, "title", "Title: Enter no more than 250 characters"),
        ({"title": 42}, "title", "Title: Enter text, in quotes"),
        ({"title": "nul\x00here"}, "title", "Title: Remove the hidden null character"),
        ({"status": "finished"}, "status", 'Status: "finished" is not a code on the list.'),
        ({"rag": "purple"}, "rag", "RAG rating: "),
        ({"owner_agency": "police"}, "owner_agency", "Owner agency: Give the id of a record"),
        ({"owner_agency": 2**70}, "owner_agency", "Owner agency: There is no record with an id"),
        ({"owner_agency": 0}, "owner_agency", "Owner agency: Give the id of a record"),
        ({"owner_agency": 999999}, "owner_agency", "Owner agency: There is no partner agency"),
        ({"colour": "blue"}, "colour", "colour: This is not a field you can set here"),
        ({"id": 7}, "id", "id: This is not a field you can set here"),
        ({"status_label": "Done"}, "status_label", "status_label: This is not a field"),
    ],
)
def test_bad_values_are_explained_field_by_field(
    world: Any,
    caller: Callable[[str], Caller],
    changes: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = caller("business_manager").post(
        "/partnerships/tscp/actions/", _new_action(world, **changes)
    )
    errors = error_fields(response)
    assert field in errors, errors
    assert errors[field].startswith(message), errors[field]
    assert m.DeliveryAction.objects.count() == 2


def test_problem_shape_for_validation(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("business_manager").post(
        "/partnerships/tscp/actions/", {"title": "Missing most things", "due_date": "soon"}
    )
    assert response.status_code == 422
    body = problem(response)
    assert body["type"] == "about:blank"
    assert body["title"] == "Unprocessable Content"
    assert body["detail"] == "4 values need correcting: see errors."
    assert all(set(e) == {"field", "message"} for e in body["errors"])
    assert {e["field"]: e["message"] for e in body["errors"]} == {
        "priority": "Priority: Choose the priority: give its id",
        "owner_agency": "Owner agency: Choose the owner agency: give its id",
        "lead": "Lead: Enter the lead",
        "due_date": "Due date: Enter a real date, like 2025-03-31",
    }


def test_missing_required_fields_are_named(world: Any, caller: Callable[[str], Caller]) -> None:
    errors = error_fields(caller("business_manager").post("/partnerships/tscp/actions/", {}))
    assert set(errors) == {"priority", "title", "owner_agency", "lead", "due_date"}
    assert errors["due_date"] == "Due date: Enter the due date, like 2025-03-31"
    assert errors["title"] == "Title: Enter the title"


def test_model_rules_become_field_errors(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    errors = error_fields(
        manager.patch(f"/partnerships/tscp/reviews/{world.review.pk}", {"status": "published"})
    )
    assert errors == {"publication_date": "Date published: Enter the date the review was published"}
    errors = error_fields(
        manager.post(
            "/partnerships/tscp/reviews/",
            {"kind": "cspr", "pseudonym": "Child 12345", "referral_date": "2024-01-01"},
        )
    )
    assert errors["pseudonym"].startswith("Pseudonym: A pseudonym must not contain numbers")
    errors = error_fields(manager.post("/periods/", {"label": "2024-26"}))
    assert errors["label"].startswith("Financial year: Enter a financial year like 2024-25")
    world.review.refresh_from_db()
    assert world.review.status == "in_progress"


def test_duplicates_are_reported_not_crashed(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    duplicate = manager.post(
        "/partnerships/tscp/recommendations/",
        {"review": world.review.pk, "number": 1, "text": "Same number as another."},
    )
    errors = error_fields(duplicate)
    assert None in errors
    assert "already exists" in errors[None]
    assert error_fields(manager.post("/periods/", {"label": "2024-25"}))["label"].endswith(
        "already exists"
    )


def test_codes_lists_and_references_in_lists(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    review = {"kind": "cspr", "pseudonym": "Child V", "referral_date": "2024-01-01"}
    errors = error_fields(
        manager.post("/partnerships/tscp/reviews/", {**review, "abuse_types": ["neglect", "x"]})
    )
    assert errors["abuse_types"].startswith('Types of abuse or neglect: "x" is not a code')
    errors = error_fields(
        manager.post("/partnerships/tscp/reviews/", {**review, "themes": "information_sharing"})
    )
    assert errors["themes"].startswith("Themes: Give a list")
    errors = error_fields(
        manager.post(
            "/partnerships/tscp/reviews/", {**review, "abuse_types": ["neglect", "neglect"]}
        )
    )
    assert errors["abuse_types"] == "Types of abuse or neglect: Each code may appear only once"
    errors = error_fields(
        manager.post(
            "/partnerships/tscp/priorities/",
            {"title": "T", "description": "D", "periods": []},
        )
    )
    assert errors["periods"] == "Reporting periods: Choose at least one"
    errors = error_fields(
        manager.post(
            "/partnerships/tscp/priorities/",
            {"title": "T", "description": "D", "periods": [world.period.pk, 987654]},
        )
    )
    assert errors["periods"] == "Reporting periods: There is no reporting period with id 987654"


def test_text_that_a_database_cannot_store_is_refused(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    # A lone surrogate is valid JSON but not valid UTF-8; it must not reach the database.
    caller_ = caller("business_manager")
    response = caller_.client.patch(
        f"{API}/partnerships/tscp/actions/{world.police_action.pk}",
        '{"title": "bad \\ud800 text"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {caller_.raw_token}",
    )
    assert error_fields(response)["title"].startswith("Title: The text contains characters")


def test_query_parameters_are_validated(world: Any, caller: Callable[[str], Caller]) -> None:
    board = caller("board_member")
    errors = error_fields(
        board.get(
            "/partnerships/tscp/actions/",
            {"limit": 0, "offset": -1, "status": "done", "priority": "one"},
        )
    )
    assert errors["limit"] == "Limit: Enter a number of at least 1"
    assert errors["offset"] == "Offset: Enter a number of at least 0"
    assert errors["status"].startswith('Status: "done" is not a code on the list')
    assert errors["priority"] == "Priority: Give the id of a record, as a whole number"
    assert error_fields(board.get("/partnerships/tscp/actions/", {"limit": 501}))["limit"] == (
        "Limit: Enter a number no bigger than 500"
    )


def test_body_that_is_not_json_is_400(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    for body in ("{not json", "[1, 2", "{'single': 'quotes'}"):
        response = manager.client.post(
            f"{API}/partnerships/tscp/actions/",
            body,
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {manager.raw_token}",
        )
        assert response.status_code == 400, body
        assert "not valid JSON" in problem(response)["detail"]
    not_an_object = manager.post("/partnerships/tscp/actions/", ["a", "list"])
    assert error_fields(not_an_object)[None].startswith("Send the record as a JSON object")


def test_unknown_addresses_are_404_problems(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    for path in (
        "/nothing-here",
        "/partnerships/tscp/widgets/",
        "/partnerships/tscp/actions/not-a-number",
        "/partnerships/tscp/actions/99999999999999999999999",
        "/partnerships/bad slug/actions/",
        "/v2/partnerships/",
    ):
        response = manager.get(path)
        assert response.status_code == 404, path
        assert problem(response)["title"] == "Not Found"
    no_slash = problem(manager.get("/partnerships/tscp/actions"))
    assert "Did you mean /api/v1/partnerships/tscp/actions/ ?" in no_slash["detail"]
    unauthenticated = Caller(manager.client, None).get("/nothing-here")
    assert unauthenticated.status_code == 404


def test_missing_records_are_404(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    for response in (
        manager.get("/partnerships/tscp/actions/999999"),
        manager.patch("/partnerships/tscp/actions/999999", {"rag": "red"}),
        manager.delete("/partnerships/tscp/actions/999999"),
        manager.get("/areas/testbury/strategies/999999/themes/"),
        manager.get("/periods/999999"),
    ):
        assert response.status_code == 404
        assert problem(response)["detail"].startswith("There is no ")


def test_method_not_allowed_is_a_problem(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    response = manager.client.put(
        f"{API}/partnerships/tscp/actions/",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {manager.raw_token}",
    )
    assert response.status_code == 405
    assert "PUT" in problem(response)["detail"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


def test_deleting_an_agency_in_use_is_409(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("administrator").delete(f"/areas/testbury/agencies/{world.police.pk}")
    assert response.status_code == 409
    body = problem(response)
    assert body["title"] == "Conflict"
    assert "depend on it" in body["detail"]
    kinds = {d["record_type"]: d["count"] for d in body["dependents"]}
    assert kinds["agency memberships"] == 2
    assert kinds["delivery action"] == 1
    assert m.PartnerAgency.objects.filter(pk=world.police.pk).exists()
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_deleting_a_period_in_use_is_409(world: Any, caller: Callable[[str], Caller]) -> None:
    m.Achievement.objects.create(
        partnership=world.children, period=world.period, title="A", description="B"
    )
    response = caller("administrator").delete(f"/periods/{world.period.pk}")
    assert response.status_code == 409
    assert problem(response)["dependents"] == [{"record_type": "achievement", "count": 1}]
    assert m.ReportingPeriod.objects.filter(pk=world.period.pk).exists()


def test_unexpected_errors_are_500_problems_without_internals(
    world: Any, caller: Callable[[str], Caller], monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("secret internal detail /srv/app/settings.py")

    monkeypatch.setattr(resources.Resource, "list", explode)
    response = caller("business_manager").get("/partnerships/tscp/actions/")
    assert response.status_code == 500
    body = problem(response)
    assert "secret" not in response.content.decode()
    assert "settings.py" not in response.content.decode()
    assert body["title"] == "Internal Server Error"


HOSTILE_VALUES: list[Any] = [
    None,
    "",
    " ",
    "x" * 5000,
    -1,
    0,
    2**70,
    1.5,
    True,
    [],
    [None],
    {},
    "\x00",
    "2025-13-45",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
]


def _collection(record_type: Any, strategy_id: int) -> str:
    if record_type.key == "partnership":
        return "/partnerships/"
    if record_type.key == "strategy_theme":
        return f"/areas/testbury/strategies/{strategy_id}/themes/"
    if record_type.area_path:
        return f"/areas/testbury/{record_type.slug}/"
    if record_type.partnership_path:
        return f"/partnerships/tscp/{record_type.slug}/"
    return f"/{record_type.slug}/"


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.key)
def test_no_hostile_value_gives_a_500(
    record_type: Any, world: Any, caller: Callable[[str], Caller]
) -> None:
    """Every editable field of every record type, with values of every wrong kind."""
    from safeguarding.web.api.schemas import editable_fields

    strategy = m.Strategy.objects.create(
        area=world.area, title="S", kind="other", start_year=2024, end_year=2025
    )
    admin = caller("administrator")
    path = _collection(record_type, strategy.pk)
    names = [f.name for f in editable_fields(record_type, creating=True)]
    statuses: set[int] = set()
    for name in names:
        for value in HOSTILE_VALUES:
            response = admin.post(path, {name: value})
            statuses.add(response.status_code)
            assert response.status_code < 500, (name, value, response.content)
    for value in HOSTILE_VALUES:
        text = str(value)
        response = admin.get(path, {"q": text, "limit": text, "offset": text})
        assert response.status_code < 500, (value, response.content)
        statuses.add(response.status_code)
    assert 422 in statuses


def test_no_hostile_patch_gives_a_500(world: Any, caller: Callable[[str], Caller]) -> None:
    admin = caller("administrator")
    for path, record_type_key in (
        (f"/partnerships/tscp/actions/{world.police_action.pk}", "delivery_action"),
        (f"/partnerships/tscp/reviews/{world.review.pk}", "learning_review"),
        (f"/partnerships/tscp/recommendations/{world.police_recommendation.pk}", "recommendation"),
        ("/partnerships/tscp", "partnership"),
    ):
        record_type = next(t for t in RECORD_TYPES if t.key == record_type_key)
        for name in record_type.fields:
            for value in HOSTILE_VALUES:
                response = admin.patch(path, {name: value})
                assert response.status_code < 500, (path, name, value, response.content)


def test_a_body_that_is_not_utf8_is_400(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    response = manager.client.generic(
        "PATCH",
        f"{API}/partnerships/tscp/actions/{world.police_action.pk}",
        b'{"rag": "\xff"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {manager.raw_token}",
    )
    assert response.status_code == 400
    problem(response)


def test_an_address_under_api_outside_a_version_is_a_problem_not_a_page(client: Any) -> None:
    for address in ("/api", "/api/", "/api/v2/actions/", "/api/foo"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert response["Content-Type"] == "application/problem+json"
        assert "/api/v1/" in response.json()["detail"]
