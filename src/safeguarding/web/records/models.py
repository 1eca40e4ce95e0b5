"""The records a safeguarding partnership keeps.

Every record belongs, directly or through its parent, to one partnership (or, for strategies
and agencies, to one local area), so that permissions can be decided from that alone:
see ``safeguarding.web.permissions``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from safeguarding.web.records.fields import CodesField, code_field

# ASCII digits only, and \Z rather than $ so that a trailing newline is not let through.
FINANCIAL_YEAR = re.compile(r"\A([0-9]{4})-([0-9]{2})\Z")


class Area(models.Model):
    """A local area: the council whose partnerships and strategy sit on the platform."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    council_code = models.CharField(
        "Council code",
        max_length=9,
        blank=True,
        validators=[
            # Unitary, metropolitan, London and county councils: E06 to E10.
            RegexValidator(r"^E(0[6-9]|10)\d{6}$", "Enter a 9-character ONS code like E09000007.")
        ],
        help_text="The council's ONS code, for example E09000007, used to match indicator data.",
    )
    region_code = models.CharField(
        "Region code",
        max_length=9,
        blank=True,
        validators=[RegexValidator(r"^E120000(0[1-9])$", "Enter an English region code.")],
        help_text="Only for a council the platform's lookup does not know; otherwise the "
        "lookup gives the region.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Partnership(models.Model):
    """A statutory safeguarding partnership or board."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, help_text="For example SCP or SAB.")
    slug = models.SlugField(max_length=60, unique=True)
    kind = code_field("partnership_kinds")
    independent_chair = models.CharField(
        "Independent chair or scrutineer", max_length=200, blank=True
    )
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["area__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("records:overview", args=[self.slug])

    @property
    def partnership(self) -> Partnership:
        return self

    def clean(self) -> None:
        # Its member agencies belong to its area, so it cannot move area while it has members.
        if self.pk and self.area_id and self.members.exclude(agency__area_id=self.area_id).exists():
            raise ValidationError(
                {"area": "Remove the member agencies from the old area before moving area."}
            )


class PartnerAgency(models.Model):
    """An organisation that takes part in one or more partnerships."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="agencies")
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=30, blank=True)
    sector = code_field("agency_sectors")

    class Meta:
        ordering = ["name"]
        verbose_name = "partner agency"
        verbose_name_plural = "partner agencies"
        constraints = [
            models.UniqueConstraint(fields=["area", "name"], name="unique_agency_name_in_area")
        ]

    def __str__(self) -> str:
        return self.name


class AgencyMembership(models.Model):
    """An agency's place in a partnership."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    agency = models.ForeignKey(PartnerAgency, on_delete=models.PROTECT, related_name="memberships")
    kind = code_field("membership_kinds", verbose_name="Membership")
    representative = models.CharField(
        max_length=200, blank=True, help_text="Role of the agency's board member."
    )
    joined = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "agency"], name="unique_agency_in_partnership"
            )
        ]

    def __str__(self) -> str:
        # Safe on an unsaved record too: refusals are logged before anything is chosen.
        agency = self.agency if self.agency_id else "An agency"
        partnership = self.partnership if self.partnership_id else "a partnership"
        return f"{agency} in {partnership}"

    def clean(self) -> None:
        if (
            self.partnership_id
            and self.agency_id
            and self.agency.area_id != self.partnership.area_id
        ):
            raise ValidationError({"agency": "Choose an agency from the partnership's own area."})


class Subgroup(models.Model):
    """A subgroup through which a partnership does its work."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="subgroups")
    name = models.CharField(max_length=200)
    remit = models.TextField(blank=True)
    chair = models.CharField(max_length=200, blank=True, help_text="The chair's role and agency.")
    chair_agency = models.ForeignKey(
        PartnerAgency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "name"], name="unique_subgroup_in_partnership"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if (
            self.chair_agency_id
            and self.partnership_id
            and self.chair_agency.area_id != self.partnership.area_id
        ):
            raise ValidationError(
                {"chair_agency": "Choose an agency from the partnership's own area."}
            )


