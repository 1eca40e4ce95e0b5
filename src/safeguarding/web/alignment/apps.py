from django.apps import AppConfig


class AlignmentConfig(AppConfig):
    name = "safeguarding.web.alignment"
    label = "alignment"
    verbose_name = "Shared priorities"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The record pages know nothing of this app: it adds a link to a partnership's side
        # navigation and a panel to a strategy's page through their hooks.
        from safeguarding.web.alignment import hooks
        from safeguarding.web.records import views as record_views

        if hooks.nav_items not in record_views.NAV_HOOKS:
            record_views.NAV_HOOKS.append(hooks.nav_items)
        found = record_views.DETAIL_HOOKS.setdefault("strategy", [])
        if hooks.strategy_panel not in found:
            found.append(hooks.strategy_panel)
