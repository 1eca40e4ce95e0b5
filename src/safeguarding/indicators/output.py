"""Writing the tidy table to a file whose extension names the format."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa

from safeguarding.casedata.writers import write_table

FORMATS = (".csv", ".parquet", ".xlsx", ".json")


def check_output(path: str | os.PathLike[str]) -> None:
    """Refuse, before any work, an output whose extension is not one we write."""
    if Path(path).suffix.lower() not in FORMATS:
        raise ValueError(
            f"{Path(path).name}: the output must end in {', '.join(FORMATS)} "
            "(the format follows the extension)."
        )


def write_indicators(table: pa.Table, path: str | os.PathLike[str]) -> None:
    """Write the tidy table as CSV, Parquet, XLSX or JSON (a list of one object per row)."""
    check_output(path)
    if Path(path).suffix.lower() == ".json":
        with open(path, "w", encoding="utf-8") as handle:
            # Nulls (no denominator, no interval) are JSON null; there are no NaNs left to write.
            json.dump(table.to_pylist(), handle, ensure_ascii=False, allow_nan=False, indent=1)
            handle.write("\n")
    else:
        write_table(table, path, sheet_name="indicators")
