"""Invented councils for the children's generator: their checks and their lookups."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from safeguarding.casedata.synth.children_invented import (
    INVENTED_DFE_NUMBERS,
    InventedChildrenCouncil,
    check_invented_children,
    children_region_lookup,
    ons_code_lookup,
)
from safeguarding.catalogue.geography import FORMER_COUNCILS

LARKHAVEN = InventedChildrenCouncil("E06000097", "Larkhaven", 55_000, "197", "E12000009")
NOWHERE = InventedChildrenCouncil("E06000098", "Nowhere Vale", 4_000, "198")
COUNCILS_CSV = Path(__file__).resolve().parents[3] / "src/safeguarding/catalogue/councils.csv"


def test_no_real_council_has_a_number_kept_for_invented_ones() -> None:
    with COUNCILS_CSV.open(encoding="utf-8", newline="") as handle:
        real = {row["dfe_la_number"] for row in csv.DictReader(handle)}
    real |= {c.dfe_la_number for c in FORMER_COUNCILS}
    assert len(real) > 150
    assert all(len(number) == 3 and number.isdigit() for number in real)
    assert not real & {f"{n:03d}" for n in INVENTED_DFE_NUMBERS}


def test_the_region_lookup_places_invented_and_real_councils() -> None:
    region_of = children_region_lookup([LARKHAVEN, NOWHERE])
    assert region_of("197") == "E12000009"
    assert region_of("198") is None  # an invented council given no region
    assert region_of("805") == "E12000001"  # Hartlepool, from the lookup
    assert region_of("199") is None  # neither invented nor real
    assert children_region_lookup([])("197") is None


def test_the_ons_code_lookup_turns_numbers_back_into_codes() -> None:
    to_ons = ons_code_lookup([LARKHAVEN, NOWHERE])
    assert to_ons("197") == "E06000097"
    assert to_ons("198") == "E06000098"
    assert to_ons("805") == "E06000001"
    assert to_ons("199") is None


def test_as_council_carries_the_number_and_region() -> None:
    council = LARKHAVEN.as_council()
    assert (council.ons_code, council.dfe_la_number, council.name) == (
        "E06000097",
        "197",
        "Larkhaven",
    )
    assert (council.region_code, council.region_name) == ("E12000009", "South West")
    assert NOWHERE.as_council().region_code == ""


def invented(**changes: object) -> InventedChildrenCouncil:
    values = {
        "ons_code": "E06000099",
        "name": "Testham",
        "children": 1_000,
        "dfe_la_number": "150",
        "region_code": None,
    }
    values.update(changes)
    return InventedChildrenCouncil(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("councils", "message"),
    [
        ([invented(dfe_la_number="805")], "805 is the DfE LA number of Hartlepool"),
        ([invented(dfe_la_number="909")], "DfE LA number of Cumbria"),  # a former council
        ([invented(dfe_la_number="250")], "three digits from 100 to 199"),
        ([invented(dfe_la_number="99")], "three digits from 100 to 199"),
        ([invented(dfe_la_number="1a5")], "three digits from 100 to 199"),
        ([invented(ons_code="E06000001")], "belongs to a real council"),
        ([invented(ons_code="E10000006")], "belongs to a real council"),  # former Cumbria
        ([invented(ons_code="X123")], "not an English ONS code"),
        ([LARKHAVEN, invented(ons_code=LARKHAVEN.ons_code)], "given twice"),
        ([LARKHAVEN, invented(dfe_la_number="197")], "given to two invented councils"),
        ([invented(children=0)], "at least one child"),
        ([invented(children=2.5)], "whole number"),
        ([invented(name=" ")], "needs a name"),
        ([invented(region_code="E12000010")], "not an English region"),
    ],
)
def test_invented_councils_are_checked(
    councils: list[InventedChildrenCouncil], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        check_invented_children(councils)


def test_well_formed_invented_councils_pass() -> None:
    check_invented_children([LARKHAVEN, NOWHERE, invented()])
