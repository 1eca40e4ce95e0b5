from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "safeguarding.web.results"
    label = "results"
    verbose_name = "Indicator results"
