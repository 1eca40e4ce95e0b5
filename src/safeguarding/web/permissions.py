"""Who may do what to which record: every permission check on the platform is made here.

The rules are the matrix ``PERMISSIONS``: role -> record type -> the actions allowed. An action
written ``"change:own"`` is allowed only on records owned by the person's own agency. Roles are
held in a partnership (see ``RoleAssignment``); a role gives nothing outside its partnership,
except that area-wide records (agencies, strategies) are visible to anyone with a role in a
partnership of that area.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import models

from safeguarding.web.alignment import models as alignment
from safeguarding.web.dashboards import models as dashboards
from safeguarding.web.records import models as records
from safeguarding.web.reports import models as reports
from safeguarding.web.results import models as results

Action = Literal["view", "add", "change", "delete"]
ACTIONS: tuple[Action, ...] = ("view", "add", "change", "delete")

#: Record types that belong to one partnership.
PARTNERSHIP_RECORDS = (
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
)
#: Record types that belong to a local area, shared by its partnerships.
AREA_RECORDS = (
    "agency",
    "strategy",
    "strategy_theme",
    "neighbour_set",
    "shared_priorities_analysis",
)
#: Record types shared by the whole platform.
PLATFORM_RECORDS = ("reporting_period", "indicator_load", "theme_taxonomy")
RECORD_TYPES = PARTNERSHIP_RECORDS + AREA_RECORDS + PLATFORM_RECORDS

_ALL = frozenset(ACTIONS)
_READ = frozenset({"view"})

PERMISSIONS: dict[str, dict[str, frozenset[str]]] = {
    "administrator": {record_type: _ALL for record_type in RECORD_TYPES},
    "business_manager": {
        **{record_type: _ALL for record_type in PARTNERSHIP_RECORDS},
        # A partnership is created and removed by an administrator, not by its own manager.
        "partnership": frozenset({"view", "change"}),
        "agency": frozenset({"view", "add", "change"}),
        "strategy": frozenset({"view", "add", "change"}),
        "strategy_theme": _ALL,
        "neighbour_set": frozenset({"view", "add", "change"}),
        "reporting_period": frozenset({"view", "add"}),
        # Managers load their indicator results; replacing or removing loads is for admins.
        "indicator_load": frozenset({"view", "add"}),
        # A council policy officer's analysis, and the themes it reads against.
        "shared_priorities_analysis": frozenset({"view", "add", "change"}),
        "theme_taxonomy": frozenset({"view", "add", "change"}),
    },
    "agency_contributor": {
        **{record_type: _READ for record_type in RECORD_TYPES},
        "delivery_action": frozenset({"view", "change:own"}),
        "progress_update": frozenset({"view", "add:own", "change:own"}),
        "recommendation": frozenset({"view", "change:own"}),
        # An agency keeps its own shared indicators: their wording and their uploaded figures.
        "shared_indicator": frozenset({"view", "change:own"}),
        # An agency records what it did for the strategy each year, for the annual report.
        "member_contribution": frozenset({"view", "add:own", "change:own"}),
    },
    "board_member": {record_type: _READ for record_type in RECORD_TYPES},
}

#: The record type of each model.
MODEL_RECORD_TYPES: dict[type[models.Model], str] = {
    records.Partnership: "partnership",
    records.AgencyMembership: "agency_membership",
    records.Subgroup: "subgroup",
    records.Priority: "priority",
    records.PriorityReview: "priority_review",
    records.DeliveryAction: "delivery_action",
    records.ProgressUpdate: "progress_update",
    records.Achievement: "achievement",
    records.Challenge: "challenge",
    records.LearningReview: "learning_review",
    records.Recommendation: "recommendation",
    records.MultiAgencyAudit: "audit",
    records.LivedExperienceFeedback: "feedback",
    records.PartnerAgency: "agency",
    records.Strategy: "strategy",
    records.StrategyTheme: "strategy_theme",
    records.ReportingPeriod: "reporting_period",
    results.IndicatorLoad: "indicator_load",
    dashboards.DashboardPanel: "dashboard_panel",
    dashboards.SharedIndicator: "shared_indicator",
    dashboards.NeighbourSet: "neighbour_set",
    reports.AnnualReport: "annual_report",
    reports.MemberContribution: "member_contribution",
    alignment.SharedPrioritiesAnalysis: "shared_priorities_analysis",
    alignment.ThemeTaxonomy: "theme_taxonomy",
}


@dataclass(frozen=True)
class Scope:
    """Where a record sits: its area, its partnership and the agency that owns it."""

    area_id: int | None = None
    partnership_id: int | None = None
    owner_agency_id: int | None = None


@dataclass(frozen=True)
class Role:
    role: str
    partnership_id: int | None
    area_id: int | None
    agency_id: int | None


def record_type_of(model: type[models.Model] | models.Model) -> str:
    cls = model if isinstance(model, type) else type(model)
    return MODEL_RECORD_TYPES[cls]


def scope_of(instance: models.Model) -> Scope:
    """The scope of a saved or unsaved record, from the record and its parents."""
    owner = None
    if isinstance(instance, records.DeliveryAction | records.Recommendation):
        owner = instance.owner_agency_id
    elif isinstance(instance, records.ProgressUpdate) and instance.action_id:
        owner = instance.action.owner_agency_id
    elif isinstance(instance, dashboards.SharedIndicator):
        owner = instance.owner_agency_id
    elif isinstance(instance, reports.MemberContribution) and instance.membership_id:
        owner = instance.membership.agency_id
    if isinstance(
        instance, records.ReportingPeriod | results.IndicatorLoad | alignment.ThemeTaxonomy
    ):
        return Scope()
    if isinstance(instance, records.PartnerAgency | records.Strategy):
        return Scope(area_id=instance.area_id)
    if isinstance(instance, dashboards.NeighbourSet | alignment.SharedPrioritiesAnalysis):
        return Scope(area_id=instance.area_id)
    if isinstance(instance, records.StrategyTheme):
        return Scope(area_id=instance.strategy.area_id)
    partnership = instance.partnership
    return Scope(area_id=partnership.area_id, partnership_id=partnership.pk, owner_agency_id=owner)


def roles_of(user: Any) -> list[Role]:
    """The roles a signed-in person holds, read once per request and kept on the user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_safeguarding_roles", None)
    if cached is not None:
        return cached
    from safeguarding.web.accounts.models import RoleAssignment

    roles = [
        Role(
            a.role,
            a.partnership_id,
            a.partnership.area_id if a.partnership_id else None,
            a.agency_id,
        )
        for a in RoleAssignment.objects.filter(user=user).select_related("partnership")
    ]
    if user.is_superuser and not any(r.role == "administrator" for r in roles):
        roles.append(Role("administrator", None, None, None))
    user._safeguarding_roles = roles
    return roles


