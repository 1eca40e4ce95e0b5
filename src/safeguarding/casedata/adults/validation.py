"""Checking an adult case file against ``adult-cases.md`` and turning it into the normalised
tables. Every check runs as SQL in DuckDB over the whole Arrow table at once; there is no loop
over rows, so millions of rows take seconds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from safeguarding.casedata.adults.rules import (
    DATE_SHAPE,
    WHOLE_NUMBER_SHAPE,
    Rule,
    rules,
    sql_list,
    sql_text,
)
from safeguarding.casedata.adults.schema import (
    COLUMN_NAMES,
    COLUMNS,
    CONCERNS_SCHEMA,
    MULTI_VALUE_SEPARATOR,
    NO_ENQUIRY,
    RISK_TYPES_SCHEMA,
    AdultCaseTables,
    Kind,
    codes_of,
)
from safeguarding.casedata.files import RawTable
from safeguarding.casedata.report import (
    DEFAULT_LIMIT,
    InputFileError,
    InputFileInvalid,
    Problem,
    ValidationReport,
)

ROW = "_row"
SOURCE = "_source_"  # prefixes a typed column as the file holds it, within the staging view


@dataclass(frozen=True)
class _Check:
    """A rule as a query giving the row, the value and the other value it quotes."""

    kind: str
    column: str
    query: str
    message: str
    condition: str | None = None  # for checks that are a WHERE over `staged`
    aggregate: str | None = None  # how many rows fail, as an aggregate over `staged`


def validate_adult_cases(
    raw: RawTable,
    *,
    valid_rows_only: bool = False,
    limit: int = DEFAULT_LIMIT,
    today: dt.date | None = None,
) -> tuple[AdultCaseTables, ValidationReport]:
    """Check every row of ``raw``; return the normalised tables and what was found.

    Raises InputFileInvalid (carrying the report) when there are problems, unless
    ``valid_rows_only``, when the rows with problems are left out and counted in the report.
    """
    report = ValidationReport(
        source=raw.source,
        rows_read=raw.num_rows + len(raw.problems),
        warnings=list(raw.warnings),
        limit=limit,
    )
    present = set(raw.table.column_names)
    missing = [name for name in COLUMN_NAMES if name not in present]
    if missing:
        raise InputFileError(
            f"{raw.source} is missing the {'column' if len(missing) == 1 else 'columns'} "
            f"{', '.join(missing)}. An adult case file needs all of: {', '.join(COLUMN_NAMES)}."
        )
    extra = [name for name in raw.table.column_names if name not in COLUMN_NAMES]
    if extra:
        report.warnings.append(
            f"These columns are not part of the format and were ignored: {', '.join(extra)}."
        )

    today_text = (today or dt.date.today()).isoformat()

    # No DuckDB progress bar on stderr: the command shows its own, and only on a terminal.
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    try:
        return _validated(con, raw, today_text, limit, valid_rows_only, report)
    except duckdb.Error as error:
        if raw.parquet is None:
            raise
        # DuckDB reads a Parquet file itself, lazily, so a file broken inside (its metadata
        # whole, its pages not) fails at whichever query first reaches the broken part.
        raise InputFileError(
            f"{raw.source} could not be read as Parquet: {_first_line(error)}"
        ) from None
    finally:
        con.close()


def _validated(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    today_text: str,
    limit: int,
    valid_rows_only: bool,
    report: ValidationReport,
) -> tuple[AdultCaseTables, ValidationReport]:
    """Every check over the file's rows, then the normalised tables (see the caller)."""
    _register_source(con, raw)
    typed = _typed_columns(con)
    con.execute(_staging_sql(typed))
    checks = _checks(today_text, typed)
    counts = _count(con, checks)
    found = [(check, n) for check, n in zip(checks, counts, strict=True) if n]
    listed = list(raw.problems)
    for check, _ in found:
        listed += _list(con, check, limit)
    listed.sort(
        key=lambda p: (p.row, COLUMN_NAMES.index(p.column) if p.column in COLUMN_NAMES else -1)
    )
    report.problems = listed[:limit]
    for check, n in found:
        report.counts[check.kind] = report.counts.get(check.kind, 0) + n
    if raw.problems:
        report.counts["bad_row"] = len(raw.problems)
    if found:
        con.execute(
            "CREATE TEMP TABLE bad AS SELECT DISTINCT _row FROM ("
            + " UNION ALL ".join(f"SELECT _row FROM ({c.query})" for c, _ in found)
            + ")"
        )
        bad_rows = con.execute("SELECT count(*) FROM bad").fetchall()[0][0]
    else:
        con.execute("CREATE TEMP TABLE bad (_row BIGINT)")
        bad_rows = 0
    report.rows_with_problems = bad_rows + len(raw.problems)
    if not report.ok and not valid_rows_only:
        raise InputFileInvalid(report)
    report.rows_left_out = report.rows_with_problems
    return _normalised(con, any_bad=bool(found)), report


