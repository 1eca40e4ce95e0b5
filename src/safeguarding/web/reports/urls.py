"""Addresses of the annual report's pages beyond its record pages."""

from django.urls import path

from safeguarding.web.reports import views

app_name = "reports"

urlpatterns = [
    path(
        "partnerships/<slug:slug>/annual-reports/<int:pk>/draft.<str:fmt>",
        views.draft,
        name="draft",
    ),
    path(
        "partnerships/<slug:slug>/annual-reports/<int:pk>/approve/",
        views.approve,
        name="approve",
    ),
    path(
        "partnerships/<slug:slug>/annual-reports/<int:pk>/publish/",
        views.publish,
        name="publish",
    ),
    path("public/<slug:slug>/reports/<str:period>/", views.public_report, name="public"),
    path(
        "public/<slug:slug>/reports/<str:period>/v<int:number>.<str:fmt>",
        views.public_file,
        name="public-file",
    ),
]
