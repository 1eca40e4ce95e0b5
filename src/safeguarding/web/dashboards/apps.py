from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "safeguarding.web.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The record pages know nothing of dashboards: the dashboard adds its pages to a
        # partnership's navigation and its panels to a priority's page through their hooks.
        from safeguarding.web.dashboards import hooks as views
        from safeguarding.web.records import views as record_views

        if views.nav_items not in record_views.NAV_HOOKS:
            record_views.NAV_HOOKS.append(views.nav_items)
        hooks = record_views.DETAIL_HOOKS.setdefault("priority", [])
        if views.priority_evidence not in hooks:
            hooks.append(views.priority_evidence)
        hooks = record_views.DETAIL_HOOKS.setdefault("shared_indicator", [])
        if views.shared_upload_link not in hooks:
            hooks.append(views.shared_upload_link)
