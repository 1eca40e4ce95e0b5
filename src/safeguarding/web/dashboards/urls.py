"""Addresses of the dashboard pages: a partnership's (signed in), the public ones, and an
area's statistical neighbours."""

from django.urls import path

from safeguarding.web.dashboards import uploads, views

app_name = "dashboards"

urlpatterns = [
    path("partnerships/<slug:slug>/dashboard/", views.dashboard, name="dashboard"),
    path("partnerships/<slug:slug>/indicators/", views.indicator_catalogue, name="catalogue"),
    path(
        "partnerships/<slug:slug>/indicators/<str:indicator>/",
        views.indicator,
        name="indicator",
    ),
    path(
        "partnerships/<slug:slug>/indicators/<str:indicator>/data.<str:fmt>",
        views.indicator_data,
        name="indicator-data",
    ),
    path(
        "partnerships/<slug:slug>/disproportionality/",
        views.disproportionality,
        name="disproportionality",
    ),
    path(
        "partnerships/<slug:slug>/shared-indicators/<int:pk>/upload/",
        uploads.shared_upload,
        name="shared-upload",
    ),
    path(
        "partnerships/<slug:slug>/shared-indicators/<int:pk>/upload/confirm/",
        uploads.shared_upload_confirm,
        name="shared-upload-confirm",
    ),
    path("areas/<slug:area_slug>/neighbours/", views.neighbours, name="neighbours"),
    path("public/<slug:slug>/", views.public_dashboard, name="public-dashboard"),
    path(
        "public/<slug:slug>/indicators/<str:indicator>/",
        views.public_indicator,
        name="public-indicator",
    ),
    path(
        "public/<slug:slug>/indicators/<str:indicator>/data.<str:fmt>",
        views.public_indicator_data,
        name="public-indicator-data",
    ),
]
