"""How values, units, breakdowns, categories and periods are written for readers."""

from __future__ import annotations

import math

import pytest

from safeguarding.catalogue import code_list, code_lists
from safeguarding.dashboards import labels
from safeguarding.dashboards.labels import (
    breakdown_title,
    category_label,
    format_number,
    format_value,
    period_label,
    period_phrase,
    unit_label,
)
from safeguarding.indicators.catalogue import UNITS, catalogue


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "count", "1,234"),
        (1234567.0, "count", "1,234,567"),
        (0, "count", "0"),
        (84.2, "percent", "84.2%"),
        (84.0, "percent", "84.0%"),
        (7.25, "percent", "7.2%"),
        (100.0, "percent", "100.0%"),
        (412.34, "rate_per_100000", "412.3 per 100,000"),
        (12345.6, "rate_per_100000", "12,345.6 per 100,000"),
        (31.16, "rate_per_10000", "31.2 per 10,000"),
        (1.454, "ratio", "1.45"),
        (1.0, "ratio", "1.00"),
    ],
)
def test_format_value_writes_the_unit_in_govuk_style(
    value: float, unit: str, expected: str
) -> None:
    assert format_value(value, unit) == expected


@pytest.mark.parametrize("unit", UNITS)
def test_format_value_says_when_there_is_no_figure_or_it_is_withheld(unit: str) -> None:
    assert format_value(None, unit) == "no figure"
    assert format_value(math.nan, unit) == "no figure"
    assert format_value(3, unit, suppressed=True) == "[c]"
    # Withheld wins even when a value was passed by mistake: it must not show.
    assert format_value(None, unit, suppressed=True) == "[c]"


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (1234, "count", "1,234"),
        (84.23, "percent", "84.2"),
        (412.34, "rate_per_100000", "412.3"),
        (31.16, "rate_per_10000", "31.2"),
        (1.454, "ratio", "1.45"),
        (-0.01, "percent", "0.0"),
        (-2.5, "percent", "-2.5"),
        (None, "count", ""),
    ],
)
def test_format_number_has_no_unit_words(value: float | None, unit: str, expected: str) -> None:
    assert format_number(value, unit) == expected


def test_an_unknown_unit_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown unit 'percentage'"):
        format_value(1.0, "percentage")
    with pytest.raises(ValueError, match="unknown unit"):
        unit_label("per_cent")


def test_unit_labels() -> None:
    assert unit_label("percent") == "Percentage"
    assert unit_label("rate_per_100000") == "Rate per 100,000"
    assert unit_label("rate_per_10000") == "Rate per 10,000"
    assert unit_label("count") == "Number"
    assert unit_label("ratio") == "Ratio (1 = same rate as White British children)"


def test_every_breakdown_of_every_indicator_has_a_title() -> None:
    used = {breakdown for spec in catalogue().indicators for breakdown in spec.breakdowns}
    described = labels.breakdowns()
    assert used <= set(described), f"no title for: {sorted(used - set(described))}"
    for breakdown in used:
        title = breakdown_title(breakdown)
        assert title and title != breakdown
        assert title[0].isupper() and not title[1:].istitle(), f"not sentence case: {title}"


def test_every_breakdown_names_code_lists_that_exist() -> None:
    for breakdown in labels.breakdowns().values():
        for list_id in breakdown.code_lists:
            assert list_id in code_lists(), f"{breakdown.id}: no code list {list_id}"
        if breakdown.id != "total":
            assert breakdown.code_lists, f"{breakdown.id} names no code list"


def test_the_code_lists_of_a_shared_breakdown_do_not_clash() -> None:
    for breakdown in labels.breakdowns().values():
        seen: dict[str, str] = {}
        for list_id in breakdown.code_lists:
            for code in code_list(list_id).codes:
                earlier = seen.setdefault(code.code, code.label)
                assert earlier == code.label, f"{breakdown.id}: {code.code} means two things"


def test_breakdown_titles() -> None:
    assert breakdown_title("total") == "All"
    assert breakdown_title("age_band") == "Age band"
    assert breakdown_title("risk_type") == "Type of risk"
    assert breakdown_title("risk_location") == "Location of risk"
    assert breakdown_title("risk_source") == "Source of risk"
    assert breakdown_title("ethnic_group") == "Broad ethnic group"
    # A shared indicator uploaded by an agency may bring a breakdown the catalogue lacks.
    assert breakdown_title("school_phase") == "School phase"


@pytest.mark.parametrize(
    ("breakdown", "category", "expected"),
    [
        ("total", "total", "All"),
        ("age_band", "18-64", "18 to 64"),
        ("age_band", "95+", "95 and over"),
        ("sex", "F", "Female"),
        ("ethnicity", "ASIAN", "Asian / Asian British"),  # an adult's broad group
        ("ethnicity", "WBRI", "White British"),  # a child's detailed ethnicity
        ("ethnic_group", "ASIAN", "Asian or Asian British"),
        ("ethnic_group", "BLACK", "Black, African, Caribbean or Black British"),
        ("risk_type", "SELF_NEGLECT", "Self-Neglect"),
        ("risk_location", "OWN_HOME", "Own Home"),
        ("category_of_abuse", "NEG", "Neglect"),
        ("msp_asked", "NOT_RECORDED", "Not recorded"),
        ("risk_source", "NOT_RECORDED", "Not recorded"),
        ("risk_type", "SOMETHING_NEW", "SOMETHING_NEW"),
        ("school_phase", "primary", "primary"),
    ],
)
def test_category_labels(breakdown: str, category: str, expected: str) -> None:
    assert category_label(breakdown, category) == expected


def test_not_recorded_is_the_engines_code() -> None:
    from safeguarding.indicators.adults import NOT_RECORDED

    assert labels.NOT_RECORDED == NOT_RECORDED


@pytest.mark.parametrize(
    ("period", "label", "phrase"),
    [
        ("2024-25", "2024-25", "in 2024-25"),
        ("2025-03-31", "31 March 2025", "on 31 March 2025"),
        ("2024-01-01", "1 January 2024", "on 1 January 2024"),
        ("2025-13-01", "2025-13-01", "in 2025-13-01"),
    ],
)
def test_periods(period: str, label: str, phrase: str) -> None:
    assert period_label(period) == label
    assert period_phrase(period) == phrase
