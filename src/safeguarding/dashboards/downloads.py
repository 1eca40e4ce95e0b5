"""A chart's data as a download, in CSV and in XLSX.

Both take the rows as dicts and the columns as ``(key, heading)`` pairs in the order to show
them; a key a row lacks gives an empty cell. Numbers stay numbers. Text that a spreadsheet
would run as a formula (starting with =, +, -, @, a tab or a carriage return) is written to the
CSV with a leading apostrophe, so that it shows as the text it is. XLSX cells are typed, so
text there is never a formula and is written as it is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from typing import Any

from safeguarding.casedata.xlsx import Cell, write_xlsx

Column = tuple[str, str]  # (key in each row, heading)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Text that is only a number: a spreadsheet reads it as that number, never as a formula.
_PLAIN_NUMBER = re.compile(r"\A[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\Z")
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\]")
SHEET_TITLE_LENGTH = 31


def _number(value: Any) -> int | float | None:
    """A numeric value as a plain int or float (NaN and infinity as None); None if not a number."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    if isinstance(value, Integral):
        return int(value)
    figure = float(value)
    return figure if math.isfinite(figure) else None


def _csv_text(text: str) -> str:
    """Text as the CSV holds it, kept from being run as a formula."""
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(text):
        return "'" + text
    return text


def _csv_cell(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).upper()
    if isinstance(value, Real):
        figure = _number(value)
        return "" if figure is None else repr(figure)
    if isinstance(value, dt.date):
        return value.isoformat()
    return _csv_text(str(value))


def to_csv(rows: Sequence[Mapping[str, Any]], columns: Sequence[Column]) -> bytes:
    """The rows as CSV: UTF-8 with a byte order mark (so Excel reads it as UTF-8), CRLF lines."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_text(heading) for _, heading in columns])
    for row in rows:
        writer.writerow([_csv_cell(row.get(key)) for key, _ in columns])
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx_cell(value: Any) -> Cell:
    if value is None or isinstance(value, bool | str | dt.date):
        return value
    if isinstance(value, Real):
        return _number(value)
    return str(value)


def excel_sheet_title(title: str) -> str:
    """A title Excel accepts for a sheet: none of []:*?/\\, no apostrophe at either end, at
    most 31 characters, never blank."""
    cleaned = " ".join(_NOT_IN_SHEET_TITLE.sub(" ", title).split())
    cleaned = cleaned[:SHEET_TITLE_LENGTH].strip().strip("'").strip()
    return cleaned or "Data"


def to_xlsx(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[Column], sheet_title: str
) -> bytes:
    """The rows as an XLSX workbook of one sheet, headings in the first row."""
    table: list[list[Cell]] = [[heading for _, heading in columns]]
    table += [[_xlsx_cell(row.get(key)) for key, _ in columns] for row in rows]
    buffer = io.BytesIO()
    # The writer takes a path, but zipfile (under it) writes to any binary file just as well.
    write_xlsx(buffer, [(excel_sheet_title(sheet_title), table)])  # type: ignore[arg-type]
    return buffer.getvalue()
