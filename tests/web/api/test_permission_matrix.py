"""Every cell of the permission matrix, through the API.

The cells come from ``safeguarding.web.permissions.PERMISSIONS`` itself: each role, each record
type the API offers, each action (view: list and read; add: POST; change: PATCH; delete:
DELETE), on a record in each place that matters to the rules: the person's own partnership and
agency, their own partnership but another agency (for record types an agency owns), another
partnership in the same area, and a partnership in another area (or, for an area's records, the
person's own area and another; for the platform's, the platform). A cell the matrix allows must
succeed and change the database; a refused one must answer 403, change nothing and be kept in
the audit trail; a record outside every partnership and area the person can see is "not found"
(404), changes nothing and leaves no trace, as if it did not exist.

The data are built once for the module, inside a transaction that is rolled back at its end;
each test runs in a savepoint of its own, so a deletion in one cell never reaches the next.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.test import Client

from safeguarding.web.accounts.models import ApiToken, RoleAssignment
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.dashboards.models import DashboardPanel, SharedIndicator
from safeguarding.web.permissions import (
    ACTIONS,
    AREA_RECORDS,
    PARTNERSHIP_RECORDS,
    PERMISSIONS,
    PLATFORM_RECORDS,
    RECORD_TYPES,
)
from safeguarding.web.records import models as m
from safeguarding.web.records.registry import BY_KEY
from safeguarding.web.reports.models import AnnualReport, MemberContribution
from tests.web.api.support import API, Caller, problem

pytestmark = pytest.mark.django_db

#: Record types of the matrix the API does not offer: dashboards' neighbour sets are kept on
#: the dashboard pages, indicator loads come in through uploads and the command line, and the
#: shared-priorities analysis and its theme taxonomy have pages of their own.
NOT_IN_API = frozenset(
    {"neighbour_set", "indicator_load", "shared_priorities_analysis", "theme_taxonomy"}
)
#: Record types the API offers, each of which every cell below covers.
IN_API = tuple(t for t in RECORD_TYPES if t not in NOT_IN_API)
#: Record types some role may change only when its own agency owns them.
OWNED = frozenset(
    record_type
    for grants in PERMISSIONS.values()
    for record_type, actions in grants.items()
    if any(action.endswith(":own") for action in actions)
)
ROLES = tuple(PERMISSIONS)
#: The agency the module's people work for, when their role acts for an agency.
HOME_AGENCY = "police"


@dataclass(frozen=True)
class Place:
    """Where a record sits, seen from the module's people (who hold their roles in ``home``)."""

    id: str
    partnership: str
    owner: str

    @property
    def same_partnership(self) -> bool:
        return self.partnership == "home"

    @property
    def same_area(self) -> bool:
        return self.partnership in ("home", "sibling")

    @property
    def own_agency(self) -> bool:
        return self.owner == HOME_AGENCY


OWN_AGENCY = Place("own-agency", "home", "police")
OTHER_AGENCY = Place("other-agency", "home", "council")
SIBLING = Place("other-partnership-same-area", "sibling", "police")
AWAY = Place("other-partnership-other-area", "away", "away_council")
OWN_AREA = Place("own-area", "home", "police")
OTHER_AREA = Place("other-area", "away", "away_council")
PLATFORM = Place("platform", "home", "police")


def places_of(record_type: str) -> tuple[Place, ...]:
    """The places where the rules can tell records of ``record_type`` apart."""
    if record_type in PARTNERSHIP_RECORDS:
        if record_type in OWNED:
            return (OWN_AGENCY, OTHER_AGENCY, SIBLING, AWAY)
        return (OWN_AGENCY, SIBLING, AWAY)
    if record_type in AREA_RECORDS:
        return (OWN_AREA, OTHER_AREA)
    assert record_type in PLATFORM_RECORDS
    return (PLATFORM,)


ALLOWED, REFUSED, HIDDEN = "allowed", "refused", "hidden"


