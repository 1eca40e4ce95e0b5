"""An annual report's own text and state, each member's contribution in a year, and the
published versions, which never change once made."""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from safeguarding.web.records import models as records
from safeguarding.web.records.fields import code_field


class MemberContribution(models.Model):
    """What one member agency did in one year to implement the partnership's strategy (for a
    Safeguarding Adults Board, Care Act 2014 Schedule 2 paragraph 4(1)(c))."""

    membership = models.ForeignKey(
        records.AgencyMembership,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name="Member agency",
    )
    period = models.ForeignKey(records.ReportingPeriod, on_delete=models.PROTECT, related_name="+")
    contribution = models.TextField(
        "What the agency did",
        help_text="What the agency did in the year to put the partnership's strategy and "
        "priorities into practice, and what difference it made.",
    )

    class Meta:
        ordering = ["membership__agency__name", "period__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "period"], name="reports_one_contribution_a_year"
            )
        ]

    def __str__(self) -> str:
        if not self.membership_id:
            return "Contribution of a member agency"
        year = f" in {self.period}" if self.period_id else ""
        return f"{self.membership.agency}{year}"

    @property
    def partnership(self) -> records.Partnership:
        return self.membership.partnership

    @property
    def owner_agency_id(self) -> int:
        return self.membership.agency_id


#: The fields people write; changing one sends an approved report back to draft.
TEXT_FIELDS = ("foreword", "governance", "training", "period_id")


class AnnualReport(models.Model):
    """A partnership's annual report for one reporting year: the text written for it, and
    whether it is a draft, approved or published."""

    partnership = models.ForeignKey(
        records.Partnership, on_delete=models.CASCADE, related_name="annual_reports"
    )
    period = models.ForeignKey(
        records.ReportingPeriod,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="Reporting year",
    )
    foreword = models.TextField(blank=True, help_text="The chair's or partners' foreword.")
    governance = models.TextField(
        "How the partnership works",
        blank=True,
        help_text="The arrangements: who the partners are, how decisions are made, scrutiny.",
    )
    training = models.TextField(
        "Training and learning",
        blank=True,
        help_text="One item a line: what training and learning events there were, and for "
        "how many people.",
    )
    status = code_field("annual_report_statuses", max_length=10, default="draft")
    approved_by = models.CharField(max_length=150, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "-period__label"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "period"], name="reports_one_report_a_year"
            )
        ]

    def __str__(self) -> str:
        return f"Annual report {self.period}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A change to an approved or published report's text needs approving again; the
        # published versions stay as they were until a new one is published.
        if self.pk is not None and self.status != "draft":
            stored = type(self).objects.filter(pk=self.pk).values(*TEXT_FIELDS).first()
            if stored and any(stored[name] != getattr(self, name) for name in TEXT_FIELDS):
                self.status, self.approved_by, self.approved_at = "draft", "", None
        super().save(*args, **kwargs)

    @property
    def training_items(self) -> tuple[str, ...]:
        return tuple(line.strip() for line in self.training.splitlines() if line.strip())


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class PublishedReport(models.Model):
    """One published version of an annual report: its HTML, PDF and DOCX as published, each
    with its SHA-256, checked whenever it is read. Never changed or removed: a correction is
    a new version with a note of what changed."""

    report = models.ForeignKey(AnnualReport, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_by_name = models.CharField(max_length=150)
    change_note = models.TextField(
        "What changed", blank=True, help_text="For a correction: what changed and why."
    )
    html = models.TextField()
    pdf = models.BinaryField()
    docx = models.BinaryField()
    html_sha256 = models.CharField(max_length=64)
    pdf_sha256 = models.CharField(max_length=64)
    docx_sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="reports_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.report} version {self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError("A published report cannot be changed; publish a new version.")
        self.html_sha256 = sha256(self.html.encode("utf-8"))
        self.pdf_sha256 = sha256(bytes(self.pdf))
        self.docx_sha256 = sha256(bytes(self.docx))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError("A published report cannot be removed.")

    def verified(self, fmt: str) -> bytes:
        """The stored file in ``fmt`` (html, pdf or docx), after checking its checksum."""
        data = self.html.encode("utf-8") if fmt == "html" else bytes(getattr(self, fmt))
        if sha256(data) != getattr(self, f"{fmt}_sha256"):
            raise CorruptedReport(f"{self} ({fmt}) does not match its checksum.")
        return data


class CorruptedReport(Exception):
    """A stored published report no longer matches the checksum it was published with."""
