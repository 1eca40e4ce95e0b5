"""The audit trail: an append-only log of every change and every refused attempt."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("The audit trail cannot be deleted.")

    def bulk_update(self, objs: Any, fields: Any, batch_size: int | None = None) -> NoReturn:
        # Refused before Django opens its transaction, which the error would otherwise spoil.
        raise AppendOnlyError("The audit trail cannot be changed.")


class AuditEvent(models.Model):
    """Who did what to which record, when, and which fields changed from what to what."""

    ACTIONS = [
        ("create", "Created"),
        ("update", "Changed"),
        ("delete", "Deleted"),
        ("refused", "Refused"),
    ]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept even if the account is removed.")
    action = models.CharField(max_length=10, choices=ACTIONS)
    via = models.CharField(max_length=10, default="web")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=250)
    partnership = models.ForeignKey(
        "records.Partnership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    changes = models.JSONField(default=dict, help_text="Field name: [old value, new value].")
    note = models.CharField(max_length=500, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("The audit trail cannot be deleted.")
