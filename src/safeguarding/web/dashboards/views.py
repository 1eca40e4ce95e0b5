"""The dashboard pages: the indicator catalogue, one page per indicator, the partnership's
dashboard, disproportionality, downloads of chart data, the public dashboard and the
statistical neighbours of an area."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from safeguarding.dashboards import downloads, labels, statements
from safeguarding.indicators.catalogue import IndicatorSpec
from safeguarding.web import permissions
from safeguarding.web.audit import trail
from safeguarding.web.dashboards import pages, queries
from safeguarding.web.dashboards.models import DashboardPanel
from safeguarding.web.records import models as records
from safeguarding.web.records.places import NotHere, Place, place_from
from safeguarding.web.records.registry import BY_KEY
from safeguarding.web.records.views import partnership_nav

DOMAIN_SOURCES = {
    "adults": "Computed on the platform from the council's adult safeguarding case records, "
    "with the definitions of the Safeguarding Adults Collection.",
    "children": "Computed on the platform from the council's children in need census and "
    "SSDA903 returns.",
}
PERIOD = re.compile(r"\A[0-9]{4}-[0-9]{2}(-[0-9]{2})?\Z")
DOWNLOAD_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _partnership(request: HttpRequest, slug: str) -> records.Partnership:
    """The partnership an address names, if the person may see it; else "not found"."""
    try:
        place = place_from(request.user, slug=slug)
    except NotHere:
        raise Http404("No such partnership here.") from None
    assert place.partnership is not None
    return place.partnership


def _layout(partnership: records.Partnership, current: str, crumbs: list[dict[str, str]]) -> dict:
    return {
        "layout": "records/partnership_layout.html",
        "partnership": partnership,
        "nav_items": partnership_nav(partnership, current),
        "breadcrumbs": [
            {"label": "Home", "href": reverse("records:home")},
            {
                "label": partnership.name,
                "href": reverse("records:overview", args=[partnership.slug]),
            },
            *crumbs,
        ],
    }


def _public_layout(partnership: records.Partnership, crumbs: list[dict[str, str]]) -> dict:
    return {
        "layout": "base.html",
        "partnership": partnership,
        "public": True,
        "breadcrumbs": [
            {
                "label": f"{partnership.name} dashboard",
                "href": reverse("dashboards:public-dashboard", args=[partnership.slug]),
            },
            *crumbs,
        ],
    }


def _spec(partnership: records.Partnership, indicator: str) -> IndicatorSpec:
    spec = queries.spec_of(indicator, partnership)
    if spec is None:
        raise Http404("There is no such indicator.")
    return spec


def _source(spec: IndicatorSpec) -> str:
    return DOMAIN_SOURCES.get(spec.domain, "Uploaded by the agency that supplies it.")


@login_required
def indicator_catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    """Every indicator the partnership reads, with its definition and latest value."""
    partnership = _partnership(request, slug)
    where = queries.comparators(partnership.area, neighbours=False)
    specs = queries.partnership_specs(partnership)
    rows = pages.remembered(
        ("catalogue", slug, tuple(specs), where), lambda: _catalogue_rows(slug, specs, where)
    )
    shared_type = BY_KEY["shared_indicator"]
    place = Place(partnership=partnership)
    return render(
        request,
        "dashboards/catalogue.html",
        {
            **_layout(partnership, "indicators", []),
            "rows": rows,
            "council": where.council,
            "shared_url": place.url(shared_type, "list"),
            "neighbours_url": reverse("dashboards:neighbours", args=[partnership.area.slug]),
            "can_add_shared": permissions.can(request.user, "add", "shared_indicator", place.scope),
        },
    )


def _catalogue_rows(
    slug: str, specs: list[IndicatorSpec], where: queries.Comparators
) -> list[dict[str, Any]]:
    """Each indicator with its latest figure for the council and England's beside it."""
    latest = queries.latest_totals(specs, where)
    rows = []
    for spec in specs:
        own, england = latest.get(spec.id, (None, None))
        rows.append(
            {
                "spec": spec,
                "url": reverse("dashboards:indicator", args=[slug, spec.id]),
                "source": _source(spec),
                "unit": labels.unit_label(spec.unit),
                "direction": _direction(spec),
                "latest": own,
                "latest_text": labels.format_value(own.value, own.unit, suppressed=own.suppressed)
                if own
                else "",
                "england_text": labels.format_value(
                    england.value, england.unit, suppressed=england.suppressed
                )
                if england
                else "",
                "period": labels.period_label(own.period) if own else "",
            }
        )
    return rows


def _direction(spec: IndicatorSpec) -> str:
    if spec.higher_is_better is None:
        return "Neither higher nor lower is better"
    return "Higher is better" if spec.higher_is_better else "Lower is better"


