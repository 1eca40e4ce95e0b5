"""Reading tabular input files (CSV, Parquet, XLSX) into Arrow tables, with plain-English errors.

Values are kept as the file gives them (CSV and XLSX as text, Parquet in its own types): the
readers of each kind of file check and convert them, so that a bad value can be reported with
its row and column rather than failing the whole read.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from safeguarding.casedata.report import InputFileError, Problem

SUPPORTED = (".csv", ".parquet", ".xlsx")
SNIFF_BYTES = 1 << 20
# A CSV is parsed a block at a time. Read whole, it is refused above CSV_IN_MEMORY_LIMIT (its
# text would take more memory than the platform's 2 GB budget allows once parsed); streamed (for
# a reader that can take its rows from disk, as the adult case reader does), any size is read
# in blocks into a temporary Parquet file, so memory stays at a few blocks however large it is.
CSV_BLOCK_BYTES = 16 << 20
CSV_IN_MEMORY_LIMIT = 512 << 20
OTHER_DELIMITERS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}
# An XLSX file is a zip of XML parts. Excel's parts shrink about 10 to 30 times; a zip bomb's
# a thousand times. Its declared sizes are checked before the workbook is opened, because
# calamine would expand a bomb in memory (and abort the process when memory runs out); it
# refuses a part that turns out larger than declared, so the declared sizes can be trusted.
XLSX_MAX_EXPANDED = 2 << 30  # all parts together, bytes: more than a full sheet of case rows
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM = 1 << 20  # smaller parts may shrink as much as they like
XLSX_MAX_PARTS = 10_000


@dataclass
class RawTable:
    """A file's rows as read, with lower-case column names."""

    table: pa.Table
    source: str
    first_row: int = 2  # the file's number for the table's first row (the header is row 1)
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # rows that could not be split
    # Set when the rows were left in a Parquet file for DuckDB to read where they are: `table`
    # then has the file's columns but no rows, and `parquet_rows` says how many there are.
    parquet: Path | None = None
    parquet_names: tuple[str, ...] = ()  # the file's own column names, in `table`'s order
    parquet_rows: int = 0
    # The temporary folder holding `parquet` when it is a CSV file's rows, removed by close().
    scratch: tempfile.TemporaryDirectory[str] | None = None

    def close(self) -> None:
        """Remove the temporary copy of a streamed CSV file's rows, if there is one."""
        if self.scratch is not None:
            self.scratch.cleanup()
            self.scratch = None

    @property
    def num_rows(self) -> int:
        """How many rows the file has (not counting rows that could not be split)."""
        return self.parquet_rows if self.parquet is not None else self.table.num_rows


def read_table(
    path: str | os.PathLike[str],
    *,
    leave_parquet: bool = False,
    csv_in_memory_limit: int = CSV_IN_MEMORY_LIMIT,
    csv_block_bytes: int = CSV_BLOCK_BYTES,
) -> RawTable:
    """Read a CSV, Parquet or XLSX file, choosing by its extension.

    With ``leave_parquet``, a Parquet file's rows are not read, only its schema, and a CSV
    file's rows are written block by block to a temporary Parquet file (``RawTable.close``
    removes it): the caller reads them with DuckDB, which needs no copy of the whole file in
    Arrow memory. Without it, a CSV file larger than ``csv_in_memory_limit`` bytes is refused.
    """
    path = Path(path)
    if not path.exists():
        raise InputFileError(f"There is no file {path}.")
    if path.is_dir():
        raise InputFileError(f"{path} is a folder, not a file.")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise InputFileError(
            f"{path.name} is not a CSV, Parquet or XLSX file (by its extension); "
            "save it as one of those."
        )
    if path.stat().st_size == 0:
        raise InputFileError(f"{path.name} is empty.")
    if suffix == ".parquet" and leave_parquet:
        raw = _parquet_schema(path)
    elif suffix == ".csv":
        raw = _read_csv(
            path, stream=leave_parquet, block_bytes=csv_block_bytes, limit=csv_in_memory_limit
        )
    else:
        reader = {".csv": _read_csv, ".parquet": _read_parquet, ".xlsx": _read_xlsx}[suffix]
        raw = reader(path)
    try:
        raw.table = _lower_case_names(raw.table, path.name)
        if raw.num_rows == 0 and not raw.problems:
            raise InputFileError(f"{path.name} has column names but no rows.")
    except InputFileError:
        raw.close()
        raise
    return raw


def _lower_case_names(table: pa.Table, name: str) -> pa.Table:
    names = [str(n).strip().lower() for n in table.column_names]
    seen: set[str] = set()
    for column in names:
        if column in seen:
            raise InputFileError(
                f"{name} has two columns called {column!r} (column names ignore case)."
            )
        seen.add(column)
    return table.rename_columns(names)


