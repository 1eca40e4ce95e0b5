"""Disclosure control: small counts hidden, others rounded, derived values hidden with them."""

from __future__ import annotations

import pyarrow as pa
import pytest

from safeguarding.indicators.disclosure import (
    SUPPRESSED,
    count_text,
    is_suppressed,
    round_count,
    suppress,
)
from safeguarding.indicators.tidy import TIDY_SCHEMA


@pytest.mark.parametrize(
    ("count", "published"),
    [(0, 0), (5, 5), (7, 5), (8, 10), (10, 10), (12, 10), (13, 15), (1002, 1000), (1003, 1005)],
)
def test_counts_round_to_the_nearest_5(count: int, published: int) -> None:
    assert round_count(count) == published


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        round_count(-1)


@pytest.mark.parametrize(
    ("count", "text"),
    [(None, None), (0, "0"), (1, SUPPRESSED), (4, SUPPRESSED), (5, "5"), (7, "5"), (8, "10")],
)
def test_how_a_count_is_published(count: int | None, text: str | None) -> None:
    assert count_text(count) == text
    assert is_suppressed(count) == (text == SUPPRESSED)


def _row(
    unit: str,
    numerator: int | None,
    denominator: int | None,
    value: float | None,
    lower: float | None = None,
    upper: float | None = None,
) -> dict:
    return {
        "indicator": "adults.test",
        "geography_level": "la",
        "geography_code": "E09000001",
        "period": "2024-25",
        "breakdown": "total",
        "category": "total",
        "numerator": numerator,
        "denominator": denominator,
        "value": value,
        "lower_ci": lower,
        "upper_ci": upper,
        "unit": unit,
    }


def _published(*rows: dict) -> list[dict]:
    return suppress(pa.Table.from_pylist(list(rows), schema=TIDY_SCHEMA)).to_pylist()


def test_plain_counts_are_hidden_or_rounded() -> None:
    published = _published(
        _row("count", None, None, 0.0),
        _row("count", None, None, 1.0),
        _row("count", None, None, 4.0),
        _row("count", None, None, 5.0),
        _row("count", None, None, 7.0),
        _row("count", None, None, 8.0),
    )
    assert [row["value"] for row in published] == ["0", "[c]", "[c]", "5", "5", "10"]
    assert all(row["numerator"] is None and row["lower_ci"] is None for row in published)


def test_a_percentage_from_unrounded_counts_keeps_its_value() -> None:
    # 7 of 8 is 87.5%: the counts are published as 5 and 10, but the value is not 50%.
    (row,) = _published(_row("percent", 7, 8, 87.5, 52.91, 97.76))
    assert (row["numerator"], row["denominator"]) == ("5", "10")
    assert (row["value"], row["lower_ci"], row["upper_ci"]) == ("87.5", "52.9", "97.8")


@pytest.mark.parametrize(("numerator", "denominator"), [(3, 50), (0, 4), (1, 1)])
def test_a_value_from_a_suppressed_count_is_suppressed_with_its_interval(
    numerator: int, denominator: int
) -> None:
    value = 100 * numerator / denominator
    (row,) = _published(_row("percent", numerator, denominator, value, 1.0, 2.0))
    assert (row["value"], row["lower_ci"], row["upper_ci"]) == (SUPPRESSED,) * 3
    assert row["numerator"] == count_text(numerator)
    assert row["denominator"] == count_text(denominator)


def test_a_rate_of_zero_is_shown_and_a_rate_from_4_is_not() -> None:
    zero, four, many = _published(
        _row("rate_per_100000", 0, 12_345, 0.0, 0.0, 29.88),
        _row("rate_per_100000", 4, 12_345, 32.4, 8.83, 82.96),
        _row("rate_per_100000", 12, 12_347, 97.19, 50.2, 169.8),
    )
    assert (zero["numerator"], zero["denominator"], zero["value"]) == ("0", "12345", "0.0")
    assert zero["upper_ci"] == "29.9"
    assert (four["numerator"], four["value"], four["upper_ci"]) == (SUPPRESSED,) * 3
    assert (many["numerator"], many["denominator"], many["value"]) == ("10", "12345", "97.2")


def test_missing_figures_stay_empty() -> None:
    (row,) = _published(_row("rate_per_100000", 20, None, None))
    assert row["denominator"] is None and row["value"] is None and row["lower_ci"] is None


def test_suppressed_output_is_strings_in_the_tidy_columns() -> None:
    table = suppress(pa.Table.from_pylist([_row("count", None, None, 12.0)], schema=TIDY_SCHEMA))
    assert table.column_names == TIDY_SCHEMA.names
    for name in ("numerator", "denominator", "value", "lower_ci", "upper_ci"):
        assert table.schema.field(name).type == pa.string()
    assert table.schema.field("indicator").type == pa.string()
