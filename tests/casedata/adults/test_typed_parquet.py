"""A Parquet file that holds dates as dates and ages as integers is checked by the same rules,
with the same findings, as the same records written as text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from safeguarding.casedata.adults.reader import read_adult_cases
from safeguarding.casedata.report import InputFileInvalid
from tests.casedata.conftest import TODAY, concern, no_enquiry, write_csv

DATES = ("concern_date", "enquiry_start_date", "enquiry_end_date")


def _rows() -> list[dict[str, str]]:
    return [
        concern(1),
        concern(2, age="17"),
        concern(3, age="130"),
        concern(4, age="-3"),
        concern(5, concern_date="2026-01-01"),
        concern(6, concern_date="1999-12-31"),
        concern(7, concern_date="0001-01-01"),
        concern(8, concern_date="10000-01-01"),
        concern(9, enquiry_end_date="2024-05-01"),
        no_enquiry(10, age=""),
        concern(11),
    ]


def _typed_parquet(path: Path, rows: list[dict[str, str]]) -> Path:
    columns: dict[str, pa.Array] = {}
    for name in rows[0]:
        values = [row[name] or None for row in rows]
        if name in DATES:
            columns[name] = pa.array([None if v is None else _date(v) for v in values], pa.date32())
        elif name == "age":
            columns[name] = pa.array([None if v is None else int(v) for v in values], pa.int32())
        else:
            columns[name] = pa.array(values, pa.string())
    pq.write_table(pa.table(columns), path)
    return path


def _date(text: str) -> dt.date | int:
    year, month, day = (int(part) for part in text.split("-"))
    if year > dt.MAXYEAR:  # beyond Python's dates: days since 1970, as date32 stores them
        return (dt.date(dt.MAXYEAR, 12, 31) - dt.date(1970, 1, 1)).days + 1
    return dt.date(year, month, day)


def _findings(path: Path) -> list[tuple[int, str, str, str | None]]:
    with pytest.raises(InputFileInvalid) as caught:
        read_adult_cases(path, today=TODAY)
    return [(p.row, p.column, p.kind, p.value) for p in caught.value.report.problems]


def test_typed_parquet_finds_what_text_finds(tmp_path: Path) -> None:
    rows = _rows()
    as_text = _findings(write_csv(tmp_path / "cases.csv", rows))
    as_types = _findings(_typed_parquet(tmp_path / "cases.parquet", rows))
    assert as_types == as_text
    kinds = {(row, kind) for row, _, kind, _ in as_text}
    # Rows as the file numbers them: the header is row 1.
    expected = {(3, "out_of_range"), (6, "future_date"), (8, "out_of_range"), (9, "wrong_type")}
    assert expected | {(10, "inconsistent")} <= kinds


def test_typed_parquet_reads_to_the_same_tables(tmp_path: Path) -> None:
    rows = [concern(1), no_enquiry(2, age=""), concern(3, concern_date="2025-03-31")]
    from_text = read_adult_cases(write_csv(tmp_path / "cases.csv", rows), today=TODAY).tables
    parquet = _typed_parquet(tmp_path / "cases.parquet", rows)
    from_types = read_adult_cases(parquet, today=TODAY).tables
    assert from_types.concerns.equals(from_text.concerns)
    assert from_types.risk_types.equals(from_text.risk_types)
