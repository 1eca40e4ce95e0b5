from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safeguarding.web.audit"
    label = "audit"
    verbose_name = "Audit trail"
