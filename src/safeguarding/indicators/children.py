"""The children's indicators as Ibis expressions, one function per catalogue id, and the tables
they read, built from the CIN census and SSDA903 readers' output.

As for the adults (``adults.py``), engines only count: each expression returns, per
``geography_level``, ``geography_code``, ``period``, ``breakdown`` and ``category``, a
``numerator`` and a ``denominator`` (null for plain counts). Percentages, rates, ratios and
intervals are worked out in Python afterwards (``children_run.py``, ``disproportionality.py``).

Three choices keep DuckDB, PostgreSQL and Spark identical:

- working days are counted in Python with numpy before the tables are uploaded
  (``workdays.py``): the engines only compare the whole numbers;
- dates are compared as whole numbers ``YYYYMMDD``, so "within 12 months" (on or after the
  same date a year earlier) and "two years or more" are integer sums, with no interval
  arithmetic, whose handling of 29 February differs from engine to engine;
- a census file is the authority for its own year: events are counted from the file of the
  year they fall in, so referrals open across years, which appear in two files, are counted
  once. Only the look-backs (previous referral, previous plan) read every file of the council.

Children are identified by ``la`` and ``child_id`` (each council's own ids), so distinct
children add up across councils to regions and England.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache

import ibis
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

from safeguarding.casedata.children.cin_schema import CinCensus
from safeguarding.casedata.children.ssda903 import Ssda903Return
from safeguarding.catalogue import code_list
from safeguarding.indicators.adults import (
    ENGLAND,
    GEOGRAPHY_LEVELS,
    KEYS,
    LA_KEYS,
    NOT_RECORDED,
    TOTAL,
    financial_year_label,
    financial_year_start,
)
from safeguarding.indicators.catalogue import IndicatorSpec, catalogue, catalogue_file
from safeguarding.indicators.workdays import uncovered_years, working_days_between

# The codes the definitions test for, named as the CIN census and SSDA903 guides name them.
STARTED_PERIOD_OF_CARE = "S"  # ssda903_reason_new_episode
SHORT_BREAKS = ("V3", "V4")  # ssda903_legal_status: a series of short-term placements
STAGES = ("referral", "assessment", "s47", "cp_plan", "cla")

# The breakdown's name in the tidy table -> the column of the rows that gives its category.
BREAKDOWN_COLUMNS = {
    "ethnicity": "ethnicity",
    "ethnic_group": "ethnic_group",
    "category_of_abuse": "initial_category",
}
BREAKDOWNS = (TOTAL, *BREAKDOWN_COLUMNS)


# -- the catalogue's children's section ----------------------------------------------------------


@dataclass(frozen=True)
class Disproportionality:
    """How the relative rate index is worked out (``children.disproportionality``)."""

    reference: str
    stages: tuple[str, ...]
    minimum_children: int
    minimum_denominator: int


@dataclass(frozen=True)
class ChildrenCatalogue:
    indicators: tuple[IndicatorSpec, ...]
    assessment_working_days: int
    icpc_working_days: int
    disproportionality: Disproportionality

    def get(self, indicator_id: str) -> IndicatorSpec:
        for spec in self.indicators:
            if spec.id == indicator_id:
                return spec
        known = ", ".join(spec.id for spec in self.indicators)
        raise KeyError(f"no indicator {indicator_id!r}; there are: {known}")


@cache
def children_catalogue() -> ChildrenCatalogue:
    """The children's indicators of the catalogue and the ``children:`` section's settings,
    read once and checked."""
    raw = catalogue_file()["children"]
    specs = catalogue().of_domain("children")
    for spec in specs:
        unknown = set(spec.breakdowns) - set(BREAKDOWNS)
        if unknown:
            raise ValueError(f"{spec.id}: unknown breakdown {', '.join(sorted(unknown))}")
    settings = raw["disproportionality"]
    stages = tuple(str(s) for s in settings["stages"])
    if stages != STAGES:
        raise ValueError(f"the disproportionality stages must be {', '.join(STAGES)}")
    reference = str(settings["reference"])
    if reference not in {c.code for c in code_list("cin_ethnicity").codes}:
        raise ValueError(f"the reference group {reference} is not a cin_ethnicity code")
    return ChildrenCatalogue(
        indicators=specs,
        assessment_working_days=int(raw["assessment_working_days"]),
        icpc_working_days=int(raw["icpc_working_days"]),
        disproportionality=Disproportionality(
            reference=reference,
            stages=stages,
            minimum_children=int(settings["minimum_children"]),
            minimum_denominator=int(settings["minimum_denominator"]),
        ),
    )


# -- the tables the definitions read (Arrow, before any engine) ----------------------------------

_KEY = [
    pa.field("la", pa.string()),
    pa.field("file_period", pa.int32()),  # the year the file is for, as the year it starts in
    pa.field("child_id", pa.string()),
    pa.field("ethnicity", pa.string()),
    pa.field("ethnic_group", pa.string()),
]
REFERRALS_SCHEMA = pa.schema([*_KEY, ("referral_date", pa.date32()), ("referral_nfa", pa.bool_())])
ASSESSMENTS_SCHEMA = pa.schema(
    [
        *_KEY,
        ("referral_date", pa.date32()),
        ("authorisation_date", pa.date32()),
        ("working_days", pa.int32()),  # referral date to authorisation
    ]
)
SECTION47_SCHEMA = pa.schema(
    [
        *_KEY,
        ("start_date", pa.date32()),
        ("icpc_date", pa.date32()),
        ("working_days", pa.int32()),  # section 47 start to the initial conference
    ]
)
CP_PLANS_SCHEMA = pa.schema(
    [
        *_KEY,
        ("start_date", pa.date32()),
        ("end_date", pa.date32()),
        ("initial_category", pa.string()),
        ("previous_plans", pa.int16()),
    ]
)
EPISODES_SCHEMA = pa.schema(
    [
        *_KEY,
        ("decom", pa.date32()),
        ("dec", pa.date32()),
        ("rne", pa.string()),
        ("ls", pa.string()),
    ]
)
SCHEMAS = {
    "referrals": REFERRALS_SCHEMA,
    "assessments": ASSESSMENTS_SCHEMA,
    "section47": SECTION47_SCHEMA,
    "cp_plans": CP_PLANS_SCHEMA,
    "episodes": EPISODES_SCHEMA,
}


@dataclass(frozen=True)
class ChildrenCaseTables:
    """The children's case tables as Arrow, one row per event, with the child's ethnicity."""

    referrals: pa.Table
    assessments: pa.Table
    section47: pa.Table
    cp_plans: pa.Table
    episodes: pa.Table
    warnings: tuple[str, ...] = ()

    def councils(self) -> list[str]:
        """Every council (DfE LA number) in the tables."""
        found: set[str] = set()
        for name in SCHEMAS:
            found.update(pc.unique(getattr(self, name)["la"].drop_null()).to_pylist())
        return sorted(found)


@cache
def ethnic_groups() -> dict[str, str]:
    """Each CIN census ethnicity code with its high-level group (none for REFU and NOBT)."""
    return {c.code: c.description for c in code_list("cin_ethnicity").codes if c.description}


def _period(year: str) -> int:
    return int(year[:4])


def _with_child(events: pa.Table, children: pa.Table) -> pa.Table:
    """``events`` with the ethnicity and group of their child (one per child and file)."""
    joined = events.join(children, ["la", "year", "child_id"], join_type="left outer")
    groups = ethnic_groups()
    ethnicity = joined["ethnicity"]
    group = pa.array(
        [groups.get(code) if code is not None else None for code in ethnicity.to_pylist()],
        pa.string(),
    )
    return joined.append_column("ethnic_group", group)


def _children_of(table: pa.Table, id_column: str, ethnicity_column: str) -> pa.Table:
    """One row per council, year and child with its ethnicity (the first given, if repeated)."""
    narrow = table.select(["la", "year", id_column, ethnicity_column]).rename_columns(
        ["la", "year", "child_id", "ethnicity"]
    )
    first = narrow.group_by(["la", "year", "child_id"], use_threads=False).aggregate(
        [("ethnicity", "first")]
    )
    return first.select(["la", "year", "child_id", "ethnicity_first"]).rename_columns(
        ["la", "year", "child_id", "ethnicity"]
    )


def _shaped(table: pa.Table, schema: pa.Schema) -> pa.Table:
    if "file_period" not in table.column_names:
        periods = pa.array([_period(y) for y in table["year"].to_pylist()], pa.int32())
        table = table.append_column("file_period", periods)
    return table.select(schema.names).cast(schema)


def _counted_dates(table: pa.Table, end: str, start: str) -> list[pa.Array | pa.ChunkedArray]:
    """The dates whose working days count: of the rows ending in the file's own year."""
    year = pc.year(table[end])
    starts = pc.subtract(year, pc.cast(pc.less(pc.month(table[end]), 4), pa.int64()))
    periods = pa.array([_period(y) for y in table["year"].to_pylist()], pa.int64())
    counted = table.filter(pc.equal(starts, periods).fill_null(False))
    return [counted[start], counted[end]]


