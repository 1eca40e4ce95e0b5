"""What a partnership chooses to show: dashboard panels, shared indicators its agencies supply,
and the statistical neighbours its council is compared with."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from safeguarding.web.records import models as records
from safeguarding.web.records.fields import code_field

#: Shared indicators are stored under ``shared.<partnership slug>.<code>``, never clashing
#: with the catalogue's ``adults.`` and ``children.`` ids.
SHARED_PREFIX = "shared."
#: County councils (E10) run partnerships too.
COUNCIL_CODE = re.compile(r"\AE(0[6-9]|10)[0-9]{6}\Z")
HIGHER_IS_BETTER_CHOICES = [(True, "Higher is better"), (False, "Lower is better")]


def indicator_choices() -> list[tuple[str, str]]:
    """Every indicator of the catalogue, as choices for a form (shared ones are added by the
    form, which knows the partnership)."""
    from safeguarding.indicators.catalogue import catalogue

    return [(spec.id, f"{spec.title} ({spec.id})") for spec in catalogue().indicators]


class SharedIndicator(models.Model):
    """An indicator one partner agency supplies from its own data, such as police-recorded
    domestic abuse incidents, uploaded by that agency in the tidy format."""

    partnership = models.ForeignKey(
        records.Partnership, on_delete=models.CASCADE, related_name="shared_indicators"
    )
    code = models.SlugField(
        max_length=40,
        help_text="A short name for the indicator, in lower case with hyphens, for example "
        "domestic-abuse-incidents.",
    )
    title = models.CharField(max_length=200)
    definition = models.TextField(help_text="What is counted, in plain English.")
    unit = code_field("indicator_units", max_length=20)
    higher_is_better = models.BooleanField(
        "Direction",
        choices=HIGHER_IS_BETTER_CHOICES,
        null=True,
        blank=True,
        help_text="Leave empty when neither direction is better.",
    )
    owner_agency = models.ForeignKey(
        records.PartnerAgency,
        on_delete=models.PROTECT,
        related_name="shared_indicators",
        verbose_name="Supplied by",
        help_text="The agency whose contributors upload the figures.",
    )
    source = models.CharField(
        max_length=200, blank=True, help_text="The system or collection the figures come from."
    )

    class Meta:
        ordering = ["partnership", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code"], name="dashboards_shared_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def indicator_id(self) -> str:
        """The id its values are stored under."""
        return f"{SHARED_PREFIX}{self.partnership.slug}.{self.code}"

    def clean(self) -> None:
        if (
            self.owner_agency_id
            and self.partnership_id
            and self.owner_agency.area_id != self.partnership.area_id
        ):
            raise ValidationError({"owner_agency": "Choose an agency of this partnership's area."})


class DashboardPanel(models.Model):
    """One indicator on the partnership's dashboard, under one of its priorities."""

    partnership = models.ForeignKey(
        records.Partnership, on_delete=models.CASCADE, related_name="dashboard_panels"
    )
    priority = models.ForeignKey(
        records.Priority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="dashboard_panels",
        help_text="The priority whose impact it shows. Leave empty for the partnership's "
        "general indicators.",
    )
    indicator = models.CharField(max_length=100, help_text="The indicator to show.")
    breakdown = models.CharField(
        max_length=50,
        default="total",
        help_text="Which breakdown to chart: total, or one the indicator has, such as age_band.",
    )
    why = models.TextField(
        "Why it shows impact",
        blank=True,
        help_text="What a change in this figure would tell the board about the priority.",
    )
    position = models.PositiveSmallIntegerField(
        default=1, help_text="Panels are shown in this order, smallest first."
    )
    public = models.BooleanField(
        "Show on the public dashboard",
        default=False,
        help_text="The public dashboard shows published figures only: small counts withheld "
        "and counts rounded.",
    )

    class Meta:
        ordering = ["partnership", "priority__title", "position", "id"]
        verbose_name = "dashboard panel"

    def __str__(self) -> str:
        return self.indicator

    @classmethod
    def form_choices(cls, place: Any) -> dict[str, list[tuple[str, str]]]:
        """The indicators and breakdowns a panel in ``place`` can show."""
        from safeguarding.indicators.catalogue import catalogue

        partnership = getattr(place, "partnership", None)
        indicators = indicator_choices()
        if partnership is not None:
            indicators += [
                (shared.indicator_id, f"{shared.title} (from {shared.owner_agency})")
                for shared in partnership.shared_indicators.select_related("owner_agency")
            ]
        breakdowns: dict[str, None] = {}
        for spec in catalogue().indicators:
            breakdowns.update(dict.fromkeys(spec.breakdowns))
        return {
            "indicator": indicators,
            "breakdown": [(b, b.replace("_", " ").capitalize()) for b in breakdowns],
        }

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.priority_id
            and self.partnership_id
            and (self.priority.partnership_id != self.partnership_id)
        ):
            errors["priority"] = "Choose a priority of this partnership."
        known = known_indicators(self.partnership if self.partnership_id else None)
        if self.indicator not in known:
            errors["indicator"] = "Choose an indicator from the catalogue or a shared indicator."
        elif self.breakdown not in known[self.indicator]:
            errors["breakdown"] = (
                f"{self.indicator} has no breakdown {self.breakdown!r}; it has "
                f"{', '.join(known[self.indicator])}."
            )
        if errors:
            raise ValidationError(errors)


def known_indicators(partnership: records.Partnership | None) -> dict[str, tuple[str, ...]]:
    """Indicator id -> its breakdowns: the catalogue's and the partnership's shared ones."""
    from safeguarding.indicators.catalogue import catalogue

    known = {spec.id: spec.breakdowns for spec in catalogue().indicators}
    if partnership is not None:
        for shared in partnership.shared_indicators.all():
            known[shared.indicator_id] = ("total",)
    return known


def _check_neighbours(value: Any) -> None:
    if not isinstance(value, list):
        raise ValidationError("Enter a list of councils.")
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, dict) or set(item) != {"code", "name"}:
            raise ValidationError("Each neighbour needs a code and a name.")
        code, name = item["code"], item["name"]
        if not isinstance(code, str) or not COUNCIL_CODE.match(code):
            raise ValidationError(f"{code!r} is not a council's ONS code like E09000007.")
        if not isinstance(name, str) or not name.strip() or len(name) > 200:
            raise ValidationError(f"Give {code} a name of up to 200 characters.")
        if code in seen:
            raise ValidationError(f"{code} is listed twice.")
        seen.add(code)
    if len(value) > 30:
        raise ValidationError("List at most 30 neighbours.")


class NeighbourSet(models.Model):
    """The councils an area's figures are compared with: its statistical neighbours."""

    area = models.OneToOneField(
        records.Area, on_delete=models.CASCADE, related_name="neighbour_set"
    )
    neighbours = models.JSONField(default=list, validators=[_check_neighbours])
    method = models.TextField(
        blank=True, help_text="How the neighbours were chosen, for readers of the dashboard."
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "statistical neighbours"
        verbose_name_plural = "statistical neighbours"

    def __str__(self) -> str:
        return f"Statistical neighbours of {self.area}"

    def clean(self) -> None:
        if self.area_id and any(n.get("code") == self.area.council_code for n in self.neighbours):
            raise ValidationError({"neighbours": "A council cannot be its own neighbour."})

    @property
    def codes(self) -> list[str]:
        return [item["code"] for item in self.neighbours]
