"""The catalogue (indicators.yaml) and the Ibis definitions (adults.py, children.py) describe
the same set, and the one catalogue holds every indicator, adult and children's."""

from __future__ import annotations

import itertools
import re

import pytest

from safeguarding.catalogue import code_list
from safeguarding.indicators import adults, children
from safeguarding.indicators.catalogue import DOMAINS, UNITS, catalogue

# A definition in plain English: whole sentences, no code values in backticks or snake_case
# names that only the engine would understand.
_CODE_WORD = re.compile(r"`|\b[a-z]+_[a-z_]+\b")


def test_the_catalogue_holds_every_indicator_of_both_domains_once() -> None:
    book = catalogue()
    ids = [spec.id for spec in book.indicators]
    assert len(ids) == len(set(ids))
    assert {spec.domain for spec in book.indicators} == set(DOMAINS)
    assert set(ids) == set(adults.DEFINITIONS) | set(children.DEFINITIONS)
    for spec in book.indicators:
        assert spec.id.startswith(f"{spec.domain}."), spec.id
    assert book.of_domain("adults") == book.with_prefix("adults.")
    assert book.of_domain("children") == children.children_catalogue().indicators
    with pytest.raises(KeyError, match="no domain"):
        book.of_domain("schools")


def test_every_adult_id_has_an_expression_and_every_expression_an_id() -> None:
    ids = {spec.id for spec in catalogue().of_domain("adults")}
    assert ids == set(adults.DEFINITIONS)


def test_every_childrens_id_has_an_expression_and_every_expression_an_id() -> None:
    ids = {spec.id for spec in catalogue().of_domain("children")}
    assert ids == set(children.DEFINITIONS)
    # A children's id is found by the same lookup as an adult one.
    assert catalogue().get("children.rri.cla").unit == "ratio"


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
        "children.referrals",
        "children.rereferrals_12m_pct",
        "children.assessments_within_45wd_pct",
        "children.s47_enquiries",
        "children.icpc_within_15wd_pct",
        "children.cp_plans_at_31_march",
        "children.cp_plans_subsequent_pct",
        "children.cla_at_31_march",
        "children.referrals_rate_per_10k",
    }
    assert named_in_the_spec <= ids
    # Both measures of disproportionality, at every stage.
    for stage in children.STAGES:
        assert {f"children.rri.{stage}", f"children.stage_rri.{stage}"} <= ids


def _described_in_plain_english(spec: object) -> None:
    title, definition = spec.title, spec.definition  # type: ignore[attr-defined]
    assert title and title[0].isupper() and not title.endswith("."), title
    assert len(definition) > 40 and definition[0].isupper() and definition.endswith("."), title
    assert not _CODE_WORD.search(definition), (title, _CODE_WORD.search(definition))


def test_every_adult_indicator_is_described_and_its_breakdowns_are_known() -> None:
    for spec in catalogue().of_domain("adults"):
        _described_in_plain_english(spec)
        assert spec.unit in UNITS
        assert set(spec.breakdowns) <= set(adults.BREAKDOWNS), spec.id
        assert spec.breakdowns[0] == "total"
        if spec.unit == "percent":
            assert spec.ci_method == "wilson", spec.id
        if spec.is_rate:
            assert spec.ci_method == "byar_exact" and spec.rate_multiplier == 100_000


def test_every_childrens_indicator_is_described_and_its_breakdowns_are_known() -> None:
    units_used = set()
    for spec in catalogue().of_domain("children"):
        _described_in_plain_english(spec)
        units_used.add(spec.unit)
        assert set(spec.breakdowns) <= set(children.BREAKDOWNS), spec.id
        assert spec.breakdowns[0] == "total"
        if spec.unit == "percent":
            assert spec.ci_method == "wilson", spec.id
        if spec.is_rate:
            # Children's rates are per 10,000 children, as the DfE publishes them.
            assert spec.ci_method == "byar_exact" and spec.rate_multiplier == 10_000, spec.id
        if spec.unit == "ratio":
            assert spec.ci_method == "katz_log", spec.id
            assert spec.breakdowns == ("total", "ethnicity", "ethnic_group"), spec.id
            assert spec.higher_is_better is None, spec.id
        if spec.unit == "count":
            assert spec.ci_method == "none", spec.id
    assert units_used == {"count", "percent", "rate_per_10000", "ratio"}
    # Every unit is one the platform stores.
    assert units_used <= {code.code for code in code_list("indicator_units").codes}


def test_age_bands_are_those_of_the_collection_without_gaps() -> None:
    bands = catalogue().age_bands
    assert [b.band for b in bands] == ["18-64", "65-74", "75-84", "85-94", "95+"]
    assert bands[0].start == 18 and bands[-1].end is None
    for earlier, later in itertools.pairwise(bands):
        assert earlier.end is not None and later.start == earlier.end + 1
