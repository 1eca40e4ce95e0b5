"""Plain-English statements from an indicator's figures: tables of invented cases."""

from __future__ import annotations

from dataclasses import replace

import pytest

from safeguarding.dashboards import statements
from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place
from safeguarding.dashboards.statements import comparison, disproportionality, headline
from safeguarding.indicators.catalogue import IndicatorSpec, catalogue

COUNCIL = Place("E06000990", "Larkhaven", "la", "council")
ENGLAND = Place("E92000001", "England", "england", "england")
REGION = Place("E12000001", "North East", "region", "region")
NEIGHBOURS = tuple(Place(f"E060009{i:02d}", f"Neighbour {i}", "la", "neighbour") for i in range(10))
THIS_YEAR = "2024-25"
LAST_YEAR = "2023-24"

MSP_ASKED = catalogue().get("adults.msp_asked_pct")  # percent, higher is better
REREFERRALS = catalogue().get("children.rereferrals_12m_pct")  # percent, lower is better
NFA = catalogue().get("children.referrals_nfa_pct")  # percent, neither
CONCERNS = catalogue().get("adults.concerns")  # count
CONCERNS_RATE = catalogue().get("adults.concerns_rate_per_100k")
CP_PLANS_OPEN = catalogue().get("children.cp_plans_at_31_march")
RRI_REFERRAL = catalogue().get("children.rri.referral")
STAGE_RRI_ASSESSMENT = catalogue().get("children.stage_rri.assessment")


def figure(
    spec: IndicatorSpec,
    value: float | None,
    *,
    place: Place = COUNCIL,
    period: str = THIS_YEAR,
    ci: tuple[float, float] | None = None,
    breakdown: str = "total",
    category: str = "total",
    suppressed: bool = False,
) -> Figure:
    return Figure(
        indicator=spec.id,
        place=place,
        period=period,
        breakdown=breakdown,
        category=category,
        value=None if suppressed else value,
        unit=spec.unit,
        lower_ci=ci[0] if ci and not suppressed else None,
        upper_ci=ci[1] if ci and not suppressed else None,
        suppressed=suppressed,
    )


def figures_of(spec: IndicatorSpec, *rows: Figure) -> IndicatorFigures:
    periods = tuple(sorted({row.period for row in rows}))
    return IndicatorFigures(spec=spec, council=COUNCIL, figures=rows, periods=periods)


# -- headline --------------------------------------------------------------------------------

