"""Who may do what, role by role, on every record type, in and out of their partnership.

The expected permissions are written out below as a table, independently of the matrix in
``safeguarding.web.permissions``, so that a change to the matrix has to be made in both places.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from safeguarding.web import permissions
from safeguarding.web.accounts.models import RoleAssignment
from safeguarding.web.alignment.models import SharedPrioritiesAnalysis, ThemeTaxonomy
from safeguarding.web.dashboards.models import DashboardPanel, NeighbourSet, SharedIndicator
from safeguarding.web.permissions import (
    ACTIONS,
    PERMISSIONS,
    RECORD_TYPES,
    Scope,
    can,
    can_on,
    roles_in,
    visible_areas,
    visible_partnerships,
)
from safeguarding.web.records import models as m
from safeguarding.web.reports.models import AnnualReport, MemberContribution, PublishedReport
from safeguarding.web.results.models import IndicatorLoad
from tests.conftest import World

# One column per role; each cell spells view, add, change, delete in that order. A capital
# letter is allowed, a small letter is allowed only on records owned by the person's own agency,
# and "-" is not allowed.
EXPECTED_TABLE = """
record type          administrator  business_manager  agency_contributor  board_member
partnership          VACD           V-C-              V---                V---
agency_membership    VACD           VACD              V---                V---
subgroup             VACD           VACD              V---                V---
priority             VACD           VACD              V---                V---
priority_review      VACD           VACD              V---                V---
delivery_action      VACD           VACD              V-c-                V---
progress_update      VACD           VACD              Vac-                V---
achievement          VACD           VACD              V---                V---
challenge            VACD           VACD              V---                V---
learning_review      VACD           VACD              V---                V---
recommendation       VACD           VACD              V-c-                V---
audit                VACD           VACD              V---                V---
feedback             VACD           VACD              V---                V---
dashboard_panel      VACD           VACD              V---                V---
shared_indicator     VACD           VACD              V-c-                V---
annual_report        VACD           VACD              V---                V---
member_contribution  VACD           VACD              Vac-                V---
agency               VACD           VAC-              V---                V---
strategy             VACD           VAC-              V---                V---
strategy_theme       VACD           VACD              V---                V---
neighbour_set        VACD           VAC-              V---                V---
shared_priorities_analysis VACD     VAC-              V---                V---
reporting_period     VACD           VA--              V---                V---
indicator_load       VACD           VA--              V---                V---
theme_taxonomy       VACD           VAC-              V---                V---
"""


def _parse_table(text: str) -> dict[str, dict[str, str]]:
    header, *rows = [line.split() for line in text.strip().splitlines()]
    roles = header[2:]
    return {row[0]: dict(zip(roles, row[1:], strict=True)) for row in rows}


EXPECTED = _parse_table(EXPECTED_TABLE)
ROLES = ("administrator", "business_manager", "agency_contributor", "board_member")

# Record types that belong to one partnership, to an area, or to the whole platform.
PARTNERSHIP_TYPES = {
    "partnership",
    "agency_membership",
    "subgroup",
    "priority",
    "priority_review",
    "delivery_action",
    "progress_update",
    "achievement",
    "challenge",
    "learning_review",
    "recommendation",
    "audit",
    "feedback",
    "dashboard_panel",
    "shared_indicator",
    "annual_report",
    "member_contribution",
}
AREA_TYPES = {"agency", "strategy", "strategy_theme", "neighbour_set", "shared_priorities_analysis"}
PLATFORM_TYPES = {"reporting_period", "indicator_load", "theme_taxonomy"}
OWNED_TYPES = {
    "delivery_action",
    "progress_update",
    "recommendation",
    "shared_indicator",
    "member_contribution",
}


def test_the_table_covers_every_role_and_record_type() -> None:
    assert set(EXPECTED) == set(RECORD_TYPES) == PARTNERSHIP_TYPES | AREA_TYPES | PLATFORM_TYPES
    assert set(PERMISSIONS) == set(ROLES)
    for record_type, by_role in EXPECTED.items():
        assert set(by_role) == set(ROLES), record_type


@dataclass(frozen=True)
class Place:
    """Where a test record is put, relative to the people in the ``world`` fixture."""

    name: str
    partnership: str
    owner: str
    same_partnership: bool
    same_area: bool
    own_agency: bool


# The people in the world hold their roles in the children's partnership; the contributor
# works for the police.
PLACES = (
    Place("own partnership, own agency", "children", "police", True, True, True),
    Place("own partnership, another agency", "children", "council", True, True, False),
    Place("another partnership in the area", "adults", "police", False, True, True),
    Place("a partnership in another area", "other", "other_council", False, False, False),
)

USERS = {
    "administrator": "administrator",
    "business_manager": "business_manager",
    "agency_contributor": "police_contributor",
    "board_member": "board_member",
}


def expected(role: str, record_type: str, action: str, place: Place) -> bool:
    """What the table and the module's rules say ``role`` may do to a record in ``place``."""
    cell = EXPECTED[record_type][role][ACTIONS.index(action)]
    if cell == "-":
        return False
    if role != "administrator":
        if record_type in PARTNERSHIP_TYPES and not place.same_partnership:
            return False
        if record_type in AREA_TYPES and not place.same_area:
            return False
    if cell.islower():
        return place.own_agency and record_type in OWNED_TYPES
    return True


