"""Reading the SSDA903 return (children looked after) from CSV files into Arrow tables.

The folder layout is the platform's own (the DfE does not define one): one folder per council
and year, ``<root>/<DfE LA number>/<year, e.g. 2024-25>/``, holding ``header.csv``,
``episodes.csv`` and, when the council has them, ``uasc.csv``, ``missing.csv`` and
``reviews.csv``, with the DfE's column names and dates written ``dd/mm/YYYY``. The council and
year are taken from the path.

Each file is checked value by value (dates, codes against the catalogue, required values) and
across files (a child twice in the header, rows for children not in the header, end dates before
start dates); the problems are in one ``ValidationReport`` per file, with row, column and value.
Rows with problems are kept, with the values that could not be read as nulls. A file whose
header is not the one expected (renamed or shifted columns) cannot be read and raises
``InputFileError``.

A file with its header line and no rows is an empty table, not an error. For ``uasc.csv``,
``missing.csv`` and ``reviews.csv`` that is ordinary (a council may have had no unaccompanied
asylum-seeking children, no missing episodes or no reviews to report). An empty ``header.csv``
and ``episodes.csv`` are accepted too, because a council can have had no children looked after
in the year (the smallest ones sometimes have none), but the report then carries a warning, as
it more often means an incomplete export.

Output columns are the DfE names in lower case, after ``la``, ``year`` and ``row`` (the file's
row number, the header being row 1). Identifying details the indicators do not need are not
copied: the UPN (only whether one was given, ``has_upn``), postcodes and the mother's child's
date of birth. ``sex`` is normalised to the ``cin_sex`` codes (F, M).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyarrow as pa

from safeguarding.casedata.files import RawTable, read_table
from safeguarding.casedata.report import DEFAULT_LIMIT, InputFileError, Problem, ValidationReport
from safeguarding.catalogue import code_list

DATE_SHAPE = re.compile(r"\d{2}/\d{2}/\d{4}")
LA_FOLDER = re.compile(r"\d{3}")
YEAR_FOLDER = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Column:
    """One SSDA903 column: its DfE name, what it holds and whether it is copied to the output."""

    name: str
    kind: str  # text, date or code
    code_list_id: str | None = None
    required: bool = False
    kept: bool = True


FILES: dict[str, tuple[Column, ...]] = {
    "header": (
        Column("CHILD", "text", required=True),
        Column("SEX", "code", "ssda903_sex", required=True),
        Column("DOB", "date", required=True),
        Column("ETHNIC", "code", "cin_ethnicity", required=True),
        Column("UPN", "text", kept=False),
        Column("MOTHER", "text"),
        Column("MC_DOB", "date", kept=False),
    ),
    "episodes": (
        Column("CHILD", "text", required=True),
        Column("DECOM", "date", required=True),
        Column("RNE", "code", "ssda903_reason_new_episode", required=True),
        Column("LS", "code", "ssda903_legal_status", required=True),
        Column("CIN", "code", "ssda903_category_of_need", required=True),
        Column("PLACE", "code", "ssda903_placement", required=True),
        Column("PLACE_PROVIDER", "code", "ssda903_placement_provider"),
        Column("DEC", "date"),
        Column("REC", "code", "ssda903_reason_episode_ceased"),
        Column("REASON_PLACE_CHANGE", "code", "ssda903_reason_place_change"),
        Column("HOME_POST", "text", kept=False),
        Column("PL_POST", "text", kept=False),
        Column("URN", "text"),
    ),
    "uasc": (
        Column("CHILD", "text", required=True),
        Column("SEX", "code", "ssda903_sex"),
        Column("DOB", "date"),
        Column("DUC", "date"),
    ),
    "missing": (
        Column("CHILD", "text", required=True),
        Column("MIS_START", "date", required=True),
        Column("MIS_END", "date"),
        Column("MISSING", "code", "ssda903_missing", required=True),
    ),
    "reviews": (
        Column("CHILD", "text", required=True),
        Column("DOB", "date"),
        Column("REVIEW", "date", required=True),
        Column("REVIEW_CODE", "code", "ssda903_review_code"),
    ),
}
REQUIRED_FILES = ("header", "episodes")
# A file this small may be only a header line; a larger one has rows (or is not a header).
_HEADER_ONLY_BYTES = 64 * 1024
# (file, end column, start column, what the start is) for "ends before it starts" checks.
ORDER_CHECKS = (
    ("episodes", "DEC", "DECOM", "the episode's start date DECOM"),
    ("missing", "MIS_END", "MIS_START", "the start of the missing episode MIS_START"),
    ("uasc", "DUC", "DOB", "the child's date of birth DOB"),
)

_ARROW = {"text": pa.string(), "code": pa.string(), "date": pa.date32()}


def output_schema(file: str) -> pa.Schema:
    """The Arrow schema of the table read from ``file`` (header, episodes, ...)."""
    fields = [
        pa.field("la", pa.string()),
        pa.field("year", pa.string()),
        pa.field("row", pa.int32()),
    ]
    for column in FILES[file]:
        if column.name == "UPN":
            fields.append(pa.field("has_upn", pa.bool_()))
        elif column.kept:
            fields.append(pa.field(column.name.lower(), _ARROW[column.kind]))
    return pa.schema(fields)


@cache
def _codes(list_id: str) -> frozenset[str]:
    return frozenset(c.code for c in code_list(list_id).codes)


@cache
def _sex_as() -> dict[str, str]:
    return {c.code: c.description for c in code_list("ssda903_sex").codes}


@dataclass(frozen=True)
class Ssda903Return:
    """One council's SSDA903 return for one year: a table and a report for each file read."""

    la: str
    year: str
    tables: dict[str, pa.Table]
    reports: dict[str, ValidationReport]

    @property
    def ok(self) -> bool:
        return all(report.ok for report in self.reports.values())

    def summary(self) -> str:
        return "\n\n".join(report.summary() for report in self.reports.values())


