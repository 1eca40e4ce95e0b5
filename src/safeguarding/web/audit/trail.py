"""Writing the audit trail: changes to records, sign-ins and downloads of data.

Views and the API save records through ``safeguarding.web.records.services``, which takes a
snapshot before and after and calls ``record`` here. Sign-ins and sign-outs are written by
``safeguarding.web.audit.sign_ins`` from Django's signals; every view that hands data out calls
``export``. Nothing else writes audit events.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

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
        found = getattr(instance, "partnership", None)
        if found is None:
            # A published version of an annual report reaches its partnership via the report.
            found = getattr(getattr(instance, "report", None), "partnership", None)
        return found
    except Exception:  # a half-built record may not reach its partnership
        return None


def _append(
    user: Any,
    action: str,
    *,
    instance: models.Model | None = None,
    partnership: Any = None,
    changes: dict[str, list[Any]] | None = None,
    via: str = "web",
    note: str = "",
    object_id: Any = None,
    ip: str | None = None,
    username: str | None = None,
) -> AuditEvent:
    """Write one event; ``instance`` is the record it is about, if it is about one."""
    content_type = None
    if instance is not None:
        content_type = ContentType.objects.get_for_model(type(instance))
        partnership = partnership if partnership is not None else _partnership_of(instance)
        object_id = object_id if object_id is not None else instance.pk
    return AuditEvent.objects.create(
        user=user if getattr(user, "pk", None) else None,
        username=(username or getattr(user, "username", "") or "anonymous")[:150],
        action=action,
        via=via,
        content_type=content_type,
        object_id=str(object_id if object_id is not None else "")[:40],
        object_repr=str(instance)[:250] if instance is not None else "",
        partnership=partnership if getattr(partnership, "pk", None) else None,
        changes=changes or {},
        note=note[:500],
        ip=ip,
    )


def record(
    user: Any,
    instance: models.Model,
    action: str,
    changes: dict[str, list[Any]] | None = None,
    via: str = "web",
    note: str = "",
    object_id: Any = None,
) -> AuditEvent:
    """Append one event about a record to the audit trail."""
    event = _append(
        user, action, instance=instance, changes=changes, via=via, note=note, object_id=object_id
    )
    if action == "refused":
        log.warning("refused: %s tried %s on %s", event.username, note, event.object_repr)
    return event


def client_ip(request: HttpRequest | None) -> str | None:
    """The address a request came from.

    The platform runs behind loopback or a reverse proxy, where anyone can write an
    X-Forwarded-For header, so it is believed only when the setting
    ``AUDIT_TRUST_X_FORWARDED_FOR`` says the proxy in front sets it; then its last address is
    the one that proxy saw. Otherwise the address is the connection's own.
    """
    if request is None:
        return None
    candidates = []
    if getattr(settings, "AUDIT_TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        candidates.append(forwarded.split(",")[-1].strip())
    candidates.append(request.META.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def channel(request: HttpRequest | None) -> str:
    """Where a request came in: "api" for the JSON API, otherwise "web"."""
    path = getattr(request, "path", "") or ""
    return "api" if path.startswith("/api/") else "web"


def sign_in(request: HttpRequest | None, user: Any, note: str = "") -> AuditEvent:
    """A person signed in."""
    return _append(user, "sign_in", via=channel(request), ip=client_ip(request), note=note)


def sign_in_failed(request: HttpRequest | None, username: str) -> AuditEvent:
    """Someone tried to sign in as ``username`` and was refused. The password is never kept."""
    event = _append(
        None,
        "sign_in_failed",
        username=username or "(no username)",
        via=channel(request),
        ip=client_ip(request),
    )
    log.warning("sign-in refused: %s from %s", event.username, event.ip or "unknown address")
    return event


def sign_out(request: HttpRequest | None, user: Any) -> AuditEvent:
    """A person signed out."""
    return _append(user, "sign_out", via=channel(request), ip=client_ip(request))


def refused(request: HttpRequest, note: str) -> AuditEvent:
    """Someone was refused something that is not a record, such as the audit trail itself."""
    event = _append(
        getattr(request, "user", None),
        "refused",
        via=channel(request),
        ip=client_ip(request),
        note=note,
    )
    log.warning("refused: %s tried %s", event.username, note)
    return event


def export(
    request: HttpRequest | None,
    what: str,
    fmt: str,
    *,
    instance: models.Model | None = None,
    partnership: Any = None,
    user: Any = None,
    via: str | None = None,
) -> AuditEvent:
    """Someone downloaded data: ``what`` in plain words, ``fmt`` its format (csv, pdf, ...).

    ``instance`` is the record downloaded, if there is one; a download by someone not signed in
    (a public report) is written with no person and the address it came from.
    """
    who = user if user is not None else getattr(request, "user", None)
    return _append(
        who,
        "export",
        instance=instance,
        partnership=partnership,
        via=via or channel(request),
        ip=client_ip(request),
        note=f"{what} as {fmt.upper()}",
    )


def history(instance: models.Model) -> models.QuerySet[AuditEvent]:
    """The changes to one record and the refused attempts at it, newest first."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        action__in=AuditEvent.CHANGES,
    ).select_related("user")
