"""Listing, reading, creating, changing and deleting records of every kind through the API."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records import models as m
from safeguarding.web.records.registry import RECORD_TYPES
from tests.web.api.support import Caller


def _events(instance: Any, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)),
            object_id=str(instance.pk),
            action=action,
        )
    )


def _collection(record_type: Any, world: Any) -> tuple[str, int]:
    """The list address of ``record_type`` in the test world, and how many records it holds."""
    model = record_type.model
    if record_type.key == "partnership":
        return "/partnerships/", model.objects.count()
    if record_type.key == "strategy_theme":
        strategy = m.Strategy.objects.create(
            area=world.area,
            title="Health and Wellbeing Strategy",
            kind="health_and_wellbeing",
            start_year=2024,
            end_year=2028,
        )
        m.StrategyTheme.objects.create(strategy=strategy, title="Start well")
        return f"/areas/testbury/strategies/{strategy.pk}/themes/", 1
    if record_type.area_path:
        expected = model.objects.filter(**{record_type.area_path: world.area}).count()
        return f"/areas/testbury/{record_type.slug}/", expected
    if record_type.partnership_path:
        expected = model.objects.filter(**{record_type.partnership_path: world.children}).count()
        return f"/partnerships/tscp/{record_type.slug}/", expected
    return f"/{record_type.slug}/", model.objects.count()


@pytest.mark.parametrize("record_type", RECORD_TYPES, ids=lambda t: t.key)
def test_every_record_type_can_be_listed(
    record_type: Any, world: Any, caller: Callable[[str], Caller]
) -> None:
    path, expected = _collection(record_type, world)
    response = caller("administrator").get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"count", "limit", "offset", "items"}
    assert body["count"] == len(body["items"]) == expected
    for item in body["items"]:
        assert isinstance(item["id"], int)
        one = caller("administrator").get(
            path + (item["slug"] if record_type.key == "partnership" else str(item["id"]))
        )
        assert one.status_code == 200
        assert one.json() == item


def test_list_actions_gives_ids_codes_and_labels(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    body = caller("board_member").get("/partnerships/tscp/actions/").json()
    assert body["count"] == 2
    by_title = {a["title"]: a for a in body["items"]}
    police = by_title["Train response officers on neglect"]
    assert police["id"] == world.police_action.pk
    assert police["owner_agency"] == world.police.pk
    assert police["priority"] == world.priority.pk
    assert (police["status"], police["status_label"]) == ("in_progress", "In progress")
    assert (police["rag"], police["rag_label"]) == ("amber", "Amber")
    assert police["due_date"] == "2025-03-31"


def test_get_one_action(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("police_contributor").get(
        f"/partnerships/tscp/actions/{world.council_action.pk}"
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Refresh the neglect toolkit"


def test_create_action_is_saved_and_audited_as_api(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    response = caller("business_manager").post(
        "/partnerships/tscp/actions/",
        {
            "priority": world.priority.pk,
            "title": "Audit neglect referrals from schools",
            "owner_agency": world.school.pk,
            "lead": "Designated safeguarding lead",
            "due_date": "2025-06-30",
            "rag": "green",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    action = m.DeliveryAction.objects.get(pk=body["id"])
    assert action.owner_agency == world.school
    assert action.due_date == datetime.date(2025, 6, 30)
    assert action.status == "not_started"  # the model's default when none is sent
    assert body["status_label"] == "Not started"
    (created,) = _events(action, "create")
    assert created.via == "api"
    assert created.user == world.users["business_manager"]
    assert created.partnership == world.children
    assert created.changes["title"] == [None, "Audit neglect referrals from schools"]


def test_patch_changes_only_the_fields_sent_and_is_audited(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    action = world.council_action
    response = caller("business_manager").patch(
        f"/partnerships/tscp/actions/{action.pk}", {"status": "completed", "rag": "green"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "completed"
    action.refresh_from_db()
    assert (action.status, action.rag, action.title) == (
        "completed",
        "green",
        "Refresh the neglect toolkit",
    )
    (updated,) = _events(action, "update")
    assert updated.via == "api"
    assert updated.changes == {"rag": ["red", "green"], "status": ["not_started", "completed"]}


def test_patch_with_nothing_changes_nothing(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("business_manager").patch(
        f"/partnerships/tscp/actions/{world.police_action.pk}", {}
    )
    assert response.status_code == 200
    assert response.json()["title"] == world.police_action.title
    assert _events(world.police_action, "update") == []


def test_delete_is_audited_with_what_was_held(world: Any, caller: Callable[[str], Caller]) -> None:
    achievement = m.Achievement.objects.create(
        partnership=world.children,
        period=world.period,
        title="Neglect toolkit used by every school",
        description="All 60 schools now use the toolkit.",
    )
    pk = achievement.pk
    response = caller("business_manager").delete(f"/partnerships/tscp/achievements/{pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert not m.Achievement.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="delete", object_id=str(pk))
    assert event.via == "api"
    assert event.changes["title"] == ["Neglect toolkit used by every school", None]


def test_progress_update_names_its_action_and_is_listed_by_it(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    police = caller("police_contributor")
    response = police.post(
        "/partnerships/tscp/updates/",
        {
            "action": world.police_action.pk,
            "date": "2024-11-01",
            "note": "Two of five training sessions delivered.",
            "evidence_url": "https://example.org/minutes",
            "rag": "amber",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["action"] == world.police_action.pk
    m.ProgressUpdate.objects.create(
        action=world.council_action, date=datetime.date(2024, 10, 1), note="Drafted.", rag="red"
    )
    listed = police.get("/partnerships/tscp/updates/", {"action": world.police_action.pk})
    assert [u["note"] for u in listed.json()["items"]] == [
        "Two of five training sessions delivered."
    ]
    assert police.get("/partnerships/tscp/updates/").json()["count"] == 2


def test_the_parent_of_an_update_cannot_be_changed(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    update = m.ProgressUpdate.objects.create(
        action=world.police_action, date=datetime.date(2024, 10, 1), note="Started.", rag="green"
    )
    response = caller("business_manager").patch(
        f"/partnerships/tscp/updates/{update.pk}", {"action": world.council_action.pk}
    )
    assert response.status_code == 422
    update.refresh_from_db()
    assert update.action == world.police_action


def test_recommendation_is_made_under_its_review(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    response = manager.post(
        "/partnerships/tscp/recommendations/",
        {
            "review": world.review.pk,
            "number": 3,
            "text": "Schools escalate neglect concerns after two missed meetings.",
            "owner_agency": world.school.pk,
            "target_date": "2025-09-01",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["review"], body["number"], body["accepted"]) == (world.review.pk, 3, True)
    listed = manager.get("/partnerships/tscp/recommendations/", {"review": world.review.pk})
    assert [r["number"] for r in listed.json()["items"]] == [1, 2, 3]


def test_priority_with_periods_and_filter_by_period(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    response = manager.post(
        "/partnerships/tscp/priorities/",
        {
            "title": "Exploitation",
            "description": "Protect teenagers from criminal exploitation.",
            "periods": [world.period.pk],
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["periods"] == [world.period.pk]
    both = manager.get("/partnerships/tscp/priorities/", {"periods": world.period.pk}).json()
    assert sorted(p["title"] for p in both["items"]) == ["Exploitation", "Neglect"]
    earlier = manager.get(
        "/partnerships/tscp/priorities/", {"periods": world.previous_period.pk}
    ).json()
    assert [p["title"] for p in earlier["items"]] == ["Neglect"]
    patched = manager.patch(
        f"/partnerships/tscp/priorities/{response.json()['id']}",
        {"periods": [world.previous_period.pk, world.period.pk]},
    )
    assert sorted(patched.json()["periods"]) == sorted([world.previous_period.pk, world.period.pk])


def test_priority_review_names_its_priority(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("business_manager").post(
        "/partnerships/tscp/priority-reviews/",
        {
            "priority": world.priority.pk,
            "period": world.period.pk,
            "outcome": "continuing",
            "summary": "Referrals from schools rose by a third.",
            "reviewed_on": "2025-04-20",
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["outcome_label"] == "Continuing unchanged"
    assert m.PriorityReview.objects.get().priority == world.priority


def test_learning_review_with_codes_and_filters(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    response = manager.post(
        "/partnerships/tscp/reviews/",
        {
            "kind": "rapid_review",
            "pseudonym": "Child W",
            "referral_date": "2024-09-10",
            "themes": ["professional_curiosity"],
            "abuse_types": ["physical", "neglect"],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["abuse_types"] == ["physical", "neglect"]
    assert len(body["abuse_types_labels"]) == 2
    assert body["status"] == "referred"

    def pseudonyms(**params: Any) -> list[str]:
        page = manager.get("/partnerships/tscp/reviews/", params).json()
        return sorted(r["pseudonym"] for r in page["items"])

    assert pseudonyms(abuse_types="neglect") == ["Child T", "Child W"]
    assert pseudonyms(abuse_types="physical") == ["Child W"]
    assert pseudonyms(themes="information_sharing") == ["Child T"]
    assert pseudonyms(kind="rapid_review") == ["Child W"]
    assert pseudonyms(status="in_progress") == ["Child T"]


def test_filters_and_search_on_actions(world: Any, caller: Callable[[str], Caller]) -> None:
    board = caller("board_member")

    def titles(**params: Any) -> list[str]:
        response = board.get("/partnerships/tscp/actions/", params)
        assert response.status_code == 200, response.content
        return [a["title"] for a in response.json()["items"]]

    assert titles(owner_agency=world.police.pk) == ["Train response officers on neglect"]
    assert titles(status="not_started") == ["Refresh the neglect toolkit"]
    assert titles(rag="amber", owner_agency=world.police.pk) == [
        "Train response officers on neglect"
    ]
    assert titles(rag="green") == []
    assert titles(q="TOOLKIT") == ["Refresh the neglect toolkit"]
    assert titles(q="detective") == ["Train response officers on neglect"]  # the lead
    assert titles(q="neglect", priority=world.priority.pk) == [
        "Refresh the neglect toolkit",
        "Train response officers on neglect",
    ]
    assert titles(priority=999999) == []


def test_pagination_counts_all_and_pages_through(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    for n in range(7):
        m.Challenge.objects.create(
            partnership=world.children,
            period=world.period,
            title=f"Challenge {n}",
            description="Capacity in the front door.",
        )
    manager = caller("business_manager")
    seen: list[int] = []
    for offset in (0, 3, 6):
        page = manager.get("/partnerships/tscp/challenges/", {"limit": 3, "offset": offset}).json()
        assert page["count"] == 7
        assert (page["limit"], page["offset"]) == (3, offset)
        seen += [c["id"] for c in page["items"]]
    assert len(seen) == len(set(seen)) == 7


def test_audit_with_agencies_many_to_many(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("business_manager").post(
        "/partnerships/tscp/audits/",
        {
            "topic": "Neglect in under-fives",
            "period": world.period.pk,
            "agencies": [world.police.pk, world.council.pk, world.police.pk],
            "cases_audited": 12,
        },
    )
    assert response.status_code == 201, response.content
    audit = m.MultiAgencyAudit.objects.get(pk=response.json()["id"])
    assert set(audit.agencies.all()) == {world.police, world.council}
    assert response.json()["agencies"] == sorted([world.police.pk, world.council.pk])


def test_area_records_agency_strategy_and_theme(
    world: Any, caller: Callable[[str], Caller]
) -> None:
    manager = caller("business_manager")
    agency = manager.post(
        "/areas/testbury/agencies/", {"name": "Testbury Housing Trust", "sector": "housing"}
    )
    assert agency.status_code == 201, agency.content
    assert m.PartnerAgency.objects.get(pk=agency.json()["id"]).area == world.area
    strategy = manager.post(
        "/areas/testbury/strategies/",
        {
            "title": "Joint Health and Wellbeing Strategy 2024-2028",
            "kind": "health_and_wellbeing",
            "start_year": 2024,
            "end_year": 2028,
        },
    )
    assert strategy.status_code == 201, strategy.content
    strategy_id = strategy.json()["id"]
    theme = manager.post(
        f"/areas/testbury/strategies/{strategy_id}/themes/",
        {"order": 1, "title": "Start well", "description": "Every child has the best start."},
    )
    assert theme.status_code == 201, theme.content
    assert theme.json()["strategy"] == strategy_id
    themes = manager.get(f"/areas/testbury/strategies/{strategy_id}/themes/").json()
    assert [t["title"] for t in themes["items"]] == ["Start well"]
    assert manager.get("/areas/").json()[0]["slug"] == "testbury"


def test_reporting_periods(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    response = manager.post("/periods/", {"label": "2025-26"})
    assert response.status_code == 201, response.content
    labels = [p["label"] for p in manager.get("/periods/").json()["items"]]
    assert labels == ["2023-24", "2024-25", "2025-26"]


def test_partnership_read_and_change_by_slug(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    body = manager.get("/partnerships/tscp").json()
    assert (body["id"], body["kind"], body["area"]) == (
        world.children.pk,
        "children",
        world.area.pk,
    )
    response = manager.patch("/partnerships/tscp", {"independent_chair": "Independent Chair"})
    assert response.status_code == 200
    world.children.refresh_from_db()
    assert world.children.independent_chair == "Independent Chair"


def test_administrator_creates_a_partnership(world: Any, caller: Callable[[str], Caller]) -> None:
    response = caller("administrator").post(
        "/partnerships/",
        {
            "area": world.area.pk,
            "name": "Testbury Community Safety Partnership",
            "short_name": "TCSP",
            "slug": "tcsp",
            "kind": "other",
        },
    )
    assert response.status_code == 201, response.content
    assert m.Partnership.objects.get(slug="tcsp").area == world.area


def test_membership_and_subgroup(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    housing = m.PartnerAgency.objects.create(area=world.area, name="Housing", sector="housing")
    member = manager.post(
        "/partnerships/tscp/members/", {"agency": housing.pk, "kind": "relevant_agency"}
    )
    assert member.status_code == 201, member.content
    assert member.json()["partnership"] == world.children.pk
    subgroup = manager.post(
        "/partnerships/tscp/subgroups/",
        {"name": "Neglect subgroup", "chair_agency": world.council.pk},
    )
    assert subgroup.status_code == 201, subgroup.content
    listed = manager.get("/partnerships/tscp/members/", {"kind": "relevant_agency"}).json()
    assert sorted(i["agency"] for i in listed["items"]) == sorted([world.school.pk, housing.pk])


def test_feedback_and_challenge(world: Any, caller: Callable[[str], Caller]) -> None:
    manager = caller("business_manager")
    source = "focus_group"
    feedback = manager.post(
        "/partnerships/tscp/feedback/",
        {
            "source": source,
            "date": "2024-12-01",
            "summary": "Focus group with six young carers",
            "what_was_said": "Nobody asked us how things were at home.",
            "priority": world.priority.pk,
        },
    )
    assert feedback.status_code == 201, feedback.content
    assert feedback.json()["source"] == source
    challenge = manager.post(
        "/partnerships/tscp/challenges/",
        {
            "period": world.period.pk,
            "title": "Health visitor vacancies",
            "description": "A third of posts vacant.",
        },
    )
    assert challenge.status_code == 201, challenge.content
    assert challenge.json()["priority"] is None