HEADLINE_CASES = [
    pytest.param(
        MSP_ASKED,
        [figure(MSP_ASKED, 84.2, ci=(83.0, 85.4)), figure(MSP_ASKED, 88.0, period=LAST_YEAR)],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted, down from 88.0% in 2023-24, a change for the worse.",
        id="down-no-interval-last-year-higher-is-better",
    ),
    pytest.param(
        MSP_ASKED,
        [
            figure(MSP_ASKED, 84.2, ci=(83.0, 85.4)),
            figure(MSP_ASKED, 88.0, period=LAST_YEAR, ci=(87.0, 89.0)),
        ],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted, down from 88.0% in 2023-24, a change for the worse beyond "
        "the margin of error.",
        id="down-beyond-the-margin",
    ),
    pytest.param(
        MSP_ASKED,
        [
            figure(MSP_ASKED, 88.0, ci=(87.0, 89.0)),
            figure(MSP_ASKED, 84.2, period=LAST_YEAR, ci=(83.0, 85.4)),
        ],
        "In 88.0% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted, up from 84.2% in 2023-24, a change for the better beyond "
        "the margin of error.",
        id="up-beyond-the-margin",
    ),
    pytest.param(
        MSP_ASKED,
        [
            figure(MSP_ASKED, 84.2, ci=(80.0, 88.0)),
            figure(MSP_ASKED, 86.1, period=LAST_YEAR, ci=(82.5, 89.3)),
        ],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted, about the same as 86.1% in 2023-24 (the change is within "
        "the margin of error).",
        id="within-the-margin",
    ),
    pytest.param(
        MSP_ASKED,
        [figure(MSP_ASKED, 84.21), figure(MSP_ASKED, 84.24, period=LAST_YEAR)],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted, the same as in 2023-24.",
        id="same-as-written",
    ),
    pytest.param(
        REREFERRALS,
        [
            figure(REREFERRALS, 18.0, ci=(16.0, 20.0)),
            figure(REREFERRALS, 24.0, period=LAST_YEAR, ci=(22.0, 26.0)),
        ],
        "18.0% of the referrals in 2024-25 came within 12 months of a previous referral, down "
        "from 24.0% in 2023-24, a change for the better beyond the margin of error.",
        id="down-where-lower-is-better",
    ),
    pytest.param(
        NFA,
        [figure(NFA, 30.0, ci=(28.0, 32.0)), figure(NFA, 20.0, period=LAST_YEAR, ci=(18.0, 22.0))],
        "30.0% of the referrals in 2024-25 led to no further action, up from 20.0% in 2023-24, "
        "a change beyond the margin of error.",
        id="higher-is-better-unknown",
    ),
    pytest.param(
        NFA,
        [figure(NFA, 30.0), figure(NFA, 20.0, period=LAST_YEAR)],
        "30.0% of the referrals in 2024-25 led to no further action, up from 20.0% in 2023-24.",
        id="higher-is-better-unknown-no-interval",
    ),
    pytest.param(
        MSP_ASKED,
        [figure(MSP_ASKED, 84.2, ci=(83.0, 85.4))],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted.",
        id="no-previous-year",
    ),
    pytest.param(
        CONCERNS,
        [figure(CONCERNS, 1234), figure(CONCERNS, 1100, period=LAST_YEAR)],
        "1,234 safeguarding concerns were received in 2024-25, up from 1,100 in 2023-24.",
        id="count-up",
    ),
    pytest.param(
        CONCERNS,
        [
            figure(CONCERNS, 998),
            figure(CONCERNS, 1100, period=LAST_YEAR),
            figure(CONCERNS, 123456, place=ENGLAND),
        ],
        "998 safeguarding concerns were received in 2024-25, down from 1,100 in 2023-24.",
        id="count-down-never-beside-england",
    ),
    pytest.param(
        CONCERNS,
        [figure(CONCERNS, 1)],
        "Safeguarding concerns received: 1 in 2024-25.",
        id="count-of-one",
    ),
    pytest.param(
        CONCERNS_RATE,
        [
            figure(CONCERNS_RATE, 412.34, ci=(400.0, 425.0)),
            figure(CONCERNS_RATE, 380.0, period=LAST_YEAR, ci=(368.0, 392.0)),
            figure(CONCERNS_RATE, 500.0, place=ENGLAND, ci=(499.0, 501.0)),
        ],
        "There were 412.3 safeguarding concerns per 100,000 adults in 2024-25, up from "
        "380.0 per 100,000 in 2023-24, a change beyond the margin of error. This is lower than "
        "England (500.0 per 100,000).",
        id="rate-against-england",
    ),
    pytest.param(
        MSP_ASKED,
        [
            figure(MSP_ASKED, 84.2, ci=(83.0, 85.4)),
            figure(MSP_ASKED, 84.0, place=ENGLAND, ci=(83.9, 84.1)),
            figure(MSP_ASKED, 80.0, place=REGION, ci=(79.0, 81.0)),
        ],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted. This is similar to England (84.0%) and higher than North "
        "East (80.0%).",
        id="similar-to-england-higher-than-region",
    ),
    pytest.param(
        MSP_ASKED,
        [
            figure(MSP_ASKED, 84.2, ci=(83.0, 85.4)),
            figure(MSP_ASKED, 82.0, place=ENGLAND),
            figure(MSP_ASKED, 80.0, place=REGION, ci=(79.0, 81.0)),
        ],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted; England 82.0%, North East 80.0%.",
        id="england-without-interval",
    ),
    pytest.param(
        MSP_ASKED,
        [
            figure(MSP_ASKED, 84.2, ci=(83.0, 85.4)),
            figure(MSP_ASKED, None, place=ENGLAND, suppressed=True),
            figure(MSP_ASKED, 82.0, place=ENGLAND, period=LAST_YEAR),
        ],
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted.",
        id="england-withheld-and-only-last-year",
    ),
    pytest.param(
        CP_PLANS_OPEN,
        [
            figure(CP_PLANS_OPEN, 212, period="2025-03-31"),
            figure(CP_PLANS_OPEN, 240, period="2024-03-31"),
        ],
        "212 child protection plans were open on 31 March 2025, down from 240 on 31 March 2024.",
        id="a-date",
    ),
]


@pytest.mark.parametrize(("spec", "rows", "expected"), HEADLINE_CASES)
def test_headline(spec: IndicatorSpec, rows: list[Figure], expected: str) -> None:
    assert headline(
        figures_of(spec, *rows), THIS_YEAR if rows[0].period == THIS_YEAR else None
    ) == (expected)


def test_a_withheld_figure_is_never_stated() -> None:
    rows = (
        replace(figure(MSP_ASKED, None, suppressed=True), numerator=3, denominator=40),
        figure(MSP_ASKED, 88.0, period=LAST_YEAR),
        figure(MSP_ASKED, 82.0, place=ENGLAND),
    )
    said = headline(figures_of(MSP_ASKED, *rows), THIS_YEAR)
    assert said == (
        "People asked about the outcomes they wanted: the figure for 2024-25 is withheld "
        "because it is based on a small number."
    )


def test_a_withheld_previous_year_gives_no_change() -> None:
    rows = (
        figure(MSP_ASKED, 84.2, ci=(83.0, 85.4)),
        figure(MSP_ASKED, None, period=LAST_YEAR, suppressed=True),
        figure(MSP_ASKED, 82.0, place=ENGLAND),
    )
    said = headline(figures_of(MSP_ASKED, *rows), THIS_YEAR)
    assert said == (
        "In 84.2% of the Section 42 enquiries concluded in 2024-25, the person was asked about "
        "the outcomes they wanted; England 82.0%. The figure for 2023-24 is withheld because "
        "it is based on a small number."
    )
    assert "from" not in said


def test_nothing_is_said_without_a_figure() -> None:
    assert headline(figures_of(MSP_ASKED)) is None
    assert headline(figures_of(MSP_ASKED, figure(MSP_ASKED, 82.0, place=ENGLAND))) is None
    assert headline(figures_of(MSP_ASKED, figure(MSP_ASKED, None))) is None
    assert headline(figures_of(MSP_ASKED, figure(MSP_ASKED, 80.0)), "2019-20") is None


def test_the_latest_period_by_default() -> None:
    rows = (figure(CONCERNS, 1234), figure(CONCERNS, 1100, period=LAST_YEAR))
    assert headline(figures_of(CONCERNS, *rows)) == headline(figures_of(CONCERNS, *rows), THIS_YEAR)
    assert headline(figures_of(CONCERNS, *rows), LAST_YEAR) == (
        "1,100 safeguarding concerns were received in 2023-24."
    )


def test_an_indicator_without_wording_uses_its_title() -> None:
    shared = IndicatorSpec(
        id="adults.police_referrals_pct",
        title="Police referrals with a safeguarding concern",
        unit="percent",
        higher_is_better=None,
        definition="Invented for the test.",
        breakdowns=("total",),
        ci_method="wilson",
    )
    rows = (figure(shared, 12.5), figure(shared, 10.0, period=LAST_YEAR))
    assert headline(figures_of(shared, *rows)) == (
        "Police referrals with a safeguarding concern: 12.5% in 2024-25, up from 10.0% in 2023-24."
    )


def test_every_catalogue_indicator_gets_a_finished_sentence() -> None:
    for spec in catalogue().indicators:
        rows = (figure(spec, 1234.5), figure(spec, 1000.0, period=LAST_YEAR))
        said = headline(figures_of(spec, *rows))
        assert said is not None, spec.id
        assert "{" not in said and "}" not in said, said
        assert not said[0].islower() and said.endswith("."), said
        assert "up from" in said, said


# -- the wording data ------------------------------------------------------------------------


def test_the_wording_is_for_indicators_of_the_catalogue() -> None:
    ids = {spec.id for spec in catalogue().indicators}
    assert set(statements.wordings()) <= ids
    for indicator, wording in statements.wordings().items():
        if indicator.startswith(statements.RRI_PREFIXES):
            assert wording.outcome and wording.lead is None, indicator
        else:
            assert wording.lead, indicator
            assert "{value}" in wording.lead or "{number}" in wording.lead, indicator
            assert wording.outcome is None and wording.among is None, indicator


# -- comparison ------------------------------------------------------------------------------


def neighbour_rows(spec: IndicatorSpec, values: list[float | None]) -> list[Figure]:
    return [
        figure(spec, value, place=place, suppressed=value is None)
        for place, value in zip(NEIGHBOURS, values, strict=False)
    ]


COMPARISON_CASES = [
    pytest.param(
        [
            figure(CONCERNS_RATE, 412.3, ci=(400.0, 425.0)),
            figure(CONCERNS_RATE, 500.0, place=ENGLAND, ci=(499.0, 501.0)),
            figure(CONCERNS_RATE, 410.0, place=REGION, ci=(405.0, 415.0)),
            *neighbour_rows(
                CONCERNS_RATE, [300.0, 500.0, 450.0, 350.0, 380.0, 390.0, 395.0, 399.0, 420.0, 1]
            ),
        ],
        "Larkhaven's rate in 2024-25 (412.3 per 100,000) was lower than England (500.0 per "
        "100,000) and similar to North East (410.0 per 100,000). Its 10 statistical neighbours "
        "averaged 358.5 per 100,000 (range 1.0 per 100,000 to 500.0 per 100,000). Among "
        "Larkhaven and its statistical neighbours, Larkhaven's rate was the fourth highest.",
        id="fourth-highest",
    ),
    pytest.param(
        [
            figure(MSP_ASKED, 60.0),
            figure(MSP_ASKED, 82.0, place=ENGLAND, ci=(81.0, 83.0)),
            *neighbour_rows(MSP_ASKED, [70.0, 65.0, 60.0, 90.0]),
        ],
        "Larkhaven's percentage in 2024-25 was 60.0%, compared with 82.0% for England. Its 4 "
        "statistical neighbours averaged 71.2% (range 60.0% to 90.0%). Among Larkhaven and its "
        "statistical neighbours, Larkhaven's percentage was the joint lowest.",
        id="joint-lowest-no-interval",
    ),
    pytest.param(
        [figure(MSP_ASKED, 60.0), *neighbour_rows(MSP_ASKED, [70.0, None, 50.0])],
        "2 of its 3 statistical neighbours have a figure in 2024-25; they averaged 60.0% (range "
        "50.0% to 70.0%). Among Larkhaven and the 2 neighbours with a figure, Larkhaven's "
        "percentage was the second highest.",
        id="a-neighbour-withheld",
    ),
    pytest.param(
        [figure(MSP_ASKED, 60.0), *neighbour_rows(MSP_ASKED, [70.0])],
        "Its statistical neighbour, Neighbour 0, had 70.0%. Among Larkhaven and its statistical "
        "neighbours, Larkhaven's percentage was the lowest.",
        id="one-neighbour",
    ),
]


@pytest.mark.parametrize(("rows", "expected"), COMPARISON_CASES)
def test_comparison(rows: list[Figure], expected: str) -> None:
    assert comparison(
        figures_of(IndicatorFigures and rows[0] and _spec(rows), *rows), THIS_YEAR
    ) == (expected)


def _spec(rows: list[Figure]) -> IndicatorSpec:
    return catalogue().get(rows[0].indicator)


def test_comparison_says_nothing_it_should_not() -> None:
    assert comparison(figures_of(CONCERNS, figure(CONCERNS, 1234)), THIS_YEAR) is None
    withheld = figures_of(
        MSP_ASKED,
        figure(MSP_ASKED, None, suppressed=True),
        figure(MSP_ASKED, 82.0, place=ENGLAND),
        *neighbour_rows(MSP_ASKED, [70.0, 65.0]),
    )
    assert comparison(withheld, THIS_YEAR) is None
    alone = figures_of(MSP_ASKED, figure(MSP_ASKED, 60.0))
    assert comparison(alone, THIS_YEAR) is None


# -- disproportionality ----------------------------------------------------------------------


def rri(
    spec: IndicatorSpec,
    category: str,
    value: float | None,
    ci: tuple[float, float] | None,
    *,
    breakdown: str = "ethnic_group",
    suppressed: bool = False,
) -> Figure:
    return figure(spec, value, ci=ci, breakdown=breakdown, category=category, suppressed=suppressed)


def test_groups_more_likely_than_white_british_children_are_named_highest_first() -> None:
    rows = (
        rri(RRI_REFERRAL, "total", 1.1, (1.0, 1.2), breakdown="total"),
        rri(RRI_REFERRAL, "MIXED", 1.5, (1.2, 1.9)),
        rri(RRI_REFERRAL, "BLACK", 2.1, (1.6, 2.7)),
        rri(RRI_REFERRAL, "ASIAN", 0.6, (0.4, 0.8)),
        rri(RRI_REFERRAL, "OTHER", 1.4, (0.9, 2.1)),
        rri(RRI_REFERRAL, "BCRB", 2.5, (1.8, 3.4), breakdown="ethnicity"),
        rri(RRI_REFERRAL, "AOTH", 1.9, (1.3, 2.8), breakdown="ethnicity"),
        rri(RRI_REFERRAL, "WBRI", 1.0, None, breakdown="ethnicity"),
        rri(RRI_REFERRAL, "REFU", 4.0, (3.0, 5.0), breakdown="ethnicity"),
        rri(RRI_REFERRAL, "WROM", None, None, breakdown="ethnicity", suppressed=True),
        figure(
            RRI_REFERRAL,
            9.9,
            ci=(9.0, 11.0),
            place=ENGLAND,
            breakdown="ethnic_group",
            category="WHITE",
        ),
    )
    assert disproportionality(figures_of(RRI_REFERRAL, *rows), THIS_YEAR) == [
        "Black, African, Caribbean or Black British children were 2.10 times as likely as White "
        "British children to be referred (95% interval 1.60 to 2.70).",
        "Children from mixed or multiple ethnic groups were 1.50 times as likely as White British "
        "children to be referred (95% interval 1.20 to 1.90).",
        "Caribbean children were 2.50 times as likely as White British children to be referred "
        "(95% interval 1.80 to 3.40).",
        "Children from any other Asian background were 1.90 times as likely as White British "
        "children to be referred (95% interval 1.30 to 2.80).",
    ]


DISPROPORTIONALITY_CASES = [
    pytest.param(
        STAGE_RRI_ASSESSMENT,
        [rri(STAGE_RRI_ASSESSMENT, "OTHER", 1.8, (1.1, 2.9))],
        [
            "Among children who were referred, children from any other ethnic group were 1.80 "
            "times as likely as White British children to have an assessment (95% interval 1.10 "
            "to 2.90)."
        ],
        id="stage-to-stage",
    ),
    pytest.param(
        RRI_REFERRAL,
        [rri(RRI_REFERRAL, "BLACK", 1.3, (0.9, 1.8)), rri(RRI_REFERRAL, "ASIAN", 0.5, (0.3, 0.8))],
        [
            "No ethnic group was more likely than White British children to be referred by more "
            "than the margin of error."
        ],
        id="none-above",
    ),
    pytest.param(
        STAGE_RRI_ASSESSMENT,
        [rri(STAGE_RRI_ASSESSMENT, "BLACK", 1.3, (1.0, 1.8))],
        [
            "Among children who were referred, no ethnic group was more likely than White "
            "British children to have an assessment by more than the margin of error."
        ],
        id="touching-one-is-not-above",
    ),
    pytest.param(
        RRI_REFERRAL,
        [
            rri(RRI_REFERRAL, "BLACK", 3.0, None),
            rri(RRI_REFERRAL, "MIXED", None, None, suppressed=True),
        ],
        [
            "There were too few children in each ethnic group to compare them reliably with "
            "White British children."
        ],
        id="no-interval-anywhere",
    ),
    pytest.param(RRI_REFERRAL, [], [], id="no-figures"),
    pytest.param(
        NFA,
        [figure(NFA, 30.0, ci=(28.0, 32.0))],
        [],
        id="not-a-relative-rate-index",
    ),
]


@pytest.mark.parametrize(("spec", "rows", "expected"), DISPROPORTIONALITY_CASES)
def test_disproportionality(spec: IndicatorSpec, rows: list[Figure], expected: list[str]) -> None:
    assert disproportionality(figures_of(spec, *rows), THIS_YEAR) == expected


def test_a_withheld_ratio_is_never_stated() -> None:
    rows = (
        rri(RRI_REFERRAL, "BLACK", None, None, suppressed=True),
        rri(RRI_REFERRAL, "ASIAN", 1.1, (0.9, 1.3)),
    )
    said = disproportionality(figures_of(RRI_REFERRAL, *rows), THIS_YEAR)
    assert said == [
        "No ethnic group was more likely than White British children to be referred by more "
        "than the margin of error."
    ]


def test_a_relative_rate_index_without_wording_uses_its_title() -> None:
    spec = replace(RRI_REFERRAL, id="children.rri.early_help", title="Relative rate of early help")
    rows = (rri(spec, "BLACK", 2.0, (1.5, 2.6)),)
    assert disproportionality(figures_of(spec, *rows), THIS_YEAR) == [
        "Relative rate of early help: Black, African, Caribbean or Black British children had a "
        "rate 2.00 times that of White British children (95% interval 1.50 to 2.60)."
    ]
    rows = (rri(spec, "BLACK", 1.2, (0.8, 1.6)),)
    assert disproportionality(figures_of(spec, *rows), THIS_YEAR) == [
        "Relative rate of early help: no ethnic group had a rate above that of White British "
        "children by more than the margin of error."
    ]