def _stack(tables: list[pa.Table], schema: pa.Schema) -> pa.Table:
    return pa.concat_tables(tables) if tables else schema.empty_table()


def children_case_tables(
    census: Iterable[CinCensus], returns: Iterable[Ssda903Return] = ()
) -> ChildrenCaseTables:
    """The tables the definitions read, from CIN census files and SSDA903 returns.

    Working days are counted here, in Python, so that every engine sees the same numbers.
    """
    parts: dict[str, list[pa.Table]] = {name: [] for name in SCHEMAS}
    dated: list[pa.ChunkedArray | pa.Array] = []
    for file in census:
        children = _children_of(file.tables["children"], "child_id", "ethnicity")
        details = file.tables["cin_details"]
        parts["referrals"].append(_shaped(_with_child(details, children), REFERRALS_SCHEMA))
        referral_dates = details.select(["la", "year", "child_id", "referral_id", "referral_date"])
        assessments = file.tables["assessments"].join(
            referral_dates, ["la", "year", "child_id", "referral_id"], join_type="left outer"
        )
        assessments = assessments.append_column(
            "working_days",
            working_days_between(assessments["referral_date"], assessments["authorisation_date"]),
        )
        dated += _counted_dates(assessments, "authorisation_date", "referral_date")
        parts["assessments"].append(_shaped(_with_child(assessments, children), ASSESSMENTS_SCHEMA))
        section47 = file.tables["section47"]
        section47 = section47.append_column(
            "working_days", working_days_between(section47["start_date"], section47["icpc_date"])
        )
        dated += _counted_dates(section47, "icpc_date", "start_date")
        parts["section47"].append(_shaped(_with_child(section47, children), SECTION47_SCHEMA))
        parts["cp_plans"].append(
            _shaped(_with_child(file.tables["cp_plans"], children), CP_PLANS_SCHEMA)
        )
    for ssda in returns:
        if "episodes" not in ssda.tables or "header" not in ssda.tables:
            continue
        children = _children_of(ssda.tables["header"], "child", "ethnic")
        episodes = ssda.tables["episodes"]
        episodes = episodes.rename_columns(
            ["child_id" if name == "child" else name for name in episodes.column_names]
        )
        parts["episodes"].append(_shaped(_with_child(episodes, children), EPISODES_SCHEMA))
    warnings = []
    outside = uncovered_years(*dated)
    if outside:
        warnings.append(
            "The bank holiday list does not cover "
            + ", ".join(str(y) for y in outside)
            + ": working days in those years count weekdays only."
        )
    return ChildrenCaseTables(
        **{name: _stack(parts[name], SCHEMAS[name]) for name in SCHEMAS},
        warnings=tuple(warnings),
    )