def expected(role: str, record_type: str, action: str, place: Place) -> str:
    """What the matrix says, with the reach of a role: its partnership, area, or everywhere."""
    if role != "administrator":
        # A new partnership is in no partnership yet: only its area can be out of reach.
        new_partnership = record_type == "partnership" and action == "add"
        if record_type in PARTNERSHIP_RECORDS and not place.same_partnership:
            if not (new_partnership and place.same_area):
                return HIDDEN
        if record_type in AREA_RECORDS and not place.same_area:
            return HIDDEN
    granted = PERMISSIONS[role].get(record_type, frozenset())
    if action in granted or (f"{action}:own" in granted and place.own_agency):
        return ALLOWED
    return REFUSED


CELLS = [
    pytest.param(role, record_type, action, place, id=f"{role}-{record_type}-{action}-{place.id}")
    for role in ROLES
    for record_type in IN_API
    for action in ACTIONS
    for place in places_of(record_type)
]


# --- the module's data ---------------------------------------------------------------------


@dataclass
class Matrix:
    """The module's records, the targets of each cell and a caller per role."""

    areas: dict[str, m.Area]
    partnerships: dict[str, m.Partnership]
    agencies: dict[str, m.PartnerAgency]
    periods: dict[str, m.ReportingPeriod]
    users: dict[str, Any]
    callers: dict[str, Caller]
    #: (record type, place id) -> the record a cell reads, changes or deletes.
    targets: dict[tuple[str, str], models.Model] = field(default_factory=dict)
    #: (partnership key, name) -> a parent record new records hang from.
    parents: dict[tuple[str, str], models.Model] = field(default_factory=dict)


DAY = datetime.date(2024, 9, 1)


def _area_of(partnership: str) -> str:
    return "away" if partnership == "away" else "home"


def _people(partnership: m.Partnership, agency: m.PartnerAgency) -> dict[str, Any]:
    """One person per role of the matrix, holding it in ``partnership`` (and for ``agency``
    when the role acts for an agency); the administrator holds theirs everywhere."""
    users: dict[str, Any] = {}
    for role in ROLES:
        # No password: hashing one would only slow the module down.
        user = get_user_model().objects.create_user(username=f"matrix-{role}", password=None)
        acts_for_agency = any(
            a.endswith(":own") for actions in PERMISSIONS[role].values() for a in actions
        )
        RoleAssignment.objects.create(
            user=user,
            role=role,
            partnership=None if role == "administrator" else partnership,
            agency=agency if acts_for_agency else None,
        )
        users[role] = user
    return users


def _build() -> Matrix:
    areas = {
        "home": m.Area.objects.create(name="Brackwater", slug="brackwater"),
        "away": m.Area.objects.create(name="Fenmoor", slug="fenmoor"),
    }
    partnerships = {
        "home": m.Partnership.objects.create(
            area=areas["home"],
            name="Brackwater Safeguarding Children Partnership",
            short_name="BSCP",
            slug="bscp",
            kind="children",
        ),
        "sibling": m.Partnership.objects.create(
            area=areas["home"],
            name="Brackwater Safeguarding Adults Board",
            short_name="BSAB",
            slug="bsab",
            kind="adults",
        ),
        "away": m.Partnership.objects.create(
            area=areas["away"],
            name="Fenmoor Safeguarding Adults Board",
            short_name="FSAB",
            slug="fsab",
            kind="adults",
        ),
    }
    sectors = {
        "council": ("home", "Brackwater Council", "local_authority"),
        "police": ("home", "Brackwater Police", "police"),
        "school": ("home", "Brackwater Academy", "education"),
        "spare": ("home", "Brackwater Housing Trust", "housing"),
        "away_council": ("away", "Fenmoor Council", "local_authority"),
        "away_school": ("away", "Fenmoor College", "education"),
        "away_spare": ("away", "Fenmoor Homes", "housing"),
    }
    agencies = {
        key: m.PartnerAgency.objects.create(area=areas[area], name=name, sector=sector)
        for key, (area, name, sector) in sectors.items()
    }
    members = {
        "home": ("council", "police", "school"),
        "sibling": ("council", "police", "school"),
        "away": ("away_council", "away_school"),
    }
    for key, agency_keys in members.items():
        for agency in agency_keys:
            m.AgencyMembership.objects.create(
                partnership=partnerships[key], agency=agencies[agency], kind="statutory_partner"
            )
    periods = {
        label: m.ReportingPeriod.objects.create(label=label)
        for label in ("2024-25", "2025-26", "2030-31")
    }
    users = _people(partnerships["home"], agencies[HOME_AGENCY])
    callers = {
        role: Caller(Client(), ApiToken.issue(user, f"matrix as {role}")[1])
        for role, user in users.items()
    }
    world = Matrix(areas, partnerships, agencies, periods, users, callers)
    for key, partnership in partnerships.items():
        _parents(world, key, partnership)
    for record_type in IN_API:
        for place in places_of(record_type):
            world.targets[record_type, place.id] = _target(world, record_type, place)
    return world


