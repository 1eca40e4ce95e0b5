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
    """The case tables on one engine, with the columns every definition shares: ``age_band``
    and the financial years of the concern, enquiry start and enquiry end (as the calendar year
    each starts in: cheap to group by; written ``2024-25`` only in the counts); and ``regions``,
    each council's region, joined only to counts (``_levels``), never to every case."""

    concerns: ir.Table
    risk_types: ir.Table
    regions: ir.Table


def financial_year_start(date: ir.DateValue) -> ir.IntegerValue:
    """The calendar year in which the financial year (1 April to 31 March) of ``date`` starts."""
    return date.year() - (date.month() < 4).cast("int32")


def financial_year_label(start: ir.IntegerValue) -> ir.StringValue:
    """The financial year starting in ``start``, written ``2024-25``."""
    return start.cast("string").concat("-", ((start + 1) % 100).cast("string").lpad(2, "0"))


def financial_year(date: ir.DateValue) -> ir.StringValue:
    """The financial year (1 April to 31 March) of ``date``, written ``2024-25``."""
    return financial_year_label(financial_year_start(date))


def age_band(age: ir.IntegerValue, bands: Sequence[AgeBand]) -> ir.StringValue:
    """The band of ``age``; ages outside every band (or missing) are not recorded."""
    branches = []
    for band in bands:
        test = age >= band.start if band.end is None else age.between(band.start, band.end)
        branches.append((test, band.band))
    return ibis.cases(*branches, else_=NOT_RECORDED)


# The date each year column is worked out from: a row has a year exactly when it has the date,
# and testing the date is much cheaper than working out the year to test it.
PERIOD_DATES = {
    "concern_period": "concern_date",
    "start_period": "enquiry_start_date",
    "end_period": "enquiry_end_date",
}


def _in_some_year(rows: ir.Table, period: str) -> ir.BooleanValue:
    """Whether each row has a financial year in ``period`` (its date is given)."""
    return rows[PERIOD_DATES.get(period, period)].notnull()


def prepare(
    concerns: ir.Table, risk_types: ir.Table, regions: ir.Table, age_bands: Sequence[AgeBand]
) -> AdultCases:
    """Add the shared columns. ``regions`` maps ``lookup_la_code`` to ``region_code``."""
    enriched = concerns.mutate(
        concern_period=financial_year_start(concerns.concern_date),
        start_period=financial_year_start(concerns.enquiry_start_date),
        end_period=financial_year_start(concerns.enquiry_end_date),
        age_band=age_band(concerns.age, age_bands),
    )
    return AdultCases(concerns=enriched, risk_types=risk_types, regions=regions)


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


# The keys of the children's council counts (children.py), which carry their region.
LA_KEYS = ("la_code", "region_code", "period", "breakdown", "category")
# The keys of the adults' council counts: the region is joined to the counts (``_levels``).
COUNCIL_KEYS = ("la_code", "period", "breakdown", "category")
KEYS = ("geography_level", "geography_code", "period", "breakdown", "category")


def _dimensions(rows: ir.Table, period: str, breakdowns: Sequence[str]) -> dict[str, ir.Value]:
    """The columns that place a row: council, year, and per breakdown its category (and, for
    the breakdowns that apply to some rows only, whether it applies). The region is left to
    the counts: joining it to every case costs more than counting by it saves."""
    columns: dict[str, ir.Value] = {"la_code": rows.la_code, "period": rows[period]}
    for breakdown in breakdowns:
        if breakdown == TOTAL:
            continue
        if breakdown not in BREAKDOWNS:
            raise ValueError(f"unknown breakdown {breakdown!r}")
        columns[f"category_{breakdown}"] = rows[BREAKDOWN_COLUMNS.get(breakdown, breakdown)]
        if breakdown in BREAKDOWN_SCOPES:
            columns[f"scope_{breakdown}"] = BREAKDOWN_SCOPES[breakdown](rows).fill_null(False)
    return columns


