"""Every children's indicator on hand-built tables whose answers are worked out by hand."""

from __future__ import annotations

import pyarrow as pa
import pytest

from safeguarding.indicators.children import DEFINITIONS, children_catalogue
from safeguarding.indicators.children_run import children_indicators
from tests.indicators.children.cases import CAMDEN, LONDON, hand_built

COUNTS_AND_SHARES = [
    spec.id for spec in children_catalogue().indicators if spec.unit in ("count", "percent")
]


@pytest.fixture(scope="module")
def table() -> pa.Table:
    return children_indicators(hand_built(), indicators=COUNTS_AND_SHARES).table


def _row(
    table: pa.Table,
    indicator: str,
    period: str,
    *,
    code: str = CAMDEN,
    breakdown: str = "total",
    category: str = "total",
) -> dict:
    rows = [
        r
        for r in table.to_pylist()
        if r["indicator"] == indicator
        and r["geography_code"] == code
        and r["period"] == period
        and r["breakdown"] == breakdown
        and r["category"] == category
    ]
    assert len(rows) == 1, (indicator, period, code, breakdown, category, rows)
    return rows[0]


def test_every_catalogue_id_has_an_expression_and_every_expression_an_id() -> None:
    assert {spec.id for spec in children_catalogue().indicators} == set(DEFINITIONS)


def test_referrals_count_once_in_the_year_of_their_date(table: pa.Table) -> None:
    assert _row(table, "children.referrals", "2024-25")["value"] == 3
    # c4's referral of 31 March 2024 is in both files, and counted once, in 2023-24.
    assert _row(table, "children.referrals", "2023-24")["value"] == 3
    assert _row(table, "children.referrals", "2024-25", code=LONDON)["value"] == 4
    assert _row(table, "children.referrals", "2024-25", code="E92000001")["value"] == 4


def test_a_re_referral_is_on_or_after_the_same_date_a_year_earlier(table: pa.Table) -> None:
    row = _row(table, "children.rereferrals_12m_pct", "2024-25")
    # c1 (1 April 2024, previous 1 April 2023) is one; c2 (2 April 2024, same previous) is not.
    assert (row["numerator"], row["denominator"]) == (1, 3)
    assert _row(table, "children.rereferrals_12m_pct", "2023-24")["numerator"] == 0


def test_referrals_with_no_further_action(table: pa.Table) -> None:
    row = _row(table, "children.referrals_nfa_pct", "2024-25")
    assert (row["numerator"], row["denominator"]) == (1, 3)
    assert row["value"] == pytest.approx(100 / 3)


def test_assessments_within_45_working_days_over_christmas(table: pa.Table) -> None:
    assert _row(table, "children.assessments_completed", "2024-25")["value"] == 2
    row = _row(table, "children.assessments_within_45wd_pct", "2024-25")
    assert (row["numerator"], row["denominator"]) == (1, 2)


def test_conferences_within_15_working_days_over_easter(table: pa.Table) -> None:
    row = _row(table, "children.icpc_within_15wd_pct", "2024-25")
    assert (row["numerator"], row["denominator"]) == (1, 2)
    assert _row(table, "children.s47_enquiries", "2024-25")["value"] == 1
    assert _row(table, "children.s47_enquiries", "2023-24")["value"] == 2


def test_plans_started_by_initial_category(table: pa.Table) -> None:
    assert _row(table, "children.cp_plans_started", "2024-25")["value"] == 2
    by = {"breakdown": "category_of_abuse"}
    assert _row(table, "children.cp_plans_started", "2024-25", category="NEG", **by)["value"] == 1
    assert _row(table, "children.cp_plans_started", "2024-25", category="PHY", **by)["value"] == 1
    categories = {
        r["category"]
        for r in table.to_pylist()
        if r["indicator"] == "children.cp_plans_started" and r["breakdown"] == "category_of_abuse"
    }
    assert categories == {"NEG", "PHY"}


def test_plans_open_on_31_march(table: pa.Table) -> None:
    # c1's new plan and c4's old one; c2's ended on 31 March itself.
    assert _row(table, "children.cp_plans_at_31_march", "2025-03-31")["value"] == 2
    assert _row(table, "children.cp_plans_at_31_march", "2024-03-31")["value"] == 2


def test_second_plans_are_found_from_the_count_or_an_earlier_file(table: pa.Table) -> None:
    row = _row(table, "children.cp_plans_subsequent_pct", "2024-25")
    assert (row["numerator"], row["denominator"]) == (2, 2)


def test_plans_lasting_two_years_or_more(table: pa.Table) -> None:
    # Ended in 2024-25: c2's (11 months) and c3's (a day short of two years).
    row = _row(table, "children.cp_plans_ended_2y_plus_pct", "2024-25")
    assert (row["numerator"], row["denominator"]) == (0, 2)
    # c1's first plan ended on its second anniversary.
    row = _row(table, "children.cp_plans_ended_2y_plus_pct", "2023-24")
    assert (row["numerator"], row["denominator"]) == (1, 1)


def test_children_looked_after(table: pa.Table) -> None:
    # k1 and k4 (once, though two periods); k2 is on short breaks, k3 left on 31 March.
    assert _row(table, "children.cla_started", "2024-25")["value"] == 2
    assert _row(table, "children.cla_at_31_march", "2025-03-31")["value"] == 2


def test_rates_need_a_population_and_say_so() -> None:
    run = children_indicators(hand_built(), indicators=["children.referrals_rate_per_10k"])
    assert run.table.num_rows == 0
    assert any("No population file" in warning for warning in run.warnings)


def test_rates_per_10000_children() -> None:
    population = pa.table(
        {
            "geography_code": [CAMDEN, CAMDEN, "201"],
            "period": ["2024-25", "2024-25", "2024-25"],
            "age_band": ["0-17", "0-17", "0-17"],
            "sex": ["all", "all", "all"],
            "ethnicity": ["WBRI", "BAFR", "WBRI"],
            "population": [1000, 500, 1500],
        }
    )
    run = children_indicators(
        hand_built(),
        population,
        indicators=["children.referrals_rate_per_10k", "children.cla_at_31_march_rate_per_10k"],
    )
    table = run.table
    row = _row(table, "children.referrals_rate_per_10k", "2024-25")
    assert (row["numerator"], row["denominator"]) == (3, 1500)
    assert row["value"] == pytest.approx(20.0)
    # A count on 31 March 2025 is per child of the year ending that day.
    row = _row(table, "children.cla_at_31_march_rate_per_10k", "2025-03-31")
    assert (row["numerator"], row["denominator"]) == (2, 1500)
    assert (
        _row(table, "children.referrals_rate_per_10k", "2024-25", code=LONDON)["denominator"]
        == 3000
    )
    # No population for 2023-24: the rate is empty, and the user is told.
    assert _row(table, "children.referrals_rate_per_10k", "2023-24")["value"] is None
    assert any("No population for 202 2023-24" in warning for warning in run.warnings)
