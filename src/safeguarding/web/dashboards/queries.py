"""Stored indicator values turned into the plain figures the dashboards package reads.

This is the only module of the dashboards app that reads ``IndicatorValue``. A council's
children's figures may be stored under its DfE LA number and its adult figures under its ONS
code (``indicators.md``): both are read, and every figure comes back under the ONS code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from safeguarding.catalogue import geography
from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place, period_order
from safeguarding.indicators.adults import ENGLAND
from safeguarding.indicators.catalogue import IndicatorSpec, catalogue
from safeguarding.web.dashboards.models import SHARED_PREFIX, NeighbourSet, SharedIndicator
from safeguarding.web.records import models as records
from safeguarding.web.results.models import IndicatorValue

_FIELDS = (
    "indicator",
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
    "suppressed",
    "load__kind",
)


@dataclass(frozen=True)
class Comparators:
    """The partnership's council and the places its figures are read beside."""

    council: Place
    places: tuple[Place, ...]  # the council first, then England, the region, the neighbours
    method: str  # how the neighbours were chosen, or "" when there are none

    def by_code(self) -> dict[str, Place]:
        """Every stored code (ONS and DfE) -> its place."""
        found: dict[str, Place] = {}
        for place in self.places:
            found[place.code] = place
            known = geography.council(place.code)
            if known is not None and known.dfe_la_number:
                found[known.dfe_la_number] = place
        return found


def comparators(area: records.Area, *, neighbours: bool = True) -> Comparators:
    """The area's council, England, its region and (if asked) its statistical neighbours."""
    code = area.council_code
    council = Place(code, area.name, "la", "council")
    places = [council, Place(ENGLAND, "England", "england", "england")]
    region = geography.region_of(code) if code else None
    region = region or area.region_code or None
    if region:
        places.append(Place(region, geography.REGIONS.get(region, region), "region", "region"))
    method = ""
    if neighbours:
        found = NeighbourSet.objects.filter(area=area).first()
        if found is not None:
            method = found.method
            places += [
                Place(item["code"], item["name"], "la", "neighbour")
                for item in found.neighbours
                if item["code"] != code
            ]
    return Comparators(council, tuple(places), method)


def spec_of(indicator_id: str, partnership: records.Partnership) -> IndicatorSpec | None:
    """The catalogue's entry for an indicator, or one made from the partnership's shared
    indicator; ``None`` when there is neither."""
    if indicator_id.startswith(SHARED_PREFIX):
        prefix = f"{SHARED_PREFIX}{partnership.slug}."
        if not indicator_id.startswith(prefix):
            return None
        shared = partnership.shared_indicators.filter(
            code=indicator_id.removeprefix(prefix)
        ).first()
        return shared_spec(shared) if shared else None
    try:
        return catalogue().get(indicator_id)
    except KeyError:
        return None


def shared_spec(shared: SharedIndicator) -> IndicatorSpec:
    source = f" Supplied by {shared.owner_agency}"
    source += f" from {shared.source}." if shared.source else "."
    return IndicatorSpec(
        id=shared.indicator_id,
        title=shared.title,
        unit=shared.unit,
        higher_is_better=shared.higher_is_better,
        definition=shared.definition.strip() + source,
        breakdowns=("total",),
        ci_method="none",
        domain="shared",
    )


def partnership_specs(partnership: records.Partnership) -> list[IndicatorSpec]:
    """The indicators a partnership reads: its domain's catalogue entries, then its shared
    indicators. A partnership of another kind reads both domains."""
    book = catalogue()
    if partnership.kind in ("adults", "children"):
        specs = list(book.of_domain(partnership.kind))
    else:
        specs = list(book.indicators)
    shared = partnership.shared_indicators.select_related("owner_agency", "partnership")
    return specs + [shared_spec(item) for item in shared]


