"""The English councils with adult social care responsibilities, with their codes and regions.

``councils.csv`` beside this module holds the 153 upper-tier councils that make the Safeguarding
Adults Collection from 2023-24: 63 unitary authorities, 36 metropolitan districts, 33 London
boroughs (with the City of London) and 21 county councils. In 2021-22 and 2022-23 there were 152,
because Cumbria County Council (E10000006) only split into Cumberland and Westmorland and Furness
on 1 April 2023; North Yorkshire and Somerset became unitary on the same day under new ONS codes
(E06000065, E06000066) but kept their DfE LA numbers. Those former councils are listed in
``FORMER_COUNCILS`` so that older case files still read, but ``councils()`` gives today's.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import cache
from importlib import resources

REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}


@dataclass(frozen=True)
class Council:
    """A council with adult social care responsibilities (a CASSR)."""

    ons_code: str
    dfe_la_number: str
    name: str
    region_code: str
    region_name: str
    council_type: str = ""
    last_year: str | None = None  # for a former council, the last financial year it reported


FORMER_COUNCILS: tuple[Council, ...] = (
    Council("E10000006", "909", "Cumbria", "E12000002", "North West", "County council", "2022-23"),
    Council(
        "E10000023",
        "815",
        "North Yorkshire (county council)",
        "E12000003",
        "Yorkshire and The Humber",
        "County council",
        "2022-23",
    ),
    Council(
        "E10000027",
        "933",
        "Somerset (county council)",
        "E12000009",
        "South West",
        "County council",
        "2022-23",
    ),
    Council(
        "E10000021",
        "928",
        "Northamptonshire",
        "E12000004",
        "East Midlands",
        "County council",
        "2020-21",
    ),
)


@cache
def _load() -> tuple[Council, ...]:
    text = resources.files(__package__).joinpath("councils.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    loaded = tuple(
        Council(
            ons_code=row["ons_code"],
            dfe_la_number=row["dfe_la_number"],
            name=row["name"],
            region_code=row["region_code"],
            region_name=row["region_name"],
            council_type=row["council_type"],
        )
        for row in rows
    )
    for council in loaded:
        if REGIONS.get(council.region_code) != council.region_name:
            raise ValueError(f"councils.csv: {council.name} has an unknown region")
    return loaded


def councils() -> list[Council]:
    """Today's councils with adult social care responsibilities, in region order."""
    return list(_load())


@cache
def _by_ons_code() -> dict[str, Council]:
    everyone = {c.ons_code: c for c in FORMER_COUNCILS}
    everyone.update({c.ons_code: c for c in _load()})
    return everyone


def council(ons_code: str) -> Council | None:
    """The council (today's or a former one) with this ONS code, if there is one."""
    return _by_ons_code().get(ons_code)


def known_ons_codes(*, include_former: bool = True) -> frozenset[str]:
    """The ONS codes a case file may use for ``la_code``."""
    if include_former:
        return frozenset(_by_ons_code())
    return frozenset(c.ons_code for c in _load())


def region_of(ons_code: str) -> str | None:
    """The ONS region code (E120000xx) of a council, or None for a code not in the lookup."""
    found = council(ons_code)
    return found.region_code if found else None


def council_for_dfe_number(dfe_la_number: str) -> Council | None:
    """Today's council with this DfE LA number (a former one only if no current one has it)."""
    for candidate in (*_load(), *FORMER_COUNCILS):
        if candidate.dfe_la_number == dfe_la_number:
            return candidate
    return None
