"""Addresses of the audit trail's pages, for platform administrators."""

from django.urls import path

from safeguarding.web.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_trail, name="trail"),
    # Named as the dashboards' downloads are, "data.<format>": files, not pages.
    path("data.<str:fmt>", views.audit_trail_csv, name="export"),
]
