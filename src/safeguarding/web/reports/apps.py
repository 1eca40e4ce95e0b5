from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "safeguarding.web.reports"
    label = "reports"
    verbose_name = "Annual reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safeguarding.web.records import views as record_views
        from safeguarding.web.reports import hooks

        found = record_views.DETAIL_HOOKS.setdefault("annual_report", [])
        if hooks.report_actions not in found:
            found.append(hooks.report_actions)
