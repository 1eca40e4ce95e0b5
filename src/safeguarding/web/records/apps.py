from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "safeguarding.web.records"
    label = "records"
    verbose_name = "Partnership records"
