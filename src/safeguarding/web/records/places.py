"""Where a record lives on the site: in a partnership, in a local area, or platform-wide.

A ``Place`` turns a record type from the registry into the records people may reach there and
into the addresses of its pages, so that one set of generic views serves every record type.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.http import Http404
from django.urls import reverse

from safeguarding.web import permissions
from safeguarding.web.records import models as records
from safeguarding.web.records.registry import BY_MODEL, BY_SLUG, RecordType

#: Record types with their own pages under a partnership (the partnership itself has the
#: overview and "about" pages instead).
PARTNERSHIP_TYPES = tuple(
    t.slug for t in BY_SLUG.values() if t.partnership_path and t.key != "partnership"
)
AREA_TYPES = tuple(t.slug for t in BY_SLUG.values() if t.area_path)


@dataclass(frozen=True)
class Place:
    """A partnership, a local area, or (both ``None``) the platform as a whole."""

    partnership: records.Partnership | None = None
    area: records.Area | None = None

    @property
    def scope(self) -> permissions.Scope:
        if self.partnership is not None:
            return permissions.Scope(
                area_id=self.partnership.area_id, partnership_id=self.partnership.pk
            )
        if self.area is not None:
            return permissions.Scope(area_id=self.area.pk)
        return permissions.Scope()

    def records(self, record_type: RecordType) -> models.QuerySet[Any]:
        """Every record of ``record_type`` in this place."""
        manager = record_type.model._default_manager
        if self.partnership is not None and record_type.partnership_path:
            return manager.filter(**{record_type.partnership_path: self.partnership})
        if self.area is not None and record_type.area_path:
            return manager.filter(**{record_type.area_path: self.area})
        if self.partnership is None and self.area is None and record_type.parent_field is None:
            return manager.all()
        return manager.none()

    def url(self, record_type: RecordType, page: str, pk: int | None = None) -> str:
        """The address of a page (``list``, ``new``, ``detail``, ``edit``, ``delete``)."""
        kwargs: dict[str, Any] = {}
        if self.partnership is not None:
            prefix = ""
            kwargs = {"slug": self.partnership.slug, "type_slug": record_type.slug}
        elif self.area is not None:
            prefix = "area-"
            kwargs = {"area_slug": self.area.slug, "type_slug": record_type.slug}
        else:
            prefix = "period-"
        if pk is not None:
            kwargs["pk"] = pk
        return reverse(f"records:{prefix}{page}", kwargs=kwargs)

    def sets_parent(self, record_type: RecordType) -> bool:
        """Whether this place itself is the record's parent (a partnership or an area)."""
        return record_type.parent_field in ("partnership", "area") and (
            record_type.parent_field not in record_type.fields
        )


def place_of(instance: models.Model) -> Place:
    """The place whose pages show ``instance``."""
    if isinstance(instance, records.ReportingPeriod):
        return Place()
    if isinstance(instance, records.PartnerAgency | records.Strategy):
        return Place(area=instance.area)
    if isinstance(instance, records.StrategyTheme):
        return Place(area=instance.strategy.area)
    return Place(partnership=instance.partnership)


def record_url(instance: models.Model, page: str = "detail") -> str:
    """The address of a record's page."""
    if isinstance(instance, records.Partnership):
        return reverse(
            "records:about" if page == "detail" else f"records:partnership-{page}",
            args=[instance.slug],
        )
    record_type = BY_MODEL[type(instance)]
    return place_of(instance).url(record_type, page, instance.pk)


def record_type_for(place: Place, type_slug: str) -> RecordType:
    """The record type a URL names in this place, or a 404."""
    allowed = PARTNERSHIP_TYPES if place.partnership else AREA_TYPES if place.area else ()
    if type_slug not in allowed:
        raise Http404("No such kind of record here.")
    return BY_SLUG[type_slug]


def parent_type(record_type: RecordType) -> RecordType | None:
    """The record type of the record this one hangs from, when that is another record."""
    if not record_type.parent_field or record_type.parent_field in ("partnership", "area"):
        return None
    related = record_type.model._meta.get_field(record_type.parent_field).related_model
    return BY_MODEL.get(related)


def child_types(record_type: RecordType) -> list[RecordType]:
    """The record types that hang from records of ``record_type``."""
    return [t for t in BY_SLUG.values() if t.parent_field and parent_type(t) is record_type]