def find_ssda903_folders(root: str | os.PathLike[str]) -> Iterator[Path]:
    """Every ``<LA number>/<year>`` folder under ``root``, in order."""
    root = Path(root)
    if not root.is_dir():
        raise InputFileError(f"There is no folder {root}.")
    for la in sorted(root.iterdir()):
        if la.is_dir() and LA_FOLDER.fullmatch(la.name):
            for year in sorted(la.iterdir()):
                if year.is_dir() and YEAR_FOLDER.fullmatch(year.name):
                    yield year


def read_ssda903(folder: str | os.PathLike[str], *, limit: int = DEFAULT_LIMIT) -> Ssda903Return:
    """Read and check one council-year folder; problems are in ``.reports``, not raised.

    Raises InputFileError when the folder or a file cannot be read at all.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(f"There is no folder {folder}.")
    la, year = folder.parent.name, folder.name
    found_year = YEAR_FOLDER.fullmatch(year)
    if not LA_FOLDER.fullmatch(la) or not found_year:
        raise InputFileError(
            f"{folder} is not a council-year folder: SSDA903 files go in "
            "<root>/<three-digit DfE LA number>/<year such as 2024-25>/."
        )
    if (int(found_year.group(1)) + 1) % 100 != int(found_year.group(2)):
        raise InputFileError(f"{year} (in {folder}) is not a financial year such as 2024-25.")
    for file in REQUIRED_FILES:
        if not (folder / f"{file}.csv").exists():
            raise InputFileError(
                f"{folder} has no {file}.csv; an SSDA903 folder needs "
                f"{' and '.join(f + '.csv' for f in REQUIRED_FILES)}."
            )
    checked: dict[str, _Checked] = {}
    for file in FILES:
        path = folder / f"{file}.csv"
        if path.exists():
            checked[file] = _check_file(path, file, f"{la}/{year}/{file}.csv", limit)
    _check_across(checked)
    _warn_if_empty(checked, la, year)
    tables = {file: c.table(la, year) for file, c in checked.items()}
    reports = {file: c.report for file, c in checked.items()}
    return Ssda903Return(la=la, year=year, tables=tables, reports=reports)


class _Checked:
    """One file's values, read and checked, with its report."""

    def __init__(self, file: str, report: ValidationReport, first_row: int) -> None:
        self.file = file
        self.report = report
        self.first_row = first_row
        self.values: dict[str, list[object]] = {}
        self.bad_rows: set[int] = set()

    def problem(self, row: int, column: str, value: str | None, kind: str, message: str) -> None:
        self.report.counts[kind] = self.report.counts.get(kind, 0) + 1
        self.bad_rows.add(row)
        self.report.rows_with_problems = len(self.bad_rows)
        if len(self.report.problems) < self.report.limit:
            self.report.problems.append(Problem(row, column, value, kind, message))

    def rows(self) -> range:
        count = len(next(iter(self.values.values()))) if self.values else 0
        return range(self.first_row, self.first_row + count)

    def table(self, la: str, year: str) -> pa.Table:
        schema = output_schema(self.file)
        count = len(self.rows())
        arrays: dict[str, pa.Array] = {
            "la": pa.array([la] * count, pa.string()),
            "year": pa.array([year] * count, pa.string()),
            "row": pa.array(list(self.rows()), pa.int32()),
        }
        for column in FILES[self.file]:
            values = self.values[column.name]
            if column.name == "UPN":
                arrays["has_upn"] = pa.array([v is not None for v in values], pa.bool_())
            elif column.kept:
                arrays[column.name.lower()] = pa.array(values, _ARROW[column.kind])
        return pa.table(arrays, schema=schema)


