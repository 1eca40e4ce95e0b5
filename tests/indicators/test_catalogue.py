"""The catalogue (indicators.yaml) and the Ibis definitions (adults.py) describe the same set."""

from __future__ import annotations

import itertools

from safeguarding.indicators.adults import BREAKDOWNS, DEFINITIONS
from safeguarding.indicators.catalogue import UNITS, catalogue


def test_every_catalogue_id_has_an_expression_and_every_expression_an_id() -> None:
    ids = {spec.id for spec in catalogue().with_prefix("adults.")}
    assert ids == set(DEFINITIONS)


def test_every_indicator_in_indicators_md_is_catalogued() -> None:
    ids = {spec.id for spec in catalogue().indicators}
    named_in_the_spec = {
        "adults.concerns",
        "adults.s42_enquiries",
        "adults.other_enquiries",
        "adults.conversion_rate",
        "adults.concluded_s42",
        "adults.msp_asked_pct",
        "adults.msp_outcomes_achieved_pct",
        "adults.msp_fully_achieved_pct",
        "adults.risk_reduced_or_removed_pct",
        "adults.lacked_capacity_supported_pct",
        "adults.concerns_rate_per_100k",
        "adults.s42_rate_per_100k",
    }
    assert named_in_the_spec <= ids


def test_every_indicator_is_described_and_its_breakdowns_are_known() -> None:
    for spec in catalogue().indicators:
        assert spec.title and len(spec.definition) > 40, spec.id
        assert spec.unit in UNITS
        assert set(spec.breakdowns) <= set(BREAKDOWNS), spec.id
        assert spec.breakdowns[0] == "total"
        if spec.unit == "percent":
            assert spec.ci_method == "wilson", spec.id
        if spec.is_rate:
            assert spec.ci_method == "byar_exact" and spec.rate_multiplier == 100_000


def test_age_bands_are_those_of_the_collection_without_gaps() -> None:
    bands = catalogue().age_bands
    assert [b.band for b in bands] == ["18-64", "65-74", "75-84", "85-94", "95+"]
    assert bands[0].start == 18 and bands[-1].end is None
    for earlier, later in itertools.pairwise(bands):
        assert earlier.end is not None and later.start == earlier.end + 1
