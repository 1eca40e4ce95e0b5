"""Signing in with the organisation's own account: who OpenID Connect lets in, and the page
the provider sends people back to.

Single sign-on only lets in people the platform already knows: the email address the provider
gives (its ``email`` claim, or ``preferred_username``, which in Entra ID is the sign-in name and
usually the email address) must be the email address of exactly one active account. It never
creates an account, so it never gives anyone a role: roles are given in the platform. The
settings are in ``safeguarding.web.oidc``.
"""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import SuspiciousOperation
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

#: Django's logger for refused security checks; shown on the console at WARNING.
security_log = logging.getLogger("django.security.SingleSignOn")
#: Seconds of difference allowed between the provider's clock and ours.
CLOCK_SKEW = 120
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat"]


def sign_in_addresses(claims: dict[str, Any]) -> list[str]:
    """The email addresses the provider vouches for: ``email`` and ``preferred_username``
    where they look like addresses, lower-cased, without repeats."""
    found: list[str] = []
    for name in ("email", "preferred_username"):
        value = claims.get(name)
        if isinstance(value, str) and "@" in value.strip():
            address = value.strip().lower()
            if address not in found:
                found.append(address)
    return found


class OidcAccountBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, checking the identity token fully and matching only
    existing, active accounts."""

    def _verify_jws(self, payload: str | bytes, key: Any) -> dict[str, Any]:
        # The library checks the signature but not the audience or the issuer: a token the
        # provider made for another application must not sign anyone in here.
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"The identity token is signed with {algorithm!r}.")
            claims: dict[str, Any] = jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.get_settings("OIDC_OP_ISSUER"),
                leeway=CLOCK_SKEW,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidTokenError as error:
            raise SuspiciousOperation(f"The identity token was refused: {error}") from error
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("The identity token was made for another application.")
        return claims

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        try:
            return super().verify_token(token, **kwargs)
        except (jwt.InvalidTokenError, KeyError, TypeError) as error:  # not a token we can read
            raise SuspiciousOperation(f"The identity token was refused: {error!r}") from error

    def get_userinfo(self, access_token: str, id_token: str, payload: dict[str, Any]) -> dict:
        """The provider's userinfo with the signed identity token's claims over it."""
        userinfo = super().get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo is about someone else than the token.")
        return {**userinfo, **payload}

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub")) and bool(sign_in_addresses(claims))

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[Any]:
        addresses = sign_in_addresses(claims)
        if not addresses:
            return self.UserModel.objects.none()
        same_address = Q()
        for address in addresses:
            same_address |= Q(email__iexact=address)
        return self.UserModel.objects.filter(same_address, is_active=True)

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return f"address {' or '.join(sign_in_addresses(claims)) or '(none)'}"

    def create_user(self, claims: dict[str, Any]) -> None:
        """Never: roles are given in the platform, so unknown people are refused."""
        return None


class OidcAccountCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends people back: signed in, or a page saying to ask the platform
    administrator (never an error page, whatever was wrong)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            return super().get(request)
        except SuspiciousOperation as error:  # an unknown state, or a token that fails a check
            security_log.warning("Single sign-on refused: %s", error)
        except requests.RequestException as error:  # the provider refused the code, or is down
            security_log.warning("Single sign-on failed at the provider: %s", error)
        # Counted as a failed sign-in, as an unknown person is: in the audit trail and by the
        # sign-in throttle.
        user_login_failed.send(sender=__name__, credentials={}, request=request)
        return self.login_failure()

    def login_failure(self) -> HttpResponse:
        return render(self.request, "accounts/sso_refused.html", status=403)
