"""The audit trail page for platform administrators, with its filters and CSV download."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safeguarding.web import permissions
from safeguarding.web.audit import export, trail
from safeguarding.web.audit.forms import AuditFilterForm

EVENTS_PER_PAGE = 50


def _administrators_only(request: HttpRequest, what: str) -> None:
    """Refuse, and write down, anyone but a platform administrator."""
    if not permissions.is_administrator(request.user):
        trail.refused(request, what)
        raise PermissionDenied("Only platform administrators may read the audit trail.")


def _page_links(page: Any, query: str) -> dict[str, Any]:
    """What ``govuk/pagination.html`` needs, keeping the filters in every link."""

    def href(number: int) -> str:
        return f"?{query}&page={number}" if query else f"?page={number}"

    numbers = page.paginator.page_range
    near = {1, page.number - 1, page.number, page.number + 1, page.paginator.num_pages}
    links: list[dict[str, Any]] = []
    for number in numbers:
        if number in near:
            links.append({"number": number, "href": href(number), "current": number == page.number})
        elif links and not links[-1].get("ellipsis"):
            links.append({"ellipsis": True})
    return {
        "page": page,
        "previous_url": href(page.previous_page_number()) if page.has_previous() else "",
        "next_url": href(page.next_page_number()) if page.has_next() else "",
        "page_links": links,
    }


@login_required
@require_GET
def audit_trail(request: HttpRequest) -> HttpResponse:
    """Every event in the audit trail, newest first, filtered by date, person, partnership and
    what happened."""
    _administrators_only(request, "read the audit trail")
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    form = AuditFilterForm(filters or None)
    context: dict[str, Any] = {
        "form": form,
        "heading": "Audit trail",
        "filtered": any(value.strip() for value in filters.values()),
    }
    if not filters or form.is_valid():
        selection = form.selection() if filters else export.Selection()
        query = urlencode(filters)
        paginator = Paginator(selection.events(), EVENTS_PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        context |= {
            "listing": _page_links(page, query),
            "events": page.object_list,
            "count": paginator.count,
            "csv_url": reverse("audit:export", args=["csv"]) + (f"?{query}" if query else ""),
        }
    return render(request, "audit/trail.html", context)


@login_required
@require_GET
def audit_trail_csv(request: HttpRequest, fmt: str) -> HttpResponse:
    """The events the filters choose, oldest first, as a CSV file written as it is read."""
    _administrators_only(request, "download the audit trail")
    if fmt != "csv":
        raise Http404("The audit trail can be downloaded as csv.")
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    form = AuditFilterForm(filters or None)
    if filters and not form.is_valid():
        # The page shows what is wrong with the filters.
        return HttpResponseRedirect(reverse("audit:trail") + f"?{request.GET.urlencode()}")
    selection = form.selection() if filters else export.Selection()
    trail.export(
        request, f"audit trail ({selection.describe()})", "csv", partnership=selection.partnership
    )
    response = StreamingHttpResponse(
        export.csv_chunks(selection.events()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{selection.file_name()}"'
    response["Cache-Control"] = "no-store"
    return response
