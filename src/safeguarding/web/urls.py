"""The URL map: pages, sign-in and the JSON API."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path, re_path

from safeguarding.web import oidc
from safeguarding.web.api import problems
from safeguarding.web.api.endpoints import api


def api_version_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Anything under /api/ that is not a version of the API answers as the API would."""
    return problems.response(404, "There is no such address in the API. The API is at /api/v1/.")


urlpatterns = [
    path("accounts/", include("safeguarding.web.accounts.urls")),
    *oidc.urlpatterns(),  # single sign-on, when it is configured
    path("api/v1/", api.urls),
    re_path(r"^api(?:/(?P<rest>.*))?$", api_version_not_found),
    path("results/", include("safeguarding.web.results.urls")),
    path("audit/", include("safeguarding.web.audit.urls")),
    path("", include("safeguarding.web.dashboards.urls")),
    path("", include("safeguarding.web.reports.urls")),
    path("", include("safeguarding.web.records.urls")),
]
