"""What the dashboards app adds to the record pages, through their hooks. The views are
imported only when a page is drawn, so starting the app never loads the chart libraries."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safeguarding.web.records import models as records


def nav_items(partnership: records.Partnership, current: str) -> list[dict[str, Any]]:
    from safeguarding.web.dashboards import views

    return views.nav_items(partnership, current)


def priority_evidence(request: HttpRequest, priority: Any) -> dict[str, Any] | None:
    from safeguarding.web.dashboards import views

    return views.priority_evidence(request, priority)


def shared_upload_link(request: HttpRequest, shared: Any) -> dict[str, Any] | None:
    """On a shared indicator's page: where its agency uploads figures, and the latest ones."""
    from django.urls import reverse

    from safeguarding.web import permissions
    from safeguarding.web.results.models import IndicatorValue

    values = (
        IndicatorValue.objects.current()
        .filter(indicator=shared.indicator_id)
        .order_by("-period", "geography_level")[:10]
    )
    return {
        "template": "dashboards/shared_indicator_figures.html",
        "values": list(values),
        "indicator_url": reverse(
            "dashboards:indicator", args=[shared.partnership.slug, shared.indicator_id]
        ),
        "upload_url": reverse("dashboards:shared-upload", args=[shared.partnership.slug, shared.pk])
        if permissions.can_on(request.user, "change", shared)
        else "",
    }
