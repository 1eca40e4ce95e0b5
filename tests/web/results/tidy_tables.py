"""Small invented tidy indicator tables for the results tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from typing import Any

from safeguarding.indicators.tidy import TIDY_COLUMNS

COLUMNS = TIDY_COLUMNS


def row(**given: Any) -> dict[str, Any]:
    """A count of concerns for Hartlepool in 2024-25 unless ``given`` says otherwise."""
    base: dict[str, Any] = {
        "indicator": "adults.concerns",
        "geography_level": "la",
        "geography_code": "E06000001",
        "period": "2024-25",
        "breakdown": "total",
        "category": "total",
        "numerator": "",
        "denominator": "",
        "value": 1210,
        "lower_ci": "",
        "upper_ci": "",
        "unit": "count",
    }
    base.update(given)
    return base


def tidy_csv(rows: Iterable[Mapping[str, Any]], columns: Iterable[str] = COLUMNS) -> bytes:
    """The rows written as ``safeguarding indicators --out table.csv`` writes them."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for item in rows:
        writer.writerow({k: "" if v is None else v for k, v in item.items()})
    return buffer.getvalue().encode("utf-8")


def small_table() -> list[dict[str, Any]]:
    """Concerns, a breakdown and a percentage with its interval, for two places."""
    return [
        row(),
        row(breakdown="sex", category="F", value=700),
        row(breakdown="sex", category="M", value=510),
        row(geography_level="england", geography_code="E92000001", value=641235),
        row(
            indicator="adults.msp_asked_pct",
            numerator=161,
            denominator=203,
            value=79.31034482758621,
            lower_ci=73.2265,
            upper_ci=84.3091,
            unit="percent",
        ),
    ]
