"""Working days in England and Wales, and the bank holidays they rest on."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa

from safeguarding.indicators.workdays import bank_holidays, uncovered_years, working_days_between


def _easter(year: int) -> dt.date:
    """Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _days(*dates: str) -> pa.Array:
    return pa.array([dt.date.fromisoformat(d) if d else None for d in dates], pa.date32())


def test_the_list_covers_2015_to_2027_with_good_friday_and_easter_monday_each_year() -> None:
    holidays = bank_holidays()
    assert holidays.first_year <= 2015 and holidays.last_year >= 2027
    for year in range(2015, 2028):
        easter = _easter(year)
        assert easter - dt.timedelta(days=2) in holidays.dates, year
        assert easter + dt.timedelta(days=1) in holidays.dates, year


def test_one_off_and_substitute_days_are_listed() -> None:
    dates = set(bank_holidays().dates)
    for day in (
        "2022-06-02",  # spring bank holiday moved for the Platinum Jubilee
        "2022-06-03",  # Platinum Jubilee
        "2022-09-19",  # State Funeral of Queen Elizabeth II
        "2023-05-08",  # Coronation of King Charles III
        "2020-05-08",  # VE Day 75
        "2021-12-27",  # Christmas Day on a Saturday
        "2021-12-28",  # Boxing Day on a Sunday
        "2022-01-03",  # New Year's Day on a Saturday
        "2024-12-25",
        "2025-08-25",
    ):
        assert dt.date.fromisoformat(day) in dates, day
    # The usual last Monday of May 2022 and first Monday of May 2020 were not holidays.
    assert dt.date(2022, 5, 30) not in dates
    assert dt.date(2020, 5, 4) not in dates


def test_working_days_run_from_the_day_after_the_start_to_the_end_inclusive() -> None:
    counted = working_days_between(
        _days("2024-12-20", "2024-12-20", "2024-03-28", "2024-03-28", "2025-01-03", "2025-01-03",
              "2025-01-06", None),
        _days("2025-02-26", "2025-02-27", "2024-04-22", "2024-04-23", "2025-01-06", "2025-01-03",
              "2025-01-03", "2025-01-03"),
    )  # fmt: skip
    # Christmas and New Year 2024 (25, 26 Dec, 1 Jan) and Easter 2024 (29 Mar, 1 Apr) skipped.
    assert counted.to_pylist() == [45, 46, 15, 16, 1, 0, -1, None]


def test_years_outside_the_list_are_named() -> None:
    assert uncovered_years(_days("2014-05-01", "2024-01-01", None)) == [2014]