def _read_csv(path: Path, *, stream: bool, block_bytes: int, limit: int) -> RawTable:
    size = path.stat().st_size
    if not stream and size > limit:
        raise InputFileError(
            f"{path.name} is {size / (1 << 20):,.0f} MB, more than the {limit / (1 << 20):,.0f} MB "
            "of CSV this file can be read from at once. Check it is the right file, or split it."
        )
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8) :]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputFileError(
            f"{path.name} is saved as UTF-16 text; save it as CSV UTF-8 and try again."
        )
    text = _decode_utf8(head, path.name, final=len(head) < SNIFF_BYTES)
    if not text.strip():
        raise InputFileError(f"{path.name} is empty.")
    # Split as Arrow splits lines: str.splitlines() also splits at \x1c-\x1e and \x85, and a
    # header cut short there leaves Arrow's columns unnamed here, so not read as text.
    header_line = re.split(r"\r\n?|\n", text.lstrip("\r\n"), maxsplit=1)[0]
    _check_delimiter(header_line, path.name)
    names = next(csv.reader([header_line]))
    bad_rows: list[Problem] = []

    def keep_bad_row(row: pacsv.InvalidRow) -> str:
        number = row.number if row.number is not None else 0
        bad_rows.append(
            Problem(
                row=number,
                column="(whole row)",
                value=row.text[:80],
                kind="bad_row",
                message=(
                    f"has {row.actual_columns} values but the header has "
                    f"{row.expected_columns} columns"
                ),
            )
        )
        return "skip"

    options = {
        "read_options": pacsv.ReadOptions(block_size=block_bytes),
        "parse_options": pacsv.ParseOptions(
            newlines_in_values=False, invalid_row_handler=keep_bad_row
        ),
        "convert_options": pacsv.ConvertOptions(
            column_types=dict.fromkeys(names, pa.string()),
            strings_can_be_null=True,
            null_values=[""],
        ),
    }
    if stream:
        return _stream_csv(path, options, bad_rows)
    try:
        table = pacsv.read_csv(path, **options)
    except pa.ArrowInvalid as error:
        raise _csv_error(path, error) from None
    _check_csv_schema(path, table.schema)
    return RawTable(table=table, source=path.name, problems=bad_rows)


def _stream_csv(path: Path, options: dict[str, object], bad_rows: list[Problem]) -> RawTable:
    """A CSV file's rows written a block at a time to a temporary Parquet file."""
    scratch = tempfile.TemporaryDirectory(prefix="sg-csv-")
    target = Path(scratch.name) / "rows.parquet"
    rows = 0
    try:
        reader = pacsv.open_csv(path, **options)  # type: ignore[arg-type]
        _check_csv_schema(path, reader.schema)
        # Snappy: the copy is about a sixth of the text, and quicker to write than zstd's tenth.
        with pq.ParquetWriter(target, reader.schema, compression="snappy") as out:
            for batch in reader:
                out.write_batch(batch)
                rows += batch.num_rows
    except pa.ArrowInvalid as error:
        scratch.cleanup()
        raise _csv_error(path, error) from None
    except BaseException:
        scratch.cleanup()
        raise
    return RawTable(
        table=reader.schema.empty_table(),
        source=path.name,
        problems=bad_rows,
        parquet=target,
        parquet_names=tuple(reader.schema.names),
        parquet_rows=rows,
        scratch=scratch,
    )


def _csv_error(path: Path, error: Exception) -> InputFileError:
    if "UTF8" in str(error) or "utf8" in str(error).lower():
        return InputFileError(
            f"{path.name} is not UTF-8 text: some characters further into the file are in "
            "another encoding. Save it as 'CSV UTF-8' and try again."
        )
    return InputFileError(f"{path.name} could not be read as CSV: {_first_line(error)}")


def _check_csv_schema(path: Path, schema: pa.Schema) -> None:
    if any(not pa.types.is_string(field.type) for field in schema):
        # Every column is named in column_types; one that is not was named differently by Arrow.
        raise InputFileError(
            f"{path.name} could not be read as CSV: its first line could not be read as the "
            "column names."
        )


def _decode_utf8(data: bytes, name: str, *, final: bool) -> str:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        return decoder.decode(data, final=final)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start]
        try:
            guess = data[error.start : error.start + 1].decode("cp1252")
            looks_like = f" ('{guess}' in Windows-1252 / Latin-1, as Excel saves plain CSV)"
        except UnicodeDecodeError:
            looks_like = ""
        raise InputFileError(
            f"{name} is not UTF-8 text: byte 0x{byte:02X} on line {line} is not valid UTF-8"
            f"{looks_like}. Save it as 'CSV UTF-8 (Comma delimited)' and try again."
        ) from None


