"""Field values as people read them: code labels, dates in words, yes or no, linked records.

The list, detail and audit-trail templates show a ``Cell``: plain text, a RAG tag, a link or
several lines, so that no template has to know about a particular record type.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils.text import capfirst

from safeguarding.catalogue import code_list
from safeguarding.catalogue.codelists import CodeList
from safeguarding.web.audit.models import AuditEvent
from safeguarding.web.records.fields import CodesField
from safeguarding.web.records.places import AREA_TYPES, PARTNERSHIP_TYPES, Place
from safeguarding.web.records.registry import BY_MODEL

EMPTY = "Not recorded"


@dataclass
class Cell:
    """A value to show: ``kind`` is ``text``, ``rag``, ``link``, ``list`` or ``longtext``."""

    text: str
    kind: str = "text"
    href: str = ""
    code: str = ""
    items: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return self.text


def long_date(value: datetime.date) -> str:
    """A date as GOV.UK writes it: 31 March 2025."""
    return f"{value.day} {value:%B %Y}"


def field_label(model: type[models.Model], name: str) -> str:
    try:
        return str(capfirst(model._meta.get_field(name).verbose_name))
    except Exception:  # a name kept in an old audit event, no longer a field
        return capfirst(name.replace("_", " "))


def code_list_of(model_field: models.Field) -> CodeList | None:
    """The catalogue's code list a code or multi-code field takes its values from, if any."""
    if isinstance(model_field, CodesField):
        list_id = model_field.list_id
    else:
        list_id = getattr(model_field, "code_list_id", None)
    return code_list(list_id) if list_id else None


def code_label(list_id: str, code: str) -> str:
    """The label of ``code`` in the code list ``list_id`` (the code itself when not on it)."""
    return code_list(list_id).label(code)


def code_labels(list_id: str, codes: list[str]) -> list[str]:
    """The labels of ``codes`` in the code list ``list_id``, in the same order."""
    codes_list = code_list(list_id)
    return [codes_list.label(c) for c in codes]


def field_code_label(model_field: models.Field, code: str) -> str:
    """The label of ``code`` in the code list of ``model_field`` (the code itself without one)."""
    codes = code_list_of(model_field)
    return codes.label(code) if codes else code


def related_url(value: models.Model, place: Place | None) -> str:
    """The page of a related record reached from ``place``, without querying its parents."""
    record_type = BY_MODEL.get(type(value))
    if record_type is None or place is None:
        return ""
    if record_type.key == "reporting_period":
        return Place().url(record_type, "detail", value.pk)
    if record_type.slug in PARTNERSHIP_TYPES and place.partnership is not None:
        return place.url(record_type, "detail", value.pk)
    if record_type.slug in AREA_TYPES:
        area = place.local_area
        if area is not None:
            return Place(area=area).url(record_type, "detail", value.pk)
    return ""


def cell(instance: models.Model, name: str, place: Place | None = None) -> Cell:
    """The value of field ``name`` of ``instance`` as a ``Cell``; related records link from
    ``place``."""
    model_field = instance._meta.get_field(name)
    if isinstance(model_field, models.ManyToManyField):
        items = [str(o) for o in getattr(instance, name).all()]
        return Cell(", ".join(items) or EMPTY, kind="list" if items else "text", items=items)
    value = getattr(instance, name)
    if isinstance(model_field, CodesField):
        labels = model_field.labels(value or [])
        return Cell(", ".join(labels) or EMPTY, kind="list" if labels else "text", items=labels)
    if value is None or value == "":
        return Cell(EMPTY)
    if model_field.choices:
        label = str(dict(model_field.flatchoices).get(value, value))
        if name == "rag":
            return Cell(label, kind="rag", code=value)
        return Cell(label)
    if isinstance(model_field, models.BooleanField):
        return Cell("Yes" if value else "No")
    if isinstance(value, datetime.date):
        return Cell(long_date(value))
    if isinstance(model_field, models.URLField):
        return Cell(value, kind="link", href=value)
    if isinstance(value, models.Model):
        href = related_url(value, place)
        return Cell(str(value), kind="link" if href else "text", href=href)
    if isinstance(model_field, models.TextField):
        return Cell(str(value), kind="longtext")
    return Cell(str(value))


def audit_value(model: type[models.Model], name: str, value: Any) -> str:
    """A value kept in the audit trail, with codes turned into their labels."""
    if value is None or value == "" or value == []:
        return EMPTY
    try:
        model_field = model._meta.get_field(name)
    except Exception:  # the field has since been removed
        return str(value)
    if isinstance(model_field, CodesField) and isinstance(value, list):
        return ", ".join(model_field.labels(value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if getattr(model_field, "choices", None):
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.DateField) and isinstance(value, str):
        try:
            return long_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


@dataclass
class AuditEntry:
    event: AuditEvent
    changes: list[tuple[str, str, str]]


def audit_entries(instance: models.Model, events: models.QuerySet[AuditEvent]) -> list[AuditEntry]:
    """The record's audit events with each change as (field label, old value, new value)."""
    model = type(instance)
    entries = []
    for event in events:
        changes = [
            (
                field_label(model, name),
                audit_value(model, name, pair[0]),
                audit_value(model, name, pair[1]),
            )
            for name, pair in (event.changes or {}).items()
            if isinstance(pair, list | tuple) and len(pair) == 2
        ]
        entries.append(AuditEntry(event, changes))
    return entries
