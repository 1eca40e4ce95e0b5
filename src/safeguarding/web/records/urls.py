from django.urls import path

from safeguarding.web.records import views

app_name = "records"

urlpatterns = [
    path("", views.home, name="home"),
    path("partnerships/<slug:slug>/", views.overview, name="overview"),
]