def _split(table: ir.Table, breakdowns: Sequence[str], values: Sequence[str]) -> ir.Table:
    """``table`` once per breakdown, with its ``breakdown`` and ``category``, leaving out rows a
    scoped breakdown does not apply to; keeps the council keys and ``values``.

    The copies come from unnesting a literal array rather than from a union of one query per
    breakdown: the plan stays the same size however many breakdowns there are, which is what
    keeps Spark quick.
    """
    if len(breakdowns) == 1:
        split = table.mutate(breakdown=ibis.literal(breakdowns[0]))
    else:
        split = table.mutate(breakdown=ibis.array(list(breakdowns)).unnest())
    category: ir.StringValue = ibis.literal(TOTAL)
    named = [b for b in breakdowns if b != TOTAL]
    if named:
        category = ibis.cases(
            *[(split.breakdown == b, split[f"category_{b}"]) for b in named],
            else_=ibis.literal(TOTAL),
        ).fill_null(NOT_RECORDED)
    scoped = [b for b in breakdowns if b in BREAKDOWN_SCOPES]
    if scoped:
        split = split.filter(
            ibis.cases(
                *[(split.breakdown == b, split[f"scope_{b}"]) for b in scoped],
                else_=ibis.literal(True),
            )
        )
    return split.select(*COUNCIL_KEYS[:3], category=category, **{v: split[v] for v in values})


def _add_up_by_council(table: ir.Table, breakdowns: Sequence[str]) -> ir.Table:
    """``table``'s ``num`` and ``den`` added up by council, year, breakdown and category.

    They are first added up by every combination of categories at once, which leaves far fewer
    rows than cases, and only those are copied once per breakdown.
    """
    dimensions = [name for name in table.columns if name not in ("num", "den")]
    combined = table.group_by(dimensions).agg(num=table.num.sum(), den=table.den.sum())
    split = _split(combined, breakdowns, ["num", "den"])
    if list(breakdowns) == [TOTAL]:
        # One row per council and year already: nothing more to add up.
        return split
    return split.group_by(list(COUNCIL_KEYS)).agg(num=split.num.sum(), den=split.den.sum())


@dataclass(frozen=True)
class _Part:
    """Counts by council ready to be added up (``sums``: ``num``, ``den``), and people who must
    be counted once however many councils and categories they appear in (``people``)."""

    sums: ir.Table | None = None
    people: ir.Table | None = None


def _unpivot(
    rows: ir.Table,
    period: str,
    breakdowns: Sequence[str],
    numerator: Callable[[ir.Table], ir.IntegerValue],
    denominator: Callable[[ir.Table], ir.IntegerValue],
    *,
    people: bool,
) -> _Part:
    """``rows`` counted by council, year, breakdown and category (``_tally`` adds the regions
    and England); for ``people``, distinct ``person_id`` rather than rows."""
    rows = rows.filter(_in_some_year(rows, period))
    dimensions = _dimensions(rows, period, breakdowns)
    if not people:
        narrow = rows.select(**dimensions, num=numerator(rows), den=denominator(rows))
        return _Part(sums=_add_up_by_council(narrow, breakdowns))
    # Almost everyone has one council and one category of each breakdown in a year: those
    # people can be added up like rows. Only the others are counted as distinct ids.
    every = rows.select(**dimensions, person_id=rows.person_id)
    # Most people have a single case in the year, and so a single place: found with a count by
    # person, which is cheaper than making every row distinct over all the breakdowns.
    cases = every.group_by(case_period=every.period, case_person=every.person_id).agg(
        cases=ibis._.count()
    )
    counted = every.left_join(
        cases, [every.period == cases.case_period, every.person_id == cases.case_person]
    )
    counted = counted.select(*every.columns, lone=(counted.cases == 1).fill_null(False))
    lone = counted.filter(counted.lone).drop("lone", "person_id")
    placed = counted.filter(~counted.lone).drop("lone").distinct()
    places = placed.group_by(place_period=placed.period, place_person=placed.person_id).agg(
        places=ibis._.count()
    )
    joined = placed.left_join(
        places,
        [placed.period == places.place_period, placed.person_id == places.place_person],
    )
    joined = joined.select(*placed.columns, single=(joined.places == 1).fill_null(False))
    single = joined.filter(joined.single).drop("single", "person_id")
    sums = _add_up_by_council(
        ibis.union(lone, single).mutate(num=_ONE, den=_NO_DENOMINATOR), breakdowns
    )
    several = joined.filter(~joined.single).drop("single")
    return _Part(sums=sums, people=_split(several, breakdowns, ["person_id"]))


