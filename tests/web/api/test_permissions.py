"""The API applies the same permissions as the web pages, role by role.

A record outside the partnerships a person can see is "not found" (404), never "forbidden",
so its existence is not revealed; a record they can see but may not change is 403, and the
refused attempt is kept in the audit trail.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records import models as m
from tests.web.api.support import Caller, problem


def _refusals(instance: Any, user: Any) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)),
            action="refused",
            user=user,
        )
    )


def _assert_refused(response: Any, instance: Any, user: Any, note_start: str) -> None:
    assert response.status_code == 403, response.content
    assert problem(response)["title"] == "Forbidden"
    events = _refusals(instance, user)
    assert len(events) == 1
    assert events[0].via == "api"
    assert events[0].note.startswith(note_start)


# --- agency contributor -------------------------------------------------------------------


def test_police_contributor_changes_police_action(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    response = caller("police_contributor").patch(
        f"/partnerships/tscp/actions/{world.police_action.pk}",
        {"status": "completed", "rag": "green"},
    )
    assert response.status_code == 200, response.content
    world.police_action.refresh_from_db()
    assert world.police_action.status == "completed"
    event = AuditEvent.objects.get(action="update", object_id=str(world.police_action.pk))
    assert (event.via, event.user) == ("api", world.users["police_contributor"])


def test_police_contributor_cannot_change_council_action(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    response = caller("police_contributor").patch(
        f"/partnerships/tscp/actions/{world.council_action.pk}", {"status": "completed"}
    )
    _assert_refused(response, world.council_action, world.users["police_contributor"], "change")
    world.council_action.refresh_from_db()
    assert world.council_action.status == "not_started"
    event = _refusals(world.council_action, world.users["police_contributor"])[0]
    assert event.object_id == str(world.council_action.pk)
    assert event.partnership == world.children


def test_refusal_comes_before_checking_the_values(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    # Even with a value that would not validate, the answer is the refusal, and it is logged.
    response = caller("police_contributor").patch(
        f"/partnerships/tscp/actions/{world.council_action.pk}", {"owner_agency": 999999}
    )
    _assert_refused(response, world.council_action, world.users["police_contributor"], "change")


def test_police_contributor_cannot_hand_own_action_to_council(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    response = caller("police_contributor").patch(
        f"/partnerships/tscp/actions/{world.police_action.pk}",
        {"owner_agency": world.council.pk},
    )
    _assert_refused(response, world.police_action, world.users["police_contributor"], "change")
    world.police_action.refresh_from_db()
    assert world.police_action.owner_agency == world.police


def test_police_contributor_cannot_create_or_delete_actions(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    police = caller("police_contributor")
    created = police.post(
        "/partnerships/tscp/actions/",
        {
            "priority": world.priority.pk,
            "title": "Extra action",
            "owner_agency": world.police.pk,
            "lead": "Inspector",
            "due_date": "2025-03-31",
        },
    )
    _assert_refused(created, world.police_action, world.users["police_contributor"], "add")
    assert m.DeliveryAction.objects.count() == 2
    deleted = police.delete(f"/partnerships/tscp/actions/{world.police_action.pk}")
    assert deleted.status_code == 403
    assert m.DeliveryAction.objects.filter(pk=world.police_action.pk).exists()
    assert any(
        e.note.startswith("delete")
        for e in _refusals(world.police_action, world.users["police_contributor"])
    )


def test_police_contributor_and_recommendations(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    police = caller("police_contributor")
    own = police.patch(
        f"/partnerships/tscp/recommendations/{world.police_recommendation.pk}",
        {"status": "in_progress", "actions": "Briefing to all response teams."},
    )
    assert own.status_code == 200, own.content
    world.police_recommendation.refresh_from_db()
    assert world.police_recommendation.status == "in_progress"
    other = police.patch(
        f"/partnerships/tscp/recommendations/{world.council_recommendation.pk}",
        {"status": "implemented"},
    )
    _assert_refused(
        other, world.council_recommendation, world.users["police_contributor"], "change"
    )
    world.council_recommendation.refresh_from_db()
    assert world.council_recommendation.status == "not_started"


def test_police_contributor_adds_updates_only_to_police_actions(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    police = caller("police_contributor")
    body = {"date": "2024-12-01", "note": "All officers trained.", "rag": "green"}
    own = police.post("/partnerships/tscp/updates/", {**body, "action": world.police_action.pk})
    assert own.status_code == 201, own.content
    other = police.post("/partnerships/tscp/updates/", {**body, "action": world.council_action.pk})
    assert other.status_code == 403
    assert m.ProgressUpdate.objects.filter(action=world.council_action).count() == 0
    refused = AuditEvent.objects.get(
        action="refused", user=world.users["police_contributor"], via="api"
    )
    assert refused.note == "add progress_update"


def test_contributor_reads_the_rest_of_the_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    police = caller("police_contributor")
    assert police.get("/partnerships/tscp/reviews/").json()["count"] == 1
    assert police.get(f"/partnerships/tscp/actions/{world.council_action.pk}").status_code == 200
    assert police.get("/areas/testbury/agencies/").json()["count"] == 4


def test_contributor_cannot_create_challenges(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("council_contributor").post(
        "/partnerships/tscp/challenges/",
        {"period": world.period.pk, "title": "Capacity", "description": "Too few staff."},
    )
    assert response.status_code == 403
    assert m.Challenge.objects.count() == 0
    assert AuditEvent.objects.filter(
        action="refused", via="api", user=world.users["council_contributor"]
    ).exists()


# --- board member -------------------------------------------------------------------------


def test_board_member_reads_everything_in_the_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    board = caller("board_member")
    for path in (
        "/partnerships/tscp",
        "/partnerships/tscp/actions/",
        f"/partnerships/tscp/actions/{world.police_action.pk}",
        "/partnerships/tscp/recommendations/",
        "/partnerships/tscp/priorities/",
        "/areas/testbury/agencies/",
        "/periods/",
    ):
        assert board.get(path).status_code == 200, path


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/partnerships/tscp/actions/{police_action}", {"rag": "red"}),
        ("delete", "/partnerships/tscp/actions/{police_action}", None),
        ("patch", "/partnerships/tscp/recommendations/{police_recommendation}", {"text": "x"}),
        ("patch", "/partnerships/tscp", {"description": "changed"}),
        ("delete", "/partnerships/tscp/reviews/{review}", None),
        ("post", "/partnerships/tscp/priorities/", "priority"),
        ("post", "/areas/testbury/agencies/", {"name": "New agency", "sector": "housing"}),
        ("post", "/periods/", {"label": "2030-31"}),
    ],
)
def test_board_member_is_read_only(
    world: Any, caller: Callable[[str], Caller], method: str, path: str, body: Any
) -> None:
    ids = {
        "police_action": world.police_action.pk,
        "police_recommendation": world.police_recommendation.pk,
        "review": world.review.pk,
    }
    if body == "priority":
        body = {"title": "New", "description": "New.", "periods": [world.period.pk]}
    board = caller("board_member")
    before = AuditEvent.objects.exclude(action="refused").count()
    call = getattr(board, method)
    response = call(path.format(**ids), body) if body is not None else call(path.format(**ids))
    assert response.status_code == 403, response.content
    problem(response)
    assert AuditEvent.objects.exclude(action="refused").count() == before
    assert AuditEvent.objects.filter(
        action="refused", via="api", user=world.users["board_member"]
    ).exists()


# --- business managers --------------------------------------------------------------------


def test_business_manager_does_everything_in_own_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    response = manager.patch(
        f"/partnerships/tscp/recommendations/{world.council_recommendation.pk}",
        {"accepted": False, "reason_not_accepted": "Already covered by recommendation 1."},
    )
    assert response.status_code == 200, response.content
    deleted = manager.delete(f"/partnerships/tscp/recommendations/{world.police_recommendation.pk}")
    assert deleted.status_code == 204


def test_business_manager_cannot_create_or_delete_partnerships(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    created = manager.post(
        "/partnerships/",
        {"area": world.area.pk, "name": "New", "short_name": "N", "slug": "new", "kind": "other"},
    )
    assert created.status_code == 403
    assert not m.Partnership.objects.filter(slug="new").exists()
    deleted = manager.delete("/partnerships/tscp")
    assert deleted.status_code == 403
    assert m.Partnership.objects.filter(slug="tscp").exists()


def test_business_manager_adds_periods_but_cannot_change_them(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    assert manager.post("/periods/", {"label": "2025-26"}).status_code == 201
    changed = manager.patch(f"/periods/{world.period.pk}", {"label": "2026-27"})
    _assert_refused(changed, world.period, world.users["business_manager"], "change")
    world.period.refresh_from_db()
    assert world.period.label == "2024-25"


def test_other_partnership_manager_gets_404_everywhere(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    other = caller("other_manager")
    action = world.police_action.pk
    assert other.get("/partnerships/").json()["items"][0]["slug"] == "esab"
    for response in (
        other.get("/partnerships/tscp"),
        other.get("/partnerships/tscp/actions/"),
        other.get(f"/partnerships/tscp/actions/{action}"),
        other.patch(f"/partnerships/tscp/actions/{action}", {"status": "completed"}),
        other.delete(f"/partnerships/tscp/actions/{action}"),
        other.post(
            "/partnerships/tscp/challenges/",
            {"period": world.period.pk, "title": "x", "description": "y"},
        ),
        other.get(f"/partnerships/esab/actions/{action}"),
        other.patch(f"/partnerships/esab/actions/{action}", {"status": "completed"}),
        other.get("/areas/testbury/agencies/"),
        other.get(f"/areas/testbury/agencies/{world.police.pk}"),
    ):
        assert response.status_code == 404, response.content
        problem(response)
    world.police_action.refresh_from_db()
    assert world.police_action.status == "in_progress"
    # A record one cannot see is not even logged as refused: it was never found.
    assert not AuditEvent.objects.filter(user=world.users["other_manager"]).exists()


def test_the_same_404_for_missing_and_invisible_records(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    other = caller("other_manager")
    invisible = other.get("/partnerships/tscp")
    missing = other.get("/partnerships/no-such-partnership")
    assert invisible.status_code == missing.status_code == 404
    assert problem(invisible)["detail"].replace("tscp", "X") == problem(missing)["detail"].replace(
        "no-such-partnership", "X"
    )


def test_a_malformed_body_does_not_reveal_whether_a_partnership_exists(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    # The body is checked before the partnership is looked up, so both answers must match.
    other = caller("other_manager")
    invisible = other.post("/partnerships/tscp/challenges/", {"title": 5})
    missing = other.post("/partnerships/nowhere/challenges/", {"title": 5})
    assert invisible.status_code == missing.status_code == 422
    assert invisible.json() == missing.json()


def test_adults_manager_sees_shared_area_records_but_not_the_childrens_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    sab = caller("adults_manager")
    assert sab.get("/partnerships/tscp/actions/").status_code == 404
    agencies = sab.get("/areas/testbury/agencies/")
    assert agencies.status_code == 200
    assert agencies.json()["count"] == 4
    assert sab.get("/areas/elsewhere/agencies/").status_code == 404


def test_a_record_is_only_found_under_its_own_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    adults_priority = m.Priority.objects.create(
        partnership=world.adults, title="Self-neglect", description="Hoarding."
    )
    admin = caller("administrator")
    assert admin.get(f"/partnerships/tscp/priorities/{adults_priority.pk}").status_code == 404
    assert admin.get(f"/partnerships/tsab/priorities/{adults_priority.pk}").status_code == 200
    assert admin.get(f"/partnerships/tsab/actions/{world.police_action.pk}").status_code == 404


def test_references_must_stay_inside_the_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    adults_priority = m.Priority.objects.create(
        partnership=world.adults, title="Self-neglect", description="Hoarding."
    )
    other_review = m.LearningReview.objects.create(
        partnership=world.other,
        kind="sar_mandatory",
        pseudonym="Adult E",
        referral_date=datetime.date(2024, 4, 2),
    )
    manager = caller("business_manager")
    action = manager.post(
        "/partnerships/tscp/actions/",
        {
            "priority": adults_priority.pk,
            "title": "Misfiled",
            "owner_agency": world.other_council.pk,
            "lead": "Lead",
            "due_date": "2025-03-31",
        },
    )
    assert action.status_code == 422
    errors = {e["field"]: e["message"] for e in problem(action)["errors"]}
    assert errors["priority"].startswith("Priority: There is no priority in this partnership")
    assert errors["owner_agency"].startswith("Owner agency: There is no partner agency in this")
    recommendation = manager.post(
        "/partnerships/tscp/recommendations/",
        {"review": other_review.pk, "number": 1, "text": "Misfiled."},
    )
    assert recommendation.status_code == 422
    assert m.Recommendation.objects.filter(review=other_review).count() == 0
    moved = manager.patch(
        f"/partnerships/tscp/actions/{world.police_action.pk}", {"priority": adults_priority.pk}
    )
    assert moved.status_code == 422
    world.police_action.refresh_from_db()
    assert world.police_action.priority == world.priority


def test_person_without_a_role_sees_nothing(world: Any, caller: Callable[[str], Caller]) -> None:
    nobody = caller("no_role")
    assert nobody.get("/partnerships/").json() == {
        "count": 0,
        "limit": 50,
        "offset": 0,
        "items": [],
    }
    assert nobody.get("/partnerships/tscp/actions/").status_code == 404
    assert nobody.get("/areas/").json() == []
    assert nobody.get("/periods/").status_code == 403


def test_administrator_reaches_every_partnership(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    admin = caller("administrator")
    slugs = {p["slug"] for p in admin.get("/partnerships/").json()["items"]}
    assert slugs == {"tscp", "tsab", "esab"}
    assert admin.patch("/partnerships/esab", {"description": "Elsewhere's board."}).status_code == (
        200
    )
