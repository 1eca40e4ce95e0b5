"""Disclosure control for figures shown to the public, by the rules of
``safeguarding.indicators.disclosure``.

A figure whose numerator or denominator is from 1 to 4 is suppressed: its value, interval and
counts are withheld. So is a ``count`` figure whose value (the count itself) is from 1 to 4.
Otherwise counts are rounded to the nearest 5 (0 stays 0), and so is the value of a ``count``
figure; percentages, rates and ratios keep the value worked out from the unrounded counts.
Intervals of percentages, rates and ratios are kept as worked out; the interval of a ``count``
is dropped, because an exact interval around a rounded count would give the exact count away.
A figure already suppressed stays suppressed.
"""

from __future__ import annotations

import math
from dataclasses import replace

from safeguarding.dashboards.figures import Figure, IndicatorFigures
from safeguarding.indicators.disclosure import is_suppressed, round_count


def _whole(value: float | None) -> int | None:
    if value is None or math.isnan(value):
        return None
    return round(value)


def _rounded(count: int | None) -> int | None:
    return None if count is None else round_count(count)


def published_figure(figure: Figure) -> Figure:
    """One figure as the public may see it."""
    count_value = _whole(figure.value) if figure.unit == "count" else None
    if (
        figure.suppressed
        or is_suppressed(figure.numerator)
        or is_suppressed(figure.denominator)
        or is_suppressed(count_value)
    ):
        return replace(
            figure,
            value=None,
            numerator=None,
            denominator=None,
            lower_ci=None,
            upper_ci=None,
            suppressed=True,
            rounded=False,
        )
    value, lower, upper = figure.value, figure.lower_ci, figure.upper_ci
    if figure.unit == "count":
        value = None if count_value is None else float(round_count(count_value))
        lower = upper = None
    return replace(
        figure,
        value=value,
        lower_ci=lower,
        upper_ci=upper,
        numerator=_rounded(figure.numerator),
        denominator=_rounded(figure.denominator),
        rounded=True,
    )


def published_figures(figures: IndicatorFigures) -> IndicatorFigures:
    """A copy of ``figures`` with every figure as the public may see it (``exact=False``)."""
    return replace(
        figures, figures=tuple(published_figure(f) for f in figures.figures), exact=False
    )
