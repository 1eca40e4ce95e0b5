"""The URL map: pages, sign-in and the JSON API."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template import loader
from django.urls import include, path, re_path
from django.views.decorators.csrf import requires_csrf_token

from safeguarding.web import oidc
from safeguarding.web.api import problems
from safeguarding.web.api.endpoints import api


def api_version_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything under /api/ that is not a version of the API answers as the API would."""
    return problems.response(404, "There is no such address in the API. The API is at /api/v1/.")


def upload_limits() -> dict[str, int]:
    """How many files one request may carry, and the largest file any upload page takes."""
    from safeguarding.web.dashboards.views import MAX_MEASURES_BYTES
    from safeguarding.web.results.forms import MAX_UPLOAD_BYTES

    largest = max(
        MAX_UPLOAD_BYTES, MAX_MEASURES_BYTES, getattr(settings, "DOCUMENT_UPLOAD_MAX_BYTES", 0)
    )
    return {
        "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
        "max_megabytes": largest // (1024 * 1024),
    }


@requires_csrf_token
def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 page: which limit a request broke, in plain words, and nothing of what it held."""
    if request.path_info.startswith("/api/"):
        response = problems.bad_request(exception)
    else:
        context = {"too_big": problems.is_too_big(exception), **upload_limits()}
        response = HttpResponseBadRequest(loader.render_to_string("400.html", context, request))
    # A bad Host header is refused before the clickjacking middleware runs: say it here.
    response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    return response


handler400 = bad_request


urlpatterns = [
    path("accounts/", include("safeguarding.web.accounts.urls")),
    *oidc.urlpatterns(),  # single sign-on, when it is configured
    path("api/v1/", api.urls),
    re_path(r"^api(?:/(?P<rest>.*))?$", api_version_not_found),
    path("results/", include("safeguarding.web.results.urls")),
    path("audit/", include("safeguarding.web.audit.urls")),
    path("", include("safeguarding.web.dashboards.urls")),
    path("", include("safeguarding.web.reports.urls")),
    path("", include("safeguarding.web.alignment.urls")),
    path("", include("safeguarding.web.records.urls")),
]