def validate_financial_year(value: str) -> None:
    match = FINANCIAL_YEAR.match(value or "")
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError(
            "Enter a financial year like 2024-25, with the second year following the first.",
            code="invalid",
        )


class ReportingPeriod(models.Model):
    """A financial year, 1 April to 31 March, written ``2024-25``."""

    label = models.CharField(
        "Financial year", max_length=7, unique=True, validators=[validate_financial_year]
    )

    class Meta:
        ordering = ["label"]

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> datetime.date:
        return datetime.date(int(self.label[:4]), 4, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(int(self.label[:4]) + 1, 3, 31)

    @classmethod
    def containing(cls, day: datetime.date) -> ReportingPeriod:
        """The period that ``day`` falls in, created if it is not yet stored."""
        first = day.year if day.month >= 4 else day.year - 1
        period, _ = cls.objects.get_or_create(label=f"{first}-{(first + 1) % 100:02d}")
        return period


class Priority(models.Model):
    """A strategic priority, running over one or more reporting periods."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="priorities"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What the partnership wants to change, and for whom.")
    periods = models.ManyToManyField(
        ReportingPeriod,
        related_name="priorities",
        verbose_name="Reporting periods",
        help_text="The years the priority runs over.",
    )
    lead_subgroup = models.ForeignKey(
        Subgroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="priorities"
    )
    success_measures = models.TextField(
        "How we will know it has made a difference",
        blank=True,
        help_text="The measures of impact the partnership will report against.",
    )

    class Meta:
        ordering = ["partnership", "title"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.lead_subgroup_id
            and self.partnership_id
            and self.lead_subgroup.partnership_id != self.partnership_id
        ):
            raise ValidationError({"lead_subgroup": "Choose a subgroup of this partnership."})


class PriorityReview(models.Model):
    """The partnership's yearly review of a priority."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="reviews")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    outcome = code_field("priority_review_outcomes")
    summary = models.TextField(help_text="What changed this year, and the evidence for it.")
    reviewed_on = models.DateField()

    class Meta:
        ordering = ["priority", "period__label"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "period"], name="one_review_per_year")
        ]

    def __str__(self) -> str:
        priority = self.priority if self.priority_id else "A priority"
        period = self.period if self.period_id else "of a year"
        return f"{priority} - review {period}"

    @property
    def partnership(self) -> Partnership:
        return self.priority.partnership


