"""What the reports app adds to an annual report's record page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def report_actions(request: HttpRequest, report: Any) -> dict[str, Any] | None:
    from safeguarding.web.reports import views

    return views.report_panel(request, report)
