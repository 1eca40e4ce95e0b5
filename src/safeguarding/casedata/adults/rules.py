"""The validation rules of the adult case file, one per check, as data.

Each rule is a SQL condition over the staged table (for every column ``c``: ``c``, the value as
text, trimmed and upper-cased for codes; and ``c__v``, the value as its type, null when it could
not be converted). A rule names the kind of problem, the column it reports and the message that
completes "Row 14, column enquiry_end_date: ...". Adding next year's rule is adding a line here.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from safeguarding.casedata.adults.schema import (
    ACTION_ON_RISK,
    AGE_MAX,
    AGE_MIN,
    COLUMNS,
    LACKED_CAPACITY,
    NO_ENQUIRY,
    OUTCOMES_EXPRESSED,
    Kind,
    codes_of,
)
from safeguarding.catalogue.geography import known_ons_codes

DATE_SHAPE = r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?"
WHOLE_NUMBER_SHAPE = r"[+-]?\d+(\.0*)?"
EARLIEST_PLAUSIBLE = "2000-01-01"
LONG_LIST = 32


@dataclass(frozen=True)
class Rule:
    """One check: rows where ``condition`` holds have the problem."""

    kind: str
    column: str
    condition: str
    message: str  # may use {value} and {other}
    other: str | None = None  # SQL for a second value the message quotes


def sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def sql_list(values: tuple[str, ...] | frozenset[str]) -> str:
    return "(" + ", ".join(sql_text(v) for v in sorted(values)) + ")"


def sql_set(values: tuple[str, ...] | frozenset[str]) -> str:
    """``values`` for ``x IN ...``: a list, or for a long one a subquery, which DuckDB tests by
    hashing rather than by comparing with each value in turn."""
    if len(values) <= LONG_LIST:
        return sql_list(values)
    return "(SELECT unnest([" + ", ".join(sql_text(v) for v in sorted(values)) + "]))"


def _code_list_words(column: str) -> str:
    codes = codes_of(column)
    shown = ", ".join(codes[:12]) + (", ..." if len(codes) > 12 else "")
    return f"is not a {column} code (the codes are {shown})"


def rules(today: str, typed: frozenset[str] = frozenset()) -> Iterator[Rule]:
    """Every row-level rule; ``today`` (YYYY-MM-DD) is the latest date a record may carry.

    Columns in ``typed`` are held by the file as dates or integers (a Parquet file's own
    types): their text always has the right shape, so the same rules need no pattern matching.
    """
    for column in COLUMNS:
        c = column.name
        if column.required:
            yield Rule(
                "missing_value", c, f"{c} IS NULL", "is empty, but every row needs a value here"
            )
        if column.kind is Kind.DATE:
            yield from _date_rules(c, today, typed=c in typed)
        elif column.kind is Kind.INTEGER:
            yield from _age_rules(c, typed=c in typed)
        elif column.kind is Kind.CODE:
            yield Rule(
                "unknown_code",
                c,
                f"{c} IS NOT NULL AND {c} NOT IN {sql_list(codes_of(c))}",
                "{value} " + _code_list_words(c),
            )
    yield Rule(
        "unknown_code",
        "la_code",
        f"la_code IS NOT NULL AND la_code NOT IN {sql_set(known_ons_codes())}",
        "{value} is not the ONS code of an English council with adult social care responsibilities",
    )
    yield from _consistency_rules()


def _date_rules(c: str, today: str, *, typed: bool) -> Iterator[Rule]:
    if typed:
        # A date column's text has the right shape for every date from year 1 to 9999.
        yield Rule(
            "wrong_type",
            c,
            f"{c} IS NOT NULL AND {c}__v IS NULL",
            "{value} is not a date written YYYY-MM-DD",
        )
    else:
        yield Rule(
            "wrong_type",
            c,
            f"{c} IS NOT NULL AND NOT regexp_full_match({c}, '{DATE_SHAPE}')",
            "{value} is not a date written YYYY-MM-DD",
        )
        yield Rule(
            "impossible_date",
            c,
            f"{c} IS NOT NULL AND regexp_full_match({c}, '{DATE_SHAPE}') AND {c}__v IS NULL",
            "{value} is not a real date",
        )
    yield Rule("future_date", c, f"{c}__v > DATE '{today}'", "{value} is in the future")
    yield Rule(
        "out_of_range",
        c,
        f"{c}__v < DATE '{EARLIEST_PLAUSIBLE}'",
        "{value} is before 2000, too early to be right",
    )


def _age_rules(c: str, *, typed: bool) -> Iterator[Rule]:
    message = f"{{value}} is not an age from {AGE_MIN} to {AGE_MAX}"
    if typed:
        # An integer column's text is always a whole number.
        yield Rule(
            "out_of_range", c, f"{c}__v IS NOT NULL AND {c}__v NOT BETWEEN {AGE_MIN} AND {AGE_MAX}",
            message,
        )  # fmt: skip
        return
    yield Rule(
        "wrong_type",
        c,
        f"{c} IS NOT NULL AND NOT regexp_full_match({c}, '{WHOLE_NUMBER_SHAPE}')",
        "{value} is not a whole number",
    )
    yield Rule(
        "out_of_range",
        c,
        f"{c} IS NOT NULL AND regexp_full_match({c}, '{WHOLE_NUMBER_SHAPE}') "
        f"AND ({c}__v IS NULL OR {c}__v NOT BETWEEN {AGE_MIN} AND {AGE_MAX})",
        message,
    )


def _consistency_rules() -> Iterator[Rule]:
    no_enquiry = f"enquiry_type = {sql_text(NO_ENQUIRY)}"
    has_enquiry = f"enquiry_type IN {sql_list(codes_of('enquiry_type'))} AND NOT ({no_enquiry})"
    for column in COLUMNS:
        if column.enquiry_field:
            yield Rule(
                "inconsistent",
                column.name,
                f"{no_enquiry} AND {column.name} IS NOT NULL",
                f"{{value}} is filled in, but enquiry_type is {NO_ENQUIRY} (no enquiry)",
            )
    yield Rule(
        "inconsistent",
        "enquiry_start_date",
        f"{has_enquiry} AND enquiry_start_date IS NULL",
        "is empty, but enquiry_type is {other}, and an enquiry needs its start date",
        other="enquiry_type",
    )
    yield Rule(
        "inconsistent",
        "enquiry_end_date",
        "enquiry_end_date__v < enquiry_start_date__v",
        "{value} is before the enquiry start date, {other}",
        other="enquiry_start_date",
    )
    action = sql_list(ACTION_ON_RISK)
    yield Rule(
        "inconsistent",
        "risk_outcome",
        f"{has_enquiry} AND risk_outcome IS NOT NULL "
        f"AND (risk_assessment IS NULL OR risk_assessment NOT IN {action})",
        "{value} is given, but a risk outcome is only recorded when risk_assessment is "
        + " or ".join(ACTION_ON_RISK)
        + " (here it is {other})",
        other="coalesce(risk_assessment, 'empty')",
    )
    yield Rule(
        "inconsistent",
        "capacity_support",
        f"{has_enquiry} AND capacity_support IS NOT NULL "
        f"AND (lacked_capacity IS NULL OR lacked_capacity <> {sql_text(LACKED_CAPACITY)})",
        "{value} is given, but support is only recorded when lacked_capacity is "
        f"{LACKED_CAPACITY} (here it is {{other}})",
        other="coalesce(lacked_capacity, 'empty')",
    )
    yield Rule(
        "inconsistent",
        "msp_outcome",
        f"{has_enquiry} AND msp_outcome IS NOT NULL "
        f"AND (msp_asked IS NULL OR msp_asked <> {sql_text(OUTCOMES_EXPRESSED)})",
        "{value} is given, but outcomes achieved are only recorded when msp_asked is "
        f"{OUTCOMES_EXPRESSED} (here it is {{other}})",
        other="coalesce(msp_asked, 'empty')",
    )
    yield Rule(
        "inconsistent",
        "msp_outcome",
        f"{has_enquiry} AND msp_outcome IS NOT NULL AND msp_asked = {sql_text(OUTCOMES_EXPRESSED)} "
        "AND enquiry_end_date IS NULL",
        "{value} is given, but the enquiry has not concluded (enquiry_end_date is empty)",
    )
