"""Run the children's indicator catalogue over CIN census and SSDA903 tables on one engine and
get the tidy table (the same table, engines and statistics as the adult indicators)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import pyarrow as pa

from safeguarding.indicators import children
from safeguarding.indicators.catalogue import IndicatorSpec
from safeguarding.indicators.children import (
    SCHEMAS,
    ChildrenCaseTables,
    children_catalogue,
)
from safeguarding.indicators.disproportionality import (
    population_by_place,
    rate_rows,
    relative_rate_rows,
)
from safeguarding.indicators.engines import Engine
from safeguarding.indicators.run import (
    IndicatorRun,
    Progress,
    conform,
    open_engine,
    regions_table,
)
from safeguarding.indicators.tidy import indicator_rows, missing_population, tidy_table

RRI = "children.rri."
STAGE_RRI = "children.stage_rri."


def _default_region_of() -> Callable[[str], str | None]:
    from safeguarding.catalogue.geography import council_for_dfe_number

    def region_of(dfe_la_number: str) -> str | None:
        found = council_for_dfe_number(dfe_la_number)
        return found.region_code if found else None

    return region_of


def _needs_population(spec: IndicatorSpec) -> bool:
    return spec.is_rate or spec.id.startswith(RRI) or spec.id == f"{STAGE_RRI}referral"


def _rows(spec: IndicatorSpec, counts: pa.Table, places: pd.DataFrame | None) -> pd.DataFrame:
    book = children_catalogue()
    if spec.is_rate:
        assert places is not None
        return rate_rows(spec, counts, places)
    if spec.unit == "ratio":
        return relative_rate_rows(
            spec,
            counts,
            places,
            book.disproportionality,
            against_population=_needs_population(spec),
        )
    return indicator_rows(spec, counts)


def children_indicators(
    tables: ChildrenCaseTables,
    population: pa.Table | None = None,
    *,
    engine: str | Engine = "duckdb",
    database_url: str | None = None,
    spark_master: str | None = None,
    spark_session: Any | None = None,
    region_of: Callable[[str], str | None] | None = None,
    indicators: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> IndicatorRun:
    """Every children's indicator of the catalogue (or those in ``indicators``), for each
    council (DfE LA number), region and England and each census year in the files.

    Rates and the relative rate index against the population need ``population``; without it
    they are left out with a warning. Indicators from SSDA903 are left out (with a warning)
    when no SSDA903 return was given.
    """
    book = children_catalogue()
    specs: list[IndicatorSpec] = list(book.indicators)
    if indicators is not None:
        specs = [book.get(indicator_id) for indicator_id in indicators]
    warnings: list[str] = list(tables.warnings)
    if population is None and any(_needs_population(spec) for spec in specs):
        left_out = [spec.id for spec in specs if _needs_population(spec)]
        warnings.append(
            f"No population file: {len(left_out)} rates and ratios are left out "
            f"({', '.join(left_out[:3])}, ...)."
        )
        specs = [spec for spec in specs if not _needs_population(spec)]
    if tables.episodes.num_rows == 0 and any("cla" in spec.id for spec in specs):
        warnings.append("No SSDA903 episodes: the children looked after figures are empty.")

    lookup = region_of or _default_region_of()
    regions = {code: lookup(code) for code in tables.councils()}
    unplaced = sorted(code for code, region in regions.items() if region is None)
    if unplaced:
        warnings.append(
            f"Not a council in the lookup: {', '.join(unplaced)}; counted for the council and "
            "England, but in no region."
        )
    places = None
    if population is not None:
        places = population_by_place(population, regions)
        if places.empty:
            warnings.append("The population file has no children aged 0-17: no rates.")

    total_steps = len(specs) + 1
    if progress:
        progress(0, total_steps, "Loading the case tables")
    with open_engine(
        engine,
        database_url=database_url,
        spark_master=spark_master,
        spark_session=spark_session,
    ) as session:
        uploaded = {
            name: session.upload(name, conform(getattr(tables, name), schema, name))
            for name, schema in SCHEMAS.items()
        }
        prepared = children.prepare(uploaded, session.upload("regions", regions_table(regions)))
        # A count and its rate share one expression: run it once.
        executed: dict[tuple[Any, tuple[str, ...]], pa.Table] = {}
        frames = []
        for step, spec in enumerate(specs, start=1):
            if progress:
                progress(step, total_steps, spec.title)
            function = children.DEFINITIONS[spec.id]
            key = (function, spec.breakdowns)
            if key not in executed:
                executed[key] = session.execute(function(prepared, spec.breakdowns))
            frames.append(_rows(spec, executed[key], places))
        if progress:
            progress(total_steps, total_steps, "Done")
    if places is not None:
        warnings.extend(missing_population(frames, totals_only=False))
    return IndicatorRun(table=tidy_table(frames, specs), engine=session.name, warnings=warnings)
