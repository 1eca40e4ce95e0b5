"""A chart's data as CSV and XLSX, read back as a reader's spreadsheet would read it."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import pytest
from python_calamine import CalamineWorkbook

from safeguarding.dashboards.downloads import excel_sheet_title, to_csv, to_xlsx

COLUMNS = [("period", "Year"), ("place", "Place"), ("value", "Value (%)"), ("count", "Count")]
ROWS = [
    {"period": "2023-24", "place": "Larkhaven", "value": 84.5, "count": 1234},
    {"period": "2024-25", "place": "England", "value": -2.5, "count": None},
    # A key missing from a row, and one the columns do not ask for.
    {"period": "2024-25", "place": "Brindle Vale", "note": "not shown"},
]


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> tuple[list[str], list[list[object]]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return book.sheet_names, book.get_sheet_by_index(0).to_python()


def test_csv_starts_with_a_byte_order_mark_and_ends_lines_with_crlf() -> None:
    data = to_csv(ROWS, COLUMNS)
    assert data.startswith(b"\xef\xbb\xbfYear,Place,Value (%),Count\r\n")
    assert data.count(b"\r\n") == 4
    assert b"\n" not in data.replace(b"\r\n", b"")


def test_csv_reads_back_in_column_order_with_blanks_for_missing_values() -> None:
    assert read_csv(to_csv(ROWS, COLUMNS)) == [
        ["Year", "Place", "Value (%)", "Count"],
        ["2023-24", "Larkhaven", "84.5", "1234"],
        ["2024-25", "England", "-2.5", ""],
        ["2024-25", "Brindle Vale", "", ""],
    ]


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tTabbed", "'\tTabbed"),
        ("\rReturned", "'\rReturned"),
        ("Well-led = yes", "Well-led = yes"),
        # Text that is only a number is read as that number, never run as a formula.
        ("-3.5", "-3.5"),
        (-3, "-3"),
        (-0.25, "-0.25"),
    ],
)
def test_csv_keeps_text_from_running_as_a_formula(value: object, written: str) -> None:
    rows = read_csv(to_csv([{"text": value}], [("text", "Text")]))
    assert rows[1] == [written]


def test_csv_headings_are_guarded_too() -> None:
    assert read_csv(to_csv([], [("a", "=HYPERLINK(1)")])) == [["'=HYPERLINK(1)"]]


def test_csv_writes_dates_booleans_and_numpy_numbers_plainly() -> None:
    rows = [
        {
            "day": dt.date(2025, 3, 31),
            "flag": True,
            "n": np.int64(7),
            "x": np.float64(0.5),
            "gap": float("nan"),
        }
    ]
    columns = [(key, key) for key in ("day", "flag", "n", "x", "gap")]
    assert read_csv(to_csv(rows, columns))[1] == ["2025-03-31", "TRUE", "7", "0.5", ""]


def test_xlsx_keeps_numbers_as_numbers_and_text_as_text() -> None:
    names, sheet = read_xlsx(to_xlsx(ROWS, COLUMNS, sheet_title="Trend"))
    assert names == ["Trend"]
    assert sheet[0] == ["Year", "Place", "Value (%)", "Count"]
    assert sheet[1] == ["2023-24", "Larkhaven", 84.5, 1234]
    assert sheet[2][:3] == ["2024-25", "England", -2.5]
    assert isinstance(sheet[1][3], int | float) and isinstance(sheet[2][2], float)
    # Missing and empty values are empty cells.
    assert sheet[2][3] == "" and sheet[3][2:] == ["", ""]


def test_xlsx_writes_formula_like_text_as_it_is() -> None:
    _, sheet = read_xlsx(to_xlsx([{"t": "=1+2"}, {"t": "-3"}], [("t", "Text")], "Data"))
    assert [row[0] for row in sheet[1:]] == ["=1+2", "-3"]


def test_xlsx_writes_dates_and_numpy_numbers_and_leaves_nan_empty() -> None:
    rows = [{"day": dt.date(2025, 3, 31), "n": np.int64(7), "gap": float("inf")}]
    _, sheet = read_xlsx(to_xlsx(rows, [("day", "Day"), ("n", "N"), ("gap", "Gap")], "Data"))
    assert sheet[1][0] in (dt.date(2025, 3, 31), dt.datetime(2025, 3, 31))
    assert sheet[1][1] == 7 and sheet[1][2] == ""


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Trend", "Trend"),
        ("Rates: 2024/25 [draft]?", "Rates 2024 25 draft"),
        ("'Quoted'", "Quoted"),
        ("A" * 40, "A" * 31),
        ("[]", "Data"),
    ],
)
def test_sheet_titles_are_ones_excel_accepts(title: str, expected: str) -> None:
    assert excel_sheet_title(title) == expected
    names, _ = read_xlsx(to_xlsx([], [("a", "A")], title))
    assert names == [expected]