def _header_only(path: Path) -> list[str] | None:
    """The column names of a CSV file that has its header line and nothing else, or None."""
    if path.stat().st_size > _HEADER_ONLY_BYTES:
        return None
    data = path.read_bytes().removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) != 1:
        return None
    names = [name.strip().lower() for name in next(csv.reader(lines))]
    if len(set(names)) != len(names):
        return None
    return names


def _read(path: Path) -> RawTable:
    """The file's rows as text; a file with only its header line is an empty table."""
    try:
        return read_table(path)
    except InputFileError:
        names = _header_only(path)
        if names is None:
            raise
        # The shared reader refuses a table without rows; for SSDA903 it is a real answer.
        empty = pa.table({name: pa.array([], pa.string()) for name in names})
        return RawTable(table=empty, source=path.name)


def _check_file(path: Path, file: str, source: str, limit: int) -> _Checked:
    raw = _read(path)
    columns = FILES[file]
    expected = [c.name.lower() for c in columns]
    found = list(raw.table.column_names)
    missing = [c.name for c in columns if c.name.lower() not in found]
    if missing:
        raise InputFileError(
            f"{source} does not have the SSDA903 columns {', '.join(missing)}. Its header is "
            f"{', '.join(n.upper() for n in found)}; it should be "
            f"{', '.join(c.name for c in columns)}. The columns may be renamed, missing or "
            "shifted; fix the header (or export the table again) and try again."
        )
    report = ValidationReport(
        source=source, rows_read=raw.table.num_rows + len(raw.problems), limit=limit
    )
    report.warnings += raw.warnings
    extra = [n.upper() for n in found if n not in expected]
    if extra:
        report.warnings.append(
            f"These columns are not SSDA903 columns and were ignored: {', '.join(extra)}."
        )
    checked = _Checked(file, report, raw.first_row)
    for problem in raw.problems:
        checked.problem(problem.row, problem.column, problem.value, problem.kind, problem.message)
    rows = range(raw.first_row, raw.first_row + raw.table.num_rows)
    for column in columns:
        texts = raw.table.column(column.name.lower()).to_pylist()
        checked.values[column.name] = _column(checked, column, texts, rows)
    return checked


