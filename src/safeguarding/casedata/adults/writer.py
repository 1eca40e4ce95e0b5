"""Writing normalised adult case tables back out in the file format of ``adult-cases.md``."""

from __future__ import annotations

import os

import duckdb
import pyarrow as pa

from safeguarding.casedata.adults.schema import (
    COLUMN_NAMES,
    MULTI_VALUE_SEPARATOR,
    AdultCaseTables,
    codes_of,
)
from safeguarding.casedata.writers import write_table


def case_file_table(tables: AdultCaseTables) -> pa.Table:
    """One row per concern in the file's column order, risk types joined with ``;``."""
    order = " ".join(f"WHEN {code!r} THEN {i}" for i, code in enumerate(codes_of("risk_types")))
    con = duckdb.connect()
    try:
        con.register("concerns", tables.concerns)
        con.register("risk_types", tables.risk_types)
        joined = con.sql(
            "WITH listed AS ("
            f"SELECT concern_id, string_agg(risk_type, '{MULTI_VALUE_SEPARATOR}' "
            f"ORDER BY CASE risk_type {order} END) AS risk_types "
            "FROM risk_types GROUP BY concern_id), "
            "numbered AS (SELECT *, row_number() OVER () AS _position FROM concerns) "
            f"SELECT {', '.join(COLUMN_NAMES)} FROM numbered "
            "LEFT JOIN listed USING (concern_id) ORDER BY _position"
        ).to_arrow_table()
    finally:
        con.close()
    return joined


def write_adult_cases(table: pa.Table, path: str | os.PathLike[str]) -> None:
    """Write a case-file table (from ``case_file_table``) as CSV, Parquet or XLSX."""
    write_table(table, path, sheet_name="Concerns")
