"""Recording changes to records in the audit trail.

Views and the API save records through ``safeguarding.web.records.services``, which takes a
snapshot before and after and calls ``record`` here; nothing else writes audit events.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from safeguarding.web.audit.models import AuditEvent

log = logging.getLogger("safeguarding.audit")

Snapshot = dict[str, Any]


def _plain(value: Any) -> Any:
    """A JSON-ready form of a field value."""
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model) -> Snapshot:
    """The values of a record's own fields and many-to-many links, as people would read them."""
    values: Snapshot = {}
    for field in instance._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.is_relation:
            related = getattr(instance, field.name, None)
            values[field.name] = str(related) if related is not None else None
        else:
            values[field.name] = _plain(getattr(instance, field.attname))
    if instance.pk is not None:
        for field in instance._meta.many_to_many:
            values[field.name] = sorted(str(o) for o in getattr(instance, field.name).all())
    return values


def diff(before: Snapshot, after: Snapshot) -> dict[str, list[Any]]:
    """The fields whose values differ, as ``{field: [old, new]}``."""
    return {
        name: [before.get(name), after.get(name)]
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


def _partnership_of(instance: models.Model) -> Any:
    try:
        return getattr(instance, "partnership", None)
    except Exception:  # a half-built record may not reach its partnership
        return None


def record(
    user: Any,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    via: str = "web",
    note: str = "",
    object_id: Any = None,
) -> AuditEvent:
    """Append one event to the audit trail."""
    partnership = _partnership_of(instance)
    event = AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=getattr(user, "username", "") or "anonymous",
        action=action,
        via=via,
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(object_id if object_id is not None else instance.pk or ""),
        object_repr=str(instance)[:250],
        partnership=partnership if getattr(partnership, "pk", None) else None,
        changes=changes or {},
        note=note[:500],
    )
    if action == "refused":
        log.warning("refused: %s tried %s on %s", event.username, note, event.object_repr)
    return event


def history(instance: models.Model) -> models.QuerySet[AuditEvent]:
    """The audit events of one record, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("user")