def _figures(
    rows: Iterable[tuple], places: dict[str, Place], *, prefer_own: bool = True
) -> list[Figure]:
    """Figures from value rows; where a council's own figure and a published one cover the
    same cell, the council's own wins (it is computed from the records)."""
    chosen: dict[tuple, tuple] = {}
    for row in rows:
        place = places[row[1]]
        key = (row[0], place.code, row[2], row[3], row[4])
        own = row[12] != "published"
        if key not in chosen or (own and prefer_own and chosen[key][12] == "published"):
            chosen[key] = row
    figures = []
    for row in chosen.values():
        place = places[row[1]]
        figures.append(
            Figure(
                indicator=row[0],
                place=place,
                period=row[2],
                breakdown=row[3],
                category=row[4],
                numerator=row[5],
                denominator=row[6],
                value=row[7],
                lower_ci=row[8],
                upper_ci=row[9],
                unit=row[10],
                suppressed=row[11],
            )
        )
    return figures


def indicator_figures(
    spec: IndicatorSpec,
    where: Comparators,
    *,
    breakdowns: Sequence[str] | None = ("total",),
    council_only_breakdowns: bool = True,
) -> IndicatorFigures:
    """Every stored figure of one indicator for the council and its comparators.

    ``breakdowns`` None reads every breakdown. Comparators' breakdowns are read only when
    ``council_only_breakdowns`` is false (a breakdown chart shows England beside the council).
    """
    places = where.by_code()
    query = IndicatorValue.objects.current().filter(
        indicator=spec.id, geography_code__in=list(places)
    )
    if breakdowns is not None:
        query = query.filter(breakdown__in=list(breakdowns))
    rows = query.values_list(*_FIELDS)
    figures = _figures(rows, places)
    if council_only_breakdowns:
        figures = [
            f for f in figures if f.breakdown == "total" or f.place.role in ("council", "england")
        ]
    figures.sort(key=lambda f: (f.place.role != "council", f.place.name, f.period, f.breakdown))
    return IndicatorFigures(
        spec=spec,
        council=where.council,
        figures=tuple(figures),
        periods=period_order(f.period for f in figures),
    )


def breakdowns_loaded(spec: IndicatorSpec, where: Comparators) -> list[str]:
    """The breakdowns with a figure for the council, in the catalogue's order."""
    codes = [code for code, place in where.by_code().items() if place.role == "council"]
    found = set(
        IndicatorValue.objects.current()
        .filter(indicator=spec.id, geography_code__in=codes)
        .values_list("breakdown", flat=True)
        .distinct()
    )
    return [b for b in spec.breakdowns if b in found]


def latest_totals(
    specs: Sequence[IndicatorSpec], where: Comparators
) -> dict[str, tuple[Figure, Figure | None]]:
    """Indicator id -> (the council's latest total, England's total in the same period)."""
    places = where.by_code()
    wanted = {code: place for code, place in places.items() if place.role in ("council", "england")}
    rows = (
        IndicatorValue.objects.current()
        .filter(
            indicator__in=[spec.id for spec in specs],
            geography_code__in=list(wanted),
            breakdown="total",
        )
        .values_list(*_FIELDS)
    )
    by_indicator: dict[str, list[Figure]] = {}
    for figure in _figures(rows, wanted):
        by_indicator.setdefault(figure.indicator, []).append(figure)
    latest: dict[str, tuple[Figure, Figure | None]] = {}
    for indicator, figures in by_indicator.items():
        own = [f for f in figures if f.place.role == "council"]
        if not own:
            continue
        newest = max(own, key=lambda f: f.period)
        england = next(
            (f for f in figures if f.place.role == "england" and f.period == newest.period),
            None,
        )
        latest[indicator] = (newest, england)
    return latest


def data_version() -> tuple[int, int]:
    """Changes whenever a load of figures is stored or removed: what pages worked out from
    the figures before then is no longer used."""
    from django.db.models import Count, Max

    from safeguarding.web.results.models import IndicatorLoad

    found = IndicatorLoad.objects.order_by().aggregate(last=Max("id"), loads=Count("id"))
    return (found["last"] or 0, found["loads"])
