"""The tidy output table of ``indicators.md``: from the engine's counts to values with intervals.

Engines return counts only. Here, in Python and the same for every engine, the counts get their
missing zero categories, rates get their population denominators, and numpy works out the
values and their 95% confidence intervals from the unrounded counts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa

from safeguarding.indicators import statistics
from safeguarding.indicators.adults import ENGLAND, GEOGRAPHY_LEVELS, KEYS, TOTAL
from safeguarding.indicators.catalogue import AgeBand, IndicatorSpec

TIDY_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("geography_level", pa.string()),
        ("geography_code", pa.string()),
        ("period", pa.string()),
        ("breakdown", pa.string()),
        ("category", pa.string()),
        ("numerator", pa.int64()),
        ("denominator", pa.int64()),
        ("value", pa.float64()),
        ("lower_ci", pa.float64()),
        ("upper_ci", pa.float64()),
        ("unit", pa.string()),
    ]
)
TIDY_COLUMNS = tuple(TIDY_SCHEMA.names)

# Population columns that can be broken down, by the breakdown they serve.
POPULATION_DIMENSIONS = {"age_band": "age_band", "sex": "sex", "ethnicity": "ethnicity"}
# Marks a population row that covers every value of a column (population.md).
ALL = "all"
ADULTS_ALL_AGES = ("all", "18+")


def counts_frame(counts: pa.Table) -> pd.DataFrame:
    """The keys (as Python values) and counts an indicator's expression returned."""
    frame = counts.select([*KEYS, "numerator", "denominator"]).to_pandas()
    for name in KEYS:
        frame[name] = frame[name].astype(object)
    return frame


def complete_categories(frame: pd.DataFrame, breakdowns: Sequence[str]) -> pd.DataFrame:
    """Counts of zero for every category seen anywhere in a breakdown, at every place and year
    that has a total, so a category with no cases shows 0 rather than being absent."""
    totals = frame[frame["breakdown"] == TOTAL]
    places = totals[["geography_level", "geography_code", "period"]].drop_duplicates()
    pieces = [totals]
    for breakdown in breakdowns:
        if breakdown == TOTAL:
            continue
        part = frame[frame["breakdown"] == breakdown]
        categories = sorted(part["category"].unique())
        if not categories:
            continue
        grid = places.merge(pd.DataFrame({"category": categories}), how="cross")
        grid["breakdown"] = breakdown
        part = grid.merge(part, on=list(KEYS), how="left")
        part["numerator"] = part["numerator"].fillna(0).astype("Int64")
        pieces.append(part)
    return pd.concat(pieces, ignore_index=True)


@dataclass
class PopulationDenominators:
    """Adults by place, year, breakdown and category, for rates; and what was missing."""

    table: pd.DataFrame
    categories: dict[str, set[str]]
    warnings: list[str] = field(default_factory=list)


def _population_breakdowns(population: pd.DataFrame, age_bands: Sequence[AgeBand]) -> pd.DataFrame:
    """Population by council, year, breakdown and category, from rows at any level of detail.

    For each breakdown the least detailed rows that still give it are used, so a file holding
    both totals (``all``) and detail is never counted twice.
    """
    bands = {band.band for band in age_bands}
    frame = population[population["age_band"].isin(bands | set(ADULTS_ALL_AGES))].copy()
    frame.loc[frame["age_band"].isin(ADULTS_ALL_AGES), "age_band"] = ALL
    # A row's level says which columns it breaks down (a bit each); its detail, how many.
    frame["level"] = 0
    frame["detail"] = 0
    for bit, column in enumerate(POPULATION_DIMENSIONS.values()):
        broken_down = (frame[column] != ALL).astype(int)
        frame["level"] += broken_down * (1 << bit)
        frame["detail"] += broken_down
    results = []
    for breakdown in (TOTAL, *POPULATION_DIMENSIONS):
        if breakdown == TOTAL:
            eligible = frame
        else:
            eligible = frame[frame[POPULATION_DIMENSIONS[breakdown]] != ALL]
        if eligible.empty:
            continue
        # The least detailed level each council and year has; ties go to the first level.
        chosen = eligible.sort_values(["detail", "level"]).drop_duplicates(
            ["geography_code", "period"]
        )[["geography_code", "period", "level"]]
        rows = eligible.merge(chosen, on=["geography_code", "period", "level"])
        rows = rows.assign(
            breakdown=breakdown,
            category=TOTAL if breakdown == TOTAL else rows[POPULATION_DIMENSIONS[breakdown]],
        )
        results.append(
            rows.groupby(["geography_code", "period", "breakdown", "category"], as_index=False)[
                "population"
            ].sum()
        )
    if not results:
        return pd.DataFrame(
            columns=["geography_code", "period", "breakdown", "category", "population"]
        )
    return pd.concat(results, ignore_index=True)


