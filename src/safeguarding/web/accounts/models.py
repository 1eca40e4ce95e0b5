"""Who may do what: people's roles in partnerships, and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from safeguarding.web.records.fields import code_field
from safeguarding.web.records.models import PartnerAgency, Partnership

TOKEN_PREFIX = "sgp_"  # noqa: S105 - a public prefix, not a secret


class RoleAssignment(models.Model):
    """One role a person holds: in a partnership, and for contributors in one agency."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles"
    )
    role = code_field("roles")
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )
    agency = models.ForeignKey(
        PartnerAgency,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="role_assignments",
    )

    class Meta:
        ordering = ["user__username", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "partnership", "agency"], name="unique_role_assignment"
            )
        ]

    def __str__(self) -> str:
        where = f" in {self.partnership}" if self.partnership_id else ""
        agency = f" for {self.agency}" if self.agency_id else ""
        return f"{self.user} - {self.get_role_display()}{where}{agency}"

    def clean(self) -> None:
        # The unique constraint treats empty partnership and agency as all different, so
        # holding the same role twice would pass it.
        if (
            self.user_id
            and RoleAssignment.objects.filter(
                user_id=self.user_id,
                role=self.role,
                partnership_id=self.partnership_id,
                agency_id=self.agency_id,
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            raise ValidationError("This person already holds this role.")
        if self.role == "administrator":
            if self.partnership_id or self.agency_id:
                raise ValidationError(
                    "A platform administrator is not tied to a partnership or agency."
                )
            return
        if not self.partnership_id:
            raise ValidationError({"partnership": "Choose the partnership this role is in."})
        if self.role == "agency_contributor":
            if not self.agency_id:
                raise ValidationError({"agency": "Choose the agency the contributor works for."})
            if not self.partnership.members.filter(agency_id=self.agency_id).exists():
                raise ValidationError(
                    {"agency": "Choose an agency that is a member of the partnership."}
                )
        elif self.agency_id:
            raise ValidationError({"agency": "Only agency contributors are tied to an agency."})


def _hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its hash is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=12, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    last_used = models.DateTimeField(null=True, blank=True, editable=False)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}...)"

    @classmethod
    def issue(cls, user: models.Model, name: str) -> tuple[ApiToken, str]:
        """A new token for ``user``; the raw key is returned once and never stored."""
        raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash_token(raw), prefix=raw[:12])
        return token, raw

    @classmethod
    def find(cls, raw: str) -> ApiToken | None:
        """The live token matching ``raw``, if any."""
        if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
            return None
        return (
            cls.objects.select_related("user")
            .filter(key_hash=_hash_token(raw), revoked=False, user__is_active=True)
            .first()
        )
