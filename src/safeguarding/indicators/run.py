"""Run the adult indicator catalogue over case tables on one engine and get the tidy table."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import pyarrow as pa
import pyarrow.compute as pc

from safeguarding.indicators import adults
from safeguarding.indicators.catalogue import IndicatorSpec, catalogue
from safeguarding.indicators.engines import Engine, connect
from safeguarding.indicators.tidy import (
    indicator_rows,
    missing_population,
    population_denominators,
    tidy_table,
)

# The normalised tables both sides of issue 3 agree on (what the case-data reader produces).
CONCERNS_SCHEMA = pa.schema(
    [
        ("concern_id", pa.string()),
        ("person_id", pa.string()),
        ("la_code", pa.string()),
        ("concern_date", pa.date32()),
        ("age", pa.int32()),
        ("sex", pa.string()),
        ("ethnic_group", pa.string()),
        ("primary_support_reason", pa.string()),
        ("enquiry_type", pa.string()),
        ("enquiry_start_date", pa.date32()),
        ("enquiry_end_date", pa.date32()),
        ("risk_location", pa.string()),
        ("risk_source", pa.string()),
        ("risk_assessment", pa.string()),
        ("risk_outcome", pa.string()),
        ("lacked_capacity", pa.string()),
        ("capacity_support", pa.string()),
        ("msp_asked", pa.string()),
        ("msp_outcome", pa.string()),
    ]
)
RISK_TYPES_SCHEMA = pa.schema([("concern_id", pa.string()), ("risk_type", pa.string())])
POPULATION_SCHEMA = pa.schema(
    [
        ("geography_code", pa.string()),
        ("period", pa.string()),
        ("age_band", pa.string()),
        ("sex", pa.string()),
        ("ethnicity", pa.string()),
        ("population", pa.int64()),
    ]
)
REGIONS_SCHEMA = pa.schema([("lookup_la_code", pa.string()), ("region_code", pa.string())])


class CaseTables(Protocol):
    """What ``safeguarding.casedata.adults.AdultCaseTables`` carries."""

    concerns: pa.Table
    risk_types: pa.Table


@dataclass
class IndicatorRun:
    """The tidy table of one run, what it ran on, and anything the user should be told."""

    table: pa.Table
    engine: str
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[int, int, str], None]


def conform(table: pa.Table, schema: pa.Schema, what: str) -> pa.Table:
    """``table`` with exactly the columns of ``schema``, cast to its types."""
    missing = [name for name in schema.names if name not in table.column_names]
    if missing:
        raise ValueError(f"The {what} table has no column {', '.join(missing)}.")
    try:
        return table.select(schema.names).cast(schema)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise ValueError(f"The {what} table has a column of the wrong type: {error}") from None


def council_regions(
    concerns: pa.Table, region_of: Callable[[str], str | None]
) -> dict[str, str | None]:
    """Each council code in the case data with its region (None where the lookup has none)."""
    codes = pc.unique(concerns["la_code"].drop_null()).to_pylist()
    return {code: region_of(code) for code in sorted(codes)}


def regions_table(regions: Mapping[str, str | None]) -> pa.Table:
    """The council-to-region lookup the engines join on."""
    return pa.table(
        {"lookup_la_code": list(regions), "region_code": list(regions.values())},
        schema=REGIONS_SCHEMA,
    )


@contextmanager
def open_engine(
    engine: str | Engine,
    *,
    database_url: str | None,
    spark_master: str | None,
    spark_session: Any | None,
) -> Iterator[Engine]:
    """An engine named by ``engine``, closed afterwards; or ``engine`` itself, left open."""
    if not isinstance(engine, str):
        yield engine
        return
    session = connect(
        engine,
        database_url=database_url,
        spark_master=spark_master,
        spark_session=spark_session,
    )
    try:
        yield session
    finally:
        session.close()


def _default_region_of() -> Callable[[str], str | None]:
    from safeguarding.catalogue.geography import region_of

    return region_of


def shared_breakdowns(specs: Sequence[IndicatorSpec], function: adults.Definition) -> list[str]:
    """Every breakdown asked of the indicators that ``function`` defines, in catalogue order.

    Indicators that share a definition (a rate and the count it is the rate of) are counted in
    one query; each breakdown's rows do not depend on which other breakdowns are asked for, so
    each indicator then keeps its own.
    """
    breakdowns: list[str] = []
    for spec in specs:
        if adults.DEFINITIONS[spec.id] is function:
            breakdowns.extend(b for b in spec.breakdowns if b not in breakdowns)
    return breakdowns


def choose_breakdowns(
    specs: Sequence[IndicatorSpec], breakdowns: Sequence[str]
) -> list[IndicatorSpec]:
    """``specs`` with only the chosen ``breakdowns`` (and always ``total``, which places the
    zero categories of the others), leaving out indicators with none of them.

    Raises ValueError naming the choices when a breakdown is not one these indicators have.
    """
    known = [b for spec in specs for b in spec.breakdowns]
    unknown = [b for b in breakdowns if b not in known]
    if unknown:
        offered = ", ".join(dict.fromkeys(known))
        raise ValueError(
            f"No adult indicator is broken down by {', '.join(map(repr, unknown))}: "
            f"the breakdowns are {offered}."
        )
    chosen = []
    for spec in specs:
        kept = tuple(b for b in spec.breakdowns if b == adults.TOTAL or b in breakdowns)
        if adults.TOTAL in breakdowns or len(kept) > 1:
            chosen.append(replace(spec, breakdowns=kept))
    return chosen


def totals_together(
    session: Engine, prepared: adults.AdultCases, specs: Sequence[IndicatorSpec]
) -> dict[adults.Definition, pa.Table]:
    """The counts of every indicator asked for its total alone whose definition adds up rows,
    from one query (``adults.totals``) rather than one each: a scan of the cases per year
    column, not per indicator. Indicators with other breakdowns, or counting people, are left
    to their own expressions."""
    together: list[adults.Counted] = []
    for spec in specs:
        function = adults.DEFINITIONS[spec.id]
        if (
            isinstance(function, adults.Counted)
            and function not in together
            and shared_breakdowns(specs, function) == [adults.TOTAL]
        ):
            together.append(function)
    if len(together) < 2:
        return {}
    counts = session.execute(adults.totals(prepared, together))
    key = counts[adults.DEFINITION_KEY]
    counts = counts.drop_columns([adults.DEFINITION_KEY])
    return {
        function: counts.filter(pc.equal(key, position))
        for position, function in enumerate(together)
    }


def adult_indicators(
    cases: CaseTables,
    population: pa.Table | None = None,
    *,
    engine: str | Engine = "duckdb",
    database_url: str | None = None,
    spark_master: str | None = None,
    spark_session: Any | None = None,
    region_of: Callable[[str], str | None] | None = None,
    indicators: Sequence[str] | None = None,
    breakdowns: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> IndicatorRun:
    """Every adult indicator of the catalogue (or those in ``indicators``), for each council,
    region and England and each financial year in the data, in the tidy table.

    ``breakdowns`` keeps only those breakdowns (``total`` is the headline figure); by default
    every indicator has all of its own. ``engine`` is a name (``duckdb``, ``postgres``,
    ``spark``) or an engine already open, which is then left open. Rates need ``population``;
    without it they are left out with a warning.
    """
    book = catalogue()
    specs: list[IndicatorSpec] = list(book.with_prefix("adults."))
    if indicators is not None:
        specs = [book.get(indicator_id) for indicator_id in indicators]
    if breakdowns is not None:
        specs = choose_breakdowns(specs, breakdowns)
    warnings: list[str] = []
    if population is None and any(spec.is_rate for spec in specs):
        left_out = ", ".join(spec.id for spec in specs if spec.is_rate)
        warnings.append(f"No population file: the rates ({left_out}) are left out.")
        specs = [spec for spec in specs if not spec.is_rate]

    concerns = conform(cases.concerns, CONCERNS_SCHEMA, "concerns")
    risk_types = conform(cases.risk_types, RISK_TYPES_SCHEMA, "risk types")
    regions = council_regions(concerns, region_of or _default_region_of())
    denominators = None
    if population is not None and any(spec.is_rate for spec in specs):
        denominators = population_denominators(
            conform(population, POPULATION_SCHEMA, "population"),
            regions,
            book.age_bands,
            {b for spec in specs if spec.is_rate for b in spec.breakdowns},
        )
        warnings.extend(denominators.warnings)

    total_steps = len(specs) + 1
    if progress:
        progress(0, total_steps, "Loading the case tables")
    with open_engine(
        engine,
        database_url=database_url,
        spark_master=spark_master,
        spark_session=spark_session,
    ) as session:
        prepared = adults.prepare(
            session.upload("concerns", concerns),
            session.upload("risk_types", risk_types),
            session.upload("regions", regions_table(regions)),
            book.age_bands,
        )
        frames = []
        counted = totals_together(session, prepared, specs)
        for step, spec in enumerate(specs, start=1):
            if progress:
                progress(step, total_steps, spec.title)
            function = adults.DEFINITIONS[spec.id]
            if function not in counted:
                shared = shared_breakdowns(specs, function)
                counted[function] = session.execute(function(prepared, shared))
            counts = counted[function]
            if len(spec.breakdowns) < len(shared_breakdowns(specs, function)):
                counts = counts.filter(pc.is_in(counts["breakdown"], pa.array(spec.breakdowns)))
            frames.append(indicator_rows(spec, counts, denominators))
        if progress:
            progress(total_steps, total_steps, "Done")
        if denominators is not None:
            warnings.extend(missing_population(frames))
    table = tidy_table(frames, specs)
    if breakdowns is not None and adults.TOTAL not in breakdowns:
        # The totals were needed to place the other breakdowns' zero categories, not asked for.
        table = table.filter(pc.not_equal(table["breakdown"], adults.TOTAL))
    return IndicatorRun(table=table, engine=session.name, warnings=warnings)
