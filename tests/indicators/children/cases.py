"""Tiny hand-built children's case tables with answers worked out by hand (in the tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa

from safeguarding.indicators.children import SCHEMAS, ChildrenCaseTables, ethnic_groups
from safeguarding.indicators.workdays import working_days_between

CAMDEN = "202"  # DfE LA numbers of two London boroughs
CITY = "201"
LONDON = "E12000007"


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _table(name: str, rows: list[dict[str, Any]]) -> pa.Table:
    schema = SCHEMAS[name]
    columns: dict[str, list[Any]] = {field.name: [] for field in schema}
    for row in rows:
        row = {"ethnicity": "WBRI", **row}
        row["ethnic_group"] = ethnic_groups().get(row["ethnicity"])
        for field in schema:
            value = row.get(field.name)
            if pa.types.is_date(field.type):
                value = _date(value)
            columns[field.name].append(value)
    return pa.table(columns, schema=schema)


def _with_working_days(name: str, rows: list[dict[str, Any]], start: str, end: str) -> pa.Table:
    table = _table(name, rows)
    days = working_days_between(table[start], table[end])
    return table.set_column(table.schema.get_field_index("working_days"), "working_days", days)


def hand_built() -> ChildrenCaseTables:
    """Camden's 2023-24 and 2024-25 census and SSDA903 return, and one City referral."""
    referrals = [
        # 2023-24 file
        {"la": CAMDEN, "file_period": 2023, "child_id": "c1", "referral_date": "2023-04-01"},
        {"la": CAMDEN, "file_period": 2023, "child_id": "c2", "referral_date": "2023-04-01"},
        {"la": CAMDEN, "file_period": 2023, "child_id": "c4", "referral_date": "2024-03-31"},
        # 2024-25 file: c4's referral is still open, but belongs to 2023-24
        {"la": CAMDEN, "file_period": 2024, "child_id": "c1", "referral_date": "2024-04-01"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c2", "referral_date": "2024-04-02"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c3", "referral_date": "2025-03-31",
         "referral_nfa": True},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c4", "referral_date": "2024-03-31"},
        {"la": CITY, "file_period": 2024, "child_id": "c1", "referral_date": "2024-06-01"},
    ]  # fmt: skip
    assessments = [
        {"la": CAMDEN, "file_period": 2024, "child_id": "c1", "referral_date": "2024-12-20",
         "authorisation_date": "2025-02-26"},  # 45 working days over Christmas
        {"la": CAMDEN, "file_period": 2024, "child_id": "c2", "referral_date": "2024-12-20",
         "authorisation_date": "2025-02-27"},  # 46
        {"la": CAMDEN, "file_period": 2024, "child_id": "c3", "referral_date": "2025-03-10",
         "authorisation_date": "2025-04-01"},  # next year
    ]  # fmt: skip
    section47 = [
        {"la": CAMDEN, "file_period": 2023, "child_id": "c1", "start_date": "2024-03-28"},
        {"la": CAMDEN, "file_period": 2023, "child_id": "c2", "start_date": "2024-03-28"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c1", "start_date": "2024-03-28",
         "icpc_date": "2024-04-22"},  # 15 working days over Easter 2024
        {"la": CAMDEN, "file_period": 2024, "child_id": "c2", "start_date": "2024-03-28",
         "icpc_date": "2024-04-23"},  # 16
        {"la": CAMDEN, "file_period": 2024, "child_id": "c3", "start_date": "2024-06-03"},
    ]  # fmt: skip
    cp_plans = [
        {"la": CAMDEN, "file_period": 2023, "child_id": "c1", "start_date": "2022-01-10",
         "end_date": "2024-01-10", "initial_category": "EMO", "previous_plans": 0},
        {"la": CAMDEN, "file_period": 2023, "child_id": "c3", "start_date": "2023-03-31",
         "initial_category": "NEG"},
        {"la": CAMDEN, "file_period": 2023, "child_id": "c4", "start_date": "2022-06-01",
         "initial_category": "NEG"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c1", "start_date": "2024-04-10",
         "initial_category": "NEG", "previous_plans": 0},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c2", "start_date": "2024-05-01",
         "end_date": "2025-03-31", "initial_category": "PHY", "previous_plans": 1},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c3", "start_date": "2023-03-31",
         "end_date": "2025-03-30", "initial_category": "NEG"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "c4", "start_date": "2022-06-01",
         "initial_category": "NEG"},
    ]  # fmt: skip
    episodes = [
        {"la": CAMDEN, "file_period": 2024, "child_id": "k1", "decom": "2024-05-01",
         "rne": "S", "ls": "C2"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "k1", "decom": "2024-08-01",
         "rne": "P", "ls": "C2"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "k2", "decom": "2024-06-01",
         "rne": "S", "ls": "V3"},  # short breaks
        {"la": CAMDEN, "file_period": 2024, "child_id": "k3", "decom": "2023-01-01",
         "dec": "2025-03-31", "rne": "S", "ls": "C2"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "k4", "decom": "2025-01-10",
         "dec": "2025-02-01", "rne": "S", "ls": "E1"},
        {"la": CAMDEN, "file_period": 2024, "child_id": "k4", "decom": "2025-03-01",
         "rne": "S", "ls": "C2"},
    ]  # fmt: skip
    return ChildrenCaseTables(
        referrals=_table("referrals", referrals),
        assessments=_with_working_days(
            "assessments", assessments, "referral_date", "authorisation_date"
        ),
        section47=_with_working_days("section47", section47, "start_date", "icpc_date"),
        cp_plans=_table("cp_plans", cp_plans),
        episodes=_table("episodes", episodes),
    )
