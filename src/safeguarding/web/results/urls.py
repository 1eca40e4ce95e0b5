"""Addresses of the indicator results pages."""

from django.urls import path

from safeguarding.web.results import views

app_name = "results"

urlpatterns = [
    path("", views.load_list, name="load-list"),
    path("upload/", views.upload, name="upload"),
    path("<int:pk>/", views.load_detail, name="load-detail"),
]
