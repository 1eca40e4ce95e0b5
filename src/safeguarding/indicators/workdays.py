"""Working days in England and Wales: weekdays that are not bank holidays.

The bank holidays are data (``safeguarding/catalogue/bank_holidays.yaml``). Differences are
worked out here with numpy's business-day calendar, once, in Python, before any table reaches an
engine: DuckDB, PostgreSQL and Spark then only compare whole numbers, so they cannot disagree
about a calendar (none of them has one built in, and each would need its own).

The convention (the CIN census guide's): the working days from one date to a later one are the
working days after the first date up to and including the second. A referral on a Friday and an
assessment authorised the next Monday are one working day apart; if that Monday is a bank
holiday, none; a referral and an authorisation on the same day, 0.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import yaml


@dataclass(frozen=True)
class BankHolidays:
    """The bank holidays of England and Wales and the years the list covers (inclusive)."""

    dates: tuple[dt.date, ...]
    first_year: int
    last_year: int

    def covers(self, day: dt.date) -> bool:
        return self.first_year <= day.year <= self.last_year


@cache
def bank_holidays() -> BankHolidays:
    """The list in the catalogue, checked: every date a weekday in the year it is filed under."""
    text = (
        resources.files("safeguarding.catalogue")
        .joinpath("bank_holidays.yaml")
        .read_text(encoding="utf-8")
    )
    raw = yaml.safe_load(text)
    first, last = int(raw["first_year"]), int(raw["last_year"])
    dates: list[dt.date] = []
    by_year = raw["england_and_wales"]
    for year in range(first, last + 1):
        if year not in by_year:
            raise ValueError(f"bank_holidays.yaml has no bank holidays for {year}")
        for day in by_year[year]:
            if not isinstance(day, dt.date) or day.year != year or day.weekday() >= 5:
                raise ValueError(f"bank_holidays.yaml: {day!r} is not a weekday of {year}")
            dates.append(day)
    if len(set(dates)) != len(dates):
        raise ValueError("bank_holidays.yaml lists a date twice")
    return BankHolidays(dates=tuple(sorted(dates)), first_year=first, last_year=last)


@cache
def _calendar() -> np.busdaycalendar:
    holidays = np.array(bank_holidays().dates, dtype="datetime64[D]")
    return np.busdaycalendar(weekmask="1111100", holidays=holidays)


def _days(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """Dates as datetime64[D] (nulls filled with the epoch) and a mask of the valid ones."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    values = values.cast(pa.date32())
    valid = pc.is_valid(values).to_numpy(zero_copy_only=False)
    filled = values.fill_null(dt.date(1970, 1, 1)) if values.null_count else values
    return filled.to_numpy(zero_copy_only=False).astype("datetime64[D]"), valid


def working_days_between(
    start: pa.Array | pa.ChunkedArray, end: pa.Array | pa.ChunkedArray
) -> pa.Array:
    """Working days from each ``start`` to its ``end`` (int32): after the start, up to and
    including the end. Negative when the end comes first; null when either date is missing."""
    start_days, start_valid = _days(start)
    end_days, end_valid = _days(end)
    one = np.timedelta64(1, "D")
    # busday_count counts [begin, end); shifting both by a day gives (start, end].
    forward = np.busday_count(start_days + one, end_days + one, busdaycal=_calendar())
    # Backwards, the same count the other way round, negated (numpy's own differs by a day).
    backward = -np.busday_count(end_days + one, start_days + one, busdaycal=_calendar())
    counts = np.where(end_days >= start_days, forward, backward)
    return pa.array(counts.astype(np.int32), pa.int32(), mask=~(start_valid & end_valid))


def uncovered_years(*columns: pa.Array | pa.ChunkedArray) -> list[int]:
    """The years of any dates in ``columns`` that the bank holiday list does not cover."""
    holidays = bank_holidays()
    years: set[int] = set()
    for column in columns:
        found = pc.unique(pc.year(column).drop_null()).to_pylist()
        years.update(y for y in found if not holidays.first_year <= y <= holidays.last_year)
    return sorted(years)