def _parts(
    cases: AdultCases,
    rows: ir.Table,
    period: str,
    breakdowns: Sequence[str],
    numerator: Callable[[ir.Table], ir.IntegerValue],
    denominator: Callable[[ir.Table], ir.IntegerValue],
    *,
    people: bool = False,
) -> list[_Part]:
    """The council-level parts for every breakdown; by risk type from their own (joined) rows."""
    parts = []
    plain = [b for b in breakdowns if b != "risk_type"]
    if plain:
        parts.append(_unpivot(rows, period, plain, numerator, denominator, people=people))
    if "risk_type" in breakdowns:
        typed = _risk_type_rows(cases, rows)
        parts.append(_unpivot(typed, period, ["risk_type"], numerator, denominator, people=people))
    return parts


def _levels(table: ir.Table, regions: ir.Table) -> ir.Table:
    """Council rows once as the council, once as its region and once as England."""
    joined = table.left_join(regions, table.la_code == regions.lookup_la_code)
    table = joined.select(*[joined[name] for name in table.columns], joined.region_code)
    levelled = table.mutate(geography_level=ibis.array(list(GEOGRAPHY_LEVELS)).unnest())
    levelled = levelled.mutate(
        geography_code=ibis.cases(
            (levelled.geography_level == "la", levelled.la_code),
            (levelled.geography_level == "region", levelled.region_code),
            else_=ibis.literal(ENGLAND),
        )
    )
    return levelled.filter(levelled.geography_code.notnull())


def _tally(parts: Sequence[_Part], regions: ir.Table, *, share: bool = False) -> ir.Table:
    """Add up the council-level parts for each council, region and England.

    People counted as distinct ids are counted again at each level (someone may have cases in
    two councils of a region); ``share`` keeps the denominator.
    """
    pieces = []
    sums = [part.sums for part in parts if part.sums is not None]
    if sums:
        levelled = _levels(ibis.union(*sums) if len(sums) > 1 else sums[0], regions)
        pieces.append(
            levelled.group_by(list(KEYS)).agg(
                num=levelled.num.sum().cast("int64"), den=levelled.den.sum().cast("int64")
            )
        )
    people = [part.people for part in parts if part.people is not None]
    if people:
        levelled = _levels(ibis.union(*people) if len(people) > 1 else people[0], regions)
        each = levelled.select(*KEYS, "person_id").distinct()
        pieces.append(
            each.group_by(list(KEYS)).agg(
                num=each.person_id.count().cast("int64"), den=_NO_DENOMINATOR
            )
        )
    if len(pieces) > 1:
        stacked = ibis.union(*pieces)
        counted = stacked.group_by(list(KEYS)).agg(
            numerator=stacked.num.sum().cast("int64"), denominator=stacked.den.sum().cast("int64")
        )
    else:  # already one row per place, year and category
        counted = pieces[0].rename(numerator="num", denominator="den")
    return counted.select(
        *KEYS[:2],
        period=financial_year_label(counted.period),
        breakdown=counted.breakdown,
        category=counted.category,
        numerator=counted.numerator,
        denominator=counted.denominator if share else _NO_DENOMINATOR,
    )


def _one(_rows: ir.Table) -> ir.IntegerValue:
    return _ONE


def _none(_rows: ir.Table) -> ir.IntegerValue:
    return _NO_DENOMINATOR


def _count(
    cases: AdultCases, rows: ir.Table, period: str, breakdowns: Sequence[str], people: bool = False
) -> ir.Table:
    return _tally(
        _parts(cases, rows, period, breakdowns, _one, _none, people=people), cases.regions
    )


# -- the rows each indicator counts --------------------------------------------------------------

Where = Callable[[ir.Table], ir.BooleanValue]


def s42_started_where(c: ir.Table) -> ir.BooleanValue:
    return c.enquiry_type == S42