def _parents(world: Matrix, key: str, partnership: m.Partnership) -> None:
    """The records of a partnership that targets and new records hang from."""
    priority = m.Priority.objects.create(
        partnership=partnership, title="Neglect", description="Spot neglect earlier."
    )
    world.parents[key, "priority"] = priority
    world.parents[key, "review"] = m.LearningReview.objects.create(
        partnership=partnership, kind="thematic", pseudonym="Adult K", referral_date=DAY
    )
    for agency in partnership.members.values_list("agency", flat=True):
        owner = m.PartnerAgency.objects.get(pk=agency)
        world.parents[key, f"action:{owner.pk}"] = m.DeliveryAction.objects.create(
            priority=priority,
            title=f"Brief staff of {owner.name}",
            owner_agency=owner,
            lead="Service manager",
            due_date=datetime.date(2025, 3, 31),
        )
    area = world.areas[_area_of(key)]
    if key != "sibling":
        world.parents[key, "strategy"] = m.Strategy.objects.create(
            area=area,
            title="Living well",
            kind="health_and_wellbeing",
            start_year=2024,
            end_year=2029,
        )


def _target(world: Matrix, record_type: str, place: Place) -> models.Model:
    """The record of ``record_type`` in ``place`` that the cells act on; nothing depends on
    it, so that deleting it is never stopped by another record."""
    partnership = world.partnerships[place.partnership]
    owner = world.agencies[place.owner]
    area = world.areas[_area_of(place.partnership)]
    period = world.periods["2024-25"]
    priority = world.parents[place.partnership, "priority"]
    review = world.parents[place.partnership, "review"]
    spare = world.agencies["away_spare" if place.partnership == "away" else "spare"]
    leaf_member = world.agencies["away_school" if place.partnership == "away" else "school"]
    number = m.Recommendation.objects.filter(review=review).count() + 1
    builders: dict[str, Callable[[], models.Model]] = {
        "partnership": lambda: partnership,
        "agency_membership": lambda: partnership.members.get(agency=leaf_member),
        "subgroup": lambda: m.Subgroup.objects.create(partnership=partnership, name="Learning"),
        "priority": lambda: m.Priority.objects.create(
            partnership=partnership, title="Exploitation", description="Invented."
        ),
        "priority_review": lambda: m.PriorityReview.objects.create(
            priority=priority, period=period, outcome="continuing", summary="-", reviewed_on=DAY
        ),
        "delivery_action": lambda: m.DeliveryAction.objects.create(
            priority=priority,
            title=f"Run a briefing ({place.id})",
            owner_agency=owner,
            lead="Service manager",
            due_date=datetime.date(2025, 3, 31),
        ),
        "progress_update": lambda: m.ProgressUpdate.objects.create(
            action=world.parents[place.partnership, f"action:{owner.pk}"],
            date=DAY,
            note="Briefing held.",
            rag="green",
        ),
        "achievement": lambda: m.Achievement.objects.create(
            partnership=partnership, period=period, title="Toolkit", description="-"
        ),
        "challenge": lambda: m.Challenge.objects.create(
            partnership=partnership, period=period, title="Staffing", description="-"
        ),
        "learning_review": lambda: m.LearningReview.objects.create(
            partnership=partnership, kind="thematic", pseudonym="Child W", referral_date=DAY
        ),
        "recommendation": lambda: m.Recommendation.objects.create(
            review=review, number=number, text="Share the learning.", owner_agency=owner
        ),
        "audit": lambda: m.MultiAgencyAudit.objects.create(
            partnership=partnership, topic="Neglect", period=period
        ),
        "feedback": lambda: m.LivedExperienceFeedback.objects.create(
            partnership=partnership,
            source="survey",
            date=DAY,
            summary="Survey of carers",
            what_was_said="Tell us who to call.",
        ),
        "dashboard_panel": lambda: DashboardPanel.objects.create(
            partnership=partnership, indicator="adults.concerns"
        ),
        "shared_indicator": lambda: SharedIndicator.objects.create(
            partnership=partnership,
            code=f"incidents-{place.id}",
            title="Domestic abuse incidents",
            definition="Incidents recorded by the police.",
            unit="count",
            owner_agency=owner,
        ),
        "annual_report": lambda: AnnualReport.objects.create(
            partnership=partnership, period=period
        ),
        "member_contribution": lambda: MemberContribution.objects.create(
            membership=partnership.members.get(agency=owner),
            period=period,
            contribution="Ran the training.",
        ),
        "agency": lambda: spare,
        "strategy": lambda: m.Strategy.objects.create(
            area=area,
            title="Ageing well",
            kind="health_and_wellbeing",
            start_year=2025,
            end_year=2030,
        ),
        "strategy_theme": lambda: m.StrategyTheme.objects.create(
            strategy=world.parents[place.partnership, "strategy"], title="Start well"
        ),
        "reporting_period": lambda: world.periods["2030-31"],
    }
    return builders[record_type]()


