"""The councils lookup: complete, unique and right where it can be checked by hand."""

from __future__ import annotations

from collections import Counter

import pytest

from safeguarding.catalogue.geography import (
    FORMER_COUNCILS,
    REGIONS,
    council,
    council_for_dfe_number,
    councils,
    known_ons_codes,
    region_of,
)


def test_there_are_153_councils_with_unique_codes() -> None:
    found = councils()
    assert len(found) == 153
    assert len({c.ons_code for c in found}) == 153
    assert len({c.dfe_la_number for c in found}) == 153
    assert len({c.name for c in found}) == 153


def test_codes_have_the_right_shape() -> None:
    for found in councils():
        assert found.ons_code[:3] in {"E06", "E08", "E09", "E10"}, found
        assert len(found.ons_code) == 9 and found.ons_code[3:].isdigit()
        assert len(found.dfe_la_number) == 3 and found.dfe_la_number.isdigit()


def test_nine_regions_each_with_councils_in_the_expected_numbers() -> None:
    per_region = Counter(c.region_name for c in councils())
    assert set(per_region) == set(REGIONS.values())
    assert per_region == {
        "North East": 12,
        "North West": 24,
        "Yorkshire and The Humber": 15,
        "East Midlands": 10,
        "West Midlands": 14,
        "East of England": 11,
        "London": 33,
        "South East": 19,
        "South West": 15,
    }


def test_council_types_match_their_ons_code_prefix() -> None:
    prefix = {
        "Unitary authority": "E06",
        "Metropolitan district": "E08",
        "London borough": "E09",
        "County council": "E10",
    }
    kinds = Counter(c.council_type for c in councils())
    assert kinds == {
        "Unitary authority": 63,
        "Metropolitan district": 36,
        "London borough": 33,
        "County council": 21,
    }
    for found in councils():
        assert found.ons_code.startswith(prefix[found.council_type]), found


@pytest.mark.parametrize(
    ("ons_code", "dfe", "name", "region"),
    [
        ("E09000007", "202", "Camden", "E12000007"),
        ("E09000001", "201", "City of London", "E12000007"),
        ("E08000025", "330", "Birmingham", "E12000005"),
        ("E10000016", "886", "Kent", "E12000008"),
        ("E06000053", "420", "Isles of Scilly", "E12000009"),
        ("E06000063", "942", "Cumberland", "E12000002"),
        ("E06000065", "815", "North Yorkshire", "E12000003"),
        ("E08000037", "390", "Gateshead", "E12000001"),
        ("E06000062", "941", "West Northamptonshire", "E12000004"),
        ("E10000015", "919", "Hertfordshire", "E12000006"),
    ],
)
def test_spot_checks(ons_code: str, dfe: str, name: str, region: str) -> None:
    found = council(ons_code)
    assert found is not None
    assert (found.dfe_la_number, found.name, found.region_code) == (dfe, name, region)
    assert region_of(ons_code) == region
    assert council_for_dfe_number(dfe) == found


def test_former_councils_are_known_but_not_current() -> None:
    cumbria = council("E10000006")
    assert cumbria is not None and cumbria.last_year == "2022-23"
    assert cumbria not in councils()
    assert region_of("E10000006") == "E12000002"
    assert "E10000006" in known_ons_codes()
    assert "E10000006" not in known_ons_codes(include_former=False)
    assert all(c.last_year for c in FORMER_COUNCILS)


def test_unknown_codes() -> None:
    assert region_of("E06999999") is None
    assert council("") is None
    assert council_for_dfe_number("999") is None
