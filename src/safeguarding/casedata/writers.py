"""Writing an Arrow table as CSV, Parquet or XLSX, chosen by the file's extension."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from safeguarding.casedata.xlsx import EXCEL_MAX_ROWS, write_xlsx

WRITABLE = (".csv", ".parquet", ".xlsx")


def check_writable(path: str | os.PathLike[str]) -> None:
    """Refuse, before any work, an output whose extension is not one we write."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITABLE:
        raise ValueError(
            f"{Path(path).name}: the output must end in .csv, .parquet or .xlsx "
            "(the format follows the extension)."
        )


def write_table(table: pa.Table, path: str | os.PathLike[str], sheet_name: str = "Sheet1") -> None:
    """Write ``table`` to ``path`` in the format its extension names."""
    check_writable(path)
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        pacsv.write_csv(table, path)
    elif suffix == ".parquet":
        pq.write_table(table, path)
    else:
        if table.num_rows >= EXCEL_MAX_ROWS:
            raise ValueError(
                f"{table.num_rows:,} rows do not fit in an Excel sheet (at most "
                f"{EXCEL_MAX_ROWS - 1:,} below the header); write CSV or Parquet instead."
            )
        write_xlsx(path, [(sheet_name, _rows(table))])


def _rows(table: pa.Table) -> Iterator[Sequence[object]]:
    yield table.column_names
    for batch in table.to_batches(max_chunksize=50_000):
        columns = [column.to_pylist() for column in batch.columns]
        yield from zip(*columns, strict=True)
