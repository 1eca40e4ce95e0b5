"""Indicator values stored in the platform, each with the load that brought it in.

A load is one file (or a few) stored in one go: the council's own figures computed from case
files (``safeguarding import indicators``), a tidy table uploaded by an analyst, or published
benchmarks (``safeguarding import benchmarks``). Its provenance says which files (names and
SHA-256, never paths or contents), when, by whom and how.

Supersession: a newer load replaces the earlier figures of the same *source* for every
indicator, place and period it covers. The council's own figures (computed or uploaded: two
roads for the same figures) form one source, published benchmarks another, so a published
England figure never hides the council's own England total, and a corrected upload replaces a
command-line run. All breakdowns of an indicator at a place and period go together, so a
category missing from the new run does not linger from the old one. Older values are kept and
marked ``superseded_by``; ``IndicatorValue.objects.current()`` is what dashboards read.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from safeguarding.web.records.fields import code_field

#: Which kinds are the same figures reaching the platform by different roads.
SOURCES = {"computed": "own", "uploaded": "own", "published": "published"}


def kinds_of_source(kind: str) -> list[str]:
    """The load kinds whose figures a load of ``kind`` supersedes."""
    return [other for other, source in SOURCES.items() if source == SOURCES[kind]]


class IndicatorLoad(models.Model):
    """One stored batch of indicator values and where it came from (see the module docstring
    for how a newer load supersedes an older one)."""

    kind = code_field("indicator_load_kinds", max_length=10)
    label = models.CharField(max_length=200, help_text="What the figures are, in a few words.")
    row_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty for command-line loads.",
    )
    loaded_by_name = models.CharField(
        max_length=150, help_text="The person's username, or the system user for the CLI."
    )
    via = code_field("load_channels", max_length=5)
    engine = models.CharField(max_length=20, blank=True, help_text="The engine, when known.")
    suppressed = models.BooleanField(
        null=True,
        help_text="Whether disclosure control was applied (small counts withheld, counts "
        "rounded); empty when not known.",
    )
    notes = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.label} ({self.loaded_at:%d %B %Y})" if self.loaded_at else self.label

    @property
    def source(self) -> str:
        return SOURCES[self.kind]


class LoadedFile(models.Model):
    """A file a load was read from: its name as the person gave it, never a path."""

    load = models.ForeignKey(IndicatorLoad, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class IndicatorValueQuerySet(models.QuerySet["IndicatorValue"]):
    def current(self) -> IndicatorValueQuerySet:
        """Values no later load has superseded."""
        return self.filter(superseded_by__isnull=True)

    def published(self) -> IndicatorValueQuerySet:
        return self.filter(load__kind="published")

    def own(self) -> IndicatorValueQuerySet:
        """The council's own figures, computed or uploaded."""
        return self.filter(load__kind__in=kinds_of_source("computed"))


class IndicatorValue(models.Model):
    """One row of the tidy table of ``indicators.md``, as stored.

    Figures are kept exactly as the file gave them (counts as integers, values and intervals
    as double-precision numbers, never rounded here). A figure withheld by disclosure control
    is null with ``suppressed`` set, never the text ``[c]``.
    """

    load = models.ForeignKey(IndicatorLoad, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(max_length=100)
    geography_level = code_field("geography_levels", max_length=10)
    geography_code = models.CharField(max_length=12)
    period = models.CharField(max_length=10, help_text="2024-25, or a date such as 2025-03-31.")
    breakdown = models.CharField(max_length=50)
    category = models.CharField(max_length=100)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)
    value = models.FloatField(null=True, blank=True)
    lower_ci = models.FloatField(null=True, blank=True)
    upper_ci = models.FloatField(null=True, blank=True)
    unit = code_field("indicator_units", max_length=20)
    suppressed = models.BooleanField(default=False)
    superseded_by = models.ForeignKey(
        IndicatorLoad,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="superseded_values",
    )

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "geography_level", "geography_code", "period", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "load",
                    "indicator",
                    "geography_level",
                    "geography_code",
                    "period",
                    "breakdown",
                    "category",
                ],
                name="results_value_once_per_load",
            )
        ]
        indexes = [
            # What a dashboard asks: one indicator at one place over the years.
            models.Index(
                fields=["indicator", "geography_code", "period"],
                condition=Q(superseded_by__isnull=True),
                name="results_current_lookup",
            ),
            models.Index(
                fields=["indicator", "geography_level", "period"], name="results_by_level"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.indicator} {self.geography_code} {self.period} {self.breakdown}={self.category}"
        )
