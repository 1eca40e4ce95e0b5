"""Helpers for case-file tests: a valid concern row to spoil one value at a time."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from safeguarding.casedata.adults.schema import COLUMN_NAMES

TODAY = dt.date(2025, 6, 30)


def concern(number: int = 1, **values: str) -> dict[str, str]:
    """A concern that led to a concluded S42 enquiry, valid in every column."""
    row = {
        "concern_id": f"C{number:05d}",
        "person_id": f"P{number:05d}",
        "la_code": "E09000007",
        "concern_date": "2024-05-02",
        "age": "81",
        "sex": "F",
        "ethnic_group": "WHITE",
        "primary_support_reason": "PHYSICAL",
        "enquiry_type": "S42",
        "enquiry_start_date": "2024-05-06",
        "enquiry_end_date": "2024-07-01",
        "risk_types": "NEGLECT;FINANCIAL",
        "risk_location": "OWN_HOME",
        "risk_source": "KNOWN",
        "risk_assessment": "RISK_ACTION",
        "risk_outcome": "REDUCED",
        "lacked_capacity": "YES",
        "capacity_support": "ADVOCATE",
        "msp_asked": "ASKED_EXPRESSED",
        "msp_outcome": "FULLY",
    }
    row.update(values)
    return row


def no_enquiry(number: int = 1, **values: str) -> dict[str, str]:
    """A concern that did not lead to an enquiry."""
    row = concern(number)
    for name in COLUMN_NAMES[COLUMN_NAMES.index("enquiry_start_date") :]:
        row[name] = ""
    row["enquiry_type"] = "NONE"
    row.update(values)
    return row


def write_csv(
    path: Path,
    rows: Sequence[dict[str, str]],
    header: Sequence[str] = COLUMN_NAMES,
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def cases_csv(tmp_path: Path):
    def make(rows: Sequence[dict[str, str]], **options: object) -> Path:
        return write_csv(tmp_path / "cases.csv", rows, **options)  # type: ignore[arg-type]

    return make
