"""An agency's own figures for a shared indicator: upload a tidy table, check it, store it.

An agency contributor uploads a CSV or Parquet file in the tidy format of ``indicators.md`` for
one shared indicator. Every row is checked against the indicator (its id, its unit, the places
it may cover, no breakdowns) and by the results loader's own row checks (numbers, periods,
repeats). A file with any problem is not kept and all its problems are listed at once. A good
file is shown back as the rows that will be stored, and only when the person confirms are they
stored, as one load with its provenance.

Between the two steps the checked rows wait in the person's session under a random token; the
file itself is never kept, only its name, size and SHA-256.
"""

from __future__ import annotations

import logging
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from safeguarding.catalogue import geography
from safeguarding.web import permissions
from safeguarding.web.dashboards.models import NeighbourSet, SharedIndicator
from safeguarding.web.records import models as records
from safeguarding.web.records.places import NotHere, Place, place_from, record_url
from safeguarding.web.records.registry import BY_SLUG
from safeguarding.web.records.services import refuse
from safeguarding.web.records.views import partnership_nav
from safeguarding.web.results.forms import UploadForm
from safeguarding.web.results.loading import (
    TOTAL,
    LoadRejected,
    RowProblem,
    SourceFile,
    TidyRows,
    check_rows,
    read_tidy_file,
    safe_file_name,
    store_values,
)
from safeguarding.web.results.models import (
    IndicatorLoad,
    IndicatorValue,
)

log = logging.getLogger("safeguarding.dashboards")

#: The checked rows wait in the session, so a file may hold at most this many figures.
MAX_ROWS = 5_000
PROBLEMS_SHOWN = 50
#: Checked uploads a session keeps at once; the oldest is dropped first.
PENDING_KEPT = 3
SESSION_KEY = "shared_uploads"
ENGLAND = "E92000001"
KIND = "uploaded"
VIA = "web"
#: The results loader's checks see this id in place of the row's own, which this module has
#: already checked, so that each problem is reported once; the real id is put back before
#: storing.
STAND_IN_ID = "shared.upload"
#: The fields of a checked row kept in the session, in order.
KEPT_FIELDS = (
    "geography_level",
    "geography_code",
    "period",
    "breakdown",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "suppressed",
)
COLUMN_ORDER = (
    "",
    "indicator",
    "geography_level",
    "geography_code",
    "period",
    "breakdown",
    "category",
    "numerator",
    "denominator",
    "value",
    "lower_ci",
    "upper_ci",
    "unit",
)


class SharedUploadForm(UploadForm):
    """The results upload form without its label: a shared indicator's load names itself."""

    label = None  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].label = "File of figures"
        self.fields["file"].help_text = "A CSV or Parquet file in the tidy format, up to 20 MB."


# -- the places a shared indicator's figures may be for -----------------------------------------


@dataclass(frozen=True)
class Places:
    """The places an area's shared figures may be for: the council, its statistical
    neighbours, its region (any region when the council is not in the lookup) and England,
    each (level, code) with its name."""

    council_code: str
    council_name: str
    region_code: str | None
    names: Mapping[tuple[str, str], str]

    def name_of(self, level: str, code: str) -> str:
        return self.names.get((level, code), code)

    def of_level(self, level: str) -> list[tuple[str, str]]:
        """The (code, name) of each place of ``level``, the council left out."""
        return [
            (code, name)
            for (at, code), name in self.names.items()
            if at == level and code != self.council_code
        ]


def places_for(area: records.Area) -> Places:
    """The council of ``area`` and the places it is compared with."""
    council_code = area.council_code
    names: dict[tuple[str, str], str] = {}
    if council_code:
        names[("la", council_code)] = area.name
    neighbours = NeighbourSet.objects.filter(area=area).first()
    for neighbour in neighbours.neighbours if neighbours else []:
        names.setdefault(("la", neighbour["code"]), neighbour["name"])
    region = geography.region_of(council_code) if council_code else None
    for code, name in geography.REGIONS.items():
        if region is None or code == region:
            names[("region", code)] = name
    names[("england", ENGLAND)] = "England"
    return Places(council_code, area.name, region, names)


# -- checking an upload ---------------------------------------------------------------------------


