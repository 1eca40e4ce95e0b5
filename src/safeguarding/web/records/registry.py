"""The record types the pages and the API offer, described once.

Each entry says which model it is, where it hangs (its parent record), which fields people edit,
which columns a list shows, and how a list can be filtered and searched. The web views and the
API both read this registry, so a field added here appears in both.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from safeguarding.web.dashboards import models as dashboards
from safeguarding.web.records import models as records
from safeguarding.web.reports import models as reports


@dataclass(frozen=True)
class RecordType:
    key: str
    """The record type in ``safeguarding.web.permissions``."""
    model: type[models.Model]
    slug: str
    """The plural used in URLs, for example ``actions``."""
    fields: tuple[str, ...]
    """The fields people edit, in form order."""
    parent_field: str | None
    """The foreign key to the record this one hangs from (``None`` for platform-wide records)."""
    partnership_path: str | None = None
    """The ORM path from this record to its partnership, for partnership records."""
    area_path: str | None = None
    """The ORM path from this record to its area, for area-wide records."""
    list_columns: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    """Fields a list can be filtered on (code lists, foreign keys, dates)."""
    search: tuple[str, ...] = ()
    """Text fields a list's search looks in."""

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @property
    def label_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)


RECORD_TYPES: tuple[RecordType, ...] = (
    RecordType(
        key="partnership",
        model=records.Partnership,
        slug="partnerships",
        fields=("area", "name", "short_name", "slug", "kind", "independent_chair", "description"),
        parent_field="area",
        partnership_path="",
        list_columns=("name", "kind", "area"),
        filters=("kind",),
        search=("name",),
    ),
    RecordType(
        key="agency_membership",
        model=records.AgencyMembership,
        slug="members",
        fields=("agency", "kind", "representative", "joined"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("agency", "kind", "representative"),
        filters=("kind",),
    ),
    RecordType(
        key="subgroup",
        model=records.Subgroup,
        slug="subgroups",
        fields=("name", "remit", "chair", "chair_agency"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("name", "chair"),
        search=("name", "remit"),
    ),
    RecordType(
        key="priority",
        model=records.Priority,
        slug="priorities",
        fields=("title", "description", "periods", "lead_subgroup", "success_measures"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("title", "lead_subgroup"),
        filters=("periods",),
        search=("title", "description"),
    ),
    RecordType(
        key="priority_review",
        model=records.PriorityReview,
        slug="priority-reviews",
        fields=("period", "outcome", "summary", "reviewed_on"),
        parent_field="priority",
        partnership_path="priority__partnership",
        list_columns=("priority", "period", "outcome"),
        filters=("period", "outcome"),
    ),
    RecordType(
        key="delivery_action",
        model=records.DeliveryAction,
        slug="actions",
        fields=(
            "priority",
            "title",
            "description",
            "owner_agency",
            "lead",
            "due_date",
            "status",
            "rag",
        ),
        parent_field="priority",
        partnership_path="priority__partnership",
        list_columns=("title", "priority", "owner_agency", "due_date", "status", "rag"),
        filters=("priority", "owner_agency", "status", "rag"),
        search=("title", "description", "lead"),
    ),
    RecordType(
        key="progress_update",
        model=records.ProgressUpdate,
        slug="updates",
        fields=("date", "note", "evidence_url", "rag"),
        parent_field="action",
        partnership_path="action__priority__partnership",
        list_columns=("date", "action", "rag"),
        filters=("rag",),
        search=("note",),
    ),
    RecordType(
        key="achievement",
        model=records.Achievement,
        slug="achievements",
        fields=("period", "priority", "title", "description", "impact"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("title", "period", "priority"),
        filters=("period", "priority"),
        search=("title", "description", "impact"),
    ),
    RecordType(
        key="challenge",
        model=records.Challenge,
        slug="challenges",
        fields=("period", "priority", "title", "description", "response"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("title", "period", "priority"),
        filters=("period", "priority"),
        search=("title", "description", "response"),
    ),
    RecordType(
        key="learning_review",
        model=records.LearningReview,
        slug="reviews",
        fields=(
            "kind",
            "pseudonym",
            "title",
            "status",
            "referral_date",
            "decision_date",
            "publication_date",
            "themes",
            "abuse_types",
            "summary",
            "findings",
            "lead_reviewer",
        ),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("pseudonym", "kind", "status", "referral_date", "publication_date"),
        filters=("kind", "status", "themes", "abuse_types"),
        search=("pseudonym", "title", "summary", "findings"),
    ),
    RecordType(
        key="recommendation",
        model=records.Recommendation,
        slug="recommendations",
        fields=(
            "number",
            "text",
            "owner_agency",
            "accepted",
            "reason_not_accepted",
            "actions",
            "status",
            "evidence",
            "target_date",
        ),
        parent_field="review",
        partnership_path="review__partnership",
        list_columns=("review", "number", "owner_agency", "accepted", "status", "target_date"),
        filters=("review", "owner_agency", "accepted", "status"),
        search=("text", "actions", "evidence"),
    ),
    RecordType(
        key="audit",
        model=records.MultiAgencyAudit,
        slug="audits",
        fields=("topic", "period", "status", "cases_audited", "agencies", "findings", "actions"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("topic", "period", "status", "cases_audited"),
        filters=("period", "status"),
        search=("topic", "findings"),
    ),
    RecordType(
        key="feedback",
        model=records.LivedExperienceFeedback,
        slug="feedback",
        fields=("source", "date", "summary", "what_was_said", "what_changed", "priority"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("summary", "source", "date", "priority"),
        filters=("source", "priority"),
        search=("summary", "what_was_said", "what_changed"),
    ),
    RecordType(
        key="agency",
        model=records.PartnerAgency,
        slug="agencies",
        fields=("name", "short_name", "sector"),
        parent_field="area",
        area_path="area",
        list_columns=("name", "sector"),
        filters=("sector",),
        search=("name",),
    ),
    RecordType(
        key="strategy",
        model=records.Strategy,
        slug="strategies",
        fields=("title", "kind", "start_year", "end_year", "summary", "owner"),
        parent_field="area",
        area_path="area",
        list_columns=("title", "kind", "start_year", "end_year"),
        filters=("kind",),
        search=("title", "summary"),
    ),
    RecordType(
        key="strategy_theme",
        model=records.StrategyTheme,
        slug="themes",
        fields=("order", "title", "description"),
        parent_field="strategy",
        area_path="strategy__area",
        list_columns=("order", "title"),
        search=("title", "description"),
    ),
    RecordType(
        key="dashboard_panel",
        model=dashboards.DashboardPanel,
        slug="dashboard-panels",
        fields=("priority", "indicator", "breakdown", "why", "position", "public"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("indicator", "priority", "breakdown", "position", "public"),
        filters=("priority",),
        search=("indicator", "why"),
    ),
    RecordType(
        key="shared_indicator",
        model=dashboards.SharedIndicator,
        slug="shared-indicators",
        fields=(
            "title",
            "code",
            "definition",
            "unit",
            "higher_is_better",
            "owner_agency",
            "source",
        ),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("title", "owner_agency", "unit"),
        filters=("owner_agency",),
        search=("title", "definition"),
    ),
    RecordType(
        key="annual_report",
        model=reports.AnnualReport,
        slug="annual-reports",
        fields=("period", "foreword", "governance", "training"),
        parent_field="partnership",
        partnership_path="partnership",
        list_columns=("period", "status"),
        filters=("status",),
    ),
    RecordType(
        key="member_contribution",
        model=reports.MemberContribution,
        slug="contributions",
        # Added from the member agency's page, so that an agency adds only its own.
        fields=("period", "contribution"),
        parent_field="membership",
        partnership_path="membership__partnership",
        list_columns=("membership", "period"),
        filters=("period",),
        search=("contribution",),
    ),
    RecordType(
        key="reporting_period",
        model=records.ReportingPeriod,
        slug="periods",
        fields=("label",),
        parent_field=None,
        list_columns=("label",),
    ),
)

BY_KEY: dict[str, RecordType] = {t.key: t for t in RECORD_TYPES}
BY_SLUG: dict[str, RecordType] = {t.slug: t for t in RECORD_TYPES}
BY_MODEL: dict[type[models.Model], RecordType] = {t.model: t for t in RECORD_TYPES}
