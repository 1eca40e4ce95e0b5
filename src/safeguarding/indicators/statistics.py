"""Confidence intervals for percentages, rates and rate ratios (``indicators.md``, Statistics).

Every function takes counts (scalars or numpy arrays) and returns arrays of float64. Where an
interval is undefined (no trials, no population, a count of zero in a ratio) the result is NaN,
never an error: the tidy table shows it as empty.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# scipy.special, not scipy.stats: the same functions scipy.stats calls for these two
# distributions, without the second or so that importing scipy.stats adds to every command.
from scipy import special

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

# Below this count a rate's interval uses exact Poisson limits; from it, Byar's approximation.
BYAR_MINIMUM_COUNT = 10


def _z(confidence: float) -> float:
    """The standard normal quantile for a two-sided ``confidence`` (1.96 for 0.95)."""
    return float(special.ndtri(0.5 + confidence / 2))


def _chi2_ppf(q: float, df: FloatArray) -> FloatArray:
    """The chi-squared quantile ``q`` with ``df`` degrees of freedom (as scipy.stats.chi2.ppf:
    NaN where ``df`` is not positive)."""
    with np.errstate(invalid="ignore"):
        return np.where(df > 0, 2 * special.gammaincinv(df / 2, q), np.nan)


def _floats(*values: ArrayLike) -> list[FloatArray]:
    return [np.asarray(v, dtype=np.float64) for v in values]


def wilson_interval(
    successes: ArrayLike, trials: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Wilson score interval for a proportion, as proportions from 0 to 1.

    NaN where there are no trials, or where ``successes`` is not between 0 and ``trials`` (a
    ratio of two counts that is not a proportion has no Wilson interval).
    """
    x, n = _floats(successes, trials)
    z = _z(confidence)
    valid = (n > 0) & (x >= 0) & (x <= n)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / n
        z2n = z * z / n
        centre = (p + z2n / 2) / (1 + z2n)
        half = z / (1 + z2n) * np.sqrt(p * (1 - p) / n + z2n / (4 * n))
    lower = np.where(valid, np.clip(centre - half, 0.0, 1.0), np.nan)
    upper = np.where(valid, np.clip(centre + half, 0.0, 1.0), np.nan)
    return lower, upper


def exact_poisson_interval(
    count: ArrayLike, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray]:
    """Exact limits for a Poisson count from the chi-squared distribution (lower 0 for 0)."""
    (o,) = _floats(count)
    alpha = 1 - confidence
    with np.errstate(invalid="ignore"):
        lower = np.where(o > 0, _chi2_ppf(alpha / 2, 2 * o) / 2, 0.0)
        upper = _chi2_ppf(1 - alpha / 2, 2 * o + 2) / 2
    invalid = ~(o >= 0)
    return np.where(invalid, np.nan, lower), np.where(invalid, np.nan, upper)


def byar_interval(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Byar's approximation to the exact Poisson limits of a count (meant for counts >= 10)."""
    (o,) = _floats(count)
    z = _z(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        lower = o * (1 - 1 / (9 * o) - z / (3 * np.sqrt(o))) ** 3
        o1 = o + 1
        upper = o1 * (1 - 1 / (9 * o1) + z / (3 * np.sqrt(o1))) ** 3
    lower = np.where(o > 0, lower, 0.0)
    invalid = ~(o >= 0)
    return np.where(invalid, np.nan, lower), np.where(invalid, np.nan, upper)


def count_interval(count: ArrayLike, confidence: float = 0.95) -> tuple[FloatArray, FloatArray]:
    """Limits of a count: Byar's method from 10, exact chi-squared limits below."""
    (o,) = _floats(count)
    byar_lower, byar_upper = byar_interval(o, confidence)
    exact_lower, exact_upper = exact_poisson_interval(o, confidence)
    large = o >= BYAR_MINIMUM_COUNT
    return np.where(large, byar_lower, exact_lower), np.where(large, byar_upper, exact_upper)


def rate_interval(
    count: ArrayLike, population: ArrayLike, per: float = 100_000, confidence: float = 0.95
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """A rate per ``per`` people and its limits (Byar from 10, exact below). NaN if no people."""
    o, n = _floats(count, population)
    lower, upper = count_interval(o, confidence)
    valid = n > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = np.where(valid, per / n, np.nan)
    return o * scale, lower * scale, upper * scale


def rate_ratio_interval(
    count: ArrayLike,
    population: ArrayLike,
    reference_count: ArrayLike,
    reference_population: ArrayLike,
    confidence: float = 0.95,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The ratio of two rates (count / population over the reference's) and its log (Katz)
    interval: exp(log ratio +- z * sqrt(1/a - 1/n + 1/b - 1/m)).

    The ratio is NaN without people or without a reference count; the interval is NaN as well
    when either count is 0, where the log method has no answer.
    """
    a, n, b, m = _floats(count, population, reference_count, reference_population)
    z = _z(confidence)
    defined = (n > 0) & (m > 0) & (b > 0) & (a >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(defined, (a / n) / (b / m), np.nan)
        se = np.sqrt(1 / a - 1 / n + 1 / b - 1 / m)
        lower = ratio * np.exp(-z * se)
        upper = ratio * np.exp(z * se)
    has_interval = defined & (a > 0)
    return ratio, np.where(has_interval, lower, np.nan), np.where(has_interval, upper, np.nan)
