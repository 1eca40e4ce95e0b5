"""Where a record lives on the site: in a partnership, in a local area, or platform-wide.

A ``Place`` turns a record type from the registry into the records people may reach there and
into the addresses of its pages, so that one set of generic views serves every record type.
The JSON API finds its records through the same ``Place``.
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
#: Record types of the platform as a whole (reporting periods).
PLATFORM_TYPES = tuple(t.slug for t in BY_SLUG.values() if t.parent_field is None)


@dataclass(frozen=True)
class Place:
    """A partnership, a local area (or one strategy in it), or (all ``None``) the platform."""

    partnership: records.Partnership | None = None
    area: records.Area | None = None
    strategy: records.Strategy | None = None

    @property
    def scope(self) -> permissions.Scope:
        if self.partnership is not None:
            return permissions.Scope(
                area_id=self.partnership.area_id, partnership_id=self.partnership.pk
            )
        if self.area is not None:
            return permissions.Scope(area_id=self.area.pk)
        return permissions.Scope()

    @property
    def local_area(self) -> records.Area | None:
        """The area this place is in: the area itself, or the partnership's."""
        return self.area or (self.partnership.area if self.partnership else None)

    def records(self, record_type: RecordType) -> models.QuerySet[Any]:
        """Every record of ``record_type`` in this place."""
        manager = record_type.model._default_manager
        if self.partnership is not None and record_type.partnership_path:
            return manager.filter(**{record_type.partnership_path: self.partnership})
        if self.strategy is not None and record_type.parent_field == "strategy":
            return manager.filter(strategy=self.strategy)
        if self.area is not None and record_type.area_path:
            return manager.filter(**{record_type.area_path: self.area})
        if self.partnership is None and self.area is None and record_type.parent_field is None:
            return manager.all()
        return manager.none()

    def new_record(self, record_type: RecordType) -> models.Model:
        """A new, unsaved record of ``record_type``, in this place when the place is its parent
        (a partnership's subgroup, an area's agency, a strategy's theme)."""
        instance = record_type.model()
        name = record_type.parent_field
        # A parent among the record's own fields is chosen on the form or in the request.
        if name in ("partnership", "area", "strategy") and name not in record_type.fields:
            parent = getattr(self, name)
            if parent is not None:
                setattr(instance, name, parent)
        return instance

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


class NotHere(LookupError):
    """A place named in an address that does not exist or that the person may not see."""


def place_from(
    user: Any,
    slug: str | None = None,
    area_slug: str | None = None,
    strategy_id: int | None = None,
) -> Place:
    """The place an address names (a partnership's ``slug``, an area's ``area_slug`` and
    perhaps a strategy in it, or nothing for the platform), among those ``user`` may see."""
    if slug is not None:
        partnership = (
            permissions.visible_partnerships(user).select_related("area").filter(slug=slug).first()
        )
        if partnership is None:
            raise NotHere(f"partnership '{slug}'")
        return Place(partnership=partnership)
    if area_slug is None:
        return Place()
    area = permissions.visible_areas(user).filter(slug=area_slug).first()
    if area is None:
        raise NotHere(f"area '{area_slug}'")
    if strategy_id is None:
        return Place(area=area)
    strategy = records.Strategy.objects.filter(area=area, pk=strategy_id).first()
    if strategy is None:
        raise NotHere(f"strategy {strategy_id}")
    return Place(area=area, strategy=strategy)


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
    if place.partnership is not None:
        allowed = PARTNERSHIP_TYPES
    elif place.area is not None:
        allowed = AREA_TYPES
    else:
        allowed = PLATFORM_TYPES
    if type_slug not in allowed:
        raise Http404("No such kind of record here.")
    return BY_SLUG[type_slug]


def parent_type(record_type: RecordType) -> RecordType | None:
    """The record type of the record this one hangs from, when that is another record."""
    if not record_type.parent_field or record_type.parent_field in ("partnership", "area"):
        return None
    related = record_type.model._meta.get_field(record_type.parent_field).related_model
    return BY_MODEL.get(related)


def added_from_parent(record_type: RecordType) -> RecordType | None:
    """The type of the record whose page records of ``record_type`` are added from (a progress
    update from its action), when the parent is not chosen on the record's own form."""
    parent = parent_type(record_type)
    if parent is None or record_type.parent_field in record_type.fields:
        return None
    return parent


def child_types(record_type: RecordType) -> list[RecordType]:
    """The record types that hang from records of ``record_type``."""
    return [t for t in BY_SLUG.values() if t.parent_field and parent_type(t) is record_type]
