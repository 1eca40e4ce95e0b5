"""Reading the SAC open-data CSV through the mapping, on small invented files."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from safeguarding.catalogue import code_list
from safeguarding.published import sac
from safeguarding.published.sac import SacFileError, period_from_name, read_sac_csv

HEADER = sac.COLUMNS
ENGLAND = ("England", "", "", "", "E92000001", "", "England")
NORTH_EAST = ("Region", "", "E12000001", "North East", "E12000001", "", "North East")
HARTLEPOOL = (
    "Council",
    "Unitary authority",
    "E12000001",
    "North East",
    "E06000001",
    "805",
    "Hartlepool",
)
MSP = ("SG3a", "Section 42", "Asked about desired outcomes")
OUTCOMES = ("SG3b", "Section 42", "Outcomes achieved")


def sac_csv(rows: list[tuple[str, ...]], header: tuple[str, ...] = HEADER) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def invented_file() -> bytes:
    """England, one region and one council; every figure is made up."""
    return sac_csv(
        [
            (*ENGLAND, "SG1d", "Concerns", "Total", "Total", "641,020"),
            (*ENGLAND, "SG1d", "Section 42", "Total", "Total", "185,015"),
            (*ENGLAND, "SG1d", "Other Enquiries", "Total", "Total", "40,005"),
            (*NORTH_EAST, "SG1d", "Concerns", "Total", "Total", "40,110"),
            (*HARTLEPOOL, "SG1d", "Concerns", "Total", "Total", "1210"),
            (*HARTLEPOOL, "SG1d", "Section 42", "Total", "Total", "[c]"),
            (*HARTLEPOOL, "SG1d", "Other Enquiries", "Total", "Total", "35"),
            (*HARTLEPOOL, "SG1d", "Concerns", "Age band", "18-64", "610"),
            (*HARTLEPOOL, "SG1d", "Concerns", "Age band", "95 and over", "20"),
            (*HARTLEPOOL, "SG1d", "Concerns", "Age band", "Total", "1210"),
            (
                *HARTLEPOOL,
                "SG2a",
                "Section 42",
                "Type of Risk",
                "Neglect and Acts of Omission",
                "95",
            ),
            (*HARTLEPOOL, "SG2a", "Section 42", "Type of Risk", "Self \u2013 Neglect", "40"),
            (*HARTLEPOOL, "SG2a", "Section 42", "Type of Risk", "Modern Slavery", "[x]"),
            (*HARTLEPOOL, "SG2b", "Section 42", "Location of Risk", "Own Home", "150"),
            (*HARTLEPOOL, "SG2c", "Section 42", "Source of Risk", "Service Provider", "60"),
            (*HARTLEPOOL, *MSP, "Yes, they were asked and outcomes were expressed", "200"),
            (*HARTLEPOOL, *MSP, "Yes, they were asked but no outcomes were expressed", "40"),
            (*HARTLEPOOL, *MSP, "No, they were not asked", "45"),
            (*HARTLEPOOL, *MSP, "Don't know", "10"),
            (*HARTLEPOOL, *MSP, "Not recorded", "5"),
            (*HARTLEPOOL, *OUTCOMES, "Fully achieved", "120"),
            (*HARTLEPOOL, *OUTCOMES, "Partially achieved", "60"),
            (*HARTLEPOOL, *OUTCOMES, "Not achieved", "[c]"),
            (*HARTLEPOOL, "SG1b", "Section 42", "Gender", "Female", "300"),
            (*HARTLEPOOL, "SG9", "Section 42", "Something new", "Anything", "15"),
            (*HARTLEPOOL, "SG2a", "Section 42", "Type of Risk", "Cyber abuse", "5"),
            (
                "Ward",
                "",
                "",
                "",
                "E05000001",
                "",
                "Somewhere",
                "SG1d",
                "Concerns",
                "Total",
                "Total",
                "5",
            ),
        ]
    )


def figures(reading: sac.SacReading) -> dict[tuple[str, ...], dict]:
    return {
        (r["indicator"], r["geography_code"], r["breakdown"], r["category"]): r
        for r in reading.table.to_pylist()
    }


def test_the_invented_file_maps_to_the_platforms_indicators() -> None:
    reading = read_sac_csv(invented_file(), name="sac-2024-25.csv")
    assert reading.period == "2024-25"
    got = figures(reading)
    england = got[("adults.concerns", "E92000001", "total", "total")]
    assert (england["geography_level"], england["value"], england["unit"]) == (
        "england",
        641020.0,
        "count",
    )
    assert got[("adults.concerns", "E12000001", "total", "total")]["geography_level"] == "region"
    assert got[("adults.concerns", "E06000001", "total", "total")]["value"] == 1210.0
    assert got[("adults.concerns", "E06000001", "age_band", "95+")]["value"] == 20.0
    assert got[("adults.concluded_s42", "E06000001", "risk_type", "NEGLECT")]["value"] == 95.0
    assert got[("adults.concluded_s42", "E06000001", "risk_type", "SELF_NEGLECT")]["value"] == 40
    assert got[("adults.concluded_s42", "E06000001", "risk_location", "OWN_HOME")]["value"] == 150
    assert got[("adults.concluded_s42", "E06000001", "risk_source", "SERVICE_PROVIDER")]
    assert {r["period"] for r in reading.table.to_pylist()} == {"2024-25"}


def test_suppressed_figures_are_flagged_and_not_available_ones_counted() -> None:
    reading = read_sac_csv(invented_file(), name="sac-2024-25.csv")
    got = figures(reading)
    s42 = got[("adults.s42_enquiries", "E06000001", "total", "total")]
    assert (s42["value"], s42["suppressed"]) == (None, True)
    assert ("adults.concluded_s42", "E06000001", "risk_type", "MODERN_SLAVERY") not in got
    assert reading.not_available == 1
    assert reading.suppressed == 2


def test_rows_the_mapping_does_not_know_are_counted_and_named() -> None:
    reading = read_sac_csv(invented_file(), name="sac-2024-25.csv")
    assert reading.unmapped == {
        ("SG9", "Section 42", "Something new", "Anything"): 1,
        ("SG2a", "Section 42", "Type of Risk", "Cyber abuse"): 1,
    }
    assert reading.unknown_geographies == {"Ward": 1}
    assert reading.unmapped_count == 3
    # The age band table's own total and the gender table are known and left out on purpose.
    assert reading.ignored == 2
    accounted = (
        reading.rows_mapped + reading.not_available + reading.ignored + reading.unmapped_count
    )
    assert accounted == reading.rows_read == 27
    summary = "\n".join(reading.summary())
    assert "SG9 / Section 42 / Something new / Anything" in summary and "'Ward'" in summary


def test_percentages_are_worked_out_from_the_published_counts() -> None:
    got = figures(read_sac_csv(invented_file(), name="sac-2024-25.csv"))
    asked = got[("adults.msp_asked_pct", "E06000001", "total", "total")]
    assert (asked["numerator"], asked["denominator"], asked["unit"]) == (240, 300, "percent")
    assert asked["value"] == pytest.approx(80.0)
    conversion = got[("adults.conversion_rate", "E92000001", "total", "total")]
    assert conversion["value"] == pytest.approx(100 * (185015 + 40005) / 641020)
    # A percentage made from a suppressed count is itself suppressed.
    local_conversion = got[("adults.conversion_rate", "E06000001", "total", "total")]
    assert (local_conversion["value"], local_conversion["suppressed"]) == (None, True)
    achieved = got[("adults.msp_outcomes_achieved_pct", "E06000001", "total", "total")]
    assert (achieved["value"], achieved["suppressed"]) == (None, True)
    # The region has no enquiry counts, so no conversion rate rather than a wrong one.
    assert ("adults.conversion_rate", "E12000001", "total", "total") not in got


def test_the_year_comes_from_the_option_a_column_or_the_name(tmp_path: Path) -> None:
    rows = [(*ENGLAND, "SG1d", "Concerns", "Total", "Total", "600000")]
    assert read_sac_csv(sac_csv(rows), name="sac.csv", period="2023-24").period == "2023-24"
    with_year = sac_csv([(*r, "2022-23") for r in rows], (*HEADER, "YEAR"))
    assert read_sac_csv(with_year, name="sac.csv").period == "2022-23"
    path = tmp_path / "SAC_Open_Data_2021_22.csv"
    path.write_bytes(sac_csv(rows))
    assert read_sac_csv(path).period == "2021-22"
    with pytest.raises(SacFileError, match="--period"):
        read_sac_csv(sac_csv(rows), name="sac.csv")
    with pytest.raises(SacFileError, match="not a financial year"):
        read_sac_csv(sac_csv(rows), name="sac.csv", period="2024")


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("SAC_2024-25.csv", "2024-25"),
        ("sac_2024_25_open_data.csv", "2024-25"),
        ("safeguarding-adults-2023-2024.csv", "2023-24"),
        ("sac-202425.csv", "2024-25"),
        ("sac-2024-26.csv", None),
        ("sac.csv", None),
    ],
)
def test_period_from_name(name: str, year: str | None) -> None:
    assert period_from_name(name) == year


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"\x00\x00binary", "binary"),
        (b"a,b,c\n1,2,3\n", "not the SAC open-data CSV"),
        (";".join(HEADER).encode() + b"\n", "not separated by commas"),
    ],
)
def test_a_file_that_is_not_the_sac_csv_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(SacFileError, match=message):
        read_sac_csv(data, name="sac-2024-25.csv")


def test_unreadable_figures_are_reported_with_their_rows() -> None:
    data = sac_csv(
        [
            (*ENGLAND, "SG1d", "Concerns", "Total", "Total", "600000"),
            (*HARTLEPOOL, "SG1d", "Concerns", "Total", "Total", "about 1200"),
            (*HARTLEPOOL, "SG1d", "Section 42", "Total", "Total", "-5"),
            (*HARTLEPOOL, "SG1d", "Other Enquiries", "Total", "Total", "1.5"),
            ("Council", "", "", "", "", "", "Nowhere", "SG1d", "Concerns", "Total", "Total", "5"),
        ]
    )
    with pytest.raises(SacFileError) as caught:
        read_sac_csv(data, name="sac-2024-25.csv")
    assert [(p.row, p.column) for p in caught.value.problems] == [
        (3, "VALUE"),
        (4, "VALUE"),
        (5, "VALUE"),
        (6, "ONS_CODE"),
    ]
    assert "4 rows cannot be read" in str(caught.value)


def test_a_repeated_row_is_an_error_and_a_council_may_be_found_by_its_la_code() -> None:
    by_la_code = ("Council", "", "", "", "", "805", "Hartlepool")
    data = sac_csv(
        [
            (*by_la_code, "SG1d", "Concerns", "Total", "Total", "1210"),
            (*HARTLEPOOL, "SG1d", "Concerns", "Total", "Total", "1210"),
        ]
    )
    with pytest.raises(SacFileError) as caught:
        read_sac_csv(data, name="sac-2024-25.csv")
    assert caught.value.problems[0].row == 3
    assert "repeats the figure of row 2" in caught.value.problems[0].message
    single = read_sac_csv(
        sac_csv([(*by_la_code, "SG1d", "Concerns", "Total", "Total", "9")]), name="sac-2024-25.csv"
    )
    assert single.table.column("geography_code").to_pylist() == ["E06000001"]


def test_a_file_with_nothing_the_platform_uses_is_refused() -> None:
    data = sac_csv([(*ENGLAND, "SG9", "Concerns", "Total", "Total", "5")])
    with pytest.raises(SacFileError, match="no figures the platform can load"):
        read_sac_csv(data, name="sac-2024-25.csv")


def test_the_mapping_names_only_known_indicators_breakdowns_and_codes() -> None:
    from safeguarding.indicators.catalogue import catalogue

    specs = {spec.id: spec for spec in catalogue().indicators}
    rules = sac.mapping()
    for rule in rules.figures:
        assert rule.indicator in specs, rule.indicator
        assert rule.breakdown in specs[rule.indicator].breakdowns, (rule.indicator, rule.breakdown)
    for derived in rules.derived:
        assert specs[derived.indicator].unit == "percent"
    # Every code a rule can give is a code of the case file's code lists.
    for rule in rules.figures:
        if rule.categories:
            codes = {c.code for c in code_list(f"sac_{rule.breakdown}").codes}
            assert set(rule.categories.values()) <= codes, rule.breakdown
    headline = {rule.indicator for rule in rules.figures} | {d.indicator for d in rules.derived}
    assert {
        "adults.concerns",
        "adults.s42_enquiries",
        "adults.other_enquiries",
        "adults.concluded_s42",
        "adults.msp_asked_pct",
        "adults.msp_outcomes_achieved_pct",
    } <= headline
    breakdowns = {r.breakdown for r in rules.figures if r.indicator == "adults.concluded_s42"}
    assert {"risk_type", "risk_location", "risk_source", "msp_asked", "msp_outcome"} <= breakdowns