# -- the tables on an engine ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChildrenCases:
    """The case tables on one engine, each with ``region_code`` and the ``YYYYMMDD`` keys."""

    referrals: ir.Table
    assessments: ir.Table
    section47: ir.Table
    cp_plans: ir.Table
    episodes: ir.Table


def date_key(date: ir.DateValue) -> ir.IntegerValue:
    """``date`` as the whole number YYYYMMDD: compares like the date, and a year earlier is
    10000 less whatever the engine."""
    return (
        date.year().cast("int64") * 10000
        + date.month().cast("int64") * 100
        + date.day().cast("int64")
    )


def _with_region(table: ir.Table, regions: ir.Table) -> ir.Table:
    joined = table.left_join(regions, table.la == regions.lookup_la_code)
    return joined.select(*[joined[name] for name in table.columns], joined.region_code)


def prepare(tables: dict[str, ir.Table], regions: ir.Table) -> ChildrenCases:
    """The uploaded tables (by the names of ``SCHEMAS``) with their regions."""
    return ChildrenCases(**{name: _with_region(tables[name], regions) for name in SCHEMAS})


# -- building blocks -----------------------------------------------------------------------------

_ONE = ibis.literal(1, "int64")
_ZERO = ibis.literal(0, "int64")
_NO_DENOMINATOR = ibis.null("int64")

