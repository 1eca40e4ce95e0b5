"""Template helpers of the audit trail."""

from __future__ import annotations

from typing import Any

from django import template

from safeguarding.web import permissions

register = template.Library()


@register.filter
def reads_audit_trail(user: Any) -> bool:
    """Whether ``user`` may read the audit trail: platform administrators only."""
    return permissions.is_administrator(user)
