"""Tiny hand-made case tables whose every indicator is worked out by hand in the tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from safeguarding.indicators.run import CONCERNS_SCHEMA, RISK_TYPES_SCHEMA

LA_A = "E09000001"
LA_B = "E09000002"
LA_WALES = "W06000001"  # no English region: counted in its own and England's totals only
REGION = "E12000007"
REGIONS = {LA_A: REGION, LA_B: REGION, LA_WALES: None}


@dataclass
class Cases:
    concerns: pa.Table
    risk_types: pa.Table


def concern(
    concern_id: str, person_id: str, la_code: str, concern_date: dt.date, **fields: Any
) -> dict:
    row: dict[str, Any] = dict.fromkeys(CONCERNS_SCHEMA.names)
    row.update(
        concern_id=concern_id,
        person_id=person_id,
        la_code=la_code,
        concern_date=concern_date,
        age=40,
        sex="F",
        ethnic_group="WHITE",
        primary_support_reason="PHYSICAL",
        enquiry_type="NONE",
    )
    row.update(fields)
    return row


def cases(rows: list[dict], risk_types: list[tuple[str, str]] = ()) -> Cases:
    return Cases(
        concerns=pa.Table.from_pylist(rows, schema=CONCERNS_SCHEMA),
        risk_types=pa.Table.from_pylist(
            [{"concern_id": c, "risk_type": t} for c, t in risk_types], schema=RISK_TYPES_SCHEMA
        ),
    )


D = dt.date

# The worked example: see test_adults.py for what each indicator must give.
WORKED = cases(
    [
        concern("c1", "p1", LA_A, D(2024, 3, 31), age=64),
        concern(
            "c2",
            "p1",
            LA_A,
            D(2024, 4, 1),
            age=65,
            enquiry_type="S42",
            enquiry_start_date=D(2024, 4, 1),
            enquiry_end_date=D(2025, 3, 31),
            msp_asked="ASKED_EXPRESSED",
            msp_outcome="FULLY",
            risk_assessment="RISK_ACTION",
            risk_outcome="REDUCED",
            lacked_capacity="YES",
            capacity_support="ADVOCATE",
            risk_location="OWN_HOME",
            risk_source="KNOWN",
        ),
        concern(
            "c3",
            "p1",
            LA_A,
            D(2024, 5, 1),
            age=65,
            primary_support_reason="MENTAL_HEALTH",
            enquiry_type="S42",
            enquiry_start_date=D(2024, 5, 2),
            enquiry_end_date=D(2025, 4, 1),
            msp_asked="ASKED_NOT_EXPRESSED",
            risk_assessment="RISK_NO_ACTION",
            lacked_capacity="NO",
        ),
        concern(
            "c4",
            "p2",
            LA_A,
            D(2024, 6, 1),
            age=95,
            sex="M",
            ethnic_group=None,
            primary_support_reason="NONE",
            enquiry_type="S42",
            enquiry_start_date=D(2025, 3, 31),
            enquiry_end_date=D(2025, 3, 31),
            msp_asked="NOT_ASKED",
            risk_assessment="RISK_ACTION",
            risk_outcome="REMAINED",
            lacked_capacity="YES",
            capacity_support="NONE",
        ),
        concern(
            "c5",
            "p3",
            LA_B,
            D(2024, 7, 1),
            age=85,
            sex="M",
            ethnic_group="BLACK",
            enquiry_type="OTHER",
            enquiry_start_date=D(2024, 7, 2),
        ),
        concern("c6", "p4", LA_WALES, D(2024, 8, 1), age=75, sex="U", ethnic_group="OTHER"),
        concern(
            "c7",
            "p2",
            LA_A,
            D(2023, 12, 1),
            age=94,
            sex="M",
            ethnic_group="ASIAN",
            enquiry_type="S42",
            enquiry_start_date=D(2024, 3, 31),
            enquiry_end_date=D(2024, 4, 1),
            msp_asked="ASKED_EXPRESSED",
            msp_outcome="PARTIALLY",
            risk_assessment="INCONCLUSIVE_ACTION",
            risk_outcome="REMOVED",
        ),
    ],
    risk_types=[("c2", "PHYSICAL"), ("c2", "NEGLECT"), ("c2", "NEGLECT"), ("c4", "NEGLECT")],
)


def population(rows: list[tuple[str, str, str, str, str, int]]) -> pa.Table:
    names = ["geography_code", "period", "age_band", "sex", "ethnicity", "population"]
    return pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in rows])


BANDS = {LA_A: (8000, 1000, 600, 300, 100), LA_B: (4000, 500, 300, 150, 50)}
WORKED_POPULATION = population(
    [
        (code, "2024-25", band, "all", "all", people)
        for code, counts in BANDS.items()
        for band, people in zip(("18-64", "65-74", "75-84", "85-94", "95+"), counts, strict=True)
    ]
    + [(LA_WALES, "2024-25", "18-64", "all", "all", 2000)]
)
