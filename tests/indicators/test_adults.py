"""Every adult indicator on the hand-made example of cases.py, worked out by hand."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest

from safeguarding.indicators.adults import ENGLAND
from safeguarding.indicators.run import adult_indicators
from safeguarding.indicators.statistics import rate_interval, wilson_interval
from tests.indicators.cases import (
    LA_A,
    LA_B,
    LA_WALES,
    REGION,
    REGIONS,
    WORKED,
    WORKED_POPULATION,
    D,
    cases,
    concern,
)

Y2324, Y2425, Y2526 = "2023-24", "2024-25", "2025-26"


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return adult_indicators(WORKED, WORKED_POPULATION, region_of=REGIONS.get).table


def row(
    table: pa.Table,
    indicator: str,
    code: str,
    period: str,
    breakdown: str = "total",
    category: str = "total",
) -> dict:
    found = [
        r
        for r in table.to_pylist()
        if (r["indicator"], r["geography_code"], r["period"], r["breakdown"], r["category"])
        == (indicator, code, period, breakdown, category)
    ]
    assert len(found) == 1, (indicator, code, period, breakdown, category, found)
    return found[0]


def count(table: pa.Table, indicator: str, code: str, period: str, *where: str) -> float:
    found = row(table, indicator, code, period, *where)
    assert found["unit"] == "count"
    assert found["numerator"] is None and found["denominator"] is None
    return found["value"]


def share(table: pa.Table, indicator: str, code: str, period: str) -> tuple[int, int, float]:
    found = row(table, indicator, code, period)
    assert found["unit"] == "percent"
    return found["numerator"], found["denominator"], found["value"]


def categories(table: pa.Table, indicator: str, code: str, period: str, breakdown: str) -> dict:
    return {
        r["category"]: r["value"]
        for r in table.to_pylist()
        if (r["indicator"], r["geography_code"], r["period"], r["breakdown"])
        == (indicator, code, period, breakdown)
    }


def test_concerns_count_in_the_financial_year_of_their_date(table: pa.Table) -> None:
    # 31 March 2024 is in 2023-24; 1 April 2024 in 2024-25.
    assert count(table, "adults.concerns", LA_A, Y2324) == 2  # c1, c7
    assert count(table, "adults.concerns", LA_A, Y2425) == 3  # c2, c3, c4
    assert count(table, "adults.concerns", LA_B, Y2425) == 1
    assert count(table, "adults.concerns", LA_WALES, Y2425) == 1


def test_region_and_england_totals(table: pa.Table) -> None:
    assert count(table, "adults.concerns", REGION, Y2425) == 4  # A and B; Wales has no region
    assert count(table, "adults.concerns", ENGLAND, Y2425) == 5
    levels = {
        (r["geography_level"], r["geography_code"])
        for r in table.to_pylist()
        if r["indicator"] == "adults.concerns"
    }
    assert levels == {
        ("la", LA_A),
        ("la", LA_B),
        ("la", LA_WALES),
        ("region", REGION),
        ("england", ENGLAND),
    }


def test_concerns_by_age_band_sex_ethnicity_and_support_reason(table: pa.Table) -> None:
    by_age = categories(table, "adults.concerns", LA_A, Y2425, "age_band")
    # 65 is the first age of 65-74 and 95 of 95+; bands seen elsewhere show 0.
    assert by_age == {"18-64": 0, "65-74": 2, "75-84": 0, "85-94": 0, "95+": 1}
    assert categories(table, "adults.concerns", LA_A, Y2425, "sex") == {"F": 2, "M": 1, "U": 0}
    by_ethnicity = categories(table, "adults.concerns", LA_A, Y2425, "ethnicity")
    assert by_ethnicity["WHITE"] == 2
    assert by_ethnicity["NOT_RECORDED"] == 1  # c4 has no ethnic group
    assert by_ethnicity["BLACK"] == 0
    by_reason = categories(table, "adults.concerns", ENGLAND, Y2425, "primary_support_reason")
    assert by_reason == {"PHYSICAL": 3, "MENTAL_HEALTH": 1, "NONE": 1}


def test_individuals_count_each_person_once(table: pa.Table) -> None:
    # p1 has two concerns in 2024-25 (c2, c3) and p2 one (c4).
    assert count(table, "adults.individuals_with_concerns", LA_A, Y2425) == 2
    by_reason = categories(
        table, "adults.individuals_with_concerns", LA_A, Y2425, "primary_support_reason"
    )
    # p1 is in both PHYSICAL and MENTAL_HEALTH; the categories need not add up to the total.
    assert by_reason == {"PHYSICAL": 1, "MENTAL_HEALTH": 1, "NONE": 1}
    assert count(table, "adults.individuals_with_s42_enquiries", LA_A, Y2425) == 2
    assert count(table, "adults.s42_enquiries", LA_A, Y2425) == 3


def test_people_are_counted_once_in_region_and_england_totals() -> None:
    # The same person with concerns in two councils counts once for their region.
    both = cases(
        [concern("x1", "same", LA_A, D(2024, 5, 1)), concern("x2", "same", LA_B, D(2024, 6, 1))]
    )
    run = adult_indicators(
        both, indicators=["adults.individuals_with_concerns"], region_of=REGIONS.get
    )
    assert count(run.table, "adults.individuals_with_concerns", LA_A, Y2425) == 1
    assert count(run.table, "adults.individuals_with_concerns", LA_B, Y2425) == 1
    assert count(run.table, "adults.individuals_with_concerns", REGION, Y2425) == 1
    assert count(run.table, "adults.individuals_with_concerns", ENGLAND, Y2425) == 1


def test_enquiries_count_in_the_year_they_started(table: pa.Table) -> None:
    assert count(table, "adults.s42_enquiries", LA_A, Y2324) == 1  # c7 started 31 March 2024
    assert count(table, "adults.other_enquiries", LA_B, Y2425) == 1
    assert count(table, "adults.other_enquiries", ENGLAND, Y2425) == 1


def test_conversion_rate(table: pa.Table) -> None:
    assert share(table, "adults.conversion_rate", LA_A, Y2425) == (3, 3, 100.0)
    assert share(table, "adults.conversion_rate", LA_A, Y2324) == (1, 2, 50.0)
    # England 2024-25: 3 S42 in A and 1 other in B, of 5 concerns.
    assert share(table, "adults.conversion_rate", ENGLAND, Y2425) == (4, 5, 80.0)


def test_concluded_enquiries_count_in_the_year_they_ended(table: pa.Table) -> None:
    assert count(table, "adults.concluded_s42", LA_A, Y2425) == 3  # c2, c4, c7
    assert count(table, "adults.concluded_s42", LA_A, Y2526) == 1  # c3 ended 1 April 2025


def test_concluded_enquiries_by_risk_and_capacity(table: pa.Table) -> None:
    def by(breakdown: str) -> dict:
        return categories(table, "adults.concluded_s42", LA_A, Y2425, breakdown)

    # c2 has PHYSICAL and NEGLECT (NEGLECT twice in the file, counted once); c7 has none.
    assert by("risk_type") == {"PHYSICAL": 1, "NEGLECT": 2, "NOT_RECORDED": 1}
    assert by("risk_location") == {"OWN_HOME": 1, "NOT_RECORDED": 2}
    assert by("risk_source") == {"KNOWN": 1, "NOT_RECORDED": 2}
    # RISK_NO_ACTION is seen only in 2025-26 (c3), so it shows 0 here.
    assert by("risk_assessment") == {
        "RISK_ACTION": 2,
        "INCONCLUSIVE_ACTION": 1,
        "RISK_NO_ACTION": 0,
    }
    assert by("risk_outcome") == {"REDUCED": 1, "REMAINED": 1, "REMOVED": 1}
    assert by("lacked_capacity") == {"YES": 2, "NO": 0, "NOT_RECORDED": 1}
    # Support only where the person lacked capacity (c2, c4).
    assert by("capacity_support") == {"ADVOCATE": 1, "NONE": 1}
    assert by("msp_asked") == {"ASKED_EXPRESSED": 2, "ASKED_NOT_EXPRESSED": 0, "NOT_ASKED": 1}
    # Outcomes only where the person expressed them (c2, c7).
    assert by("msp_outcome") == {"FULLY": 1, "PARTIALLY": 1}


def test_making_safeguarding_personal(table: pa.Table) -> None:
    numerator, denominator, value = share(table, "adults.msp_asked_pct", LA_A, Y2425)
    assert (numerator, denominator) == (2, 3)
    assert value == pytest.approx(200 / 3)
    assert share(table, "adults.msp_outcomes_achieved_pct", LA_A, Y2425) == (2, 2, 100.0)
    assert share(table, "adults.msp_fully_achieved_pct", LA_A, Y2425) == (1, 2, 50.0)
    # 2025-26: c3 was asked but expressed nothing, so it is in msp_asked only.
    assert share(table, "adults.msp_asked_pct", LA_A, Y2526) == (1, 1, 100.0)


def test_risk_reduced_and_capacity_supported(table: pa.Table) -> None:
    # Only RISK_ACTION enquiries: c2 (reduced) and c4 (remained); c7 was inconclusive.
    assert share(table, "adults.risk_reduced_or_removed_pct", LA_A, Y2425) == (1, 2, 50.0)
    assert share(table, "adults.lacked_capacity_supported_pct", LA_A, Y2425) == (1, 2, 50.0)


def test_percentages_carry_wilson_intervals(table: pa.Table) -> None:
    found = row(table, "adults.msp_asked_pct", LA_A, Y2425)
    lower, upper = wilson_interval(2, 3)
    assert found["lower_ci"] == pytest.approx(100 * float(lower))
    assert found["upper_ci"] == pytest.approx(100 * float(upper))


def test_rates_per_100000_adults(table: pa.Table) -> None:
    a = row(table, "adults.concerns_rate_per_100k", LA_A, Y2425)
    assert (a["numerator"], a["denominator"], a["value"]) == (3, 10_000, 30.0)
    expected = rate_interval(3, 10_000)
    assert (a["lower_ci"], a["upper_ci"]) == pytest.approx((expected[1][()], expected[2][()]))
    region = row(table, "adults.concerns_rate_per_100k", REGION, Y2425)
    assert (region["numerator"], region["denominator"]) == (4, 15_000)
    england = row(table, "adults.s42_rate_per_100k", ENGLAND, Y2425)
    assert (england["numerator"], england["denominator"]) == (3, 17_000)
    by_band = row(table, "adults.concerns_rate_per_100k", LA_A, Y2425, "age_band", "65-74")
    assert (by_band["numerator"], by_band["denominator"], by_band["value"]) == (2, 1000, 200.0)


def test_missing_population_leaves_the_rate_empty_and_says_so() -> None:
    run = adult_indicators(WORKED, WORKED_POPULATION, region_of=REGIONS.get)
    # No population for 2023-24 at all, nor for ages 75+ in Wales.
    empty = row(run.table, "adults.concerns_rate_per_100k", LA_A, Y2324)
    assert empty["numerator"] == 2 and empty["denominator"] is None and empty["value"] is None
    band = row(run.table, "adults.concerns_rate_per_100k", ENGLAND, Y2425, "age_band", "75-84")
    assert band["denominator"] is None and band["value"] is None
    assert any(f"{LA_A} {Y2324}" in warning for warning in run.warnings)
    # The population file has no sex or ethnicity detail, so there are no such rates.
    breakdowns = {
        r["breakdown"] for r in run.table.to_pylist() if r["indicator"].endswith("_rate_per_100k")
    }
    assert breakdowns == {"total", "age_band"}
    assert any("no sex detail" in warning for warning in run.warnings)


def test_without_population_the_rates_are_left_out() -> None:
    run = adult_indicators(WORKED, region_of=REGIONS.get)
    assert not any(i.endswith("_per_100k") for i in run.table["indicator"].to_pylist())
    assert any("No population file" in warning for warning in run.warnings)


def test_the_table_is_in_a_fixed_order(table: pa.Table) -> None:
    again = adult_indicators(WORKED, WORKED_POPULATION, region_of=REGIONS.get).table
    assert again.equals(table)
    levels = [
        r["geography_level"] for r in table.to_pylist() if r["indicator"] == "adults.concerns"
    ]
    assert levels == sorted(levels, key=["england", "region", "la"].index)


def test_no_value_is_nan(table: pa.Table) -> None:
    for name in ("value", "lower_ci", "upper_ci"):
        assert not any(v is not None and math.isnan(v) for v in table[name].to_pylist())


def test_an_empty_case_table_gives_an_empty_tidy_table() -> None:
    run = adult_indicators(cases([]), region_of=REGIONS.get)
    assert run.table.num_rows == 0
    assert run.table.column_names[:3] == ["indicator", "geography_level", "geography_code"]


def _only(table: pa.Table, breakdowns: set[str]) -> pa.Table:
    return table.filter(pa.array([b in breakdowns for b in table["breakdown"].to_pylist()]))


def test_chosen_breakdowns_give_the_same_rows_as_the_full_table(table: pa.Table) -> None:
    for chosen in (["total"], ["total", "sex"], ["risk_type", "age_band"]):
        run = adult_indicators(WORKED, WORKED_POPULATION, region_of=REGIONS.get, breakdowns=chosen)
        assert run.table.equals(_only(table, set(chosen))), chosen
        # The population file has no sex detail: said only when rates by sex are asked for.
        assert any("no sex detail" in w for w in run.warnings) == ("sex" in chosen), chosen
    # Without the total, an indicator that has none of the chosen breakdowns is left out.
    by_type = adult_indicators(WORKED, region_of=REGIONS.get, breakdowns=["risk_type"]).table
    assert set(by_type["indicator"].to_pylist()) == {"adults.concluded_s42"}
    assert set(by_type["breakdown"].to_pylist()) == {"risk_type"}


def test_an_unknown_breakdown_is_refused_naming_the_choices() -> None:
    with pytest.raises(ValueError, match=r"'gender'.*the breakdowns are total, age_band"):
        adult_indicators(WORKED, region_of=REGIONS.get, breakdowns=["total", "gender"])
