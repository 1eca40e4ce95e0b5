"""Fixtures shared by the whole suite: a small invented area with two partnerships and people
in every role. Tests that need more build it themselves."""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

PASSWORD = "correct-horse-battery-staple-42"


@dataclass
class World:
    """The objects the shared fixtures create."""

    area: Any
    other_area: Any
    children: Any
    adults: Any
    other: Any
    council: Any
    police: Any
    icb: Any
    school: Any
    other_council: Any
    period: Any
    previous_period: Any
    priority: Any
    police_action: Any
    council_action: Any
    review: Any
    police_recommendation: Any
    council_recommendation: Any
    users: dict[str, Any]


@pytest.fixture(autouse=True)
def _forget_worked_out_pages() -> None:
    """Each test starts with nothing remembered: rolled-back tests reuse load ids, which the
    dashboards' memory keys on."""
    from django.core.cache import caches

    caches["dashboards"].clear()
    pages = sys.modules.get("safeguarding.web.dashboards.pages")
    if pages is not None:
        pages.REMEMBERED.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Hashing every fixture user's password properly would make the suite slow.

    The sign-in tests still check real passwords; only the hash function is cheaper.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    """Make a user holding one role: ``make_user("board_member", partnership)``."""
    from django.contrib.auth import get_user_model

    from safeguarding.web.accounts.models import RoleAssignment

    counter = {"n": 0}

    def make(role: str | None, partnership: Any = None, agency: Any = None, **extra: Any) -> Any:
        counter["n"] += 1
        username = extra.pop("username", f"{role or 'nobody'}-{counter['n']}")
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
        if role:
            RoleAssignment.objects.create(
                user=user, role=role, partnership=partnership, agency=agency
            )
        return user

    return make


@pytest.fixture
def world(db: None, make_user: Callable[..., Any]) -> World:
    from safeguarding.web.records import models as m

    area = m.Area.objects.create(name="Testbury", slug="testbury", council_code="E09000099")
    other_area = m.Area.objects.create(name="Elsewhere", slug="elsewhere")
    children = m.Partnership.objects.create(
        area=area,
        name="Testbury Safeguarding Children Partnership",
        short_name="TSCP",
        slug="tscp",
        kind="children",
    )
    adults = m.Partnership.objects.create(
        area=area,
        name="Testbury Safeguarding Adults Board",
        short_name="TSAB",
        slug="tsab",
        kind="adults",
    )
    other = m.Partnership.objects.create(
        area=other_area,
        name="Elsewhere Safeguarding Adults Board",
        short_name="ESAB",
        slug="esab",
        kind="adults",
    )
    council = m.PartnerAgency.objects.create(
        area=area, name="Testbury Council", sector="local_authority"
    )
    police = m.PartnerAgency.objects.create(area=area, name="Testshire Police", sector="police")
    icb = m.PartnerAgency.objects.create(
        area=area, name="Testbury ICB", sector="health_commissioner"
    )
    school = m.PartnerAgency.objects.create(
        area=area, name="Testbury High School", sector="education"
    )
    other_council = m.PartnerAgency.objects.create(
        area=other_area, name="Elsewhere Council", sector="local_authority"
    )
    for partnership in (children, adults):
        for agency in (council, police, icb):
            m.AgencyMembership.objects.create(
                partnership=partnership, agency=agency, kind="statutory_partner"
            )
    m.AgencyMembership.objects.create(partnership=children, agency=school, kind="relevant_agency")
    m.AgencyMembership.objects.create(
        partnership=other, agency=other_council, kind="statutory_partner"
    )

    previous_period = m.ReportingPeriod.objects.create(label="2023-24")
    period = m.ReportingPeriod.objects.create(label="2024-25")
    priority = m.Priority.objects.create(
        partnership=children, title="Neglect", description="Spot neglect earlier."
    )
    priority.periods.set([previous_period, period])
    police_action = m.DeliveryAction.objects.create(
        priority=priority,
        title="Train response officers on neglect",
        owner_agency=police,
        lead="Detective Inspector",
        due_date=datetime.date(2025, 3, 31),
        status="in_progress",
        rag="amber",
    )
    council_action = m.DeliveryAction.objects.create(
        priority=priority,
        title="Refresh the neglect toolkit",
        owner_agency=council,
        lead="Head of Early Help",
        due_date=datetime.date(2025, 1, 31),
        status="not_started",
        rag="red",
    )
    review = m.LearningReview.objects.create(
        partnership=children,
        kind="cspr",
        pseudonym="Child T",
        status="in_progress",
        referral_date=datetime.date(2024, 5, 2),
        decision_date=datetime.date(2024, 6, 1),
        themes=["information_sharing"],
        abuse_types=["neglect"],
    )
    police_recommendation = m.Recommendation.objects.create(
        review=review,
        number=1,
        text="Police share neglect concerns within 24 hours.",
        owner_agency=police,
    )
    council_recommendation = m.Recommendation.objects.create(
        review=review,
        number=2,
        text="Children's services record fathers' details.",
        owner_agency=council,
    )
    users = {
        "administrator": make_user("administrator", username="admin"),
        "business_manager": make_user("business_manager", children, username="manager"),
        "police_contributor": make_user("agency_contributor", children, police, username="police"),
        "council_contributor": make_user(
            "agency_contributor", children, council, username="council"
        ),
        "board_member": make_user("board_member", children, username="board"),
        "adults_manager": make_user("business_manager", adults, username="sab-manager"),
        "other_manager": make_user("business_manager", other, username="elsewhere-manager"),
        "no_role": make_user(None, username="norole"),
    }
    return World(
        area=area,
        other_area=other_area,
        children=children,
        adults=adults,
        other=other,
        council=council,
        police=police,
        icb=icb,
        school=school,
        other_council=other_council,
        period=period,
        previous_period=previous_period,
        priority=priority,
        police_action=police_action,
        council_action=council_action,
        review=review,
        police_recommendation=police_recommendation,
        council_recommendation=council_recommendation,
        users=users,
    )