def _indicator_context(
    request: HttpRequest, partnership: records.Partnership, spec: IndicatorSpec, *, public: bool
) -> dict[str, Any]:
    where = queries.comparators(partnership.area)
    base = (
        reverse("dashboards:public-indicator", args=[partnership.slug, spec.id])
        if public
        else reverse("dashboards:indicator", args=[partnership.slug, spec.id])
    )
    # Only well-formed choices reach the key of what is remembered.
    period = request.GET.get("period", "")
    period = period if PERIOD.match(period) else None
    breakdown = request.GET.get("breakdown", "")
    breakdown = breakdown if breakdown in spec.breakdowns else None
    return pages.remembered(
        ("indicator", spec, where, public, base, period, breakdown),
        lambda: _indicator_parts(spec, where, public, base, period, breakdown),
    )


def _indicator_parts(
    spec: IndicatorSpec,
    where: queries.Comparators,
    public: bool,
    base: str,
    asked_period: str | None,
    asked: str | None,
) -> dict[str, Any]:
    exact = not public
    total = pages.for_readers(queries.indicator_figures(spec, where), exact)
    period = pages.chosen_period(total, asked_period)
    breakdowns = [b for b in queries.breakdowns_loaded(spec, where) if b != "total"]
    breakdown = asked if asked in breakdowns else (breakdowns[0] if breakdowns else None)
    blocks = []
    if total.figures:
        blocks.append(
            pages.block(
                pages.chart_for("trend", spec, where, exact=exact), base, {"chart": "trend"}
            )
        )
        if period:
            blocks.append(
                pages.block(
                    pages.chart_for("comparison", spec, where, exact=exact, period=period),
                    base,
                    {"chart": "comparison", "period": period},
                )
            )
    breakdown_block = None
    if breakdown and period:
        chart = pages.chart_for(
            "breakdown", spec, where, exact=exact, breakdown=breakdown, period=period
        )
        if chart is not None:
            breakdown_block = pages.block(
                chart, base, {"chart": "breakdown", "breakdown": breakdown, "period": period}
            )
    said = [
        line
        for line in (
            statements.headline(total, period) if total.figures else None,
            statements.comparison(total, period) if period else None,
        )
        if line
    ]
    return {
        "spec": spec,
        "source": _source(spec),
        "unit": labels.unit_label(spec.unit),
        "direction": _direction(spec),
        "statements": said,
        "blocks": blocks,
        "period": period,
        "periods": total.periods,
        "period_label": labels.period_label(period) if period else "",
        "breakdowns": [
            {
                "code": b,
                "title": labels.breakdown_title(b),
                "href": f"{base}?breakdown={b}" + (f"&period={period}" if period else ""),
                "current": b == breakdown,
            }
            for b in breakdowns
        ],
        "breakdown_block": breakdown_block,
        "breakdown_title": labels.breakdown_title(breakdown) if breakdown else "",
        "council": where.council,
        "neighbour_method": where.method,
        "exact": exact,
        "base": base,
    }