Rows = Callable[[ir.Table], ir.IntegerValue]


def _flag(test: ir.BooleanValue) -> ir.IntegerValue:
    """1 where ``test`` holds, 0 where it does not or is unknown."""
    return ibis.ifelse(test.fill_null(False), _ONE, _ZERO)


def in_file_year(rows: ir.Table, date: ir.DateValue) -> ir.Table:
    """The rows whose ``date`` falls in the year of the file they come from."""
    return rows.filter(financial_year_start(date) == rows.file_period)


def _by_council(
    rows: ir.Table,
    breakdowns: Sequence[str],
    numerator: Rows,
    denominator: Rows,
    *,
    distinct_children: bool = False,
) -> ir.Table:
    """``rows`` added up by council, region, year (``file_period``), breakdown and category;
    with ``distinct_children``, the numerator counts distinct children and the denominator is
    ``denominator`` applied to one (0 or null)."""
    pieces = []
    for breakdown in breakdowns:
        if breakdown not in BREAKDOWNS:
            raise ValueError(f"unknown breakdown {breakdown!r}")
        category = (
            ibis.literal(TOTAL)
            if breakdown == TOTAL
            else rows[BREAKDOWN_COLUMNS[breakdown]].fill_null(NOT_RECORDED)
        )
        narrow = rows.select(
            la_code=rows.la,
            region_code=rows.region_code,
            period=rows.file_period,
            breakdown=ibis.literal(breakdown).cast("string"),
            category=category.cast("string"),
            child_id=rows.child_id,
            num=numerator(rows),
            den=denominator(rows),
        )
        if distinct_children:
            piece = narrow.group_by(list(LA_KEYS)).agg(
                num=narrow.child_id.nunique().cast("int64"), den=narrow.den.max().cast("int64")
            )
        else:
            piece = narrow.group_by(list(LA_KEYS)).agg(
                num=narrow.num.sum().cast("int64"), den=narrow.den.sum().cast("int64")
            )
        pieces.append(piece)
    return ibis.union(*pieces) if len(pieces) > 1 else pieces[0]


def _levels(table: ir.Table) -> ir.Table:
    """Council rows once as the council, once as its region and once as England."""
    levelled = table.mutate(geography_level=ibis.array(list(GEOGRAPHY_LEVELS)).unnest())
    levelled = levelled.mutate(
        geography_code=ibis.cases(
            (levelled.geography_level == "la", levelled.la_code),
            (levelled.geography_level == "region", levelled.region_code),
            else_=ibis.literal(ENGLAND),
        )
    )
    return levelled.filter(levelled.geography_code.notnull())


def _tally(parts: Sequence[ir.Table], *, snapshot: bool = False, share: bool = False) -> ir.Table:
    """Council counts added up for each council, region and England, with the period written
    ``2024-25`` (or, for a ``snapshot`` on 31 March, ``2025-03-31``)."""
    stacked = ibis.union(*parts) if len(parts) > 1 else parts[0]
    levelled = _levels(stacked)
    counted = levelled.group_by(list(KEYS)).agg(
        numerator=levelled.num.sum().cast("int64"), denominator=levelled.den.sum().cast("int64")
    )
    if snapshot:
        period = (counted.period + 1).cast("string").concat("-03-31")
    else:
        period = financial_year_label(counted.period)
    return counted.select(
        *KEYS[:2],
        period=period,
        breakdown=counted.breakdown,
        category=counted.category,
        numerator=counted.numerator,
        denominator=counted.denominator if share else _NO_DENOMINATOR,
    )


def _one(_rows: ir.Table) -> ir.IntegerValue:
    return _ONE


def _zero(_rows: ir.Table) -> ir.IntegerValue:
    return _ZERO


def _none(_rows: ir.Table) -> ir.IntegerValue:
    return _NO_DENOMINATOR


def _count(rows: ir.Table, breakdowns: Sequence[str], *, snapshot: bool = False) -> ir.Table:
    return _tally([_by_council(rows, breakdowns, _one, _none)], snapshot=snapshot)


