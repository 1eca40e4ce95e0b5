"""Reading adult case files in each format, and refusing files that cannot be read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeguarding.casedata.adults import CONCERNS_SCHEMA, RISK_TYPES_SCHEMA
from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.adults.schema import COLUMN_NAMES
from safeguarding.casedata.report import InputFileError
from safeguarding.casedata.xlsx import write_xlsx
from tests.casedata.conftest import TODAY, concern, no_enquiry, write_csv


def test_csv_reads_into_the_normalised_tables(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [concern(1), no_enquiry(2)])
    read = read_adult_cases(path, today=TODAY)
    concerns = read.tables.concerns
    assert concerns.schema == CONCERNS_SCHEMA
    assert read.tables.risk_types.schema == RISK_TYPES_SCHEMA
    first, second = concerns.to_pylist()
    assert first["concern_date"] == dt.date(2024, 5, 2)
    assert first["age"] == 81
    assert first["msp_outcome"] == "FULLY"
    assert second["enquiry_type"] == "NONE"
    assert second["enquiry_start_date"] is None and second["risk_location"] is None
    assert read.tables.risk_types.to_pylist() == [
        {"concern_id": "C00001", "risk_type": "FINANCIAL"},
        {"concern_id": "C00001", "risk_type": "NEGLECT"},
    ]
    assert read.report.ok and read.report.rows_read == 2


def test_codes_are_trimmed_and_upper_cased_and_names_ignore_case(tmp_path: Path) -> None:
    row = concern(1, sex=" f ", risk_types="neglect ; Physical", msp_asked="asked_expressed")
    header = [name.upper() if i % 2 else name for i, name in enumerate(COLUMN_NAMES)]
    row = {header[i]: row[name] for i, name in enumerate(COLUMN_NAMES)}
    path = write_csv(tmp_path / "cases.csv", [row], header=header)
    read = read_adult_cases(path, today=TODAY)
    got = read.tables.concerns.to_pylist()[0]
    assert got["sex"] == "F" and got["msp_asked"] == "ASKED_EXPRESSED"
    assert read.tables.risk_types.column("risk_type").to_pylist() == ["PHYSICAL", "NEGLECT"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [concern(1)], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    read = read_adult_cases(path, today=TODAY)
    assert read.tables.concerns.column("concern_id").to_pylist() == ["C00001"]


def test_latin1_file_is_explained(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [concern(1, person_id="P-Zoé")], encoding="latin-1")
    with pytest.raises(InputFileError) as raised:
        read_adult_cases(path, today=TODAY)
    message = str(raised.value)
    assert "not UTF-8" in message and "line 2" in message and "0xE9" in message
    assert "CSV UTF-8" in message


def test_semicolon_delimited_file_is_explained(tmp_path: Path) -> None:
    path = tmp_path / "cases.csv"
    path.write_text(";".join(COLUMN_NAMES) + "\n" + ";".join(concern(1).values()) + "\n")
    with pytest.raises(InputFileError, match="separates its columns with semicolons"):
        read_adult_cases(path, today=TODAY)


def test_empty_and_header_only_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(InputFileError, match="empty"):
        read_adult_cases(empty)
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n")
    with pytest.raises(InputFileError, match="empty"):
        read_adult_cases(blank)
    header_only = write_csv(tmp_path / "header.csv", [])
    with pytest.raises(InputFileError, match="column names but no rows"):
        read_adult_cases(header_only)


def test_missing_columns_are_an_error_naming_them(tmp_path: Path) -> None:
    header = [c for c in COLUMN_NAMES if c not in ("msp_asked", "age")]
    path = write_csv(tmp_path / "cases.csv", [concern(1)], header=header)
    with pytest.raises(InputFileError) as raised:
        read_adult_cases(path, today=TODAY)
    assert "missing the columns age, msp_asked" in str(raised.value)


def test_unknown_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    row = {**concern(1), "worker_name": "someone", "team": "East"}
    path = write_csv(tmp_path / "cases.csv", [row], header=[*COLUMN_NAMES, "worker_name", "team"])
    read = read_adult_cases(path, today=TODAY)
    assert "worker_name" not in read.tables.concerns.column_names
    assert any("worker_name, team" in w for w in read.report.warnings)
    assert "worker_name" in read.report.summary()


def test_row_with_the_wrong_number_of_values_is_reported(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cases.csv", [concern(1), concern(2)])
    with path.open("a") as handle:
        handle.write("C9,P9,E09000007\n")
    with pytest.raises(InputFileError) as raised:
        read_adult_cases(path, today=TODAY)
    report = raised.value.report  # type: ignore[attr-defined]
    assert report.counts == {"bad_row": 1}
    assert "has 3 values but the header has 20 columns" in report.summary()


def test_parquet_with_typed_columns(tmp_path: Path) -> None:
    rows = [concern(1), no_enquiry(2)]
    table = pa.table({name: [r[name] or None for r in rows] for name in COLUMN_NAMES})
    table = table.set_column(
        COLUMN_NAMES.index("concern_date"),
        "concern_date",
        pa.array([dt.date(2024, 5, 2), dt.date(2024, 6, 1)], pa.date32()),
    )
    table = table.set_column(COLUMN_NAMES.index("age"), "AGE", pa.array([81, 40], pa.int64()))
    path = tmp_path / "cases.parquet"
    pq.write_table(table, path)
    read = read_adult_cases(path, today=TODAY)
    assert read.tables.concerns.column("age").to_pylist() == [81, 40]
    assert read.tables.concerns.column("concern_date").to_pylist()[1] == dt.date(2024, 6, 1)


def test_not_really_parquet(tmp_path: Path) -> None:
    path = tmp_path / "cases.parquet"
    path.write_text("concern_id\nC1\n")
    with pytest.raises(InputFileError, match="could not be read as Parquet"):
        read_adult_cases(path)


def test_xlsx_first_sheet_date_cells_and_several_sheets(tmp_path: Path) -> None:
    rows = [concern(1), no_enquiry(2)]
    body: list[list[object]] = [list(COLUMN_NAMES)]
    for r in rows:
        cells: list[object] = [r[name] or None for name in COLUMN_NAMES]
        cells[COLUMN_NAMES.index("concern_date")] = dt.date.fromisoformat(r["concern_date"])
        cells[COLUMN_NAMES.index("age")] = int(r["age"])
        body.append(cells)
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, [("Concerns", body), ("Notes", [["written by hand"]])])
    read = read_adult_cases(path, today=TODAY)
    got = read.tables.concerns.to_pylist()
    assert [r["concern_date"] for r in got] == [dt.date(2024, 5, 2), dt.date(2024, 5, 2)]
    assert got[0]["age"] == 81
    assert any(
        "2 sheets" in w and "'Concerns'" in w and "'Notes'" in w for w in read.report.warnings
    )


def test_xlsx_problem_rows_count_like_excel(tmp_path: Path) -> None:
    body: list[list[object]] = [[None], list(COLUMN_NAMES)]  # a blank first row
    body.append([concern(1)[name] or None for name in COLUMN_NAMES])
    body.append([concern(2, age="12")[name] or None for name in COLUMN_NAMES])
    path = tmp_path / "cases.xlsx"
    write_xlsx(path, [("Sheet1", body)])
    with pytest.raises(InputFileError) as raised:
        read_adult_cases(path, today=TODAY)
    (problem,) = raised.value.report.problems  # type: ignore[attr-defined]
    assert (problem.row, problem.column, problem.value) == (4, "age", "12")


def test_unsupported_extension_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not a CSV, Parquet or XLSX"):
        read_adult_cases(write_csv(tmp_path / "cases.txt", [concern(1)]))
    with pytest.raises(InputFileError, match="There is no file"):
        read_adult_cases(tmp_path / "nothing.csv")