@login_required
def indicator(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """One indicator: its trend, the council beside its comparators, and its breakdowns."""
    partnership = _partnership(request, slug)
    spec = _spec(partnership, indicator)
    context = _indicator_context(request, partnership, spec, public=False)
    crumbs = [{"label": "Indicators", "href": reverse("dashboards:catalogue", args=[slug])}]
    return render(
        request,
        "dashboards/indicator.html",
        {**_layout(partnership, "indicators", crumbs), **context},
    )


def _download(
    request: HttpRequest,
    partnership: records.Partnership,
    spec: IndicatorSpec,
    fmt: str,
    *,
    exact: bool,
) -> HttpResponse:
    if fmt not in DOWNLOAD_TYPES:
        raise Http404("Data can be downloaded as csv or xlsx.")
    kind = request.GET.get("chart", "trend")
    if kind not in pages.CHART_KINDS:
        raise Http404("There is no such chart.")
    where = queries.comparators(partnership.area)
    chart = pages.chart_for(
        kind,
        spec,
        where,
        exact=exact,
        breakdown=request.GET.get("breakdown"),
        period=request.GET.get("period"),
    )
    if chart is None:
        raise Http404("There are no figures for this chart.")
    rows = [_withheld_marked(row) for row in chart.table.raw_rows]
    columns = list(chart.table.download_columns)
    if fmt == "csv":
        data = downloads.to_csv(rows, columns)
    else:
        data = downloads.to_xlsx(rows, columns, sheet_title=kind.capitalize())
    name = f"{spec.id.replace('.', '-')}-{kind}{'' if exact else '-published'}.{fmt}"
    response = HttpResponse(data, content_type=DOWNLOAD_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    trail.export(request, f"chart data {name}", fmt, partnership=partnership)
    return response


WITHHELD_COLUMNS = ("value", "lower_ci", "upper_ci", "numerator", "denominator")


def _withheld_marked(row: dict[str, Any]) -> dict[str, Any]:
    """A row of a download with withheld figures written [c], as published tables write them."""
    if not row.get("suppressed"):
        return row
    return {**row, **{column: "[c]" for column in WITHHELD_COLUMNS if row.get(column) is None}}


@login_required
def indicator_data(request: HttpRequest, slug: str, indicator: str, fmt: str) -> HttpResponse:
    """The data of one of an indicator page's charts, as CSV or XLSX: exact figures."""
    partnership = _partnership(request, slug)
    return _download(request, partnership, _spec(partnership, indicator), fmt, exact=True)


@login_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The dashboard the business manager composed, grouped under the priorities."""
    partnership = _partnership(request, slug)
    panels = list(DashboardPanel.objects.filter(partnership=partnership).select_related("priority"))
    place = Place(partnership=partnership)
    panel_type = BY_KEY["dashboard_panel"]
    return render(
        request,
        "dashboards/dashboard.html",
        {
            **_layout(partnership, "dashboard", []),
            "groups": pages.panel_blocks(partnership, panels, exact=True),
            "exact": True,
            "panels_url": place.url(panel_type, "list"),
            "can_compose": permissions.can(request.user, "add", "dashboard_panel", place.scope),
            "public_url": reverse("dashboards:public-dashboard", args=[slug])
            if any(p.public for p in panels)
            else "",
        },
    )


@login_required
def disproportionality(request: HttpRequest, slug: str) -> HttpResponse:
    """The relative rate index of each ethnic group at each stage of the children's journey."""
    partnership = _partnership(request, slug)
    grouping = request.GET.get("grouping", "ethnic_group")
    if grouping not in pages.RRI_GROUPINGS:
        grouping = "ethnic_group"
    context = pages.disproportionality(partnership, grouping, request.GET.get("period"))
    base = reverse("dashboards:disproportionality", args=[slug])
    return render(
        request,
        "dashboards/disproportionality.html",
        {
            **_layout(partnership, "disproportionality", []),
            **context,
            "grouping": grouping,
            "groupings": [
                {
                    "code": g,
                    "title": labels.breakdown_title(g),
                    "href": f"{base}?grouping={g}"
                    + (f"&period={context['period']}" if context.get("period") else ""),
                    "current": g == grouping,
                }
                for g in pages.RRI_GROUPINGS
            ],
            "period_label": labels.period_label(context["period"]) if context["period"] else "",
            "exact": True,
        },
    )


def _public_partnership(slug: str) -> tuple[records.Partnership, list[DashboardPanel]]:
    partnership = get_object_or_404(records.Partnership.objects.select_related("area"), slug=slug)
    panels = list(
        DashboardPanel.objects.filter(partnership=partnership, public=True).select_related(
            "priority"
        )
    )
    if not panels:
        raise Http404("This partnership has not published a dashboard.")
    return partnership, panels


def public_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    """The panels the partnership chose to publish, with published figures. No sign-in."""
    partnership, panels = _public_partnership(slug)
    return render(
        request,
        "dashboards/dashboard.html",
        {
            **_public_layout(partnership, []),
            "groups": pages.panel_blocks(partnership, panels, exact=False, public=True),
            "exact": False,
        },
    )


def _public_spec(slug: str, indicator: str) -> tuple[records.Partnership, IndicatorSpec]:
    partnership, panels = _public_partnership(slug)
    if indicator not in {panel.indicator for panel in panels}:
        raise Http404("This indicator is not on the public dashboard.")
    return partnership, _spec(partnership, indicator)


def public_indicator(request: HttpRequest, slug: str, indicator: str) -> HttpResponse:
    """One published indicator, with published figures. No sign-in."""
    partnership, spec = _public_spec(slug, indicator)
    context = _indicator_context(request, partnership, spec, public=True)
    return render(
        request,
        "dashboards/indicator.html",
        {**_public_layout(partnership, []), **context},
    )


def public_indicator_data(
    request: HttpRequest, slug: str, indicator: str, fmt: str
) -> HttpResponse:
    """A published chart's data, with disclosure control. No sign-in."""
    partnership, spec = _public_spec(slug, indicator)
    return _download(request, partnership, spec, fmt, exact=False)


def nav_items(partnership: records.Partnership, current: str) -> list[dict[str, Any]]:
    """The dashboard pages in a partnership's side navigation."""
    items = [
        ("Dashboard", "dashboards:dashboard", "dashboard"),
        ("Indicators", "dashboards:catalogue", "indicators"),
    ]
    if partnership.kind != "adults":
        items.append(("Disproportionality", "dashboards:disproportionality", "disproportionality"))
    return [
        {"label": label, "href": reverse(name, args=[partnership.slug]), "current": current == key}
        for label, name, key in items
    ]


def priority_evidence(request: HttpRequest, priority: Any) -> dict[str, Any] | None:
    """The dashboard panels of a priority, on the priority's own page."""
    panels = list(DashboardPanel.objects.filter(priority=priority).select_related("priority"))
    if not panels:
        return None
    if not permissions.can_on(request.user, "view", priority):
        raise PermissionDenied
    groups = pages.panel_blocks(priority.partnership, panels, exact=True)
    return {"template": "dashboards/priority_evidence.html", "groups": groups, "exact": True}


MAX_MEASURES_BYTES = 5 * 1024 * 1024


def _area(request: HttpRequest, area_slug: str) -> records.Area:
    try:
        place = place_from(request.user, area_slug=area_slug)
    except NotHere:
        raise Http404("No such area here.") from None
    assert place.area is not None
    return place.area


def _typed_neighbours(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """Neighbours typed one to a line, as ``E06000098`` or ``E06000098, Brackenford``."""
    from safeguarding.catalogue import geography
    from safeguarding.web.dashboards.models import COUNCIL_CODE

    found: list[dict[str, str]] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        code, _, name = (part.strip() for part in line.partition(","))
        code = code.upper()
        if not COUNCIL_CODE.match(code):
            problems.append(f"Line {number}: {code[:20]!r} is not a council's ONS code.")
            continue
        known = geography.council(code)
        name = name or (known.name if known else "")
        if not name:
            problems.append(f"Line {number}: give {code} a name, as in '{code}, Name'.")
            continue
        found.append({"code": code, "name": name[:200]})
    return found, problems


@login_required
def neighbours(request: HttpRequest, area_slug: str) -> HttpResponse:
    """The councils the area is compared with: typed in, or worked out from a measures file."""
    from django.core.exceptions import ValidationError

    from safeguarding.dashboards import neighbours as nearest_councils
    from safeguarding.web.audit import trail
    from safeguarding.web.dashboards.models import NeighbourSet
    from safeguarding.web.records import services

    area = _area(request, area_slug)
    current = NeighbourSet.objects.filter(area=area).first()
    scope = permissions.Scope(area_id=area.pk)
    may_change = permissions.can(
        request.user, "change" if current else "add", "neighbour_set", scope
    )
    errors: list[dict[str, str]] = []
    typed = "\n".join(f"{n['code']}, {n['name']}" for n in current.neighbours) if current else ""
    method = current.method if current else ""
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied("You may not change this area's statistical neighbours.")
        instance = current or NeighbourSet(area=area)
        before = trail.snapshot(instance) if current else None
        upload = request.FILES.get("measures")
        if upload is not None:
            count_text = request.POST.get("count", "10").strip()
            count = int(count_text) if count_text.isascii() and count_text.isdigit() else 0
            if not 1 <= count <= 30:
                errors.append({"href": "#count", "text": "Enter how many neighbours, from 1 to 30"})
            elif upload.size is not None and upload.size > MAX_MEASURES_BYTES:
                errors.append(
                    {"href": "#measures", "text": "The measures file must be 5 MB or smaller"}
                )
            else:
                try:
                    measures = nearest_councils.read_measures(upload.read(), upload.name or "")
                    chosen = nearest_councils.nearest(measures, area.council_code, count)
                except nearest_councils.MeasuresError as error:
                    errors.append({"href": "#measures", "text": str(error)})
                else:
                    instance.neighbours = [{"code": n.code, "name": n.name} for n in chosen]
                    instance.method = nearest_councils.method_text(
                        measures, count, council_code=area.council_code
                    )
        else:
            typed = request.POST.get("neighbours", "")
            method = request.POST.get("method", "").strip()
            found, problems = _typed_neighbours(typed)
            errors += [{"href": "#neighbours", "text": text} for text in problems]
            instance.neighbours, instance.method = found, method
        if not errors:
            try:
                services.save_record(request.user, instance, before=before)
            except ValidationError as error:
                errors += [{"href": "#neighbours", "text": text} for text in error.messages]
            else:
                from django.contrib import messages
                from django.shortcuts import redirect

                messages.success(request, "The statistical neighbours are saved.")
                return redirect("dashboards:neighbours", area_slug=area.slug)
    return render(
        request,
        "dashboards/neighbours.html",
        {
            "area": area,
            "current": current,
            "may_change": may_change,
            "errors": errors,
            "typed": typed,
            "method": method,
            "breadcrumbs": [
                {"label": "Home", "href": reverse("records:home")},
                {"label": area.name, "href": ""},
            ],
        },
    )
