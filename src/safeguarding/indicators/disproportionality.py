"""Children's rates and the relative rate index, from the engine's counts and a population file.

The relative rate index (RRI) of a group at a stage is the group's rate (distinct children
reaching the stage per child of the group in the population, or per child of the group at the
previous stage) divided by the same rate for White British children. Its 95% interval is the
log (Katz) method (``statistics.rate_ratio_interval``). Every group is reported with its counts;
a ratio only where the group and the reference are big enough (``children.disproportionality``
in the catalogue), never dropped.

Everything here is pandas and numpy on counts, the same whichever engine counted them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa

from safeguarding.casedata.population import CHILD_BANDS
from safeguarding.catalogue import code_list
from safeguarding.indicators import statistics
from safeguarding.indicators.adults import ENGLAND, KEYS, TOTAL
from safeguarding.indicators.catalogue import IndicatorSpec
from safeguarding.indicators.children import Disproportionality, ethnic_groups
from safeguarding.indicators.tidy import (
    TIDY_COLUMNS,
    as_float,
    counts_frame,
    sum_over_councils,
)

ALL = "all"
CHILDREN_ALL_AGES = ("0-17", ALL)
SINGLE_YEARS = tuple(band for band in CHILD_BANDS if band not in CHILDREN_ALL_AGES)
PLACE = ["geography_level", "geography_code", "period"]
CELL = ["breakdown", "category"]


def _least_detailed(frame: pd.DataFrame, column: str, whole: tuple[str, ...]) -> pd.DataFrame:
    """For each council and year, the rows that are not broken down by ``column`` (one of
    ``whole``) where it has any, and otherwise the detailed rows, to be summed."""
    frame = frame.assign(_whole=frame[column].isin(whole))
    has_whole = frame.groupby(["geography_code", "period"])["_whole"].transform("any")
    return frame[frame["_whole"] | ~has_whole].drop(columns="_whole")


def council_population(population: pa.Table) -> pd.DataFrame:
    """Children aged 0-17 by council, year, breakdown (``total``, ``ethnicity``,
    ``ethnic_group``) and category, from rows at any level of detail (population.md)."""
    frame = population.select(
        ["geography_code", "period", "age_band", "sex", "ethnicity", "population"]
    ).to_pandas()
    frame = frame[frame["age_band"].isin((*CHILDREN_ALL_AGES, *SINGLE_YEARS))]
    frame = _least_detailed(frame, "age_band", CHILDREN_ALL_AGES)
    frame = _least_detailed(frame, "sex", (ALL,))
    by_code = (
        frame.groupby(["geography_code", "period", "ethnicity"], as_index=False)["population"]
        .sum()
        .astype({"population": "float64"})
    )
    codes = by_code[by_code["ethnicity"] != ALL]
    groups = codes.assign(ethnic_group=codes["ethnicity"].map(ethnic_groups()))
    groups = groups.dropna(subset=["ethnic_group"])
    groups = groups.groupby(["geography_code", "period", "ethnic_group"], as_index=False)[
        "population"
    ].sum()
    # The total is the file's own `all` row where it has one, otherwise the sum of the codes.
    stated = by_code[by_code["ethnicity"] == ALL][["geography_code", "period", "population"]]
    summed = codes.groupby(["geography_code", "period"], as_index=False)["population"].sum()
    totals = pd.concat([stated, summed]).drop_duplicates(["geography_code", "period"])
    return pd.concat(
        [
            totals.assign(breakdown=TOTAL, category=TOTAL),
            codes.rename(columns={"ethnicity": "category"}).assign(breakdown="ethnicity"),
            groups.rename(columns={"ethnic_group": "category"}).assign(breakdown="ethnic_group"),
        ],
        ignore_index=True,
    )[["geography_code", "period", *CELL, "population"]]


def population_by_place(
    population: pa.Table, council_regions: Mapping[str, str | None]
) -> pd.DataFrame:
    """Children for every council in ``council_regions`` and their regions and England.

    Region and England figures are sums over the councils in the case data (so that a rate
    covers the same councils as its count); missing (NaN) when any of those councils is.
    """
    by_council = council_population(population)
    councils = pd.DataFrame(
        {"geography_code": list(council_regions), "region_code": list(council_regions.values())}
    )
    cells = by_council[["period", *CELL]].drop_duplicates()
    grid = councils.merge(cells, how="cross").merge(
        by_council, on=["geography_code", "period", *CELL], how="left"
    )

    la = grid.assign(geography_level="la").drop(columns="region_code")
    region = sum_over_councils(grid, ["region_code", "period", *CELL]).rename(
        columns={"region_code": "geography_code"}
    )
    region["geography_level"] = "region"
    england = sum_over_councils(grid, ["period", *CELL])
    england["geography_level"] = "england"
    england["geography_code"] = ENGLAND
    table = pd.concat([la, region, england], ignore_index=True)
    return table[[*PLACE, *CELL, "population"]]


def census_year_of(period: pd.Series) -> pd.Series:
    """The census year of a period: itself, or for a 31 March date the year ending that day."""
    period = period.astype(str)
    if period.empty:
        # With no rows, pandas cannot infer the text type of the mapped years.
        return period
    snapshot = period.str.fullmatch(r"\d{4}-03-31")
    year = period.str[:4].astype(int)
    ending = (year - 1).astype(str) + "-" + (year % 100).map("{:02d}".format)
    return period.where(~snapshot, ending)


def _finish(frame: pd.DataFrame, spec: IndicatorSpec) -> pd.DataFrame:
    frame["indicator"] = spec.id
    frame["unit"] = spec.unit
    for name in ("numerator", "denominator"):
        frame[name] = frame[name].round().astype("Int64")
    return frame[list(TIDY_COLUMNS)]


def rate_rows(spec: IndicatorSpec, counts: pa.Table, places: pd.DataFrame) -> pd.DataFrame:
    """A rate per 10,000 children (``spec.rate_multiplier``) for each count, Byar's interval
    from 10 and exact limits below; no rate where the population file has no figure."""
    frame = counts_frame(counts)
    frame["_year"] = census_year_of(frame["period"])
    people = places.rename(columns={"period": "_year", "population": "_population"})
    frame = frame.merge(
        people, on=["geography_level", "geography_code", "_year", *CELL], how="left"
    )
    numerator = as_float(frame["numerator"])
    population = frame["_population"].to_numpy(dtype=np.float64)
    value, lower, upper = statistics.rate_interval(numerator, population, per=spec.rate_multiplier)
    frame["denominator"] = frame["_population"]
    frame["value"], frame["lower_ci"], frame["upper_ci"] = value, lower, upper
    return _finish(frame.drop(columns=["_year", "_population"]), spec)


def _every_category(frame: pd.DataFrame, breakdowns: tuple[str, ...]) -> pd.DataFrame:
    """Zero counts for every ethnicity code and group (and any other category seen) at every
    place and year with a total, so that no group is left out for having no children."""
    known = {
        "ethnicity": [c.code for c in code_list("cin_ethnicity").codes],
        "ethnic_group": [c.code for c in code_list("cin_ethnic_group").codes],
    }
    totals = frame[frame["breakdown"] == TOTAL]
    places = totals[PLACE].drop_duplicates()
    pieces = [totals]
    for breakdown in breakdowns:
        if breakdown == TOTAL:
            continue
        part = frame[frame["breakdown"] == breakdown]
        seen = sorted(set(part["category"]) - set(known.get(breakdown, [])))
        categories = [*known.get(breakdown, []), *seen]
        grid = places.merge(pd.DataFrame({"category": categories}), how="cross")
        grid["breakdown"] = breakdown
        pieces.append(grid.merge(part, on=list(KEYS), how="left"))
    return pd.concat(pieces, ignore_index=True)


def relative_rate_rows(
    spec: IndicatorSpec,
    counts: pa.Table,
    places: pd.DataFrame | None,
    settings: Disproportionality,
    *,
    against_population: bool,
) -> pd.DataFrame:
    """The RRI of every group at every place and year, against White British children.

    ``counts`` has the group's children at the stage (numerator) and, when not
    ``against_population``, at the previous stage (denominator); otherwise the denominator is
    the group's population from ``places``.
    """
    frame = _every_category(counts_frame(counts), spec.breakdowns)
    frame["numerator"] = frame["numerator"].astype("Float64").fillna(0)
    if against_population:
        if places is None:
            raise ValueError(f"{spec.id} needs a population file")
        people = places.rename(columns={"population": "_population"})
        frame = frame.merge(people, on=[*PLACE, *CELL], how="left")
        frame["denominator"] = frame.pop("_population")
    else:
        frame["denominator"] = frame["denominator"].astype("Float64").fillna(0)
    reference = frame[
        (frame["breakdown"] == "ethnicity") & (frame["category"] == settings.reference)
    ][[*PLACE, "numerator", "denominator"]].rename(
        columns={"numerator": "_ref_num", "denominator": "_ref_den"}
    )
    frame = frame.merge(reference, on=PLACE, how="left")
    a, n = as_float(frame["numerator"]), as_float(frame["denominator"])
    b, m = as_float(frame["_ref_num"]), as_float(frame["_ref_den"])
    ratio, lower, upper = statistics.rate_ratio_interval(a, n, b, m)
    with np.errstate(invalid="ignore"):
        stable = (
            (a >= settings.minimum_children)
            & (n >= settings.minimum_denominator)
            & (b >= settings.minimum_children)
            & (m >= settings.minimum_denominator)
        )
    is_reference = (frame["breakdown"] == "ethnicity").to_numpy() & (
        frame["category"] == settings.reference
    ).to_numpy()
    frame["value"] = np.where(stable, ratio, np.nan)
    # The reference group against itself is 1 by definition, with no interval to give.
    frame["lower_ci"] = np.where(stable & ~is_reference, lower, np.nan)
    frame["upper_ci"] = np.where(stable & ~is_reference, upper, np.nan)
    frame = frame.drop(columns=["_ref_num", "_ref_den"])
    return _finish(frame, spec)