def build(record_type: str, world: World, place: Place) -> Any:
    """A saved record of ``record_type`` in ``place``, with all its parents."""
    partnership: m.Partnership = getattr(world, place.partnership)
    owner: m.PartnerAgency = getattr(world, place.owner)
    area = partnership.area
    day = datetime.date(2024, 9, 1)

    def priority() -> m.Priority:
        return m.Priority.objects.create(
            partnership=partnership, title=f"Priority in {place.name}", description="Invented."
        )

    def action() -> m.DeliveryAction:
        return m.DeliveryAction.objects.create(
            priority=priority(),
            title="Run a multi-agency briefing",
            owner_agency=owner,
            lead="Service manager",
            due_date=datetime.date(2025, 3, 31),
        )

    def review() -> m.LearningReview:
        return m.LearningReview.objects.create(
            partnership=partnership, kind="thematic", pseudonym="Adult K", referral_date=day
        )

    def strategy() -> m.Strategy:
        return m.Strategy.objects.create(
            area=area,
            title="Living well",
            kind="health_and_wellbeing",
            start_year=2024,
            end_year=2029,
        )

    builders: dict[str, Callable[[], Any]] = {
        "partnership": lambda: partnership,
        "agency_membership": lambda: partnership.members.get(agency=owner),
        "subgroup": lambda: m.Subgroup.objects.create(
            partnership=partnership, name=f"Learning ({place.name})"
        ),
        "priority": priority,
        "priority_review": lambda: m.PriorityReview.objects.create(
            priority=priority(),
            period=world.period,
            outcome="continuing",
            summary="-",
            reviewed_on=day,
        ),
        "delivery_action": action,
        "progress_update": lambda: m.ProgressUpdate.objects.create(
            action=action(), date=day, note="Briefing held.", rag="green"
        ),
        "achievement": lambda: m.Achievement.objects.create(
            partnership=partnership, period=world.period, title="Toolkit", description="-"
        ),
        "challenge": lambda: m.Challenge.objects.create(
            partnership=partnership, period=world.period, title="Staffing", description="-"
        ),
        "learning_review": review,
        "recommendation": lambda: m.Recommendation.objects.create(
            review=review(), number=1, text="Share the learning.", owner_agency=owner
        ),
        "audit": lambda: m.MultiAgencyAudit.objects.create(
            partnership=partnership, topic="Neglect", period=world.period
        ),
        "feedback": lambda: m.LivedExperienceFeedback.objects.create(
            partnership=partnership,
            source="survey",
            date=day,
            summary="Survey of carers",
            what_was_said="Tell us who to call.",
        ),
        "dashboard_panel": lambda: DashboardPanel.objects.create(
            partnership=partnership, priority=priority(), indicator="adults.concerns"
        ),
        "shared_indicator": lambda: SharedIndicator.objects.create(
            partnership=partnership,
            code=f"incidents-{SharedIndicator.objects.count()}",
            title="Domestic abuse incidents",
            definition="Incidents recorded by the police.",
            unit="count",
            owner_agency=owner,
        ),
        "neighbour_set": lambda: NeighbourSet.objects.get_or_create(
            area=area, defaults={"neighbours": [{"code": "E06000098", "name": "Brackenford"}]}
        )[0],
        "annual_report": lambda: AnnualReport.objects.get_or_create(
            partnership=partnership, period=world.period
        )[0],
        "member_contribution": lambda: MemberContribution.objects.get_or_create(
            membership=partnership.members.get(agency=owner),
            period=world.period,
            defaults={"contribution": "Ran the training."},
        )[0],
        "agency": lambda: owner,
        "strategy": strategy,
        "strategy_theme": lambda: m.StrategyTheme.objects.create(
            strategy=strategy(), title="Start well"
        ),
        "shared_priorities_analysis": lambda: SharedPrioritiesAnalysis.objects.create(
            area=area, title="Shared priorities 2025-26", created_by_name="officer"
        ),
        "theme_taxonomy": lambda: ThemeTaxonomy.objects.create(
            text="version: test", version="test", created_by_name="officer"
        ),
        "reporting_period": lambda: world.period,
        "indicator_load": lambda: IndicatorLoad.objects.create(
            kind="uploaded", label="Adult indicators 2024-25", loaded_by_name="analyst", via="web"
        ),
    }
    return builders[record_type]()