def _column(
    checked: _Checked, column: Column, texts: list[str | None], rows: range
) -> list[object]:
    values: list[object] = []
    codes = _codes(column.code_list_id) if column.code_list_id else frozenset()
    for row, text in zip(rows, texts, strict=True):
        value = text.strip() if text is not None else None
        value = value or None
        if value is None:
            if column.required:
                checked.problem(
                    row,
                    column.name,
                    None,
                    "missing_value",
                    "is empty, but every row needs a value here",
                )
            values.append(None)
            continue
        if column.kind == "date":
            values.append(_date(checked, row, column.name, value))
        elif column.kind == "code":
            upper = value.upper()
            if upper not in codes:
                hint = (
                    "; it is a date, so the values of this row may be in the wrong columns"
                    if DATE_SHAPE.fullmatch(value)
                    else ""
                )
                shown = ", ".join(sorted(codes)[:12]) + (", ..." if len(codes) > 12 else "")
                checked.problem(
                    row,
                    column.name,
                    value,
                    "unknown_code",
                    f"{value} is not a {column.name} code ({shown}){hint}",
                )
                values.append(None)
            elif column.code_list_id == "ssda903_sex":
                values.append(_sex_as()[upper])
            else:
                values.append(upper)
        else:
            values.append(value)
    return values


def _date(checked: _Checked, row: int, column: str, value: str) -> dt.date | None:
    if DATE_SHAPE.fullmatch(value):
        try:
            return dt.date(int(value[6:]), int(value[3:5]), int(value[:2]))
        except ValueError:
            checked.problem(row, column, value, "impossible_date", f"{value} is not a real date")
            return None
    hint = ""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        hint = "; SSDA903 dates are written dd/mm/YYYY"
    elif re.fullmatch(r"[A-Za-z]+\d*[A-Za-z]*", value):
        hint = "; it looks like a code, so the values of this row may be in the wrong columns"
    checked.problem(
        row, column, value, "wrong_type", f"{value} is not a date written dd/mm/YYYY{hint}"
    )
    return None


def _warn_if_empty(checked: dict[str, _Checked], la: str, year: str) -> None:
    """Say so when header.csv or episodes.csv has no rows: possible, but often a bad export."""
    header, episodes = checked["header"], checked["episodes"]
    if not header.rows() and not episodes.rows():
        header.report.warnings.append(
            f"header.csv and episodes.csv have no rows: council {la} had no children looked "
            f"after in {year}. If it had some, the files are an incomplete export."
        )
    elif not episodes.rows():
        episodes.report.warnings.append(
            f"episodes.csv has no rows although header.csv has {len(header.rows()):,}: "
            "every child looked after has at least one episode, so the export is incomplete."
        )


def _check_across(checked: dict[str, _Checked]) -> None:
    header = checked["header"]
    first_row: dict[str, int] = {}
    for row, child in zip(header.rows(), header.values["CHILD"], strict=True):
        if child is None:
            continue
        if child in first_row:
            header.problem(
                row,
                "CHILD",
                str(child),
                "duplicate_id",
                f"{child} is also the CHILD of row {first_row[child]}; "
                "each child is in the header once",
            )
        else:
            first_row[str(child)] = row
    for file, other in checked.items():
        if file == "header":
            continue
        for row, child in zip(other.rows(), other.values["CHILD"], strict=True):
            if child is not None and child not in first_row:
                other.problem(
                    row,
                    "CHILD",
                    str(child),
                    "inconsistent",
                    f"{child} is not in header.csv; every child must have a header row",
                )
    for file, end_name, start_name, start_words in ORDER_CHECKS:
        if file not in checked:
            continue
        table = checked[file]
        for row, end, start in zip(
            table.rows(), table.values[end_name], table.values[start_name], strict=True
        ):
            if isinstance(end, dt.date) and isinstance(start, dt.date) and end < start:
                table.problem(
                    row,
                    end_name,
                    end.strftime("%d/%m/%Y"),
                    "inconsistent",
                    f"{end:%d/%m/%Y} is before {start_words} {start:%d/%m/%Y}",
                )
