"""The synthetic adult case generator: repeatable, valid, realistic in shape, messy on request."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.adults.schema import COLUMNS, Kind, codes_of
from safeguarding.casedata.adults.writer import case_file_table, write_adult_cases
from safeguarding.casedata.report import InputFileInvalid
from safeguarding.casedata.synth.adults import (
    MESSY_KINDS,
    InventedCouncil,
    choose_councils,
    make_messy,
    parse_years,
    region_lookup,
    synth_adult_tables,
)
from safeguarding.catalogue.geography import known_ons_codes
from safeguarding.indicators.run import adult_indicators

YEARS = ["2022-23", "2023-24", "2024-25"]


@pytest.fixture(scope="module")
def generated():
    return synth_adult_tables(6, YEARS, seed=7, scale=0.05)


def test_same_seed_same_tables_other_seed_other_tables(generated) -> None:
    cases, population = generated
    again, population_again = synth_adult_tables(6, YEARS, seed=7, scale=0.05)
    assert cases.concerns.equals(again.concerns)
    assert cases.risk_types.equals(again.risk_types)
    assert population.equals(population_again)
    other, _ = synth_adult_tables(6, YEARS, seed=8, scale=0.05)
    assert not other.concerns.equals(cases.concerns)


def _digest(*tables: pa.Table) -> str:
    """SHA-256 of the tables' column names and values, independent of Arrow's file formats."""
    digest = hashlib.sha256()
    for table in tables:
        digest.update(json.dumps(table.schema.names).encode())
        digest.update(json.dumps(table.to_pydict(), default=str).encode())
    return digest.hexdigest()


# Taken before invented councils were added: adding features must not change what existing
# calls make, or published examples and saved demo files would silently change.
PINNED = {
    (6, ("2022-23", "2023-24", "2024-25"), 7, 0.05): (
        2526,
        "56ac9309bfa632cacfa501d9b656b135d891d462cfbe1237e7024d77a054b15b",
    ),
    (40, ("2024-25",), 3, 0.02): (
        3473,
        "2ef28ba1febf80d1377f942be7956e8bc20746d7b3d97fc7e9ad122689948dd2",
    ),
}


@pytest.mark.parametrize("arguments", list(PINNED), ids=["6-councils", "40-councils"])
def test_output_for_a_seed_is_pinned(arguments: tuple) -> None:
    las, years, seed, scale = arguments
    cases, population = synth_adult_tables(las, list(years), seed=seed, scale=scale)
    rows, expected = PINNED[arguments]
    assert cases.concerns.num_rows == rows
    assert _digest(cases.concerns, cases.risk_types, population) == expected


def test_generated_records_pass_validation_in_every_format(generated, tmp_path: Path) -> None:
    cases, _ = generated
    table = case_file_table(cases)
    for suffix in ("csv", "parquet", "xlsx"):
        path = tmp_path / f"cases.{suffix}"
        write_adult_cases(table, path)
        read = read_adult_cases(path)
        assert read.report.ok, read.report.summary()
        assert read.tables.concerns.equals(cases.concerns)
        assert read.tables.risk_types.equals(cases.risk_types)


def test_every_code_is_used(generated) -> None:
    cases, _ = generated
    for column in COLUMNS:
        if column.kind is Kind.CODE:
            used = set(cases.concerns.column(column.name).drop_null().to_pylist())
            assert used == set(codes_of(column.name)), column.name
    assert set(cases.risk_types.column("risk_type").to_pylist()) == set(codes_of("risk_types"))


def test_councils_and_people(generated) -> None:
    cases, population = generated
    councils = set(cases.concerns.column("la_code").to_pylist())
    assert len(councils) == 6 and councils <= known_ons_codes()
    assert set(population.column("geography_code").to_pylist()) == councils
    ids = cases.concerns.column("person_id").to_pylist()
    assert all(i.startswith("P") and i[1:].isdigit() for i in ids)
    # Some people have several concerns, and keep their sex and ethnic group across them.
    con = duckdb.connect()
    con.register("c", cases.concerns)
    repeats, changed = con.execute(
        "SELECT count(*) FILTER (WHERE n > 1), count(*) FILTER (WHERE sexes > 1 OR groups > 1) "
        "FROM (SELECT person_id, count(*) n, count(DISTINCT sex) sexes, "
        "count(DISTINCT ethnic_group) groups FROM c GROUP BY person_id)"
    ).fetchall()[0]
    assert repeats > 0 and changed == 0


def test_proportions_are_plausible() -> None:
    cases, population = synth_adult_tables(40, ["2024-25"], seed=3, scale=0.2)
    con = duckdb.connect()
    con.register("c", cases.concerns)
    con.register("p", population)
    s42, other, asked, achieved, reduced = con.execute(
        "SELECT avg((enquiry_type = 'S42')::INT), avg((enquiry_type = 'OTHER')::INT), "
        "avg((msp_asked IN ('ASKED_EXPRESSED', 'ASKED_NOT_EXPRESSED'))::INT) "
        "  FILTER (WHERE enquiry_type = 'S42' AND enquiry_end_date IS NOT NULL), "
        "avg((msp_outcome IN ('FULLY', 'PARTIALLY'))::INT) FILTER (WHERE msp_outcome IS NOT NULL), "
        "avg((risk_outcome IN ('REDUCED', 'REMOVED'))::INT) "
        "  FILTER (WHERE risk_assessment = 'RISK_ACTION' AND risk_outcome IS NOT NULL) FROM c"
    ).fetchall()[0]
    assert 0.22 < s42 < 0.36
    assert 0.05 < other < 0.12
    assert 0.75 < asked < 0.9
    assert 0.9 < achieved < 0.98
    assert 0.85 < reduced < 0.95
    rate = cases.concerns.num_rows / con.execute("SELECT sum(population) FROM p").fetchall()[0][0]
    # England: about 640,000 concerns among about 46 million adults; scale 0.2 here.
    assert 0.2 * 0.010 < rate < 0.2 * 0.020


def test_volumes_drift_from_year_to_year() -> None:
    cases, _ = synth_adult_tables(153, ["2022-23", "2024-25"], seed=1, scale=0.01)
    con = duckdb.connect()
    con.register("c", cases.concerns)
    early, late = (
        n
        for (n,) in con.execute(
            "SELECT count(*) FROM c GROUP BY concern_date >= DATE '2024-04-01' ORDER BY 1"
        ).fetchall()
    )
    assert late > early
    # England's 2024-25 is about 640,000 concerns: at scale 0.01, about 6,400.
    assert 5_000 < late < 8_000


def test_messy_records_are_caught_by_validation(generated, tmp_path: Path) -> None:
    cases, _ = generated
    table = make_messy(case_file_table(cases), seed=7)
    path = tmp_path / "messy.csv"
    write_adult_cases(table, path)
    with pytest.raises(InputFileInvalid) as raised:
        read_adult_cases(path)
    report = raised.value.report
    assert set(report.counts) == set(MESSY_KINDS)
    share = report.rows_with_problems / report.rows_read
    assert 0.02 < share < 0.06
    loaded = read_adult_cases(path, valid_rows_only=True)
    assert loaded.report.rows_left_out == report.rows_with_problems


def test_councils_years_and_bad_arguments() -> None:
    assert parse_years("2021-22:2024-25") == ["2021-22", "2022-23", "2023-24", "2024-25"]
    assert parse_years("2023-24") == ["2023-24"]
    with pytest.raises(ValueError, match="not a financial year"):
        parse_years("2024-26")
    with pytest.raises(ValueError, match="backwards"):
        parse_years("2024-25:2021-22")
    assert len(choose_councils(153, 1)) == 153
    assert choose_councils(5, 1) == choose_councils(5, 1)
    with pytest.raises(ValueError, match="between 1 and 153"):
        choose_councils(154, 1)
    with pytest.raises(ValueError, match="has not ended"):
        synth_adult_tables(2, ["2099-00"], seed=1)


SEASIDE = InventedCouncil("E06000097", "Seaside Borough", 200_000, region_code="E12000009")
INLAND = InventedCouncil("E06000098", "Inland Borough", 40_000)


def test_invented_councils_get_records_and_population() -> None:
    cases, population = synth_adult_tables(
        2, ["2023-24", "2024-25"], seed=11, scale=0.5, councils=[SEASIDE, INLAND]
    )
    la_codes = cases.concerns.column("la_code").to_pylist()
    real = set(la_codes) - {SEASIDE.ons_code, INLAND.ons_code}
    assert len(real) == 2 and real <= known_ons_codes()
    con = duckdb.connect()
    con.register("c", cases.concerns)
    con.register("p", population)
    adults = dict(
        con.execute(
            "SELECT geography_code, sum(population) FROM p WHERE period = '2024-25' GROUP BY 1"
        ).fetchall()
    )
    # The size given is the 2024-25 adult population, give or take rounding of the cells.
    assert abs(adults[SEASIDE.ons_code] - 200_000) < 200
    assert abs(adults[INLAND.ons_code] - 40_000) < 200
    concerns = dict(
        con.execute(
            "SELECT la_code, count(*) FROM c WHERE concern_date >= DATE '2024-04-01' GROUP BY 1"
        ).fetchall()
    )
    # About 14 concerns a year per 1,000 adults in England, at half scale here.
    for council in (SEASIDE, INLAND):
        rate = concerns[council.ons_code] / council.adults
        assert 0.5 * 0.005 < rate < 0.5 * 0.04, council.name
    again, _ = synth_adult_tables(
        2, ["2023-24", "2024-25"], seed=11, scale=0.5, councils=[SEASIDE, INLAND]
    )
    assert again.concerns.equals(cases.concerns)


def test_indicators_place_an_invented_council_in_its_given_region() -> None:
    cases, population = synth_adult_tables(
        1, ["2024-25"], seed=4, scale=0.1, councils=[SEASIDE, INLAND]
    )
    run = adult_indicators(
        cases,
        population,
        region_of=region_lookup([SEASIDE, INLAND]),
        indicators=["adults.concerns", "adults.concerns_rate_per_100k"],
    )
    assert run.warnings == []
    rows = [r for r in run.table.to_pylist() if r["breakdown"] == "total"]
    places = {(r["geography_level"], r["geography_code"]) for r in rows}
    assert {("la", SEASIDE.ons_code), ("la", INLAND.ons_code)} <= places
    assert ("region", "E12000009") in places
    counts = {
        (r["geography_level"], r["geography_code"]): r["value"]
        for r in rows
        if r["indicator"] == "adults.concerns"
    }
    real_code = next(
        c for level, c in counts if level == "la" and c not in ("E06000097", "E06000098")
    )
    real_region = region_lookup([])(real_code)
    # The seaside borough's region holds it (and the real council too if it is in the same
    # region); the inland borough, with no region, counts only towards England.
    seaside_region = counts[("region", "E12000009")]
    expected = counts[("la", SEASIDE.ons_code)] + (
        counts[("la", real_code)] if real_region == "E12000009" else 0
    )
    assert seaside_region == expected
    assert counts[("england", "E92000001")] == sum(
        value for (level, _), value in counts.items() if level == "la"
    )


@pytest.mark.parametrize(
    ("invented", "message"),
    [
        ([InventedCouncil("E06000001", "Copy", 1000)], "real council"),
        ([InventedCouncil("X123", "Odd", 1000)], "not an English ONS code"),
        ([SEASIDE, SEASIDE], "given twice"),
        ([InventedCouncil("E06000099", "Empty", 0)], "at least one adult"),
        ([InventedCouncil("E06000099", " ", 10)], "needs a name"),
        ([InventedCouncil("E06000099", "Nowhere", 10, "E12000010")], "not an English region"),
        ([], "at least one council"),
    ],
)
def test_invented_councils_are_checked(invented: list[InventedCouncil], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        synth_adult_tables(0, ["2024-25"], seed=1, councils=invented)