def sum_over_councils(grid: pd.DataFrame, group_by: list[str]) -> pd.DataFrame:
    """The population of each group of councils in ``grid``: missing (NaN) when any council in
    the group has no figure, so that a rate never covers fewer councils than its count."""
    summed = grid.groupby(group_by, as_index=False, dropna=True).agg(
        population=("population", "sum"),
        present=("population", "count"),
        councils=("geography_code", "size"),
    )
    summed.loc[summed["present"] < summed["councils"], "population"] = np.nan
    return summed.drop(columns=["present", "councils"])


def population_denominators(
    population: pa.Table,
    council_regions: Mapping[str, str | None],
    age_bands: Sequence[AgeBand],
    breakdowns: Collection[str] | None = None,
) -> PopulationDenominators:
    """Denominators for every council in ``council_regions`` and their region and England totals.

    A warning says which breakdowns the file has no detail for, of ``breakdowns`` (all of them
    by default): rates by those are left out.

    Region and England populations are the sums over the councils in the case data, never the
    file's own region or England rows, so that a rate covers the same councils as its count.
    A total is missing (NaN) when any of its councils is missing.
    """
    raw = population.select(
        ["geography_code", "period", "age_band", "sex", "ethnicity", "population"]
    ).to_pandas()
    by_breakdown = _population_breakdowns(raw, age_bands)
    councils = pd.DataFrame(
        {
            "geography_code": list(council_regions),
            "region_code": [council_regions[code] for code in council_regions],
        }
    )
    cells = by_breakdown[["period", "breakdown", "category"]].drop_duplicates()
    grid = councils.merge(cells, how="cross").merge(
        by_breakdown, on=["geography_code", "period", "breakdown", "category"], how="left"
    )
    cell_keys = ["period", "breakdown", "category"]

    la = grid.assign(geography_level="la")[
        ["geography_level", "geography_code", *cell_keys, "population"]
    ]
    region = sum_over_councils(grid, ["region_code", *cell_keys]).rename(
        columns={"region_code": "geography_code"}
    )
    region["geography_level"] = "region"
    england = sum_over_councils(grid, cell_keys)
    england["geography_level"] = "england"
    england["geography_code"] = ENGLAND
    table = pd.concat([la, region, england], ignore_index=True)

    warnings: list[str] = []
    categories = {
        breakdown: set(by_breakdown.loc[by_breakdown["breakdown"] == breakdown, "category"])
        for breakdown in (TOTAL, *POPULATION_DIMENSIONS)
    }
    for breakdown in POPULATION_DIMENSIONS:
        if breakdowns is not None and breakdown not in breakdowns:
            continue
        if not categories[breakdown]:
            warnings.append(
                f"The population file has no {breakdown.replace('_', ' ')} detail: "
                f"rates by {breakdown.replace('_', ' ')} are left out."
            )
    return PopulationDenominators(table=table, categories=categories, warnings=warnings)


def missing_population(frames: Iterable[pd.DataFrame], *, totals_only: bool = True) -> list[str]:
    """A warning naming the councils and years whose rates have no population, if any;
    ``totals_only`` looks only at the rates for everyone, not those by breakdown."""
    places: set[tuple[str, str]] = set()
    for frame in frames:
        if not len(frame) or not frame["unit"].iloc[0].startswith("rate_per_"):
            continue
        empty = (frame["geography_level"] == "la") & frame["denominator"].isna()
        if totals_only:
            empty &= frame["breakdown"] == TOTAL
        gaps = frame[empty]
        places.update(zip(gaps["geography_code"], gaps["period"], strict=True))
    if not places:
        return []
    named = [f"{code} {period}" for code, period in sorted(places)]
    more = f" and {len(named) - 5} more" if len(named) > 5 else ""
    return [f"No population for {', '.join(named[:5])}{more}: those rates are left empty."]


def attach_population(frame: pd.DataFrame, denominators: PopulationDenominators) -> pd.DataFrame:
    """Population denominators for a rate's counts. Categories the population file never has
    (sex not known, ethnicity refused, not recorded) have no rate and are left out."""
    given = pd.DataFrame(
        [(b, c) for b, categories in denominators.categories.items() for c in categories],
        columns=["breakdown", "category"],
    )
    frame = frame.merge(given, on=["breakdown", "category"])
    merged = frame.drop(columns=["denominator"]).merge(
        denominators.table, on=list(KEYS), how="left"
    )
    merged["denominator"] = merged["population"].round().astype("Int64")
    return merged.drop(columns=["population"])


