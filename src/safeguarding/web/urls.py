"""The URL map: pages, sign-in and the JSON API."""

from django.urls import include, path

from safeguarding.web.api.endpoints import api

urlpatterns = [
    path("accounts/", include("safeguarding.web.accounts.urls")),
    path("api/v1/", api.urls),
    path("", include("safeguarding.web.records.urls")),
]
