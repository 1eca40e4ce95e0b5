"""What the shared-priorities app adds to the record pages, through their hooks."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from safeguarding.web.records import models as records


def nav_items(partnership: records.Partnership, current: str) -> list[dict[str, Any]]:
    """A link to the area's shared-priorities analyses in a partnership's side navigation."""
    return [
        {
            "label": "Shared priorities",
            "href": reverse("alignment:list", args=[partnership.area.slug]),
            "current": current == "shared-priorities",
        }
    ]


def strategy_panel(request: HttpRequest, strategy: Any) -> dict[str, Any] | None:
    """On a strategy's page: the analyses that read partnerships against it."""
    from safeguarding.web import permissions
    from safeguarding.web.alignment.models import SharedPrioritiesAnalysis

    scope = permissions.Scope(area_id=strategy.area_id)
    if not permissions.can(request.user, "view", "shared_priorities_analysis", scope):
        return None
    analyses = [
        analysis
        for analysis in SharedPrioritiesAnalysis.objects.filter(area_id=strategy.area_id).only(
            "pk", "title", "status", "sources", "area_id", "created_at"
        )
        if any(
            s["origin"] == "strategy" and s.get("record_id") == strategy.pk
            for s in analysis.sources
        )
    ]
    return {
        "template": "alignment/strategy_panel.html",
        "analyses": analyses,
        "area_slug": strategy.area.slug,
        "list_url": reverse("alignment:list", args=[strategy.area.slug]),
        "may_add": permissions.can(request.user, "add", "shared_priorities_analysis", scope),
        "new_url": reverse("alignment:new", args=[strategy.area.slug]),
    }
