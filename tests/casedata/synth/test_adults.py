"""The synthetic adult case generator: repeatable, valid, realistic in shape, messy on request."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.adults.schema import COLUMNS, Kind, codes_of
from safeguarding.casedata.adults.writer import case_file_table, write_adult_cases
from safeguarding.casedata.report import InputFileInvalid
from safeguarding.casedata.synth.adults import (
    MESSY_KINDS,
    choose_councils,
    make_messy,
    parse_years,
    synth_adult_tables,
)
from safeguarding.catalogue.geography import known_ons_codes

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