class DeliveryAction(models.Model):
    """An action in a partnership's delivery plan, owned by one agency."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)
    owner_agency = models.ForeignKey(
        PartnerAgency, on_delete=models.PROTECT, related_name="actions", verbose_name="Owner agency"
    )
    lead = models.CharField(
        max_length=200, help_text="The lead officer's role, for example Head of Service."
    )
    due_date = models.DateField()
    status = code_field("action_statuses", default="not_started")
    rag = code_field("rag_ratings", verbose_name="RAG rating", default="green")

    class Meta:
        ordering = ["due_date", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def partnership(self) -> Partnership:
        return self.priority.partnership

    @property
    def is_overdue(self) -> bool:
        return (
            self.status not in ("completed", "cancelled") and self.due_date < timezone.localdate()
        )

    def clean(self) -> None:
        if self.priority_id and self.owner_agency_id:
            partnership = self.priority.partnership
            if not partnership.members.filter(agency_id=self.owner_agency_id).exists():
                raise ValidationError(
                    {"owner_agency": f"Choose an agency that is a member of {partnership.name}."}
                )


class ProgressUpdate(models.Model):
    """A dated note of progress on an action, with links to its evidence."""

    action = models.ForeignKey(DeliveryAction, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    note = models.TextField("Progress")
    evidence_url = models.URLField(
        "Link to evidence",
        blank=True,
        max_length=500,
        help_text="A link to a report, minutes or other evidence, starting https://",
    )
    rag = code_field("rag_ratings", verbose_name="RAG rating at this update")

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        date = f"{self.date:%d %B %Y}" if self.date else "undated"
        action = self.action if self.action_id else "an action"
        return f"Update of {date} on {action}"

    @property
    def partnership(self) -> Partnership:
        return self.action.priority.partnership

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "The date of an update cannot be in the future."})
        if self.evidence_url and not self.evidence_url.startswith(("https://", "http://")):
            raise ValidationError({"evidence_url": "Enter a link starting https://"})


class _PriorityLinked(models.Model):
    """A record of a partnership's year that may belong to one of its priorities."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name="Reporting period"
    )
    priority = models.ForeignKey(
        Priority,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty when it does not belong to a priority.",
    )
    title = models.CharField(max_length=250)
    description = models.TextField()

    class Meta:
        abstract = True
        ordering = ["-period__label", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if (
            self.priority_id
            and self.partnership_id
            and self.priority.partnership_id != self.partnership_id
        ):
            raise ValidationError({"priority": "Choose a priority of this partnership."})


class Achievement(_PriorityLinked):
    """Something the partnership achieved in a year."""

    impact = models.TextField(
        "Difference it made",
        blank=True,
        help_text="The evidence that it changed things for people.",
    )


class Challenge(_PriorityLinked):
    """A difficulty the partnership faced in a year, and what it is doing about it."""

    response = models.TextField("What is being done about it", blank=True)


class LearningReview(models.Model):
    """A Safeguarding Adults Review, child safeguarding practice review or other learning review.

    The person at the centre is known only by a pseudonym.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="reviews")
    kind = code_field("review_kinds", verbose_name="Kind of review")
    pseudonym = models.CharField(
        max_length=60,
        help_text="The name the review uses, such as 'Adult D' or 'Child Q'. Never a real name.",
    )
    title = models.CharField(max_length=250, blank=True)
    status = code_field("review_statuses", default="referred", verbose_name="Stage")
    referral_date = models.DateField("Date referred")
    decision_date = models.DateField("Date of decision to review", null=True, blank=True)
    publication_date = models.DateField("Date published", null=True, blank=True)
    themes = CodesField("review_themes", verbose_name="Themes")
    abuse_types = CodesField("abuse_types", verbose_name="Types of abuse or neglect")
    summary = models.TextField(blank=True, help_text="The circumstances, in a few sentences.")
    findings = models.TextField(blank=True)
    lead_reviewer = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-referral_date", "pseudonym"]

    def __str__(self) -> str:
        return self.title or f"{self.pseudonym} ({self.get_kind_display()})"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        # Three digits in a row, or a date like 3/5/12, could identify the person.
        if self.pseudonym and re.search(r"\d{3}|\d{1,2}[/.\-]\d{1,2}", self.pseudonym):
            errors["pseudonym"] = (
                "A pseudonym must not contain numbers such as an NHS number, a case reference "
                "or a date of birth."
            )
        if self.decision_date and self.referral_date and self.decision_date < self.referral_date:
            errors["decision_date"] = "The decision cannot come before the referral."
        if self.publication_date:
            earliest = self.decision_date or self.referral_date
            if earliest and self.publication_date < earliest:
                errors["publication_date"] = (
                    "Publication cannot come before the decision to review."
                )
        if self.status == "published" and not self.publication_date:
            errors["publication_date"] = "Enter the date the review was published."
        if (
            self.status in ("in_progress", "report_agreed", "published", "closed")
            and not self.decision_date
        ):
            errors["decision_date"] = "Enter the date the partnership decided to review."
        if errors:
            raise ValidationError(errors)


class Recommendation(models.Model):
    """A recommendation of a learning review, followed to implementation."""

    review = models.ForeignKey(
        LearningReview, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField("Recommendation")
    owner_agency = models.ForeignKey(
        PartnerAgency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
        help_text="Leave empty when the partnership as a whole owns it.",
    )
    accepted = models.BooleanField(default=True)
    reason_not_accepted = models.TextField("Reason not accepted", blank=True)
    actions = models.TextField("Actions agreed", blank=True)
    status = code_field(
        "recommendation_statuses", default="not_started", verbose_name="Implementation"
    )
    evidence = models.TextField("Evidence of implementation and impact", blank=True)
    target_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "number"], name="unique_recommendation_number"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}: {self.text[:60]}"

    @property
    def partnership(self) -> Partnership:
        return self.review.partnership

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not self.accepted and not self.reason_not_accepted.strip():
            errors["reason_not_accepted"] = "Give the reason the recommendation was not accepted."
        if self.status == "not_implemented" and not (self.reason_not_accepted or "").strip():
            errors["reason_not_accepted"] = (
                "Give the reason the recommendation is not being implemented."
            )
        if self.status == "impact_evidenced" and not self.evidence.strip():
            errors["evidence"] = "Describe the evidence of impact."
        if self.owner_agency_id and self.review_id:
            partnership = self.review.partnership
            if not partnership.members.filter(agency_id=self.owner_agency_id).exists():
                errors["owner_agency"] = f"Choose an agency that is a member of {partnership.name}."
        if errors:
            raise ValidationError(errors)


class MultiAgencyAudit(models.Model):
    """A multi-agency case audit on a topic."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="audits")
    topic = models.CharField(max_length=250)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="+", verbose_name="Reporting period"
    )
    status = code_field("audit_statuses", default="planned", verbose_name="Stage")
    cases_audited = models.PositiveSmallIntegerField(null=True, blank=True)
    agencies = models.ManyToManyField(PartnerAgency, blank=True, related_name="audits")
    findings = models.TextField(blank=True)
    actions = models.TextField("Actions agreed", blank=True)

    class Meta:
        ordering = ["-period__label", "topic"]
        verbose_name = "multi-agency audit"

    def __str__(self) -> str:
        return self.topic

    def clean_many_to_many(self, values: dict[str, Any]) -> None:
        """Many-to-many links are set after saving, so ``clean`` cannot see them."""
        agencies = values.get("agencies")
        if agencies and self.partnership_id:
            area_id = self.partnership.area_id
            if any(agency.area_id != area_id for agency in agencies):
                raise ValidationError(
                    {"agencies": "Choose agencies from the partnership's own area."}
                )