def _register_source(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """The file's columns of the format, and each row's number in the file, as ``raw_file``."""
    if raw.parquet is not None:
        # DuckDB reads the Parquet file where it is, in parallel, with no Arrow copy of it.
        original = dict(zip(raw.table.column_names, raw.parquet_names, strict=True))
        columns = ", ".join(f"{_quoted(original[name])} AS {name}" for name in COLUMN_NAMES)
        con.execute(
            f"CREATE TEMP VIEW raw_file AS SELECT {columns}, "
            f"file_row_number + {int(raw.first_row)} AS {ROW} "
            f"FROM read_parquet({sql_text(str(raw.parquet))}, file_row_number = true)"
        )
        return
    table = raw.table.select(list(COLUMN_NAMES))
    numbers = np.arange(raw.first_row, raw.first_row + table.num_rows, dtype=np.int64)
    con.register("raw_file", table.append_column(ROW, pa.array(numbers)))


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


# Source types whose values are already what a column holds, so they need no parsing.
_DATE_TYPES = frozenset({"DATE"})
_INTEGER_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER"}
)


def _typed_columns(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    """The date and whole-number columns the file already holds as dates and integers."""
    types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE raw_file)").fetchall())
    return frozenset(
        column.name
        for column in COLUMNS
        if (column.kind is Kind.DATE and types[column.name] in _DATE_TYPES)
        or (column.kind is Kind.INTEGER and types[column.name] in _INTEGER_TYPES)
    )


def _staging_sql(typed: frozenset[str] = frozenset()) -> str:
    """A view with, for each column, its text (trimmed; codes upper-cased) and its typed value.

    Columns in ``typed`` already hold dates or integers: their value is taken as it is (a date
    only within the years 1 to 9999, which is what the text of a date can show).
    """
    texts = []
    for column in COLUMNS:
        text = f"NULLIF(trim(CAST(\"{column.name}\" AS VARCHAR)), '')"
        if column.kind in (Kind.CODE, Kind.CODES) or column.name == "la_code":
            text = f"upper({text})"
        texts.append(f"{text} AS {column.name}")
    typed_values = []
    for column in COLUMNS:
        c = column.name
        if column.kind is Kind.DATE and c in typed:
            typed_values.append(
                f"CASE WHEN {SOURCE}{c} BETWEEN DATE '0001-01-01' AND DATE '9999-12-31' "
                f"THEN {SOURCE}{c} END AS {c}__v"
            )
        elif column.kind is Kind.INTEGER and c in typed:
            typed_values.append(f"CAST({SOURCE}{c} AS BIGINT) AS {c}__v")
        elif column.kind is Kind.DATE:
            typed_values.append(
                f"CASE WHEN regexp_full_match({c}, '{DATE_SHAPE}') "
                f"THEN CAST(try_strptime(left({c}, 10), '%Y-%m-%d') AS DATE) END AS {c}__v"
            )
        elif column.kind is Kind.INTEGER:
            typed_values.append(
                f"CASE WHEN regexp_full_match({c}, '{WHOLE_NUMBER_SHAPE}') "
                f"THEN TRY_CAST(split_part({c}, '.', 1) AS BIGINT) END AS {c}__v"
            )
    sources = "".join(f", {c} AS {SOURCE}{c}" for c in sorted(typed))
    star = f"* EXCLUDE ({', '.join(SOURCE + c for c in sorted(typed))})" if typed else "*"
    return (
        f"CREATE TEMP VIEW staged AS SELECT {star}, {', '.join(typed_values)} "
        f"FROM (SELECT {ROW}, {', '.join(texts)}{sources} FROM raw_file)"
    )


