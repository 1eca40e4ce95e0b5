"""Population denominators (``shared/specs/population.md``): reading and checking the file."""

from __future__ import annotations

import os

import duckdb
import pyarrow as pa

from safeguarding.casedata.files import read_table
from safeguarding.casedata.report import (
    DEFAULT_LIMIT,
    InputFileError,
    InputFileInvalid,
    Problem,
    ValidationReport,
)
from safeguarding.catalogue import code_list

POPULATION_SCHEMA = pa.schema(
    [
        pa.field("geography_code", pa.string()),
        pa.field("period", pa.string()),
        pa.field("age_band", pa.string()),
        pa.field("sex", pa.string()),
        pa.field("ethnicity", pa.string()),
        pa.field("population", pa.int64()),
    ]
)
COLUMNS = tuple(POPULATION_SCHEMA.names)
KEY = COLUMNS[:-1]
ALL = "all"  # a cell summed over every value of its dimension
CHILD_BANDS = ("0-17", *(str(age) for age in range(18)))
SEXES = ("F", "M")


def age_bands() -> tuple[str, ...]:
    """Every age band a population file may use: the adult bands and the children's."""
    return (*(c.code for c in code_list("sac_age_band").codes), *CHILD_BANDS)


def _text(values: tuple[str, ...]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _checks() -> list[tuple[str, str, str, str]]:
    """(kind, column, condition, message) for each check of one row."""
    checks = [
        (kind, c, f"{c} IS NULL", "is empty, but every row needs a value here")
        for kind, c in (("missing_value", c) for c in COLUMNS)
    ]
    checks += [
        (
            "wrong_type",
            "period",
            "period IS NOT NULL AND NOT (regexp_full_match(period, '\\d{4}-\\d{2}') "
            # TRY_CAST: DuckDB may cast before it has checked the shape, and a period of another
            # shape is a problem to report, not a reason for the query to fail.
            "AND (TRY_CAST(left(period, 4) AS INTEGER) + 1) % 100 "
            "= TRY_CAST(right(period, 2) AS INTEGER))",
            "{value} is not a financial year written like 2024-25",
        ),
        (
            "unknown_code",
            "age_band",
            f"age_band IS NOT NULL AND age_band NOT IN {_text(age_bands())}",
            "{value} is not an age band (" + ", ".join(age_bands()[:6]) + ", ...)",
        ),
        (
            "unknown_code",
            "sex",
            f"sex IS NOT NULL AND sex NOT IN {_text((*SEXES, ALL))}",
            "{value} is not F, M or all",
        ),
        (
            "wrong_type",
            "population",
            "population IS NOT NULL AND NOT regexp_full_match(population, '-?\\d+(\\.0*)?')",
            "{value} is not a whole number",
        ),
        (
            "out_of_range",
            "population",
            "regexp_full_match(population, '-?\\d+(\\.0*)?') AND population LIKE '-%' "
            "AND TRY_CAST(split_part(population, '.', 1) AS BIGINT) <> 0",
            "{value} is negative",
        ),
        (
            "out_of_range",
            "population",
            "regexp_full_match(population, '-?\\d+(\\.0*)?') "
            "AND TRY_CAST(split_part(population, '.', 1) AS BIGINT) IS NULL",
            "{value} has too many digits to be a population",
        ),
    ]
    return checks


def read_population(
    path: str | os.PathLike[str], *, limit: int = DEFAULT_LIMIT
) -> tuple[pa.Table, ValidationReport]:
    """Read and check a population file; InputFileInvalid carries the problems if any."""
    raw = read_table(path)
    report = ValidationReport(source=raw.source, rows_read=raw.table.num_rows, limit=limit)
    missing = [c for c in COLUMNS if c not in raw.table.column_names]
    if missing:
        raise InputFileError(
            f"{raw.source} is missing the {'column' if len(missing) == 1 else 'columns'} "
            f"{', '.join(missing)}. A population file needs: {', '.join(COLUMNS)}."
        )
    extra = [c for c in raw.table.column_names if c not in COLUMNS]
    if extra:
        report.warnings.append(f"These columns were ignored: {', '.join(extra)}.")
    table = raw.table.select(list(COLUMNS))
    table = table.append_column(
        "_row", pa.array(range(raw.first_row, raw.first_row + table.num_rows), pa.int64())
    )
    texts = []
    for c in COLUMNS:
        text = f"NULLIF(trim(CAST(\"{c}\" AS VARCHAR)), '')"
        if c == "sex":
            # F and M are codes; "all" is written in lower case by the spec but read in any case.
            text = f"CASE WHEN lower({text}) = '{ALL}' THEN '{ALL}' ELSE upper({text}) END"
        elif c == "ethnicity":
            text = f"CASE WHEN lower({text}) = '{ALL}' THEN '{ALL}' ELSE upper({text}) END"
        texts.append(f"{text} AS {c}")
    con = duckdb.connect()
    try:
        con.register("raw_file", table)
        con.execute(f"CREATE TEMP TABLE staged AS SELECT _row, {', '.join(texts)} FROM raw_file")
        problems: list[Problem] = []
        checks = _checks()
        keys = ", ".join(KEY)
        duplicate = (
            "duplicate_id",
            "population",
            f"SELECT _row, concat_ws(' / ', {keys}) AS value, CAST(first_row AS VARCHAR) AS other "
            f"FROM (SELECT _row, {keys}, min(_row) OVER (PARTITION BY {keys}) AS first_row "
            "FROM staged) WHERE _row > first_row",
            "the cell {value} is also on row {other}; each cell may appear once",
        )
        queries = [
            (
                kind,
                column,
                f"SELECT _row, {column} AS value, NULL AS other FROM staged WHERE {cond}",
                message,
            )
            for kind, column, cond, message in checks
        ]
        queries.append(duplicate)
        bad_rows: set[int] = set()
        for kind, column, query, message in queries:
            found = con.execute(f"SELECT * FROM ({query}) ORDER BY _row").fetchall()
            if not found:
                continue
            report.counts[kind] = report.counts.get(kind, 0) + len(found)
            bad_rows.update(int(r[0]) for r in found)
            problems += [
                Problem(
                    row=int(row),
                    column=column,
                    value=value,
                    kind=kind,
                    message=message.format(
                        value=value if value is not None else "(empty)", other=other
                    ),
                )
                for row, value, other in found[:limit]
            ]
        problems.sort(key=lambda p: p.row)
        report.problems = problems[:limit]
        report.rows_with_problems = len(bad_rows)
        if not report.ok:
            raise InputFileInvalid(report)
        population = con.sql(
            f"SELECT {', '.join(KEY)}, "
            "CAST(split_part(population, '.', 1) AS BIGINT) AS population "
            "FROM staged ORDER BY _row"
        ).to_arrow_table()
    finally:
        con.close()
    return population.cast(POPULATION_SCHEMA), report