@pytest.fixture(scope="module")
def matrix(django_db_setup: None, django_db_blocker: Any) -> Iterator[Matrix]:
    """The module's data, built once; each test's own changes are rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


# --- addresses and bodies ------------------------------------------------------------------


def collection(world: Matrix, record_type: str, place: Place) -> str:
    """The list address of ``record_type`` in ``place``."""
    kind = BY_KEY[record_type]
    area = world.areas[_area_of(place.partnership)]
    if record_type == "partnership":
        return "/partnerships/"
    if record_type == "strategy_theme":
        strategy = world.parents[place.partnership, "strategy"]
        return f"/areas/{area.slug}/strategies/{strategy.pk}/themes/"
    if kind.area_path:
        return f"/areas/{area.slug}/{kind.slug}/"
    if kind.partnership_path:
        return f"/partnerships/{world.partnerships[place.partnership].slug}/{kind.slug}/"
    return f"/{kind.slug}/"


def item(world: Matrix, record_type: str, place: Place, target: models.Model) -> str:
    key = target.slug if record_type == "partnership" else target.pk
    return f"{collection(world, record_type, place)}{key}"


def new_body(world: Matrix, record_type: str, place: Place) -> dict[str, Any]:
    """A valid new record of ``record_type`` in ``place``, owned by ``place.owner``."""
    partnership = world.partnerships[place.partnership]
    owner = world.agencies[place.owner]
    action = world.parents[place.partnership, f"action:{owner.pk}"]
    membership = partnership.members.get(agency=owner)
    spare = world.agencies["away_spare" if place.partnership == "away" else "spare"]
    period = world.periods["2025-26"].pk
    bodies: dict[str, dict[str, Any]] = {
        "partnership": {
            "area": world.areas[_area_of(place.partnership)].pk,
            "name": "Brackwater Community Safety Partnership",
            "short_name": "CSP",
            "slug": "csp",
            "kind": "other",
        },
        "agency_membership": {"agency": spare.pk, "kind": "relevant_agency"},
        "subgroup": {"name": "Quality assurance"},
        "priority": {
            "title": "Transitions",
            "description": "From children's to adults' services.",
            "periods": [period],
        },
        "priority_review": {
            "priority": world.parents[place.partnership, "priority"].pk,
            "period": period,
            "outcome": "continuing",
            "summary": "Referrals rose.",
            "reviewed_on": "2025-03-01",
        },
        "delivery_action": {
            "priority": world.parents[place.partnership, "priority"].pk,
            "title": "Audit referrals",
            "owner_agency": owner.pk,
            "lead": "Inspector",
            "due_date": "2025-06-30",
        },
        "progress_update": {
            "action": action.pk,
            "date": "2024-12-01",
            "note": "All staff trained.",
            "rag": "green",
        },
        "achievement": {"period": period, "title": "New pathway", "description": "-"},
        "challenge": {"period": period, "title": "Vacancies", "description": "-"},
        "learning_review": {
            "kind": "thematic",
            "pseudonym": "Adult M",
            "referral_date": "2024-10-01",
        },
        "recommendation": {
            "review": world.parents[place.partnership, "review"].pk,
            "number": 90,
            "text": "Record fathers' details.",
            "owner_agency": owner.pk,
        },
        "audit": {"topic": "Exploitation", "period": period},
        "feedback": {
            "source": "survey",
            "date": "2024-10-01",
            "summary": "Young people's survey",
            "what_was_said": "Listen to us.",
        },
        "dashboard_panel": {"indicator": "adults.concerns"},
        "shared_indicator": {
            "title": "Missing episodes",
            "code": "missing-episodes",
            "definition": "Episodes reported to the police.",
            "unit": "count",
            "owner_agency": owner.pk,
        },
        "annual_report": {"period": period},
        "member_contribution": {
            "membership": membership.pk,
            "period": period,
            "contribution": "Trained every officer.",
        },
        "agency": {"name": "Brackwater Hospice", "sector": "housing"},
        "strategy": {
            "title": "Starting well",
            "kind": "health_and_wellbeing",
            "start_year": 2026,
            "end_year": 2030,
        },
        "strategy_theme": {"title": "Age well"},
        "reporting_period": {"label": "2031-32"},
    }
    return bodies[record_type]


#: The field each cell of "change" sets, and the value it sets.
CHANGES: dict[str, tuple[str, Any]] = {
    "partnership": ("description", "Changed by the matrix test."),
    "agency_membership": ("representative", "Head of service"),
    "subgroup": ("remit", "Changed by the matrix test."),
    "priority": ("description", "Changed by the matrix test."),
    "priority_review": ("summary", "Changed by the matrix test."),
    "delivery_action": ("lead", "Chief Inspector"),
    "progress_update": ("note", "Changed by the matrix test."),
    "achievement": ("description", "Changed by the matrix test."),
    "challenge": ("description", "Changed by the matrix test."),
    "learning_review": ("summary", "Changed by the matrix test."),
    "recommendation": ("actions", "Changed by the matrix test."),
    "audit": ("findings", "Changed by the matrix test."),
    "feedback": ("what_changed", "Changed by the matrix test."),
    "dashboard_panel": ("why", "Changed by the matrix test."),
    "shared_indicator": ("definition", "Changed by the matrix test."),
    "annual_report": ("foreword", "Changed by the matrix test."),
    "member_contribution": ("contribution", "Changed by the matrix test."),
    "agency": ("short_name", "BHT"),
    "strategy": ("summary", "Changed by the matrix test."),
    "strategy_theme": ("description", "Changed by the matrix test."),
    "reporting_period": ("label", "2032-33"),
}


# --- the cells -----------------------------------------------------------------------------


def _refusals(user: Any) -> int:
    return AuditEvent.objects.filter(user=user, action="refused", via="api").count()


def _check_refusal(response: Any, outcome: str, user: Any, refusals_before: int) -> None:
    """A refused cell answers 403 and is logged; a hidden one answers 404 and is not."""
    want = 403 if outcome == REFUSED else 404
    assert response.status_code == want, response.content
    problem(response)
    assert _refusals(user) == refusals_before + (1 if outcome == REFUSED else 0)


def _view(world: Matrix, role: str, record_type: str, place: Place, outcome: str) -> None:
    caller = world.callers[role]
    target = world.targets[record_type, place.id]
    listed = caller.get(collection(world, record_type, place), {"limit": 500})
    read = caller.get(item(world, record_type, place, target))
    if outcome == ALLOWED:
        assert listed.status_code == 200, listed.content
        assert target.pk in {i["id"] for i in listed.json()["items"]}
        assert read.status_code == 200, read.content
        assert read.json()["id"] == target.pk
        return
    if record_type == "partnership" and outcome == HIDDEN:
        # The list of partnerships is of those the person can see: it leaves this one out.
        assert listed.status_code == 200, listed.content
        assert target.pk not in {i["id"] for i in listed.json()["items"]}
    else:
        assert listed.status_code == (403 if outcome == REFUSED else 404), listed.content
        problem(listed)
    assert read.status_code == (403 if outcome == REFUSED else 404), read.content
    problem(read)


def _add(world: Matrix, role: str, record_type: str, place: Place, outcome: str) -> None:
    model = BY_KEY[record_type].model
    user = world.users[role]
    before, refusals = model.objects.count(), _refusals(user)
    response = world.callers[role].post(
        collection(world, record_type, place), new_body(world, record_type, place)
    )
    if outcome == ALLOWED:
        assert response.status_code == 201, response.content
        assert model.objects.filter(pk=response.json()["id"]).exists()
        return
    if record_type == "partnership" and outcome == HIDDEN:
        # The area of a new partnership is named in the body, not the address: one the person
        # cannot see is answered as one that does not exist, a value to correct.
        _check_unseen_area(world, role, response)
    else:
        _check_refusal(response, outcome, user, refusals)
    assert model.objects.count() == before
    assert _refusals(user) == refusals + (1 if outcome == REFUSED else 0)


def _check_unseen_area(world: Matrix, role: str, response: Any) -> None:
    assert response.status_code == 422, response.content
    unseen = world.areas["away"].pk
    missing = m.Area.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
    body = dict(new_body(world, "partnership", AWAY), area=missing)
    answer = world.callers[role].post("/partnerships/", body)
    assert answer.status_code == 422
    said = problem(response)["errors"]
    assert said == [
        {"field": "area", "message": f"Area: There is no area that you can see with id {unseen}"}
    ]
    assert [e["message"].replace(str(missing), str(unseen)) for e in problem(answer)["errors"]] == [
        said[0]["message"]
    ]


def _change(world: Matrix, role: str, record_type: str, place: Place, outcome: str) -> None:
    target = world.targets[record_type, place.id]
    name, value = CHANGES[record_type]
    old = getattr(target, name)
    user = world.users[role]
    refusals = _refusals(user)
    path = item(world, record_type, place, target)
    response = world.callers[role].patch(path, {name: value})
    stored = type(target)._default_manager.get(pk=target.pk)
    if outcome == ALLOWED:
        assert response.status_code == 200, response.content
        assert response.json()[name] == value
        assert getattr(stored, name) == value
        return
    _check_refusal(response, outcome, user, refusals)
    assert getattr(stored, name) == old


def _delete(world: Matrix, role: str, record_type: str, place: Place, outcome: str) -> None:
    target = world.targets[record_type, place.id]
    user = world.users[role]
    refusals = _refusals(user)
    response = world.callers[role].delete(item(world, record_type, place, target))
    still_there = type(target)._default_manager.filter(pk=target.pk).exists()
    if outcome == ALLOWED:
        assert response.status_code == 204, response.content
        assert not still_there
        return
    _check_refusal(response, outcome, user, refusals)
    assert still_there


CHECKS = {"view": _view, "add": _add, "change": _change, "delete": _delete}


@pytest.mark.parametrize(("role", "record_type", "action", "place"), CELLS)
def test_cell(matrix: Matrix, role: str, record_type: str, action: str, place: Place) -> None:
    CHECKS[action](matrix, role, record_type, place, expected(role, record_type, action, place))


# --- what the cells rest on ----------------------------------------------------------------


def _operations(client: Client) -> dict[str, set[str]]:
    """Record type key -> the operations the API's OpenAPI document offers on it."""
    document = client.get(f"{API}/openapi.json").json()
    offered: dict[str, set[str]] = {}
    for path in document["paths"].values():
        for operation in path.values():
            verb, _, key = operation["operationId"].partition("_")
            offered.setdefault(key, set()).add(verb)
    return offered