def other_started_where(c: ir.Table) -> ir.BooleanValue:
    return c.enquiry_type == OTHER_ENQUIRY


def enquiry_started_where(c: ir.Table) -> ir.BooleanValue:
    return c.enquiry_type.isin((S42, OTHER_ENQUIRY))


def s42_concluded_where(c: ir.Table) -> ir.BooleanValue:
    return (c.enquiry_type == S42) & c.enquiry_end_date.notnull()


def asked_and_expressed_where(c: ir.Table) -> ir.BooleanValue:
    return s42_concluded_where(c) & (c.msp_asked == ASKED_EXPRESSED)


def risk_action_where(c: ir.Table) -> ir.BooleanValue:
    return s42_concluded_where(c) & (c.risk_assessment == RISK_ACTION)


def lacked_capacity_where(c: ir.Table) -> ir.BooleanValue:
    return s42_concluded_where(c) & (c.lacked_capacity == LACKED_CAPACITY)


def _rows(cases: AdultCases, where: Where | None) -> ir.Table:
    c = cases.concerns
    return c if where is None else c.filter(where(c))


def concerns_received(cases: AdultCases) -> ir.Table:
    return cases.concerns


def s42_started(cases: AdultCases) -> ir.Table:
    return _rows(cases, s42_started_where)


def other_started(cases: AdultCases) -> ir.Table:
    return _rows(cases, other_started_where)


def s42_concluded(cases: AdultCases) -> ir.Table:
    return _rows(cases, s42_concluded_where)


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


@dataclass(frozen=True)
class Tally:
    """Case rows added up in the financial year of ``period``: those where ``where`` holds (all
    of them without it), each adding ``numerator`` (1 by default) and ``denominator``."""

    period: str
    where: Where | None = None
    numerator: Callable[[ir.Table], ir.IntegerValue] = _one
    denominator: Callable[[ir.Table], ir.IntegerValue] = _none