@dataclass
class CheckedUpload:
    """The rows of a good file, ready to store, and what the file said about itself."""

    values: list[IndicatorValue]
    suppressed: bool | None
    warnings: list[str]


def _cell(row: Mapping[str, Any], column: str) -> str:
    value = row.get(column)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _place_problem(level: str, code: str, places: Places) -> tuple[str, str, str] | None:
    """Why a row's place is not one this indicator's figures may be for, if it is not."""
    if level not in ("la", "region", "england"):
        return ("geography_level", level, "must be la, region or england")
    if (level, code) in places.names:
        return None
    if level == "la":
        message = (
            f"must be {places.council_name}'s code ({places.council_code}) or one of its "
            "statistical neighbours'"
        )
    elif level == "region" and places.region_code:
        region = places.region_code
        message = f"must be the code of {places.name_of('region', region)} ({region})"
    elif level == "region":
        message = "must be the code of an English region, E12000001 to E12000009"
    else:
        message = f"must be {ENGLAND} for England"
    return ("geography_code", code, message)


def _own_problems(
    row: Mapping[str, Any], shared: SharedIndicator, places: Places
) -> list[tuple[str, str, str]]:
    """What makes a row not a figure of this shared indicator: (column, value, message)."""
    problems: list[tuple[str, str, str]] = []
    indicator = _cell(row, "indicator")
    if indicator != shared.indicator_id:
        problems.append(
            ("indicator", indicator, f"must be {shared.indicator_id}, this indicator's id")
        )
    level = _cell(row, "geography_level")
    place = _place_problem(level, _cell(row, "geography_code").upper(), places)
    if place is not None:
        problems.append(place)
    breakdown = _cell(row, "breakdown")
    if breakdown != TOTAL:
        problems.append(("breakdown", breakdown, "must be total: shared indicators have none"))
    unit = _cell(row, "unit")
    if unit != shared.unit:
        problems.append(("unit", unit, f"must be {shared.unit}, this indicator's unit"))
    return problems


def _for_loader(
    number: int, row: Mapping[str, Any], shared: SharedIndicator, faulty: bool
) -> dict[str, Any]:
    """The row as the results loader checks it: the columns checked here are made good, so that
    each problem is reported once. A faulty row gets an id of its own, so that its stand-in
    place is never taken for a repeat of another row."""
    stand_in = dict(row)
    stand_in["indicator"] = f"{STAND_IN_ID}.row{number}" if faulty else STAND_IN_ID
    stand_in["unit"] = shared.unit
    if faulty:
        stand_in.update(geography_level="england", geography_code=ENGLAND)
        if _cell(row, "breakdown") != TOTAL:
            stand_in.update(breakdown=TOTAL, category=TOTAL)
    return stand_in


def check_upload(shared: SharedIndicator, places: Places, table: TidyRows) -> CheckedUpload:
    """Every row of ``table`` checked as a figure of ``shared``, or ``LoadRejected``."""
    if not places.council_code:
        raise LoadRejected(
            "Figures cannot be stored until the area has its council code. "
            "Ask your partnership's business manager to add it."
        )
    if len(table.rows) > MAX_ROWS:
        raise LoadRejected(
            f"{table.file} has {len(table.rows):,} rows. Upload at most {MAX_ROWS:,} at a time."
        )
    own: list[RowProblem] = []
    stand_ins: list[tuple[int, Mapping[str, Any]]] = []
    for number, row in table.rows:
        # A row of the wrong length is the loader's to report: it has no columns to check.
        found = [] if "__cells__" in row else _own_problems(row, shared, places)
        own.extend(
            RowProblem(table.file, number, column, value[:80], message)
            for column, value, message in found
        )
        stand_ins.append((number, _for_loader(number, row, shared, bool(found))))
    checked = TidyRows(table.file, stand_ins, suppressed=table.suppressed)
    values, loader_problems, loader_count = check_rows([checked], known=None)
    count = len(own) + loader_count
    if count:
        problems = sorted(
            [*own, *loader_problems],
            key=lambda p: (p.row, COLUMN_ORDER.index(p.column) if p.column in COLUMN_ORDER else 99),
        )
        raise LoadRejected(
            f"Nothing was stored: {count:,} problem{'s' if count != 1 else ''} in the rows.",
            problems,
            count,
        )
    if not values:
        raise LoadRejected(f"Nothing was stored: {table.file} holds no figures.")
    for value in values:
        value.indicator = shared.indicator_id
    return CheckedUpload(values, table.suppressed, list(table.warnings))


