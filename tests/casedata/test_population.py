"""Reading and checking population files."""

from __future__ import annotations

from pathlib import Path

import pytest

from safeguarding.casedata.population import POPULATION_SCHEMA, read_population
from safeguarding.casedata.report import InputFileError, InputFileInvalid
from safeguarding.casedata.synth.adults import choose_councils, synth_population
from safeguarding.casedata.writers import write_table

HEADER = "geography_code,period,age_band,sex,ethnicity,population\n"


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "population.csv"
    path.write_text(HEADER + body)
    return path


def test_valid_file(tmp_path: Path) -> None:
    path = write(
        tmp_path, "E09000007,2024-25,18-64,F,WHITE,1000\nE09000007,2024-25,95+,ALL,all,12\n"
    )
    table, report = read_population(path)
    assert table.schema == POPULATION_SCHEMA
    assert table.column("population").to_pylist() == [1000, 12]
    assert table.column("sex").to_pylist() == ["F", "all"]
    assert report.ok


def test_each_problem(tmp_path: Path) -> None:
    body = (
        "E09000007,2024-25,18-64,F,WHITE,-5\n"  # row 2: negative
        "E09000007,2024-25,18-64,M,WHITE,12.5\n"  # row 3: not whole
        "E09000007,2024-25,16-64,M,ASIAN,10\n"  # row 4: unknown band
        "E09000007,2024-25,18-64,F,WHITE,7\n"  # row 5: duplicate of row 2
        "E09000007,2024-26,18-64,X,BLACK,\n"  # row 6: bad period, sex, empty population
    )
    with pytest.raises(InputFileInvalid) as raised:
        read_population(write(tmp_path, body))
    report = raised.value.report
    found = {(p.row, p.column, p.kind) for p in report.problems}
    assert found == {
        (2, "population", "out_of_range"),
        (3, "population", "wrong_type"),
        (4, "age_band", "unknown_code"),
        (5, "population", "duplicate_id"),
        (6, "period", "wrong_type"),
        (6, "sex", "unknown_code"),
        (6, "population", "missing_value"),
    }
    assert "Row 2, column population: -5 is negative" in report.summary()


def test_missing_columns(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text("geography_code,period,population\nE09000007,2024-25,10\n")
    with pytest.raises(InputFileError, match="missing the columns age_band, sex, ethnicity"):
        read_population(path)


def test_generated_population_reads_back(tmp_path: Path) -> None:
    chosen = choose_councils(3, 1)
    table, per_year, _ = synth_population(chosen, ["2023-24", "2024-25"], seed=1)
    path = tmp_path / "population.csv"
    write_table(table, path)
    read, report = read_population(path)
    assert report.ok and read.equals(table)
    assert per_year.shape == (3, 2) and (per_year[:, 1] > per_year[:, 0]).all()
    assert min(table.column("population").to_pylist()) >= 0
