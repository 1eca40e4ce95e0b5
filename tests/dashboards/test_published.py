"""Disclosure control of the figures the public sees."""

from __future__ import annotations

import pytest

from safeguarding.dashboards.figures import Figure, IndicatorFigures, Place
from safeguarding.dashboards.published import published_figure, published_figures
from safeguarding.indicators.catalogue import IndicatorSpec

LARKHAVEN = Place("E06000097", "Larkhaven", "la")


def spec(unit: str) -> IndicatorSpec:
    return IndicatorSpec(
        id="adults.invented",
        title="An invented indicator",
        unit=unit,
        higher_is_better=None,
        definition="Invented for the tests.",
        breakdowns=("total",),
        ci_method="wilson" if unit == "percent" else "none",
    )


def figure(unit: str = "percent", **values: object) -> Figure:
    fields: dict = {
        "indicator": "adults.invented",
        "place": LARKHAVEN,
        "period": "2024-25",
        "breakdown": "total",
        "category": "total",
        "value": None,
        "unit": unit,
    }
    return Figure(**{**fields, **values})


@pytest.mark.parametrize(
    ("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (7, 5), (8, 10), (1234, 1235)]
)
def test_a_count_is_suppressed_from_1_to_4_and_otherwise_rounded_to_5(
    count: int, shown: int | None
) -> None:
    published = published_figure(figure("count", value=float(count), numerator=count))
    assert published.value == shown and published.numerator == shown
    assert published.suppressed is (shown is None)
    assert published.rounded is (shown is not None)


@pytest.mark.parametrize(
    ("numerator", "denominator", "suppressed"),
    [(0, 20, False), (1, 20, True), (4, 20, True), (5, 20, False), (7, 8, False), (7, 4, True)],
)
def test_a_percentage_keeps_its_value_unless_a_count_is_1_to_4(
    numerator: int, denominator: int, suppressed: bool
) -> None:
    exact = figure(
        value=100 * numerator / denominator,
        numerator=numerator,
        denominator=denominator,
        lower_ci=1.0,
        upper_ci=99.0,
    )
    published = published_figure(exact)
    assert published.suppressed is suppressed
    if suppressed:
        assert (published.value, published.lower_ci, published.upper_ci) == (None, None, None)
        assert (published.numerator, published.denominator) == (None, None)
        assert published.rounded is False
    else:
        # Worked out from the unrounded counts, never from the rounded ones.
        assert published.value == exact.value
        assert (published.lower_ci, published.upper_ci) == (1.0, 99.0)
        assert published.rounded is True


def test_a_derived_value_is_kept_while_its_counts_are_rounded() -> None:
    exact = figure(value=7 / 8 * 100, numerator=7, denominator=8, lower_ci=52.9, upper_ci=97.8)
    published = published_figure(exact)
    assert (published.numerator, published.denominator) == (5, 10)
    assert published.value == pytest.approx(87.5)  # not 5 / 10
    rate = figure("rate_per_10000", value=7 / 20_003 * 10_000, numerator=7, denominator=20_003)
    published_rate = published_figure(rate)
    assert published_rate.value == rate.value
    assert (published_rate.numerator, published_rate.denominator) == (5, 20_005)


def test_a_ratio_with_a_small_count_is_suppressed() -> None:
    published = published_figure(figure("ratio", value=1.6, numerator=3, denominator=250))
    assert published.suppressed and published.value is None


def test_a_figure_already_suppressed_stays_so() -> None:
    exact = figure(value=50.0, numerator=10, denominator=20, suppressed=True)
    published = published_figure(exact)
    assert published.suppressed and published.value is None and published.numerator is None


def test_a_figure_with_no_value_or_counts_is_left_empty() -> None:
    published = published_figure(figure(value=None, numerator=0, denominator=0))
    assert not published.suppressed
    assert (published.value, published.numerator, published.denominator) == (None, 0, 0)


def test_published_figures_copies_every_figure_and_says_it_is_not_exact() -> None:
    exact = IndicatorFigures(
        spec=spec("percent"),
        council=LARKHAVEN,
        figures=(
            figure(value=75.0, numerator=3, denominator=4),
            figure(value=40.0, numerator=8, denominator=20, period="2023-24"),
        ),
        periods=("2023-24", "2024-25"),
    )
    published = published_figures(exact)
    assert published.exact is False and exact.exact is True
    assert published.periods == exact.periods and published.spec == exact.spec
    assert [f.suppressed for f in published.figures] == [True, False]
    assert published.figures[1].numerator == 10
    # The exact figures are untouched.
    assert exact.figures[0].value == 75.0 and exact.figures[1].numerator == 8
    # Publishing twice changes nothing more.
    assert published_figures(published) == published


def test_a_count_is_judged_by_its_value_when_there_are_no_counts_beside_it() -> None:
    assert published_figure(figure("count", value=3.0)).suppressed
    kept = published_figure(figure("count", value=12.0, lower_ci=6.2, upper_ci=21.0))
    assert (kept.value, kept.suppressed, kept.rounded) == (10.0, False, True)
    # An exact interval around a rounded count would give the count away, so it goes.
    assert (kept.lower_ci, kept.upper_ci) == (None, None)
    rate = published_figure(
        figure("percent", value=40.0, numerator=8, denominator=20, lower_ci=21.9, upper_ci=61.3)
    )
    assert (rate.lower_ci, rate.upper_ci) == (21.9, 61.3)