# -- keeping a checked upload between the two steps ----------------------------------------------


def _keep(
    request: HttpRequest,
    shared: SharedIndicator,
    checked: CheckedUpload,
    source: SourceFile,
    notes: str,
) -> str:
    """Put the checked rows in the session; the token that finds them again."""
    token = secrets.token_urlsafe(24)
    pending: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    while len(pending) >= PENDING_KEPT:
        pending.pop(next(iter(pending)))
    pending[token] = {
        "shared": shared.pk,
        "indicator": shared.indicator_id,
        "unit": shared.unit,
        "user": request.user.pk,
        "file": asdict(source),
        "notes": notes,
        "suppressed": checked.suppressed,
        "warnings": checked.warnings,
        "rows": [[getattr(v, name) for name in KEPT_FIELDS] for v in checked.values],
    }
    request.session[SESSION_KEY] = pending
    return token


def _take(
    request: HttpRequest, token: str, shared: SharedIndicator
) -> tuple[dict[str, Any] | None, str]:
    """The checked upload ``token`` names, taken out of the session, or why there is none."""
    pending: dict[str, Any] = dict(request.session.get(SESSION_KEY, {}))
    kept = pending.pop(token, None) if token else None
    if kept is not None:
        request.session[SESSION_KEY] = pending
    if kept is None or kept["shared"] != shared.pk or kept["user"] != request.user.pk:
        return None, (
            "These figures were already stored, or the check has expired. "
            "Upload the file again to check it."
        )
    if kept["indicator"] != shared.indicator_id or kept["unit"] != shared.unit:
        return None, "The shared indicator changed after the file was checked. Upload it again."
    return kept, ""


def _values(kept: Mapping[str, Any], shared: SharedIndicator) -> list[IndicatorValue]:
    return [
        IndicatorValue(
            indicator=shared.indicator_id,
            unit=shared.unit,
            **dict(zip(KEPT_FIELDS, row, strict=True)),
        )
        for row in kept["rows"]
    ]


# -- storing --------------------------------------------------------------------------------------


def store_shared_figures(
    shared: SharedIndicator, kept: Mapping[str, Any], user: Any
) -> IndicatorLoad:
    """Store a checked upload as one load with its provenance. The person's right was checked
    against the shared indicator (its agency's contributors may supply its figures), not
    against indicator loads in general, which an agency contributor may not add."""
    return store_values(
        _values(kept, shared),
        kind=KIND,
        label=f"{shared.title} from {shared.owner_agency}",
        files=[SourceFile(**kept["file"])],
        user=user,
        via=VIA,
        suppressed=kept["suppressed"],
        notes=kept["notes"],
        warnings=kept["warnings"],
    )


# -- showing figures ------------------------------------------------------------------------------


def _number(number: float | int | None) -> str:
    if number is None:
        return ""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.4f}".rstrip("0")


def _figure(number: float | int | None, unit: str) -> str:
    shown = _number(number)
    return f"{shown}%" if shown and unit == "percent" else shown


def figure_rows(
    values: Sequence[IndicatorValue], places: Places, unit: str
) -> list[dict[str, str]]:
    """The rows of the check page: place, period, value, numerator, denominator, interval."""
    rows = []
    for value in values:
        interval = ""
        if value.lower_ci is not None and value.upper_ci is not None:
            interval = f"{_figure(value.lower_ci, unit)} to {_figure(value.upper_ci, unit)}"
        shown = _figure(value.value, unit)
        if value.suppressed and not shown:
            shown = "[c] withheld"
        rows.append(
            {
                "place": places.name_of(value.geography_level, value.geography_code),
                "code": value.geography_code,
                "period": value.period,
                "value": shown,
                "numerator": _number(value.numerator),
                "denominator": _number(value.denominator),
                "interval": interval,
            }
        )
    return rows


# -- pages ----------------------------------------------------------------------------------------