def is_administrator(user: Any) -> bool:
    return any(r.role == "administrator" for r in roles_of(user))


def _role_allows(role: Role, action: str, record_type: str, scope: Scope) -> bool:
    allowed = PERMISSIONS[role.role].get(record_type, frozenset())
    if role.role != "administrator":
        if record_type in PARTNERSHIP_RECORDS:
            if role.partnership_id != scope.partnership_id:
                return False
            # A partnership moved to another area would carry its roles into that area.
            if scope.area_id is not None and role.area_id != scope.area_id:
                return False
        elif record_type in AREA_RECORDS:
            if scope.area_id is not None and role.area_id != scope.area_id:
                return False
    if action in allowed:
        return True
    if f"{action}:own" in allowed:
        return role.agency_id is not None and role.agency_id == scope.owner_agency_id
    return False


def can(user: Any, action: Action, record_type: str, scope: Scope) -> bool:
    """Whether ``user`` may take ``action`` on a record of ``record_type`` in ``scope``."""
    if action not in ACTIONS or record_type not in RECORD_TYPES:
        raise ValueError(f"unknown permission {action} on {record_type}")
    return any(_role_allows(role, action, record_type, scope) for role in roles_of(user))


def can_on(user: Any, action: Action, instance: models.Model) -> bool:
    """Whether ``user`` may take ``action`` on this record."""
    return can(user, action, record_type_of(instance), scope_of(instance))


def visible_partnerships(user: Any) -> models.QuerySet[records.Partnership]:
    """The partnerships whose records ``user`` may read."""
    roles = roles_of(user)
    if any(r.role == "administrator" for r in roles):
        return records.Partnership.objects.all()
    return records.Partnership.objects.filter(pk__in={r.partnership_id for r in roles})


def visible_areas(user: Any) -> models.QuerySet[records.Area]:
    """The areas whose shared records (agencies, strategies) ``user`` may read."""
    if is_administrator(user):
        return records.Area.objects.all()
    return records.Area.objects.filter(pk__in={r.area_id for r in roles_of(user)})


def roles_in(user: Any, partnership: records.Partnership) -> list[Role]:
    """The roles ``user`` holds in ``partnership`` (administrators hold theirs everywhere)."""
    return [
        r for r in roles_of(user) if r.role == "administrator" or r.partnership_id == partnership.pk
    ]