def _children(rows: ir.Table, breakdowns: Sequence[str], *, snapshot: bool = False) -> ir.Table:
    return _tally(
        [_by_council(rows, breakdowns, _one, _none, distinct_children=True)], snapshot=snapshot
    )


def _share(
    rows: ir.Table, breakdowns: Sequence[str], numerator: Callable[[ir.Table], ir.BooleanValue]
) -> ir.Table:
    """Of ``rows``, how many meet ``numerator``: a numerator and a denominator."""
    return _tally([_by_council(rows, breakdowns, lambda r: _flag(numerator(r)), _one)], share=True)


def _march_31(rows: ir.Table) -> ir.IntegerValue:
    """31 March at the end of the row's file year, as YYYYMMDD."""
    return (rows.file_period.cast("int64") + 1) * 10000 + 331


# -- the rows each indicator counts --------------------------------------------------------------


def referrals_in_year(cases: ChildrenCases) -> ir.Table:
    return in_file_year(cases.referrals, cases.referrals.referral_date)


def assessments_authorised(cases: ChildrenCases) -> ir.Table:
    return in_file_year(cases.assessments, cases.assessments.authorisation_date)


def section47_started(cases: ChildrenCases) -> ir.Table:
    return in_file_year(cases.section47, cases.section47.start_date)


def icpcs_held(cases: ChildrenCases) -> ir.Table:
    return in_file_year(cases.section47, cases.section47.icpc_date)


def plans_started(cases: ChildrenCases) -> ir.Table:
    return in_file_year(cases.cp_plans, cases.cp_plans.start_date)


def plans_ended(cases: ChildrenCases) -> ir.Table:
    return in_file_year(cases.cp_plans, cases.cp_plans.end_date)


def plans_open_on_31_march(cases: ChildrenCases) -> ir.Table:
    p = cases.cp_plans
    march = _march_31(p)
    return p.filter(
        (date_key(p.start_date) <= march) & (p.end_date.isnull() | (date_key(p.end_date) > march))
    )


def _in_care(cases: ChildrenCases) -> ir.Table:
    e = cases.episodes
    return e.filter(~e.ls.isin(SHORT_BREAKS).fill_null(False))


def looked_after_on_31_march(cases: ChildrenCases) -> ir.Table:
    e = _in_care(cases)
    march = _march_31(e)
    return e.filter((date_key(e.decom) <= march) & (e.dec.isnull() | (date_key(e.dec) > march)))


def started_care(cases: ChildrenCases) -> ir.Table:
    e = _in_care(cases)
    return in_file_year(e.filter(e.rne == STARTED_PERIOD_OF_CARE), e.decom)


def _with_previous_referral(cases: ChildrenCases) -> ir.Table:
    """The year's referrals with the date of the child's previous referral in any file."""
    r = cases.referrals
    history = (
        r.filter(r.referral_date.notnull())
        .select(h_la=r.la, h_child=r.child_id, h_date=r.referral_date)
        .distinct()
    )
    window = ibis.window(group_by=[history.h_la, history.h_child], order_by=history.h_date)
    history = history.mutate(previous_date=history.h_date.lag().over(window))
    current = referrals_in_year(cases)
    joined = current.left_join(
        history,
        [
            current.la == history.h_la,
            current.child_id == history.h_child,
            current.referral_date == history.h_date,
        ],
    )
    return joined.select(*[joined[name] for name in current.columns], joined.previous_date)


def _with_first_plan(cases: ChildrenCases) -> ir.Table:
    """The year's plans with the start of the child's first plan in any file."""
    p = cases.cp_plans
    firsts = (
        p.filter(p.start_date.notnull())
        .group_by(f_la=p.la, f_child=p.child_id)
        .agg(first_start=p.start_date.min())
    )
    current = plans_started(cases)
    joined = current.left_join(
        firsts, [current.la == firsts.f_la, current.child_id == firsts.f_child]
    )
    return joined.select(*[joined[name] for name in current.columns], joined.first_start)


STAGE_ROWS: dict[str, Callable[[ChildrenCases], ir.Table]] = {
    "referral": referrals_in_year,
    "assessment": assessments_authorised,
    "s47": section47_started,
    "cp_plan": plans_started,
    "cla": started_care,
}


# -- the indicators ------------------------------------------------------------------------------

Definition = Callable[[ChildrenCases, Sequence[str]], ir.Table]
DEFINITIONS: dict[str, Definition] = {}


