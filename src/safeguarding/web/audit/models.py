"""The audit trail: an append-only log of every change, refused attempt, sign-in and export."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


#: The links an event may lose: removing a person or a partnership empties them, and the
#: event keeps the name it was written with.
DETACHABLE = frozenset({"user", "user_id", "partnership", "partnership_id"})


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        # Django's own "set null" on removing a person or a partnership is the one update let
        # through: it only empties a link, and the database's trigger allows the same.
        if kwargs and set(kwargs) <= DETACHABLE and all(v is None for v in kwargs.values()):
            return super().update(**kwargs)
        raise AppendOnlyError("The audit trail cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        # Refused before Django opens its transaction, which the error would otherwise spoil.
        raise AppendOnlyError("The audit trail cannot be changed.")


class AuditEvent(models.Model):
    """Who did what, when, from where: a change to a record (with the fields that changed from
    what to what), a refused attempt, a sign-in or sign-out, or a download of data."""

    ACTIONS = [
        ("create", "Created"),
        ("update", "Changed"),
        ("delete", "Deleted"),
        ("refused", "Refused"),
        ("sign_in", "Signed in"),
        ("sign_in_failed", "Sign-in failed"),
        ("sign_out", "Signed out"),
        ("export", "Downloaded"),
    ]
    #: Actions that change a record, which a record's history shows.
    CHANGES = ("create", "update", "delete", "refused")

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(
        max_length=150,
        help_text="Kept even if the account is removed; for a failed sign-in, the name tried.",
    )
    action = models.CharField(max_length=20, choices=ACTIONS)
    via = models.CharField(max_length=10, default="web", help_text="web, api or cli.")
    # Empty for an event about no record: a sign-in, or a download of chart data.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.CharField(max_length=40, blank=True)
    object_repr = models.CharField(max_length=250, blank=True)
    partnership = models.ForeignKey(
        "records.Partnership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=dict, help_text="Field name: [old value, new value].")
    note = models.CharField(max_length=500, blank=True)
    ip = models.GenericIPAddressField(
        "IP address", null=True, blank=True, help_text="Where a sign-in or download came from."
    )

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        # Django's deletion of a person or partnership goes through the base manager: making
        # it this one keeps every route through the ORM under the same refusal.
        base_manager_name = "objects"

    def __str__(self) -> str:
        what = self.object_repr or self.note
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {what}".rstrip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail cannot be deleted.")
