from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "safeguarding.web.api"
    label = "api"
    verbose_name = "JSON API"