def definition(*indicator_ids: str) -> Callable[[Definition], Definition]:
    """Register the expression of catalogue indicators ``indicator_ids``."""

    def register(function: Definition) -> Definition:
        for indicator_id in indicator_ids:
            if indicator_id in DEFINITIONS:
                raise ValueError(f"{indicator_id} is defined twice")
            DEFINITIONS[indicator_id] = function
        return function

    return register


# The rates' numerators are the counts; their population denominators are joined in Python.
@definition("children.referrals", "children.referrals_rate_per_10k")
def referrals(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(referrals_in_year(cases), breakdowns)


@definition("children.rereferrals_12m_pct")
def rereferrals_12m_pct(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(
        _with_previous_referral(cases),
        breakdowns,
        lambda r: date_key(r.previous_date) >= date_key(r.referral_date) - 10000,
    )


@definition("children.referrals_nfa_pct")
def referrals_nfa_pct(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(referrals_in_year(cases), breakdowns, lambda r: r.referral_nfa)


@definition("children.assessments_completed", "children.assessments_completed_rate_per_10k")
def assessments_completed(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(assessments_authorised(cases), breakdowns)


@definition("children.assessments_within_45wd_pct")
def assessments_within_45wd_pct(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    limit = children_catalogue().assessment_working_days
    return _share(
        assessments_authorised(cases), breakdowns, lambda r: r.working_days.between(0, limit)
    )


@definition("children.s47_enquiries", "children.s47_enquiries_rate_per_10k")
def s47_enquiries(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(section47_started(cases), breakdowns)


@definition("children.icpc_within_15wd_pct")
def icpc_within_15wd_pct(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    limit = children_catalogue().icpc_working_days
    return _share(icpcs_held(cases), breakdowns, lambda r: r.working_days.between(0, limit))


@definition("children.cp_plans_started", "children.cp_plans_started_rate_per_10k")
def cp_plans_started(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(plans_started(cases), breakdowns)


@definition("children.cp_plans_at_31_march", "children.cp_plans_at_31_march_rate_per_10k")
def cp_plans_at_31_march(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _count(plans_open_on_31_march(cases), breakdowns, snapshot=True)


@definition("children.cp_plans_subsequent_pct")
def cp_plans_subsequent_pct(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(
        _with_first_plan(cases),
        breakdowns,
        lambda r: (r.previous_plans > 0).fill_null(False) | (r.first_start < r.start_date),
    )


@definition("children.cp_plans_ended_2y_plus_pct")
def cp_plans_ended_2y_plus_pct(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _share(
        plans_ended(cases),
        breakdowns,
        lambda r: date_key(r.end_date) >= date_key(r.start_date) + 20000,
    )


@definition("children.cla_at_31_march", "children.cla_at_31_march_rate_per_10k")
def cla_at_31_march(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _children(looked_after_on_31_march(cases), breakdowns, snapshot=True)


@definition("children.cla_started", "children.cla_started_rate_per_10k")
def cla_started(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
    return _children(started_care(cases), breakdowns)


def _stage_children(stage: str) -> Definition:
    """Distinct children reaching ``stage`` in the year (the population is joined later)."""

    def count(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
        return _children(STAGE_ROWS[stage](cases), breakdowns)

    return count


def _stage_to_stage(stage: str) -> Definition:
    """Distinct children reaching ``stage`` (numerator) and the previous stage (denominator)."""
    previous = STAGES[STAGES.index(stage) - 1]

    def count(cases: ChildrenCases, breakdowns: Sequence[str]) -> ir.Table:
        reached = _by_council(
            STAGE_ROWS[stage](cases), breakdowns, _one, _zero, distinct_children=True
        )
        before = _by_council(
            STAGE_ROWS[previous](cases), breakdowns, _one, _zero, distinct_children=True
        )
        # The earlier stage's children go to the denominator, none to the numerator.
        before = before.select(*LA_KEYS, num=_ZERO, den=before.num)
        return _tally([reached, before], share=True)

    return count


for _stage in STAGES:
    definition(f"children.rri.{_stage}")(_stage_children(_stage))
    # The first stage has no earlier one: its stage-to-stage ratio is against the population.
    definition(f"children.stage_rri.{_stage}")(
        _stage_children(_stage) if _stage == STAGES[0] else _stage_to_stage(_stage)
    )
