"""Sign-ins, failed sign-ins and sign-outs, written to the audit trail from Django's signals.

Connected in ``AuditConfig.ready``, so every way in that uses Django's ``login`` and
``authenticate`` is covered: the sign-in page, single sign-on, a test's ``force_login``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest

from safeguarding.web.audit import trail


def _how(user: Any) -> str:
    """How a person signed in, from the backend that let them in."""
    backend = getattr(user, "backend", "") or ""
    if "oidc" in backend.lower():
        return "with single sign-on"
    if backend:
        return "with a password"
    return ""


def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    trail.sign_in(request, user, note=_how(user))


def sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # Only the username is read: Django masks the password here, and it is never kept anyway.
    tried = credentials.get(get_user_model().USERNAME_FIELD) or credentials.get("username")
    trail.sign_in_failed(request, str(tried or ""))


def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # Signing out when not signed in sends the signal with no user: nothing happened.
    if user is not None:
        trail.sign_out(request, user)