def test_the_api_offers_exactly_the_record_types_the_cells_cover(matrix: Matrix) -> None:
    offered = _operations(Client())
    # Local areas are listed for finding addresses; they are not a record type of the matrix.
    assert offered.pop("areas") == {"list"}
    assert set(offered) == set(IN_API), (
        "A record type was added to or removed from the API: add it to the matrix test "
        "(a target, a new body and a change) and take it out of NOT_IN_API, or the reverse."
    )
    for key, verbs in offered.items():
        # view = list and get, add = create, change = update, delete = delete: nothing else
        # (no PUT), or the cells above would not cover it.
        assert verbs == {"list", "get", "create", "update", "delete"}, key


def test_the_cells_cover_every_role_and_action(matrix: Matrix) -> None:
    covered = {(c.values[0], c.values[1], c.values[2]) for c in CELLS}
    assert covered == {(r, t, a) for r in ROLES for t in IN_API for a in ACTIONS}
    outcomes = {expected(*c.values) for c in CELLS}
    assert outcomes == {ALLOWED, REFUSED, HIDDEN}


def test_own_agency_cells_are_tested_both_ways(matrix: Matrix) -> None:
    """The matrix's ":own" grants reach the contributor's agency's records and no one else's."""
    for record_type in OWNED & set(IN_API):
        for action in ACTIONS:
            if f"{action}:own" not in PERMISSIONS["agency_contributor"][record_type]:
                continue
            assert expected("agency_contributor", record_type, action, OWN_AGENCY) == ALLOWED
            assert expected("agency_contributor", record_type, action, OTHER_AGENCY) == REFUSED
            assert expected("agency_contributor", record_type, action, SIBLING) == HIDDEN


