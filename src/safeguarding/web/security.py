"""Headers that tell browsers to refuse what the platform never does, and sign-in throttling.

Every response gets a strict Content Security Policy: scripts, styles, images and fonts only
from this site, the one inline script in ``base.html`` allowed by its hash, and nothing else.
A view whose documents carry their own styles (an annual report, made to be saved and read
offline) gives its responses a policy of its own with :func:`content_security_policy`.

Sign-in throttling is django-axes; :class:`SignInThrottle` is its authentication backend and
:func:`locked_out` the page a locked-out person sees.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.utils.cache import patch_cache_control

#: The template whose inline script the page policy allows by its hash.
BASE_TEMPLATE = Path(__file__).resolve().parent / "templates" / "base.html"
# An inline script: a <script> element with no src attribute, and its body.
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL)

CSP_HEADER = "Content-Security-Policy"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def source_hash(body: str) -> str:
    """The CSP source expression that allows an inline element with exactly this body."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_script_hashes(template: Path = BASE_TEMPLATE) -> list[str]:
    """The hash of each inline script in ``template``, as written (they hold no variables)."""
    return [source_hash(body) for body in _INLINE_SCRIPT.findall(template.read_text("utf-8"))]


def policy(directives: Mapping[str, list[str]]) -> str:
    """A Content-Security-Policy header value from its directives."""
    return "; ".join(" ".join([name, *sources]).strip() for name, sources in directives.items())


#: The platform's pages: everything from this site, no inline code but the one hashed script.
PAGE_DIRECTIVES: dict[str, list[str]] = {
    "default-src": ["'none'"],
    "script-src": ["'self'", *inline_script_hashes()],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
}
PAGE_POLICY = policy(PAGE_DIRECTIVES)

#: An annual report as one self-contained HTML file: its own <style> block and inline
#: charts, no script at all, in a sandbox so that nothing in it acts as this site.
REPORT_POLICY = policy(
    {
        "default-src": ["'none'"],
        "script-src": ["'none'"],
        "style-src": ["'unsafe-inline'"],
        "img-src": ["data:"],
        "form-action": ["'none'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "sandbox": [],
    }
)


class SecurityHeadersMiddleware:
    """Adds the Content Security Policy (unless the view chose its own) and the
    Permissions-Policy to every response. Django's SecurityMiddleware does the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if CSP_HEADER not in response:
            response[CSP_HEADER] = PAGE_POLICY
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # What a signed-in person sees (exact figures, records) is never kept by a browser
        # or proxy cache, unless the view chose its own caching.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, no_store=True, private=True)
        return response


def content_security_policy(
    value: str,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A view decorator: the view's responses carry ``value`` as their policy instead."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            response = view(request, *args, **kwargs)
            response[CSP_HEADER] = value
            return response

        return wrapped

    return decorate


class SignInThrottle(AxesStandaloneBackend):
    """django-axes's check that refuses a username and address that failed too often.

    Only the sign-in form authenticates over the web, and it passes the request. A call
    without one (a command, or Django's test client signing in) has no address to throttle,
    so it is left to the next backend instead of failing.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


def lockout_minutes() -> int:
    """How long a locked-out person waits, in whole minutes."""
    cool_off = getattr(settings, "AXES_COOLOFF_TIME", None)
    if isinstance(cool_off, timedelta):
        return max(1, round(cool_off.total_seconds() / 60))
    if isinstance(cool_off, (int, float)):
        return max(1, round(cool_off * 60))  # axes reads a number as hours
    return 15


def lockout_message() -> str:
    """What a locked-out person is told."""
    return f"Too many attempts. Try again in {lockout_minutes()} minutes."


_LOCKED_OUT_PAGE = """{% extends "base.html" %}
{% block title %}Too many sign-in attempts{% endblock %}
{% block content %}
<div class="govuk-grid-row">
  <div class="govuk-grid-column-two-thirds">
    <h1 class="govuk-heading-l">Too many sign-in attempts</h1>
    <p class="govuk-body">{{ message }}</p>
    <p class="govuk-body">If you have forgotten your password, ask your platform administrator
    to set a new one.</p>
  </div>
</div>
{% endblock %}
"""


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The page for a sign-in refused because of too many failures (axes' lockout callable)."""
    page = engines["django"].from_string(_LOCKED_OUT_PAGE)
    response = HttpResponse(
        page.render({"message": lockout_message()}, request),
        status=429,
    )
    response["Retry-After"] = str(lockout_minutes() * 60)
    return response