class LivedExperienceFeedback(models.Model):
    """What children, adults, families or carers told the partnership, and what changed."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="feedback")
    source = code_field("feedback_sources")
    date = models.DateField()
    summary = models.CharField(
        "Who and how", max_length=250, help_text="For example 'Focus group with six carers'."
    )
    what_was_said = models.TextField()
    what_changed = models.TextField("What changed as a result", blank=True)
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback"
    )

    class Meta:
        ordering = ["-date"]
        verbose_name = "lived-experience feedback"
        verbose_name_plural = "lived-experience feedback"

    def __str__(self) -> str:
        return self.summary

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "The date cannot be in the future."})
        if (
            self.priority_id
            and self.partnership_id
            and self.priority.partnership_id != self.partnership_id
        ):
            raise ValidationError({"priority": "Choose a priority of this partnership."})


class Strategy(models.Model):
    """A local strategy, such as the Health and Wellbeing Strategy, with its themes."""

    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="strategies")
    title = models.CharField(max_length=250)
    kind = code_field("strategy_kinds")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)
    owner = models.CharField(
        max_length=200, blank=True, help_text="For example Health and Wellbeing Board."
    )

    class Meta:
        ordering = ["-start_year", "title"]
        verbose_name_plural = "strategies"

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "The end year cannot come before the start year."})
        for field in ("start_year", "end_year"):
            year = getattr(self, field)
            if year is not None and not 2000 <= year <= 2100:
                raise ValidationError({field: "Enter a year between 2000 and 2100."})


class StrategyTheme(models.Model):
    """A theme or ambition of a strategy."""

    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="themes")
    order = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=250)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["strategy", "order", "title"]

    def __str__(self) -> str:
        return self.title
