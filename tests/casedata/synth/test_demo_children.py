"""Children's indicators for invented councils in one call: placed in their regions, recoded."""

from __future__ import annotations

import math
from pathlib import Path

import pyarrow as pa
import pytest

from safeguarding.casedata.synth.children import (
    InventedChildrenCouncil,
    children_region_lookup,
    synth_children,
)
from safeguarding.casedata.synth.demo_children import (
    children_indicator_table,
    read_generated,
    with_ons_codes,
)
from safeguarding.indicators.children_run import children_indicators
from safeguarding.indicators.tidy import TIDY_SCHEMA

LARKHAVEN = InventedChildrenCouncil("E06000097", "Larkhaven", 8_000, "197", "E12000009")
RIVERSMEET = InventedChildrenCouncil("E06000098", "Riversmeet", 5_000, "198", "E12000007")
YEARS = ["2024-25", "2025-26"]


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> pa.Table:
    workdir = tmp_path_factory.mktemp("demo")
    return children_indicator_table(
        [LARKHAVEN, RIVERSMEET], YEARS, 3, workdir=workdir, over_represent=["BLACK:s47:1.5"]
    )


def value(rows: list[dict], indicator: str, level: str, code: str, period: str) -> float:
    (found,) = [
        r["value"]
        for r in rows
        if (r["indicator"], r["geography_level"], r["geography_code"], r["period"])
        == (indicator, level, code, period)
        and r["breakdown"] == "total"
    ]
    return found


def test_council_rows_carry_the_invented_ons_codes(table: pa.Table) -> None:
    assert table.schema == TIDY_SCHEMA
    places = set(
        zip(table["geography_level"].to_pylist(), table["geography_code"].to_pylist(), strict=True)
    )
    assert places == {
        ("la", "E06000097"),
        ("la", "E06000098"),
        ("region", "E12000009"),
        ("region", "E12000007"),
        ("england", "E92000001"),
    }
    # Figures for the year, and snapshots on the 31 March that ends it.
    assert set(table["period"].to_pylist()) == {*YEARS, "2025-03-31", "2026-03-31"}


def test_each_invented_council_is_counted_in_its_own_region(table: pa.Table) -> None:
    rows = table.to_pylist()
    for period in YEARS:
        lark = value(rows, "children.referrals", "la", "E06000097", period)
        river = value(rows, "children.referrals", "la", "E06000098", period)
        assert lark > 0 and river > 0
        assert value(rows, "children.referrals", "region", "E12000009", period) == lark
        assert value(rows, "children.referrals", "region", "E12000007", period) == river
        assert value(rows, "children.referrals", "england", "E92000001", period) == lark + river


def test_relative_rate_indices_have_intervals(table: pa.Table) -> None:
    rri = [
        r
        for r in table.to_pylist()
        if r["indicator"].startswith("children.rri.") and r["geography_code"] == "E06000097"
    ]
    stages = {r["indicator"].removeprefix("children.rri.") for r in rri}
    assert stages == {"referral", "assessment", "s47", "cp_plan", "cla"}
    assert {"ethnicity", "ethnic_group"} <= {r["breakdown"] for r in rri}
    for breakdown in ("ethnicity", "ethnic_group"):
        shown = [
            r
            for r in rri
            if r["breakdown"] == breakdown
            and r["indicator"] == "children.rri.referral"
            and r["lower_ci"] is not None
            and not math.isnan(r["lower_ci"])
        ]
        assert shown, breakdown
        for r in shown:
            assert r["lower_ci"] <= r["value"] <= r["upper_ci"], r
    # White British children are the reference group: parity, whatever their numbers.
    reference = [r for r in rri if r["category"] == "WBRI" and r["numerator"]]
    assert reference and all(r["value"] == 1.0 for r in reference)


def test_the_same_arguments_give_the_same_table_with_nothing_left_out(
    table: pa.Table, tmp_path: Path
) -> None:
    # The steps the module docstring describes, one by one, give the same table again.
    result = synth_children(
        0, YEARS, 3, tmp_path, invented=[LARKHAVEN, RIVERSMEET], over_represent=["BLACK:s47:1.5"]
    )
    tables, population = read_generated(result)
    assert tables.councils() == ["197", "198"]
    run = children_indicators(
        tables, population, region_of=children_region_lookup([LARKHAVEN, RIVERSMEET])
    )
    assert run.warnings == []
    assert with_ons_codes(run.table, [LARKHAVEN, RIVERSMEET]).equals(table)
    assert not run.table.equals(table)  # before recoding, council rows had DfE LA numbers


def test_with_ons_codes_recodes_council_rows_only() -> None:
    rows = [
        ("la", "197"),  # invented
        ("la", "805"),  # Hartlepool, from the lookup
        ("la", "199"),  # unknown: kept as it is
        ("region", "E12000009"),
        ("england", "E92000001"),
    ]
    table = pa.table(
        {
            "indicator": ["children.referrals"] * len(rows),
            "geography_level": [level for level, _ in rows],
            "geography_code": [code for _, code in rows],
            "value": [1.0] * len(rows),
        }
    )
    recoded = with_ons_codes(table, [LARKHAVEN])
    assert recoded["geography_code"].to_pylist() == [
        "E06000097",
        "E06000001",
        "199",
        "E12000009",
        "E92000001",
    ]
    assert recoded.column_names == table.column_names


@pytest.mark.parametrize(
    ("invented", "message"),
    [
        ([], "at least one invented council"),
        ([InventedChildrenCouncil("E06000099", "Clash", 900, "805")], "of Hartlepool"),
        ([InventedChildrenCouncil("E06000001", "Copy", 900, "150")], "real council"),
    ],
)
def test_refused_councils_are_named_plainly(
    invented: list[InventedChildrenCouncil], message: str, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match=message):
        children_indicator_table(invented, YEARS, 1, workdir=tmp_path)
