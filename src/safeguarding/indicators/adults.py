"""The adult safeguarding indicators as Ibis expressions, one function per catalogue id.

Each function takes the case tables on some engine and the breakdowns the catalogue asks for,
and returns one expression whose rows are counts: ``geography_level``, ``geography_code``,
``period``, ``breakdown``, ``category``, ``numerator`` and ``denominator`` (null for plain
counts). Engines only ever count; percentages, rates and confidence intervals are worked out
afterwards in Python from these counts (``tidy.py``), so DuckDB, PostgreSQL and Spark give the
same answer to the last digit. Financial years are worked out inside the expressions, from the
dates, for the same reason.

Codes are those of ``shared/specs/adult-cases.md``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from safeguarding.indicators.catalogue import AgeBand

ENGLAND = "E92000001"
TOTAL = "total"
NOT_RECORDED = "NOT_RECORDED"
GEOGRAPHY_LEVELS = ("england", "region", "la")

# The codes the definitions test for, named as the specification names them.
S42 = "S42"
OTHER_ENQUIRY = "OTHER"
ASKED = ("ASKED_EXPRESSED", "ASKED_NOT_EXPRESSED")
ASKED_EXPRESSED = "ASKED_EXPRESSED"
OUTCOMES_ACHIEVED = ("FULLY", "PARTIALLY")
FULLY_ACHIEVED = "FULLY"
RISK_ACTION = "RISK_ACTION"
ACTION_TAKEN = ("RISK_ACTION", "INCONCLUSIVE_ACTION")
RISK_REDUCED_OR_REMOVED = ("REDUCED", "REMOVED")
LACKED_CAPACITY = "YES"
SUPPORTED = ("ADVOCATE", "FAMILY_FRIEND")

# The breakdown's name in the tidy table -> the column of `concerns` that gives its category.
BREAKDOWN_COLUMNS = {
    "age_band": "age_band",
    "sex": "sex",
    "ethnicity": "ethnic_group",
    "primary_support_reason": "primary_support_reason",
    "risk_location": "risk_location",
    "risk_source": "risk_source",
    "risk_assessment": "risk_assessment",
    "risk_outcome": "risk_outcome",
    "lacked_capacity": "lacked_capacity",
    "capacity_support": "capacity_support",
    "msp_asked": "msp_asked",
    "msp_outcome": "msp_outcome",
}
# risk_type comes from its own table: one enquiry may have several types.
BREAKDOWNS = (TOTAL, "risk_type", *BREAKDOWN_COLUMNS)


def _scope_risk_outcome(rows: ir.Table) -> ir.BooleanValue:
    return rows.risk_assessment.isin(ACTION_TAKEN)


def _scope_capacity_support(rows: ir.Table) -> ir.BooleanValue:
    return rows.lacked_capacity == LACKED_CAPACITY


def _scope_msp_outcome(rows: ir.Table) -> ir.BooleanValue:
    return rows.msp_asked == ASKED_EXPRESSED


# Some fields are only recorded for some enquiries; their breakdowns count only those enquiries,
# so that "not recorded" means missing, not "does not apply".
BREAKDOWN_SCOPES: dict[str, Callable[[ir.Table], ir.BooleanValue]] = {
    "risk_outcome": _scope_risk_outcome,
    "capacity_support": _scope_capacity_support,
    "msp_outcome": _scope_msp_outcome,
}


@dataclass(frozen=True)
class AdultCases:
    """The case tables on one engine, with the columns every definition shares: ``region_code``,
    ``age_band`` and the financial years of the concern, enquiry start and enquiry end."""

    concerns: ir.Table
    risk_types: ir.Table


def financial_year(date: ir.DateValue) -> ir.StringValue:
    """The financial year (1 April to 31 March) of ``date``, written ``2024-25``."""
    start = date.year() - (date.month() < 4).cast("int32")
    return start.cast("string").concat("-", ((start + 1) % 100).cast("string").lpad(2, "0"))


def age_band(age: ir.IntegerValue, bands: Sequence[AgeBand]) -> ir.StringValue:
    """The band of ``age``; ages outside every band (or missing) are not recorded."""
    branches = []
    for band in bands:
        test = age >= band.start if band.end is None else age.between(band.start, band.end)
        branches.append((test, band.band))
    return ibis.cases(*branches, else_=NOT_RECORDED)


def prepare(
    concerns: ir.Table, risk_types: ir.Table, regions: ir.Table, age_bands: Sequence[AgeBand]
) -> AdultCases:
    """Add the shared columns. ``regions`` maps ``lookup_la_code`` to ``region_code``."""
    joined = concerns.left_join(regions, concerns.la_code == regions.lookup_la_code)
    joined = joined.select(*[joined[name] for name in concerns.columns], joined.region_code)
    enriched = joined.mutate(
        concern_period=financial_year(joined.concern_date),
        start_period=financial_year(joined.enquiry_start_date),
        end_period=financial_year(joined.enquiry_end_date),
        age_band=age_band(joined.age, age_bands),
    )
    return AdultCases(concerns=enriched, risk_types=risk_types)


# -- building blocks -----------------------------------------------------------------------------

_ONE = ibis.literal(1, "int64")
_ZERO = ibis.literal(0, "int64")
_NO_DENOMINATOR = ibis.null("int64")


def _flag(test: ir.BooleanValue) -> ir.IntegerValue:
    """1 where ``test`` holds, 0 where it does not or is unknown (a missing code)."""
    return ibis.ifelse(test.fill_null(False), _ONE, _ZERO)


def _risk_type_rows(cases: AdultCases, enquiries: ir.Table) -> ir.Table:
    """One row per enquiry and distinct risk type (``NOT_RECORDED`` when it has none)."""
    types = cases.risk_types.select(
        type_concern_id=cases.risk_types.concern_id, risk_type=cases.risk_types.risk_type
    ).distinct()
    joined = enquiries.left_join(types, enquiries.concern_id == types.type_concern_id)
    return joined.select(*[joined[name] for name in enquiries.columns], joined.risk_type)


def _unpivot(
    rows: ir.Table,
    period: str,
    breakdowns: Sequence[str],
    numerator: Callable[[ir.Table], ir.IntegerValue],
    denominator: Callable[[ir.Table], ir.IntegerValue],
) -> ir.Table:
    """``rows`` once per geography level and breakdown, each with its geography code and
    category, ready to add up.

    The copies come from unnesting literal arrays rather than from a union of one query per
    level and breakdown: the plan stays the same size however many breakdowns there are, which
    is what keeps Spark quick.
    """
    rows = rows.filter(rows[period].notnull())
    columns: dict[str, ir.Value] = {
        "la_code": rows.la_code,
        "region_code": rows.region_code,
        "period": rows[period],
        "person_id": rows.person_id,
        "num": numerator(rows),
        "den": denominator(rows),
    }
    for breakdown in breakdowns:
        if breakdown == TOTAL:
            continue
        if breakdown not in BREAKDOWNS:
            raise ValueError(f"unknown breakdown {breakdown!r}")
        columns[f"category_{breakdown}"] = rows[BREAKDOWN_COLUMNS.get(breakdown, breakdown)]
        if breakdown in BREAKDOWN_SCOPES:
            columns[f"scope_{breakdown}"] = BREAKDOWN_SCOPES[breakdown](rows).fill_null(False)
    narrow = rows.select(**columns)

    levelled = narrow.mutate(geography_level=ibis.array(list(GEOGRAPHY_LEVELS)).unnest())
    levelled = levelled.mutate(
        geography_code=ibis.cases(
            (levelled.geography_level == "la", levelled.la_code),
            (levelled.geography_level == "region", levelled.region_code),
            else_=ibis.literal(ENGLAND),
        )
    )
    if len(breakdowns) == 1:
        split = levelled.mutate(breakdown=ibis.literal(breakdowns[0]))
    else:
        split = levelled.mutate(breakdown=ibis.array(list(breakdowns)).unnest())
    category: ir.StringValue = ibis.literal(TOTAL)
    in_scope: ir.BooleanValue = ibis.literal(True)
    named = [b for b in breakdowns if b != TOTAL]
    if named:
        category = ibis.cases(
            *[(split.breakdown == b, split[f"category_{b}"]) for b in named],
            else_=ibis.literal(TOTAL),
        ).fill_null(NOT_RECORDED)
    scoped = [b for b in breakdowns if b in BREAKDOWN_SCOPES]
    if scoped:
        in_scope = ibis.cases(
            *[(split.breakdown == b, split[f"scope_{b}"]) for b in scoped],
            else_=ibis.literal(True),
        )
    split = split.filter(split.geography_code.notnull(), in_scope)
    return split.select(
        *KEYS[:2],
        "period",
        "breakdown",
        category=category,
        person_id=split.person_id,
        num=split.num,
        den=split.den,
    )


def _parts(
    cases: AdultCases,
    rows: ir.Table,
    period: str,
    breakdowns: Sequence[str],
    numerator: Callable[[ir.Table], ir.IntegerValue],
    denominator: Callable[[ir.Table], ir.IntegerValue],
) -> list[ir.Table]:
    """The unpivoted rows for every breakdown; by risk type from their own (joined) rows."""
    parts = []
    plain = [b for b in breakdowns if b != "risk_type"]
    if plain:
        parts.append(_unpivot(rows, period, plain, numerator, denominator))
    if "risk_type" in breakdowns:
        typed = _risk_type_rows(cases, rows)
        parts.append(_unpivot(typed, period, ["risk_type"], numerator, denominator))
    return parts


KEYS = ("geography_level", "geography_code", "period", "breakdown", "category")


def _tally(parts: Sequence[ir.Table], *, people: bool = False, share: bool = False) -> ir.Table:
    """Add up the parts by geography, period and category.

    ``people`` counts distinct ``person_id`` instead of rows; ``share`` adds up a denominator.
    """
    stacked = ibis.union(*parts) if len(parts) > 1 else parts[0]
    grouped = stacked.group_by(list(KEYS))
    if share:
        return grouped.agg(
            numerator=stacked.num.sum().cast("int64"), denominator=stacked.den.sum().cast("int64")
        )
    if people:
        counted = grouped.agg(numerator=stacked.person_id.nunique().cast("int64"))
    else:
        counted = grouped.agg(numerator=stacked.num.sum().cast("int64"))
    return counted.mutate(denominator=_NO_DENOMINATOR)


def _one(_rows: ir.Table) -> ir.IntegerValue:
    return _ONE


def _none(_rows: ir.Table) -> ir.IntegerValue:
    return _NO_DENOMINATOR


def _count(
    cases: AdultCases, rows: ir.Table, period: str, breakdowns: Sequence[str], people: bool = False
) -> ir.Table:
    return _tally(_parts(cases, rows, period, breakdowns, _one, _none), people=people)


def _share(
    cases: AdultCases,
    rows: ir.Table,
    period: str,
    breakdowns: Sequence[str],
    numerator: Callable[[ir.Table], ir.BooleanValue],
) -> ir.Table:
    """Of ``rows``, how many meet ``numerator``: a numerator and a denominator."""
    return _tally(
        _parts(cases, rows, period, breakdowns, lambda r: _flag(numerator(r)), _one), share=True
    )


# -- the rows each indicator counts --------------------------------------------------------------


def concerns_received(cases: AdultCases) -> ir.Table:
    return cases.concerns


def s42_started(cases: AdultCases) -> ir.Table:
    c = cases.concerns
    return c.filter(c.enquiry_type == S42)


def other_started(cases: AdultCases) -> ir.Table:
    c = cases.concerns
    return c.filter(c.enquiry_type == OTHER_ENQUIRY)


def s42_concluded(cases: AdultCases) -> ir.Table:
    c = cases.concerns
    return c.filter((c.enquiry_type == S42) & c.enquiry_end_date.notnull())


# -- the indicators ------------------------------------------------------------------------------

Definition = Callable[[AdultCases, Sequence[str]], ir.Table]
DEFINITIONS: dict[str, Definition] = {}


def definition(indicator_id: str) -> Callable[[Definition], Definition]:
    """Register the expression of catalogue indicator ``indicator_id``."""

    def register(function: Definition) -> Definition:
        if indicator_id in DEFINITIONS:
            raise ValueError(f"{indicator_id} is defined twice")
        DEFINITIONS[indicator_id] = function
        return function

    return register


@definition("adults.concerns")
def concerns(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, concerns_received(cases), "concern_period", breakdowns)


@definition("adults.individuals_with_concerns")
def individuals_with_concerns(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, concerns_received(cases), "concern_period", breakdowns, people=True)


@definition("adults.s42_enquiries")
def s42_enquiries(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, s42_started(cases), "start_period", breakdowns)


@definition("adults.individuals_with_s42_enquiries")
def individuals_with_s42_enquiries(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, s42_started(cases), "start_period", breakdowns, people=True)


@definition("adults.other_enquiries")
def other_enquiries(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, other_started(cases), "start_period", breakdowns)


@definition("adults.conversion_rate")
def conversion_rate(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    # Enquiries and concerns are counted in their own years, so they are two row sets: each
    # row adds 1 to the numerator (an enquiry started) or to the denominator (a concern).
    c = cases.concerns
    enquiries = c.filter(c.enquiry_type.isin((S42, OTHER_ENQUIRY)))
    parts = _parts(cases, enquiries, "start_period", breakdowns, _one, lambda _r: _ZERO)
    parts += _parts(cases, c, "concern_period", breakdowns, lambda _r: _ZERO, _one)
    return _tally(parts, share=True)


@definition("adults.concluded_s42")
def concluded_s42(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, s42_concluded(cases), "end_period", breakdowns)


@definition("adults.msp_asked_pct")
def msp_asked_pct(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(
        cases,
        s42_concluded(cases),
        "end_period",
        breakdowns,
        lambda r: r.msp_asked.isin(ASKED),
    )


def _asked_and_expressed(cases: AdultCases) -> ir.Table:
    rows = s42_concluded(cases)
    return rows.filter(rows.msp_asked == ASKED_EXPRESSED)


@definition("adults.msp_outcomes_achieved_pct")
def msp_outcomes_achieved_pct(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(
        cases,
        _asked_and_expressed(cases),
        "end_period",
        breakdowns,
        lambda r: r.msp_outcome.isin(OUTCOMES_ACHIEVED),
    )


@definition("adults.msp_fully_achieved_pct")
def msp_fully_achieved_pct(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(
        cases,
        _asked_and_expressed(cases),
        "end_period",
        breakdowns,
        lambda r: r.msp_outcome == FULLY_ACHIEVED,
    )


@definition("adults.risk_reduced_or_removed_pct")
def risk_reduced_or_removed_pct(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    rows = s42_concluded(cases)
    rows = rows.filter(rows.risk_assessment == RISK_ACTION)
    return _share(
        cases,
        rows,
        "end_period",
        breakdowns,
        lambda r: r.risk_outcome.isin(RISK_REDUCED_OR_REMOVED),
    )


@definition("adults.lacked_capacity_supported_pct")
def lacked_capacity_supported_pct(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    rows = s42_concluded(cases)
    rows = rows.filter(rows.lacked_capacity == LACKED_CAPACITY)
    return _share(
        cases, rows, "end_period", breakdowns, lambda r: r.capacity_support.isin(SUPPORTED)
    )


# The rates' numerators; their population denominators are joined in Python (tidy.py).
@definition("adults.concerns_rate_per_100k")
def concerns_rate_per_100k(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, concerns_received(cases), "concern_period", breakdowns)


@definition("adults.s42_rate_per_100k")
def s42_rate_per_100k(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, s42_started(cases), "start_period", breakdowns)