def _shared_indicator(
    request: HttpRequest, slug: str, pk: int
) -> tuple[records.Partnership, SharedIndicator]:
    """The partnership and its shared indicator an address names, if the person may see them."""
    try:
        partnership = place_from(request.user, slug=slug).partnership
    except NotHere:
        raise Http404("No such partnership here.") from None
    assert partnership is not None
    shared = get_object_or_404(
        SharedIndicator.objects.select_related("owner_agency", "partnership__area"),
        partnership=partnership,
        pk=pk,
    )
    return partnership, shared


def _require_change(request: HttpRequest, shared: SharedIndicator) -> None:
    if permissions.can_on(request.user, "change", shared):
        return
    if request.method == "POST":
        raise refuse(request.user, "change", shared, VIA)
    raise PermissionDenied(f"Only {shared.owner_agency} can upload figures for this indicator.")


def _surroundings(
    partnership: records.Partnership, shared: SharedIndicator, last: str
) -> dict[str, Any]:
    """The side navigation and breadcrumbs of a partnership's page."""
    place = Place(partnership=partnership)
    return {
        "partnership": partnership,
        "shared": shared,
        "shared_url": record_url(shared),
        "nav_items": partnership_nav(partnership, "shared-indicators"),
        "breadcrumbs": [
            {"label": "Home", "href": reverse("records:home")},
            {
                "label": partnership.name,
                "href": reverse("records:overview", args=[partnership.slug]),
            },
            {"label": "Shared indicators", "href": place.url(BY_SLUG["shared-indicators"], "list")},
            {"label": shared.title, "href": record_url(shared)},
            {"label": last},
        ],
    }


def _upload_page(
    request: HttpRequest,
    partnership: records.Partnership,
    shared: SharedIndicator,
    places: Places,
    form: SharedUploadForm,
    rejected: LoadRejected | None = None,
) -> HttpResponse:
    problems = rejected.problems[:PROBLEMS_SHOWN] if rejected else []
    count = rejected.problem_count if rejected and rejected.problems else 0
    return render(
        request,
        "dashboards/shared_upload.html",
        {
            **_surroundings(partnership, shared, "Upload figures"),
            "form": form,
            "places": places,
            "max_rows": MAX_ROWS,
            "neighbours": places.of_level("la"),
            "regions": places.of_level("region"),
            "upload_error": rejected.message if rejected else "",
            "problems_found": problems,
            "problem_count": count,
            "more_problems": max(count - len(problems), 0),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def shared_upload(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Upload a file of figures for a shared indicator; a good file is shown back to check."""
    partnership, shared = _shared_indicator(request, slug, pk)
    _require_change(request, shared)
    places = places_for(partnership.area)
    form = SharedUploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, partnership, shared, places, form)
    uploaded = form.cleaned_data["file"]
    name = safe_file_name(uploaded.name or "")
    data = uploaded.read()
    try:
        checked = check_upload(shared, places, read_tidy_file(name, data))
    except LoadRejected as rejected:
        return _upload_page(request, partnership, shared, places, form, rejected)
    source = SourceFile.of(name, data)
    token = _keep(request, shared, checked, source, form.cleaned_data["notes"])
    return render(
        request,
        "dashboards/shared_upload_check.html",
        {
            **_surroundings(partnership, shared, "Check the figures"),
            "token": token,
            "source": source,
            "rows": figure_rows(checked.values, places, shared.unit),
            "warnings": checked.warnings,
            "notes": form.cleaned_data["notes"],
        },
    )


@login_required
@require_POST
def shared_upload_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Store the figures a person checked; the token says which."""
    partnership, shared = _shared_indicator(request, slug, pk)
    _require_change(request, shared)
    kept, why_not = _take(request, request.POST.get("token", ""), shared)
    if kept is None:
        places = places_for(partnership.area)
        return _upload_page(
            request, partnership, shared, places, SharedUploadForm(), LoadRejected(why_not)
        )
    load = store_shared_figures(shared, kept, request.user)
    log.info("%s stored %s figures of %s", request.user, load.row_count, shared.indicator_id)
    messages.success(
        request,
        f"Stored {load.row_count:,} figure{'s' if load.row_count != 1 else ''} "
        f"for {shared.title} from {kept['file']['name']}",
    )
    return HttpResponseRedirect(record_url(shared))
