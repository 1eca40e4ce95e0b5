"""The relative rate index against values worked out independently, small groups, and the
over-representation planted by the synthetic generator found again."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pytest

from safeguarding.casedata.children.cin_reader import read_cin_census
from safeguarding.casedata.population import read_population
from safeguarding.casedata.synth.children import synth_children
from safeguarding.indicators.children import children_case_tables, children_catalogue
from safeguarding.indicators.children_run import children_indicators
from safeguarding.indicators.disproportionality import population_by_place, relative_rate_rows

Z = 1.959963984540054


def _counts(rows: list[tuple[str, str, int, int | None]]) -> pa.Table:
    """Counts for council 202 in 2024-25: (breakdown, category, numerator, denominator)."""
    return pa.table(
        {
            "geography_level": ["la"] * len(rows),
            "geography_code": ["202"] * len(rows),
            "period": ["2024-25"] * len(rows),
            "breakdown": [r[0] for r in rows],
            "category": [r[1] for r in rows],
            "numerator": pa.array([r[2] for r in rows], pa.int64()),
            "denominator": pa.array([r[3] for r in rows], pa.int64()),
        }
    )


def _population() -> pa.Table:
    codes = {"WBRI": 10_000, "BCRB": 1_000, "BAFR": 2_000, "MWBC": 500}
    return pa.table(
        {
            "geography_code": ["202"] * len(codes),
            "period": ["2024-25"] * len(codes),
            "age_band": ["0-17"] * len(codes),
            "sex": ["all"] * len(codes),
            "ethnicity": list(codes),
            "population": list(codes.values()),
        }
    )


def _katz(a: float, n: float, b: float, m: float) -> tuple[float, float, float]:
    ratio = (a / n) / (b / m)
    se = math.sqrt(1 / a - 1 / n + 1 / b - 1 / m)
    return ratio, ratio * math.exp(-Z * se), ratio * math.exp(Z * se)


def test_ratios_against_the_population_and_small_groups_kept() -> None:
    book = children_catalogue()
    spec = book.get("children.rri.s47")
    counts = _counts(
        [
            ("total", "total", 190, None),
            ("ethnicity", "WBRI", 100, None),
            ("ethnicity", "BCRB", 30, None),
            ("ethnicity", "BAFR", 56, None),
            ("ethnicity", "MWBC", 4, None),
            ("ethnic_group", "WHITE", 100, None),
            ("ethnic_group", "BLACK", 86, None),
            ("ethnic_group", "MIXED", 4, None),
        ]
    )
    places = population_by_place(_population(), {"202": "E12000007"})
    frame = relative_rate_rows(
        spec, counts, places, book.disproportionality, against_population=True
    )
    rows = {(r.breakdown, r.category): r for r in frame.itertuples()}
    for key, (a, n) in {
        ("ethnicity", "BCRB"): (30, 1000),
        ("ethnicity", "BAFR"): (56, 2000),
        ("ethnic_group", "BLACK"): (86, 3000),
        ("total", "total"): (190, 13500),
    }.items():
        ratio, lower, upper = _katz(a, n, 100, 10_000)
        row = rows[key]
        assert (row.numerator, row.denominator) == (a, n)
        assert row.value == pytest.approx(ratio)
        assert (row.lower_ci, row.upper_ci) == (pytest.approx(lower), pytest.approx(upper))
    assert rows[("ethnicity", "BCRB")].value == pytest.approx(3.0)
    # Too few children for a stable ratio: counts, no ratio; still reported.
    small = rows[("ethnicity", "MWBC")]
    assert (small.numerator, small.denominator) == (4, 500) and math.isnan(small.value)
    # Every code is reported, with 0 children where none reached the stage.
    absent = rows[("ethnicity", "APKN")]
    assert absent.numerator == 0 and math.isnan(absent.value)
    # No population for REFU: counted, no ratio.
    assert ("ethnicity", "REFU") in rows
    reference = rows[("ethnicity", "WBRI")]
    assert reference.value == 1.0 and math.isnan(reference.lower_ci)


def test_stage_to_stage_ratio_uses_the_previous_stage() -> None:
    book = children_catalogue()
    spec = book.get("children.stage_rri.s47")
    counts = _counts(
        [
            ("total", "total", 160, 700),
            ("ethnicity", "WBRI", 100, 500),
            ("ethnicity", "BCRB", 60, 200),
            ("ethnic_group", "WHITE", 100, 500),
            ("ethnic_group", "BLACK", 60, 200),
        ]
    )
    frame = relative_rate_rows(
        spec, counts, None, book.disproportionality, against_population=False
    )
    row = frame[(frame["category"] == "BCRB")].iloc[0]
    ratio, lower, upper = _katz(60, 200, 100, 500)
    assert row["value"] == pytest.approx(1.5) == pytest.approx(ratio)
    assert (row["lower_ci"], row["upper_ci"]) == (pytest.approx(lower), pytest.approx(upper))


def test_the_planted_over_representation_is_found(tmp_path: Path) -> None:
    generated = synth_children(
        4, ["2024-25"], 11, tmp_path, scale=0.4, over_represent=["BLACK:s47:1.8"]
    )
    census = [read_cin_census(path) for path in generated.cin_files]
    population, _ = read_population(generated.population)
    run = children_indicators(
        children_case_tables(census),
        population,
        indicators=["children.rri.referral", "children.rri.s47"],
    )
    england = [r for r in run.table.to_pylist() if r["geography_level"] == "england"]

    def found(indicator: str, breakdown: str, category: str) -> dict:
        (row,) = [
            r
            for r in england
            if (r["indicator"], r["breakdown"], r["category"]) == (indicator, breakdown, category)
        ]
        return row

    planted = generated.planted
    for breakdown, category in (("ethnic_group", "BLACK"), ("ethnicity", "BAFR")):
        expected = (
            planted.group_rri(category, "s47")
            if breakdown == "ethnic_group"
            else planted.rri[category]["s47"]
        )
        assert expected == pytest.approx(1.8)
        row = found("children.rri.s47", breakdown, category)
        assert row["lower_ci"] <= expected <= row["upper_ci"], row
        assert row["lower_ci"] > 1.0, row  # and it is clearly over-represented
        referral = found("children.rri.referral", breakdown, category)
        assert referral["lower_ci"] <= 1.0 <= referral["upper_ci"], referral