def _check_delimiter(header_line: str, name: str) -> None:
    """Refuse a file separated by something other than commas, saying what it uses.

    It is refused rather than read because ``;`` also separates the values of a multi-valued
    field, so a semicolon-separated file cannot be read without guessing.
    """
    if "," in header_line:
        return
    for delimiter, words in OTHER_DELIMITERS.items():
        if delimiter in header_line:
            raise InputFileError(
                f"{name} separates its columns with {words}, not commas. Save it as "
                "'CSV UTF-8 (Comma delimited)' and try again."
            )


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _parquet_error(path: Path, error: Exception) -> InputFileError:
    # Parquet does not promise that its text (values, column names) is UTF-8.
    if isinstance(error, UnicodeDecodeError) or "UTF8" in str(error):
        return InputFileError(
            f"{path.name} could not be read as Parquet: some of its text is not UTF-8."
        )
    return InputFileError(f"{path.name} could not be read as Parquet: {_first_line(error)}")


def _read_parquet(path: Path) -> RawTable:
    try:
        table = pq.read_table(path)
        # Checked here: DuckDB fails inside on text that is not UTF-8.
        table.validate(full=True)
    except (pa.ArrowException, OSError, UnicodeDecodeError) as error:
        raise _parquet_error(path, error) from None
    return RawTable(table=table, source=path.name)


def _parquet_schema(path: Path) -> RawTable:
    try:
        metadata = pq.read_metadata(path)
        schema = metadata.schema.to_arrow_schema()
    except (pa.ArrowException, OSError, UnicodeDecodeError) as error:
        raise _parquet_error(path, error) from None
    return RawTable(
        table=schema.empty_table(),
        source=path.name,
        parquet=path,
        parquet_names=tuple(schema.names),
        parquet_rows=metadata.num_rows,
    )


def _check_xlsx_zip(path: Path) -> None:
    """Refuse a workbook whose parts would expand to more than a workbook can hold."""
    try:
        with zipfile.ZipFile(path) as book:
            parts = book.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise InputFileError(
            f"{path.name} could not be read as an Excel workbook: {_first_line(error)}"
        ) from None
    if len(parts) > XLSX_MAX_PARTS:
        raise InputFileError(
            f"{path.name} holds {len(parts):,} parts, more than an Excel workbook has, so it "
            "was not opened. Save the sheet as CSV and try again."
        )
    expanded = sum(part.file_size for part in parts)
    if expanded > XLSX_MAX_EXPANDED:
        raise InputFileError(
            f"{path.name} would expand to {expanded / (1 << 20):,.0f} MB when opened, more than "
            f"the {XLSX_MAX_EXPANDED >> 20:,} MB the platform opens from a workbook, so it was "
            "not opened. Save the sheet as CSV and try again."
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > XLSX_RATIO_FROM and ratio > XLSX_MAX_RATIO:
            raise InputFileError(
                f"{path.name} has a part that expands to {ratio:,.0f} times its stored size when "
                "opened, far more than in any Excel workbook (it may be a 'zip bomb'), so it was "
                "not opened. Save the sheet as CSV and try again."
            )


def _read_xlsx(path: Path) -> RawTable:
    from python_calamine import CalamineWorkbook

    _check_xlsx_zip(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_names = list(workbook.sheet_names)
        if not sheet_names:
            raise InputFileError(f"{path.name} has no sheets.")
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except InputFileError:
        raise
    except Exception as error:  # calamine raises its own error types for a broken workbook
        raise InputFileError(
            f"{path.name} could not be read as an Excel workbook: {_first_line(error)}"
        ) from None
    warnings = []
    if len(sheet_names) > 1:
        others = ", ".join(repr(s) for s in sheet_names[1:])
        warnings.append(
            f"{path.name} has {len(sheet_names)} sheets; read the first, {sheet_names[0]!r}, "
            f"and ignored {others}."
        )
    # Blank rows above the header are skipped; the row numbers still count them.
    skipped = 0
    while rows and all(_blank(v) for v in rows[0]):
        rows.pop(0)
        skipped += 1
    if not rows:
        raise InputFileError(f"{path.name} is empty (its first sheet has no cells).")
    header = [str(v).strip() if not _blank(v) else "" for v in rows[0]]
    while header and not header[-1]:
        header.pop()
    body = rows[1:]
    while body and all(_blank(v) for v in body[-1]):
        body.pop()
    columns = {}
    for i, name in enumerate(header):
        if not name:
            name = f"(unnamed column {i + 1})"
        columns[name] = pa.array(
            [_cell_text(r[i]) if i < len(r) else None for r in body], pa.string()
        )
    table = pa.table(columns) if columns else pa.table({})
    return RawTable(table=table, source=path.name, first_row=skipped + 2, warnings=warnings)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _cell_text(value: object) -> str | None:
    """An Excel cell as the text a CSV would hold (dates as YYYY-MM-DD, whole numbers plain)."""
    if _blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value).strip()