def _checks(today: str, typed: frozenset[str] = frozenset()) -> list[_Check]:
    checks = [_rule_check(rule) for rule in rules(today, typed)]
    risk_codes = sql_list(codes_of("risk_types"))
    checks.append(
        _Check(
            "unknown_code",
            "risk_types",
            f"SELECT {ROW}, item AS value, risk_types AS other FROM ("
            f"SELECT {ROW}, risk_types, trim(unnest(string_split(risk_types, "
            f"'{MULTI_VALUE_SEPARATOR}'))) AS item FROM staged WHERE risk_types IS NOT NULL) "
            f"WHERE item <> '' AND item NOT IN {risk_codes}",
            "{value} (in {other}) is not a risk_types code (the codes are "
            + ", ".join(codes_of("risk_types"))
            + ")",
        )
    )
    checks.append(
        _Check(
            "duplicate_id",
            "concern_id",
            f"SELECT {ROW}, concern_id AS value, CAST(first_row AS VARCHAR) AS other FROM ("
            f"SELECT {ROW}, concern_id, min({ROW}) OVER (PARTITION BY concern_id) AS first_row "
            f"FROM staged WHERE concern_id IS NOT NULL) WHERE {ROW} > first_row",
            "{value} is also the concern_id of row {other}; each concern needs its own id",
            # Every row of an id but its first: no window over the whole file unless there are.
            # The same count in the pass over the table that counts the other checks.
            aggregate="count(concern_id) - count(DISTINCT concern_id)",
        )
    )
    return checks


def _rule_check(rule: Rule) -> _Check:
    other = rule.other or "NULL"
    return _Check(
        rule.kind,
        rule.column,
        f"SELECT {ROW}, {rule.column} AS value, CAST({other} AS VARCHAR) AS other "
        f"FROM staged WHERE {rule.condition}",
        rule.message,
        condition=rule.condition,
    )


def _count(con: duckdb.DuckDBPyConnection, checks: list[_Check]) -> list[int]:
    """How many rows fail each check; the plain conditions share one pass over the table."""
    simple = [c for c in checks if c.condition is not None or c.aggregate is not None]
    # A sum of CASE is about twice as fast in DuckDB as as many count(*) FILTER (WHERE ...).
    together = con.execute(
        "SELECT "
        + ", ".join(
            c.aggregate or f"coalesce(sum(CASE WHEN {c.condition} THEN 1 ELSE 0 END), 0)"
            for c in simple
        )
        + " FROM staged"
    ).fetchall()[0]
    counted = dict(zip((id(c) for c in simple), together, strict=True))
    return [
        int(counted[id(c)])
        if id(c) in counted
        else int(con.execute(f"SELECT count(*) FROM ({c.query})").fetchall()[0][0])
        for c in checks
    ]


def _list(con: duckdb.DuckDBPyConnection, check: _Check, limit: int) -> list[Problem]:
    rows = con.execute(
        f"SELECT * FROM ({check.query}) ORDER BY {ROW} LIMIT {int(limit)}"
    ).fetchall()
    return [
        Problem(
            row=int(row),
            column=check.column,
            value=value,
            kind=check.kind,
            message=check.message.format(
                value=value if value is not None else "(empty)", other=other
            ),
        )
        for row, value, other in rows
    ]


def _normalised(con: duckdb.DuckDBPyConnection, *, any_bad: bool) -> AdultCaseTables:
    """The tables, in the file's order. Without rows to leave out, the rows come straight
    through in order (DuckDB keeps a scan's order), with no join and no sort."""
    selected = []
    for column in COLUMNS:
        if column.kind is Kind.CODES:
            continue
        if column.kind is Kind.DATE:
            selected.append(f"{column.name}__v AS {column.name}")
        elif column.kind is Kind.INTEGER:
            selected.append(f"CAST({column.name}__v AS INTEGER) AS {column.name}")
        else:
            selected.append(column.name)
    kept = f"FROM staged ANTI JOIN bad USING ({ROW})" if any_bad else "FROM staged"
    in_order = f" ORDER BY {ROW}" if any_bad else ""
    concerns = con.sql(f"SELECT {', '.join(selected)} {kept}{in_order}").to_arrow_table()
    order = " ".join(f"WHEN {code!r} THEN {i}" for i, code in enumerate(codes_of("risk_types")))
    risk_types = con.sql(
        f"SELECT concern_id, risk_type FROM ("
        f"SELECT DISTINCT {ROW}, concern_id, trim(unnest(string_split(risk_types, "
        f"'{MULTI_VALUE_SEPARATOR}'))) AS risk_type {kept} "
        f"WHERE risk_types IS NOT NULL AND enquiry_type <> '{NO_ENQUIRY}') "
        f"WHERE risk_type <> '' ORDER BY {ROW}, CASE risk_type {order} END"
    ).to_arrow_table()
    return AdultCaseTables(
        concerns=concerns.cast(CONCERNS_SCHEMA), risk_types=risk_types.cast(RISK_TYPES_SCHEMA)
    )
