"""Disclosure control for published tables (``indicators.md``, ``--suppress``).

The convention of the official statistics: a count from 1 to 4 is shown as ``[c]``; every other
count is rounded to the nearest 5 (0 stays 0); a value computed from a suppressed count (its
numerator or denominator is 1 to 4) is itself ``[c]``, and so are its confidence limits.
Percentages and rates are computed from the unrounded counts, before any of this.

Output types: a suppressed table has the same columns as the tidy table, but ``numerator``,
``denominator``, ``value``, ``lower_ci`` and ``upper_ci`` are strings, because ``[c]`` has to sit
beside numbers. Counts are written as whole numbers; percentages and rates to one decimal
place and ratios to two (``VALUE_DECIMALS``). Empty cells (no denominator, no interval) stay null.
"""

from __future__ import annotations

import math

import pyarrow as pa

SUPPRESSED = "[c]"
SMALLEST_SHOWN = 5
ROUNDING_BASE = 5
VALUE_DECIMALS = {"count": 0, "percent": 1, "rate_per_10000": 1, "rate_per_100000": 1, "ratio": 2}
SUPPRESSED_COLUMNS = ("numerator", "denominator", "value", "lower_ci", "upper_ci")


def is_suppressed(count: int | None) -> bool:
    """Whether a count is small enough to identify someone: 1 to 4."""
    return count is not None and 0 < count < SMALLEST_SHOWN


def round_count(count: int) -> int:
    """``count`` to the nearest 5. Counts are whole, so there is never a tie: 7 -> 5, 8 -> 10."""
    if count < 0:
        raise ValueError(f"a count cannot be negative: {count}")
    return ROUNDING_BASE * ((count + ROUNDING_BASE // 2) // ROUNDING_BASE)


def count_text(count: int | None) -> str | None:
    """How a count is published: null, ``[c]`` or the count rounded to the nearest 5."""
    if count is None:
        return None
    if is_suppressed(count):
        return SUPPRESSED
    return str(round_count(count))


def _figure_text(figure: float | None, unit: str) -> str | None:
    if figure is None or math.isnan(figure):
        return None
    return f"{figure:.{VALUE_DECIMALS[unit]}f}"


def _whole(figure: float | None) -> int | None:
    if figure is None or math.isnan(figure):
        return None
    return round(figure)


def suppress(table: pa.Table) -> pa.Table:
    """The tidy table as it may be published: see the module's docstring for the rules."""
    columns = table.to_pydict()
    published: dict[str, list[str | None]] = {name: [] for name in SUPPRESSED_COLUMNS}
    for unit, numerator, denominator, value, lower, upper in zip(
        columns["unit"],
        columns["numerator"],
        columns["denominator"],
        columns["value"],
        columns["lower_ci"],
        columns["upper_ci"],
        strict=True,
    ):
        published["numerator"].append(count_text(numerator))
        published["denominator"].append(count_text(denominator))
        if unit == "count":
            # A plain count's value is the count itself.
            figure = count_text(_whole(value))
            published["value"].append(figure)
            hidden = figure == SUPPRESSED
            for name, limit in (("lower_ci", lower), ("upper_ci", upper)):
                shown = _figure_text(limit, unit)
                published[name].append(SUPPRESSED if hidden and shown is not None else shown)
        elif is_suppressed(numerator) or is_suppressed(denominator):
            for name in ("value", "lower_ci", "upper_ci"):
                published[name].append(SUPPRESSED)
        else:
            published["value"].append(_figure_text(value, unit))
            published["lower_ci"].append(_figure_text(lower, unit))
            published["upper_ci"].append(_figure_text(upper, unit))
    result = table
    for name in SUPPRESSED_COLUMNS:
        position = result.schema.get_field_index(name)
        result = result.set_column(position, name, pa.array(published[name], pa.string()))
    return result
