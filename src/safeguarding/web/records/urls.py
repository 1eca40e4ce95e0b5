"""Addresses of the record pages: partnerships, their records, area records and periods.

Each record type has its own address patterns (``partnerships/<slug>/actions/`` and so on),
all served by the same generic views, which are told the type through ``type_slug`` and find
the place from ``slug`` (a partnership), ``area_slug`` (an area) or neither (the platform).
"""

from django.urls import URLPattern, path

from safeguarding.web.records import views
from safeguarding.web.records.places import AREA_TYPES, PARTNERSHIP_TYPES, PLATFORM_TYPES

app_name = "records"


def _record_pages(prefix: str, type_slug: str, name_prefix: str) -> list[URLPattern]:
    """The list, new, detail, edit and delete pages of one record type."""
    base = f"{prefix}{type_slug}/"
    kind = {"type_slug": type_slug}
    pages = (
        ("", views.record_list, "list"),
        ("new/", views.record_new, "new"),
        ("<int:pk>/", views.record_detail, "detail"),
        ("<int:pk>/edit/", views.record_edit, "edit"),
        ("<int:pk>/delete/", views.record_delete, "delete"),
    )
    return [
        path(base + tail, view, kind, name=f"{name_prefix}{name}") for tail, view, name in pages
    ]


urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/new/", views.partnership_new, name="partnership-new"),
    path("partnerships/<slug:slug>/", views.overview, name="overview"),
    path("partnerships/<slug:slug>/about/", views.about, name="about"),
    path("partnerships/<slug:slug>/about/edit/", views.partnership_edit, name="partnership-edit"),
    path(
        "partnerships/<slug:slug>/about/delete/",
        views.partnership_delete,
        name="partnership-delete",
    ),
]
for _slug in PLATFORM_TYPES:
    urlpatterns += _record_pages("", _slug, "period-")
for _slug in PARTNERSHIP_TYPES:
    urlpatterns += _record_pages("partnerships/<slug:slug>/", _slug, "")
for _slug in AREA_TYPES:
    urlpatterns += _record_pages("areas/<slug:area_slug>/", _slug, "area-")