def test_put_is_not_offered(matrix: Matrix) -> None:
    """Changes are made with PATCH only, so the "change" cells cover every way to change."""
    target = matrix.targets["priority", OWN_AGENCY.id]
    response = matrix.callers["administrator"].client.put(
        f"{API}{item(matrix, 'priority', OWN_AGENCY, target)}",
        "{}",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {matrix.callers['administrator'].raw_token}",
    )
    assert response.status_code == 405
    assert "PATCH" in problem(response)["detail"]


@pytest.mark.parametrize(
    "record_type", [t for t in IN_API if t != "partnership" and t not in PLATFORM_RECORDS]
)
def test_another_partnerships_record_is_not_found_under_ones_own_address(
    matrix: Matrix, record_type: str
) -> None:
    """Naming one's own partnership (or area) in the address does not reach another's record."""
    elsewhere = SIBLING if record_type in PARTNERSHIP_RECORDS else OTHER_AREA
    home = OWN_AGENCY if record_type in PARTNERSHIP_RECORDS else OWN_AREA
    target = matrix.targets[record_type, elsewhere.id]
    if record_type == "strategy_theme":
        # A theme is reached through its strategy: name the other area's strategy at home.
        strategy = target.strategy
        path = f"/areas/{matrix.areas['home'].slug}/strategies/{strategy.pk}/themes/{target.pk}"
    else:
        path = f"{collection(matrix, record_type, home)}{target.pk}"
    name, value = CHANGES[record_type]
    for role in ROLES:
        caller = matrix.callers[role]
        for response in (caller.get(path), caller.patch(path, {name: value}), caller.delete(path)):
            assert response.status_code == 404, (role, response.content)
            problem(response)
    stored = type(target)._default_manager.get(pk=target.pk)
    assert getattr(stored, name) == getattr(target, name)
