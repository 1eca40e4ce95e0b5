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