def unsaved(instance: Any) -> Any:
    """A new, not yet saved record with the same parents, as a form would build it."""
    fresh = copy.copy(instance)
    fresh.pk = None
    fresh._state = copy.copy(instance._state)
    fresh._state.adding = True
    return fresh


@pytest.mark.parametrize("record_type", RECORD_TYPES)
@pytest.mark.parametrize("role", ROLES)
def test_role_on_record_type(world: World, role: str, record_type: str) -> None:
    user = world.users[USERS[role]]
    wrong = []
    for place in PLACES:
        record = build(record_type, world, place)
        scope = permissions.scope_of(record)
        for action in ACTIONS:
            want = expected(role, record_type, action, place)
            target = unsaved(record) if action == "add" else record
            got_on = can_on(user, action, target)
            got = can(user, action, record_type, scope)
            if got_on != want or got != want:
                wrong.append(f"{action} in {place.name}: expected {want}, can_on gave {got_on}")
    assert not wrong, f"{role} on {record_type}:\n" + "\n".join(wrong)


def test_the_table_would_catch_a_change_to_the_matrix(world: World, monkeypatch: Any) -> None:
    """A board member given 'change' on priorities no longer matches the table."""
    changed = {**PERMISSIONS["board_member"], "priority": frozenset({"view", "change"})}
    monkeypatch.setitem(PERMISSIONS, "board_member", changed)
    place = PLACES[0]
    record = build("priority", world, place)
    assert can_on(world.users["board_member"], "change", record) != expected(
        "board_member", "priority", "change", place
    )


def test_the_council_contributor_changes_only_the_councils_records(world: World) -> None:
    """The council contributor may change the council's action but not the police's."""
    council = world.users["council_contributor"]
    assert can_on(council, "change", world.council_action)
    assert not can_on(council, "change", world.police_action)
    assert can_on(council, "change", world.council_recommendation)
    assert not can_on(council, "change", world.police_recommendation)
    assert not can_on(council, "delete", world.council_action)


def test_a_contributor_cannot_touch_a_partnership_wide_recommendation(world: World) -> None:
    shared = m.Recommendation.objects.create(
        review=world.review, number=3, text="The partnership reviews its escalation policy."
    )
    assert shared.owner_agency_id is None
    police = world.users["police_contributor"]
    assert can_on(police, "view", shared)
    assert not can_on(police, "change", shared)
    assert can_on(world.users["business_manager"], "change", shared)


def test_a_progress_update_takes_its_owner_from_its_action(world: World) -> None:
    update = m.ProgressUpdate(
        action=world.police_action, date=datetime.date(2024, 10, 1), note="-", rag="amber"
    )
    assert can_on(world.users["police_contributor"], "add", update)
    assert not can_on(world.users["council_contributor"], "add", update)
    assert not can_on(world.users["board_member"], "add", update)


def test_a_superuser_without_assignments_is_an_administrator(world: World) -> None:
    root = get_user_model().objects.create_superuser("root", password="x-unused-x")
    assert not RoleAssignment.objects.filter(user=root).exists()
    assert permissions.is_administrator(root)
    assert can_on(root, "delete", world.other)
    assert can(root, "add", "partnership", Scope())
    assert set(visible_partnerships(root)) == {world.children, world.adults, world.other}
    assert set(visible_areas(root)) == {world.area, world.other_area}
    assert roles_in(root, world.other)


def test_an_inactive_user_can_do_nothing(world: World) -> None:
    for key in ("administrator", "business_manager", "police_contributor"):
        user = world.users[key]
        user.is_active = False
        user.save()
        user = get_user_model().objects.get(pk=user.pk)
        for action in ACTIONS:
            assert not can_on(user, action, world.police_action), (key, action)
            assert not can_on(user, action, world.period), (key, action)
        assert not visible_partnerships(user).exists()
        assert not visible_areas(user).exists()
        assert permissions.roles_of(user) == []


def test_an_inactive_superuser_can_do_nothing(world: World) -> None:
    root = get_user_model().objects.create_superuser("root", password="x-unused-x")
    root.is_active = False
    assert not can_on(root, "view", world.children)


def test_an_anonymous_visitor_can_do_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    visitor = AnonymousUser()
    assert not can_on(visitor, "view", world.children)
    assert not can_on(visitor, "view", world.period)
    assert not visible_partnerships(visitor).exists()
    assert not visible_areas(visitor).exists()


