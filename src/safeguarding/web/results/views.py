"""Pages for indicator results: the loads, what each holds, and the upload of a tidy table.

Pages show what a load holds in summary (indicators, years, places), never row by row.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from safeguarding.web import permissions
from safeguarding.web.records.services import refuse
from safeguarding.web.results.forms import UploadForm
from safeguarding.web.results.loading import (
    LoadRejected,
    SourceFile,
    read_tidy_file,
    safe_file_name,
    store_results,
)
from safeguarding.web.results.models import IndicatorLoad, IndicatorValue

log = logging.getLogger("safeguarding.results")

LOADS_PER_PAGE = 50
PROBLEMS_SHOWN = 50


def _allowed(request: HttpRequest, action: permissions.Action) -> bool:
    return permissions.can(request.user, action, "indicator_load", permissions.Scope())


@cache
def _titles() -> dict[str, str]:
    """Indicator titles from the catalogue, where it can be read."""
    try:
        from safeguarding.indicators.catalogue import catalogue

        return {spec.id: spec.title for spec in catalogue().indicators}
    except (ImportError, OSError, KeyError, ValueError):
        return {}


@dataclass
class Pages:
    """What ``govuk/pagination.html`` needs."""

    page: Page
    previous_url: str
    next_url: str
    page_links: list[dict[str, Any]]


def _pages(page: Page, base: str) -> Pages:
    def href(number: int) -> str:
        return f"{base}?page={number}"

    return Pages(
        page=page,
        previous_url=href(page.previous_page_number()) if page.has_previous() else "",
        next_url=href(page.next_page_number()) if page.has_next() else "",
        page_links=[
            {"number": n, "href": href(n), "current": n == page.number}
            for n in page.paginator.page_range
        ],
    )


@login_required
@require_GET
def load_list(request: HttpRequest) -> HttpResponse:
    """Every load, newest first: who, when, which files, how many values."""
    if not _allowed(request, "view"):
        raise PermissionDenied("You do not have permission to see indicator results.")
    loads = (
        IndicatorLoad.objects.prefetch_related("files")
        .annotate(superseded=Count("values", filter=Q(values__superseded_by__isnull=False)))
        .order_by("-loaded_at", "-id")
    )
    page = Paginator(loads, LOADS_PER_PAGE).get_page(request.GET.get("page"))
    heading = "Indicator results"
    return render(
        request,
        "results/load_list.html",
        {
            "heading": heading,
            "page": page,
            "listing": _pages(page, reverse("results:load-list")),
            "can_upload": _allowed(request, "add"),
        },
    )


def _summary(load: IndicatorLoad) -> list[dict[str, Any]]:
    """What a load holds, indicator by indicator: counts of rows, years and places."""
    values = IndicatorValue.objects.filter(load=load)
    rows = (
        values.values("indicator", "unit")
        .annotate(
            rows=Count("id"),
            suppressed=Count("id", filter=Q(suppressed=True)),
            superseded=Count("id", filter=Q(superseded_by__isnull=False)),
            councils=Count("geography_code", distinct=True, filter=Q(geography_level="la")),
            regions=Count("geography_code", distinct=True, filter=Q(geography_level="region")),
            england=Count("geography_code", distinct=True, filter=Q(geography_level="england")),
            breakdowns=Count("breakdown", distinct=True),
        )
        .order_by("indicator", "unit")
    )
    periods: dict[str, list[str]] = {}
    for indicator, period in values.values_list("indicator", "period").distinct():
        periods.setdefault(indicator, []).append(period)
    titles = _titles()
    summary = []
    for row in rows:
        summary.append(
            {
                **row,
                "title": titles.get(row["indicator"], ""),
                "periods": ", ".join(sorted(periods.get(row["indicator"], []))),
            }
        )
    return summary


@login_required
@require_GET
def load_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A load's provenance and a summary of what it holds."""
    if not _allowed(request, "view"):
        raise PermissionDenied("You do not have permission to see indicator results.")
    load = get_object_or_404(
        IndicatorLoad.objects.select_related("loaded_by").prefetch_related("files"), pk=pk
    )
    superseded_by = (
        IndicatorValue.objects.filter(load=load, superseded_by__isnull=False)
        .values("superseded_by", "superseded_by__label")
        .annotate(rows=Count("id"))
        .order_by("superseded_by")
    )
    supersedes = (
        IndicatorValue.objects.filter(superseded_by=load)
        .values("load", "load__label")
        .annotate(rows=Count("id"))
        .order_by("load")
    )
    return render(
        request,
        "results/load_detail.html",
        {
            "load": load,
            "summary": _summary(load),
            "superseded_by": list(superseded_by),
            "supersedes": list(supersedes),
            "breadcrumbs": [
                {"label": "Indicator results", "href": reverse("results:load-list")},
                {"label": load.label},
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    """Upload a tidy table: every row is checked, and only a table without problems is stored.

    The file is read in memory (or Django's temporary file for a large upload) and not kept.
    """
    if not _allowed(request, "add"):
        if request.method == "POST":
            raise refuse(request.user, "add", IndicatorLoad(label="upload"), "web")
        raise PermissionDenied("You do not have permission to load indicator results.")
    form = UploadForm(request.POST or None, request.FILES or None)
    problems: list[Any] = []
    problem_count = 0
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        name = safe_file_name(uploaded.name or "")
        data = uploaded.read()
        try:
            load = store_results(
                [read_tidy_file(name, data)],
                kind="uploaded",
                label=form.cleaned_data["label"],
                files=[SourceFile.of(name, data)],
                user=request.user,
                via="web",
                notes=form.cleaned_data["notes"],
            )
        except LoadRejected as rejected:
            form.add_error("file", rejected.message)
            problems = rejected.problems[:PROBLEMS_SHOWN]
            problem_count = rejected.problem_count
        else:
            log.info("%s loaded %s values from %s", request.user, load.row_count, name)
            messages.success(request, f"Loaded {load.row_count:,} indicator values from {name}")
            return HttpResponseRedirect(reverse("results:load-detail", args=[load.pk]))
    return render(
        request,
        "results/upload.html",
        {
            "form": form,
            "problems_found": problems,
            "problem_count": problem_count,
            "more_problems": max(problem_count - len(problems), 0),
            "breadcrumbs": [
                {"label": "Indicator results", "href": reverse("results:load-list")},
                {"label": "Upload results"},
            ],
        },
    )