@dataclass(frozen=True, eq=False)  # one indicator's definition: the same only as itself
class Counted:
    """An indicator that adds up rows (no distinct people): one or more tallies, and whether it
    is a share (a numerator and a denominator) or a plain count.

    Written as data so that a run can count the totals of several such indicators in one pass
    over the cases (``totals``); called, it is the indicator's expression like any other."""

    tallies: tuple[Tally, ...]
    share: bool = False

    def __call__(self, cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
        parts = []
        for tally in self.tallies:
            rows = _rows(cases, tally.where)
            parts += _parts(
                cases, rows, tally.period, breakdowns, tally.numerator, tally.denominator
            )
        return _tally(parts, cases.regions, share=self.share)


def _counted(indicator_id: str, *tallies: Tally, share: bool = False) -> Counted:
    counted = Counted(tallies=tallies, share=share)
    definition(indicator_id)(counted)
    return counted


def _share_of(period: str, where: Where, numerator: Where) -> Tally:
    """Of the rows where ``where`` holds, those where ``numerator`` holds too."""
    return Tally(period, where, lambda r: _flag(numerator(r)), _one)


DEFINITION_KEY = "definition"


def totals(cases: AdultCases, definitions: Sequence[Counted]) -> ir.Table:
    """The totals (breakdown ``total``) of several counted indicators in one query, as each one's
    expression gives them, with ``definition``: the position of its indicator in ``definitions``.

    Each year column is read once for every tally placed by it: a row adds to a tally where it
    meets its condition, and a council and year is kept for a tally only if some row met it,
    as the indicator's own expression would keep it.
    """
    by_period: dict[str, list[tuple[int, Counted, Tally]]] = {}
    for position, counted in enumerate(definitions):
        for tally in counted.tallies:
            by_period.setdefault(tally.period, []).append((position, counted, tally))
    pieces = []
    for period, tallies in by_period.items():
        rows = cases.concerns.filter(_in_some_year(cases.concerns, period))
        sums: dict[str, ir.Value] = {}
        for k, (_, counted, tally) in enumerate(tallies):
            # Every row of the year (a column, not a literal, so that it can be added up).
            every = _in_some_year(rows, period)
            hit = every if tally.where is None else tally.where(rows).fill_null(False)
            sums[f"n{k}"] = _flag(hit).sum()
            sums[f"num{k}"] = ibis.ifelse(hit, tally.numerator(rows), _ZERO).sum()
            if counted.share:
                sums[f"den{k}"] = ibis.ifelse(hit, tally.denominator(rows), _ZERO).sum()
        grouped = rows.group_by(la_code=rows.la_code, period=rows[period]).agg(**sums)
        for k, (position, counted, _) in enumerate(tallies):
            found = grouped.filter(grouped[f"n{k}"] > 0)
            pieces.append(
                found.select(
                    found.la_code,
                    found.period,
                    **{DEFINITION_KEY: ibis.literal(position, "int64")},
                    num=found[f"num{k}"].cast("int64"),
                    den=found[f"den{k}"].cast("int64") if counted.share else _NO_DENOMINATOR,
                )
            )
    levelled = _levels(ibis.union(*pieces) if len(pieces) > 1 else pieces[0], cases.regions)
    counted_rows = levelled.group_by([DEFINITION_KEY, *KEYS[:3]]).agg(
        numerator=levelled.num.sum().cast("int64"), denominator=levelled.den.sum().cast("int64")
    )
    return counted_rows.select(
        counted_rows[DEFINITION_KEY],
        *KEYS[:2],
        period=financial_year_label(counted_rows.period),
        breakdown=ibis.literal(TOTAL),
        category=ibis.literal(TOTAL),
        numerator=counted_rows.numerator,
        denominator=counted_rows.denominator,
    )


concerns = _counted("adults.concerns", Tally("concern_period"))


@definition("adults.individuals_with_concerns")
def individuals_with_concerns(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, concerns_received(cases), "concern_period", breakdowns, people=True)


s42_enquiries = _counted("adults.s42_enquiries", Tally("start_period", s42_started_where))


@definition("adults.individuals_with_s42_enquiries")
def individuals_with_s42_enquiries(cases: AdultCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(cases, s42_started(cases), "start_period", breakdowns, people=True)


other_enquiries = _counted("adults.other_enquiries", Tally("start_period", other_started_where))

# Enquiries and concerns are counted in their own years, so they are two row sets: each row adds
# 1 to the numerator (an enquiry started) or to the denominator (a concern).
conversion_rate = _counted(
    "adults.conversion_rate",
    Tally("start_period", enquiry_started_where, _one, lambda _r: _ZERO),
    Tally("concern_period", None, lambda _r: _ZERO, _one),
    share=True,
)

concluded_s42 = _counted("adults.concluded_s42", Tally("end_period", s42_concluded_where))

msp_asked_pct = _counted(
    "adults.msp_asked_pct",
    _share_of("end_period", s42_concluded_where, lambda r: r.msp_asked.isin(ASKED)),
    share=True,
)

msp_outcomes_achieved_pct = _counted(
    "adults.msp_outcomes_achieved_pct",
    _share_of(
        "end_period", asked_and_expressed_where, lambda r: r.msp_outcome.isin(OUTCOMES_ACHIEVED)
    ),
    share=True,
)

msp_fully_achieved_pct = _counted(
    "adults.msp_fully_achieved_pct",
    _share_of("end_period", asked_and_expressed_where, lambda r: r.msp_outcome == FULLY_ACHIEVED),
    share=True,
)

risk_reduced_or_removed_pct = _counted(
    "adults.risk_reduced_or_removed_pct",
    _share_of(
        "end_period", risk_action_where, lambda r: r.risk_outcome.isin(RISK_REDUCED_OR_REMOVED)
    ),
    share=True,
)

lacked_capacity_supported_pct = _counted(
    "adults.lacked_capacity_supported_pct",
    _share_of("end_period", lacked_capacity_where, lambda r: r.capacity_support.isin(SUPPORTED)),
    share=True,
)

# The rates' numerators are the concerns and the Section 42 enquiries started, counted exactly as
# those indicators count them (their population denominators are joined in Python, tidy.py).
# Sharing the definition lets a run count them once for both (run.py).
DEFINITIONS["adults.concerns_rate_per_100k"] = concerns
DEFINITIONS["adults.s42_rate_per_100k"] = s42_enquiries
