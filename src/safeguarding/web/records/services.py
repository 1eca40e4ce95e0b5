"""Saving and removing records: permission, validation and the audit trail, in one place.

The web views and the API both change records only through these functions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from safeguarding.web import permissions
from safeguarding.web.audit import trail


def refuse(user: Any, action: str, instance: models.Model, via: str) -> PermissionDenied:
    """Log a refused attempt in the audit trail and return the exception to raise."""
    object_id = instance.pk if instance.pk is not None else ""
    with transaction.atomic():
        trail.record(
            user,
            instance,
            "refused",
            via=via,
            note=f"{action} {permissions.record_type_of(instance)}",
            object_id=object_id,
        )
    return PermissionDenied(f"You do not have permission to {action} this record.")


def save_record(
    user: Any,
    instance: models.Model,
    *,
    before: trail.Snapshot | None = None,
    many_to_many: Mapping[str, Any] | None = None,
    via: str = "web",
    validate: bool = True,
    after_save: Callable[[models.Model], None] | None = None,
) -> models.Model:
    """Validate and save ``instance`` for ``user``, recording the change.

    ``before`` is the snapshot taken before the new values were set on an existing record, and
    the permission to change it is checked against the record as it was as well as it is now,
    so that no one can move a record into or out of their reach.
    """
    creating = instance.pk is None
    action = "add" if creating else "change"
    if not creating:
        stored = type(instance)._default_manager.get(pk=instance.pk)
        if not permissions.can_on(user, "change", stored):
            raise refuse(user, "change", stored, via)
        if before is None:
            before = trail.snapshot(stored)
    if not permissions.can_on(user, action, instance):
        raise refuse(user, action, instance, via)
    if validate:
        instance.full_clean()
        if many_to_many and hasattr(instance, "clean_many_to_many"):
            instance.clean_many_to_many(dict(many_to_many))
    with transaction.atomic():
        instance.save()
        for name, values in (many_to_many or {}).items():
            getattr(instance, name).set(values)
        if after_save:
            after_save(instance)
        after = trail.snapshot(instance)
        if creating:
            trail.record(user, instance, "create", trail.diff({}, after), via=via)
        else:
            changes = trail.diff(before or {}, after)
            if changes:
                trail.record(user, instance, "update", changes, via=via)
    return instance


def delete_record(user: Any, instance: models.Model, *, via: str = "web") -> None:
    """Remove ``instance`` for ``user``, recording what it held."""
    if not permissions.can_on(user, "delete", instance):
        raise refuse(user, "delete", instance, via)
    before = trail.snapshot(instance)
    object_id = instance.pk
    with transaction.atomic():
        trail.record(user, instance, "delete", trail.diff(before, {}), via=via, object_id=object_id)
        instance.delete()