def as_float(values: pd.Series) -> np.ndarray:
    """Nullable numbers as floats, missing ones as NaN."""
    return values.astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)


def indicator_rows(
    spec: IndicatorSpec, counts: pa.Table, denominators: PopulationDenominators | None = None
) -> pd.DataFrame:
    """The tidy rows of one indicator from the counts its expression returned."""
    frame = counts_frame(counts)
    frame["numerator"] = frame["numerator"].astype("Int64")
    frame["denominator"] = frame["denominator"].astype("Int64")
    if spec.unit == "count" or spec.is_rate:
        frame = complete_categories(frame, spec.breakdowns)
    if spec.is_rate:
        if denominators is None:
            raise ValueError(f"{spec.id} needs a population file")
        frame = attach_population(frame, denominators)
    numerator = as_float(frame["numerator"])
    denominator = as_float(frame["denominator"])
    nan = np.full(len(frame), np.nan)
    if spec.unit == "count":
        value, lower, upper = numerator, nan, nan
        frame["numerator"] = pd.array([pd.NA] * len(frame), dtype="Int64")
        frame["denominator"] = pd.array([pd.NA] * len(frame), dtype="Int64")
    elif spec.unit == "percent":
        with np.errstate(divide="ignore", invalid="ignore"):
            value = np.where(denominator > 0, 100 * numerator / denominator, np.nan)
        lower, upper = statistics.wilson_interval(numerator, denominator)
        lower, upper = 100 * lower, 100 * upper
    elif spec.is_rate:
        value, lower, upper = statistics.rate_interval(
            numerator, denominator, per=spec.rate_multiplier
        )
    else:
        raise ValueError(f"{spec.id}: no adult indicator is measured in {spec.unit}")
    if spec.ci_method == "none":
        lower, upper = nan, nan
    frame["value"] = value
    frame["lower_ci"] = lower
    frame["upper_ci"] = upper
    frame["indicator"] = spec.id
    frame["unit"] = spec.unit
    return frame[list(TIDY_COLUMNS)]


def tidy_table(frames: Iterable[pd.DataFrame], specs: Sequence[IndicatorSpec]) -> pa.Table:
    """One table in a fixed order: indicator (catalogue order); England, regions, councils;
    geography code; period; breakdown (catalogue order); category."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return TIDY_SCHEMA.empty_table()
    frame = pd.concat(frames, ignore_index=True)
    indicator_order = {spec.id: i for i, spec in enumerate(specs)}
    level_order = {level: i for i, level in enumerate(GEOGRAPHY_LEVELS)}
    frame["_indicator"] = frame["indicator"].map(indicator_order)
    frame["_level"] = frame["geography_level"].map(level_order)
    # Looked up one indicator at a time: a vectorised map, not a Python loop over every row.
    positions = np.full(len(frame), -1, dtype=np.int64)
    for spec in specs:
        rows = (frame["indicator"] == spec.id).to_numpy(dtype=bool)
        if not rows.any():
            continue
        mapped = frame.loc[rows, "breakdown"].map(
            {breakdown: i for i, breakdown in enumerate(spec.breakdowns)}
        )
        if mapped.isna().any():
            raise KeyError((spec.id, frame.loc[rows, "breakdown"][mapped.isna()].iloc[0]))
        positions[rows] = mapped.to_numpy(dtype=np.int64)
    if (positions < 0).any():
        unknown = frame.loc[positions < 0].iloc[0]
        raise KeyError((unknown["indicator"], unknown["breakdown"]))
    frame["_breakdown"] = positions
    frame = frame.sort_values(
        ["_indicator", "_level", "geography_code", "period", "_breakdown", "category"],
        kind="stable",
    )
    frame = frame[list(TIDY_COLUMNS)].reset_index(drop=True)
    arrays = []
    for column in TIDY_SCHEMA:
        values = frame[column.name]
        if pa.types.is_floating(column.type):
            arrays.append(
                pa.array(values.to_numpy(dtype=np.float64), column.type, from_pandas=True)
            )
        elif pa.types.is_integer(column.type):
            arrays.append(pa.array(values.astype("Int64"), column.type, from_pandas=True))
        else:
            arrays.append(pa.array(values.astype(object), column.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=TIDY_SCHEMA)
