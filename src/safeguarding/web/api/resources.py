"""What each API operation does with a record type: list, read, create, change and delete.

Where a record sits (its ``safeguarding.web.records.places.Place``, shared with the web pages)
comes from the URL: a partnership, a local area, a
strategy, or the whole platform. Nothing outside the places a person can see is ever found, so
a record in someone else's partnership is simply "not found". Permissions are decided only by
``safeguarding.web.permissions``, and every change goes through ``services.save_record`` or
``services.delete_record`` so that it is validated and kept in the audit trail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import Q

from safeguarding.web import permissions
from safeguarding.web.api import schemas
from safeguarding.web.api.problems import Problem, friendly_model_errors, not_found
from safeguarding.web.api.problems import validation_problem as _validation_problem
from safeguarding.web.records import models as records
from safeguarding.web.records import places, services
from safeguarding.web.records.places import Place
from safeguarding.web.records.registry import BY_MODEL, RecordType

#: How changes made through the API are marked in the audit trail.
VIA = "api"


def place_from(user: Any, **names: Any) -> Place:
    """The place the URL names, or "not found" when it is not one ``user`` may see."""
    try:
        return places.place_from(user, **names)
    except places.NotHere as missing:
        raise not_found(str(missing)) from None


def _reference_choices(user: Any, place: Place, field: models.Field) -> tuple[models.QuerySet, str]:
    """The records ``field`` may point to from ``place``, and how to say where they come from."""
    related = field.related_model
    if related is records.Area:
        return permissions.visible_areas(user), "that you can see"
    if related is records.Partnership:
        return permissions.visible_partnerships(user), "that you can see"
    related_type = BY_MODEL.get(related)
    if related_type is not None and related_type.partnership_path and place.partnership:
        return place.records(related_type), "in this partnership"
    if related_type is not None and related_type.area_path:
        filtered = related._default_manager.filter(**{related_type.area_path: place.local_area})
        return filtered, "in this area"
    return related._default_manager.all(), ""


def _missing_reference(field: models.Field, ids: list[int], where: str) -> dict[str, str]:
    noun = field.related_model._meta.verbose_name
    listed = ", ".join(str(i) for i in ids)
    where_text = f" {where}" if where else ""
    message = f"There is no {noun}{where_text} with id {listed}"
    return {"field": field.name, "message": f"{schemas.field_label(field)}: {message}"}


class Resource:
    """The API's operations on one record type."""

    def __init__(self, record_type: RecordType) -> None:
        self.record_type = record_type
        self.model = record_type.model
        self.is_partnership = record_type.key == "partnership"

    # --- finding records ------------------------------------------------------------------

    def queryset(self, user: Any, place: Place) -> models.QuerySet:
        if self.is_partnership:
            return permissions.visible_partnerships(user)
        return place.records(self.record_type)

    def check_can_view_list(self, user: Any, place: Place) -> None:
        if self.is_partnership:
            return  # the list is already only the partnerships the person can see
        if not permissions.can(user, "view", self.record_type.key, place.scope):
            raise Problem(
                403, f"You do not have permission to see {self.record_type.label_plural}."
            )

    def find(self, user: Any, place: Place, key: int | str) -> models.Model:
        """The record ``key`` (an id, or a partnership's slug) in ``place``, if it may be seen."""
        found = self.queryset(user, place)
        found = found.filter(slug=key) if self.is_partnership else found.filter(pk=key)
        instance = found.first()
        if instance is None:
            raise not_found(f"{self.record_type.label} {key}")
        if not permissions.can_on(user, "view", instance):
            raise Problem(403, f"You do not have permission to see this {self.record_type.label}.")
        return instance

    # --- reading --------------------------------------------------------------------------

    def _filtered(self, queryset: models.QuerySet, filters: Any) -> models.QuerySet:
        for name in schemas.filter_names(self.record_type):
            value = getattr(filters, name, None)
            if value is None:
                continue
            field = self.model._meta.get_field(name)
            kind = schemas.field_kind(field)
            if kind == "codes":
                queryset = self._codes_include(queryset, name, value)
            elif kind == "references":
                queryset = queryset.filter(**{f"{name}__pk": value})
            elif kind == "reference":
                queryset = queryset.filter(**{field.attname: value})
            else:
                queryset = queryset.filter(**{name: value})
        words = (getattr(filters, "q", None) or "").strip()
        if words and self.record_type.search:
            match = Q()
            for name in self.record_type.search:
                match |= Q(**{f"{name}__icontains": words})
            queryset = queryset.filter(match)
        return queryset

    @staticmethod
    def _codes_include(queryset: models.QuerySet, name: str, code: str) -> models.QuerySet:
        """Records whose multi-code field ``name`` includes ``code``, on any database."""
        if connection.features.supports_json_field_contains:
            return queryset.filter(**{f"{name}__contains": [code]})
        # SQLite cannot look inside JSON lists; a partnership's records are few enough to scan.
        ids = [pk for pk, codes in queryset.values_list("pk", name) if code in (codes or [])]
        return queryset.filter(pk__in=ids)

    def list(self, user: Any, place: Place, filters: Any) -> dict[str, Any]:
        self.check_can_view_list(user, place)
        queryset = self._filtered(self.queryset(user, place), filters)
        ordering = list(queryset.query.order_by or self.model._meta.ordering)
        queryset = queryset.order_by(*ordering, "pk")
        many = [f.name for f in schemas.output_fields(self.record_type) if f.many_to_many]
        if many:
            queryset = queryset.prefetch_related(*many)
        count = queryset.count()
        page = queryset[filters.offset : filters.offset + filters.limit]
        return {
            "count": count,
            "limit": filters.limit,
            "offset": filters.offset,
            "items": [schemas.dump(self.record_type, item) for item in page],
        }

    def get(self, user: Any, place: Place, key: int | str) -> dict[str, Any]:
        return schemas.dump(self.record_type, self.find(user, place, key))

    # --- changing -------------------------------------------------------------------------

    def _apply(
        self, user: Any, place: Place, instance: models.Model, data: dict[str, Any]
    ) -> dict[str, list[models.Model]]:
        """Set the values sent on ``instance``; return the many-to-many links to set after."""
        errors: list[dict[str, Any]] = []
        links: dict[str, list[models.Model]] = {}
        for name, value in data.items():
            field = self.model._meta.get_field(name)
            kind = schemas.field_kind(field)
            if kind == "references":
                choices, where = _reference_choices(user, place, field)
                found = list(choices.filter(pk__in=set(value)))
                missing = sorted(set(value) - {o.pk for o in found})
                if missing:
                    errors.append(_missing_reference(field, missing, where))
                links[name] = found
            elif kind == "reference":
                if value is None:
                    setattr(instance, field.attname, None)
                    continue
                choices, where = _reference_choices(user, place, field)
                target = choices.filter(pk=value).first()
                if target is None:
                    errors.append(_missing_reference(field, [value], where))
                else:
                    setattr(instance, field.name, target)
            else:
                setattr(instance, field.attname, value)
        if errors:
            raise _validation_problem(errors)
        return links

    def _save(
        self, user: Any, instance: models.Model, links: dict[str, list[models.Model]]
    ) -> models.Model:
        try:
            return services.save_record(user, instance, many_to_many=links, via=VIA)
        except ValidationError as exc:
            raise _validation_problem(friendly_model_errors(self.model, exc)) from None

    def create(self, user: Any, place: Place, payload: Any) -> dict[str, Any]:
        self.check_can_view_list(user, place)
        instance = place.new_record(self.record_type)
        links = self._apply(user, place, instance, payload.model_dump(exclude_unset=True))
        self._save(user, instance, links)
        return schemas.dump(self.record_type, instance)

    def update(self, user: Any, place: Place, key: int | str, payload: Any) -> dict[str, Any]:
        instance = self.find(user, place, key)
        # Refuse (and log) before looking at the values, so a refusal never depends on them.
        if not permissions.can_on(user, "change", instance):
            raise services.refuse(user, "change", instance, VIA)
        links = self._apply(user, place, instance, payload.model_dump(exclude_unset=True))
        self._save(user, instance, links)
        return schemas.dump(self.record_type, self.model._default_manager.get(pk=instance.pk))

    def delete(self, user: Any, place: Place, key: int | str) -> None:
        instance = self.find(user, place, key)
        services.delete_record(user, instance, via=VIA)
