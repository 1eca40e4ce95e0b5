"""Addresses of the shared-priorities pages: an area's analyses, and the theme taxonomy."""

from django.urls import path

from safeguarding.web.alignment import views

app_name = "alignment"

BASE = "areas/<slug:area_slug>/shared-priorities/"

urlpatterns = [
    path(BASE, views.analysis_list, name="list"),
    path(f"{BASE}new/", views.analysis_new, name="new"),
    path(f"{BASE}<int:pk>/", views.review_page, name="review"),
    path(f"{BASE}<int:pk>/documents/", views.sources, name="sources"),
    path(f"{BASE}<int:pk>/documents/from-records/", views.add_records, name="add-records"),
    path(f"{BASE}<int:pk>/documents/remove/", views.remove_source, name="remove-source"),
    path(f"{BASE}<int:pk>/run/", views.run, name="run"),
    path(f"{BASE}<int:pk>/board-paper/", views.board_paper, name="board-paper"),
    path("shared-priorities/themes/", views.taxonomy, name="taxonomy"),
    path("shared-priorities/themes/themes.yaml", views.taxonomy_yaml, name="taxonomy-yaml"),
]