def test_a_user_with_no_role_sees_no_partnership(world: World) -> None:
    nobody = world.users["no_role"]
    assert not visible_partnerships(nobody).exists()
    assert not visible_areas(nobody).exists()
    assert roles_in(nobody, world.children) == []
    for record in (world.children, world.police_action, world.police, world.period):
        assert not can_on(nobody, "view", record)


def test_visible_partnerships_and_areas(world: World) -> None:
    manager = world.users["business_manager"]
    assert list(visible_partnerships(manager)) == [world.children]
    assert list(visible_areas(manager)) == [world.area]
    elsewhere = world.users["other_manager"]
    assert list(visible_partnerships(elsewhere)) == [world.other]
    assert list(visible_areas(elsewhere)) == [world.other_area]
    admin = world.users["administrator"]
    assert set(visible_partnerships(admin)) == {world.children, world.adults, world.other}
    assert set(visible_areas(admin)) == {world.area, world.other_area}


def test_a_user_with_roles_in_two_partnerships(world: World, make_user: Any) -> None:
    person = make_user("business_manager", world.children)
    RoleAssignment.objects.create(user=person, role="board_member", partnership=world.adults)
    person = get_user_model().objects.get(pk=person.pk)

    assert set(visible_partnerships(person)) == {world.children, world.adults}
    assert list(visible_areas(person)) == [world.area]
    assert [r.role for r in roles_in(person, world.children)] == ["business_manager"]
    assert [r.role for r in roles_in(person, world.adults)] == ["board_member"]
    assert roles_in(person, world.other) == []

    # Each role counts only in its own partnership.
    adults_priority = m.Priority.objects.create(
        partnership=world.adults, title="Self-neglect", description="-"
    )
    assert can_on(person, "change", world.priority)
    assert can_on(person, "view", adults_priority)
    assert not can_on(person, "change", adults_priority)
    assert not can_on(person, "delete", adults_priority)


def test_a_contributor_in_two_partnerships_for_the_same_agency(
    world: World, make_user: Any
) -> None:
    person = make_user("agency_contributor", world.children, world.police)
    RoleAssignment.objects.create(
        user=person, role="board_member", partnership=world.adults, agency=None
    )
    person = get_user_model().objects.get(pk=person.pk)
    adults_priority = m.Priority.objects.create(
        partnership=world.adults, title="Exploitation", description="-"
    )
    adults_action = m.DeliveryAction.objects.create(
        priority=adults_priority,
        title="Police exploitation leads attend the board",
        owner_agency=world.police,
        lead="Superintendent",
        due_date=datetime.date(2025, 6, 30),
    )
    # Owning the action does not lift a board member's read-only role in the adults' board.
    assert can_on(person, "view", adults_action)
    assert not can_on(person, "change", adults_action)
    assert can_on(person, "change", world.police_action)


def test_an_administrator_assignment_counts_everywhere(world: World) -> None:
    admin = world.users["administrator"]
    assert [r.role for r in roles_in(admin, world.other)] == ["administrator"]
    assert can_on(admin, "delete", world.other)
    assert can(admin, "add", "agency", Scope(area_id=world.other_area.pk))


@pytest.mark.parametrize(
    ("action", "record_type"),
    [("edit", "priority"), ("view", "item"), ("publish", "learning_review"), ("view", "")],
)
def test_unknown_action_or_record_type_raises(world: World, action: str, record_type: str) -> None:
    with pytest.raises(ValueError, match="unknown permission"):
        can(world.users["administrator"], action, record_type, Scope())  # type: ignore[arg-type]


def test_a_model_without_a_record_type_raises(world: World) -> None:
    with pytest.raises(KeyError):
        can_on(world.users["administrator"], "view", world.area)


def test_every_model_has_a_record_type() -> None:
    from django.apps import apps

    models = set(apps.get_app_config("records").get_models()) - {m.Area}
    # A load is the record people handle; its values and files are parts of it.
    models |= {IndicatorLoad}
    models |= set(apps.get_app_config("dashboards").get_models())
    # A published version is part of its report, never handled on its own.
    models |= set(apps.get_app_config("reports").get_models()) - {PublishedReport}
    models |= set(apps.get_app_config("alignment").get_models())
    assert set(permissions.MODEL_RECORD_TYPES) == models
    assert set(permissions.MODEL_RECORD_TYPES.values()) == set(RECORD_TYPES)


def test_a_manager_cannot_move_their_partnership_to_another_area(world: World) -> None:
    """Otherwise they would gain the other area's agencies and strategies."""
    manager = world.users["business_manager"]
    moved = m.Partnership.objects.get(pk=world.children.pk)
    moved.area = world.other_area
    assert not can_on(manager, "change", moved)
    assert can_on(world.users["administrator"], "change", moved)
