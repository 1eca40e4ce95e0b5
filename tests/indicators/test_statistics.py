"""Each interval against values worked out another way (by hand, or by a different formula)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from safeguarding.indicators.statistics import (
    byar_interval,
    count_interval,
    exact_poisson_interval,
    rate_interval,
    rate_ratio_interval,
    wilson_interval,
)

Z = 1.959963984540054


@pytest.mark.parametrize(("successes", "trials"), [(1, 10), (81, 263), (50, 100), (3, 7)])
def test_wilson_limits_are_where_the_score_test_statistic_equals_z(
    successes: int, trials: int
) -> None:
    # Wilson's interval is the set of p whose score test does not reject: at each limit,
    # |p_hat - p| = z * sqrt(p (1 - p) / n) exactly.
    lower, upper = wilson_interval(successes, trials)
    p_hat = successes / trials
    for limit in (float(lower), float(upper)):
        statistic = abs(p_hat - limit) / math.sqrt(limit * (1 - limit) / trials)
        assert statistic == pytest.approx(Z, rel=1e-9)
    assert float(lower) < p_hat < float(upper)


def test_wilson_by_hand_for_8_of_20() -> None:
    # p = 0.4, z^2/n = 0.192073: centre = 0.496037 / 1.192073 = 0.416114;
    # half = 1.644177 * sqrt(0.012 + 0.002401) = 0.197316.
    lower, upper = wilson_interval(8, 20)
    assert float(lower) == pytest.approx(0.2188, abs=1e-4)
    assert float(upper) == pytest.approx(0.6134, abs=1e-4)


def test_wilson_edge_cases() -> None:
    lower, upper = wilson_interval([0, 5, 0, 6], [5, 5, 0, 5])
    # 0 of 5: the lower limit is 0 and the upper is z^2 / (n + z^2).
    assert lower[0] == 0.0
    assert upper[0] == pytest.approx(Z**2 / (5 + Z**2))
    # 5 of 5 mirrors it.
    assert upper[1] == 1.0
    assert lower[1] == pytest.approx(5 / (5 + Z**2))
    # No trials, or more successes than trials: no interval.
    assert np.isnan(lower[2]) and np.isnan(upper[2])
    assert np.isnan(lower[3]) and np.isnan(upper[3])


@pytest.mark.parametrize("count", [0, 1, 2, 5, 9, 10, 37, 250])
def test_exact_limits_match_the_poisson_tail_probabilities(count: int) -> None:
    lower, upper = exact_poisson_interval(count)
    # The upper limit is the mean for which seeing `count` or fewer has probability 2.5%;
    # the lower limit, the mean for which seeing `count` or more has probability 2.5%.
    assert stats.poisson.cdf(count, float(upper)) == pytest.approx(0.025, rel=1e-7)
    if count == 0:
        assert float(lower) == 0.0
    else:
        assert stats.poisson.sf(count - 1, float(lower)) == pytest.approx(0.025, rel=1e-7)
    # And through the gamma distribution, another route to the same numbers.
    assert float(upper) == pytest.approx(stats.gamma.ppf(0.975, count + 1))


def test_exact_upper_limit_of_zero_is_the_familiar_3_69() -> None:
    assert float(exact_poisson_interval(0)[1]) == pytest.approx(3.689, abs=1e-3)


def test_byar_by_hand_for_a_count_of_10() -> None:
    # lower = 10 (1 - 1/90 - z / (3 sqrt 10))^3; upper = 11 (1 - 1/99 + z / (3 sqrt 11))^3.
    lower, upper = byar_interval(10)
    assert float(lower) == pytest.approx(10 * (1 - 1 / 90 - Z / (3 * math.sqrt(10))) ** 3)
    assert float(lower) == pytest.approx(4.7877, abs=1e-3)
    assert float(upper) == pytest.approx(18.39, abs=1e-2)


@pytest.mark.parametrize("count", [10, 50, 400, 5000])
def test_byar_is_close_to_the_exact_limits_for_large_counts(count: int) -> None:
    byar = byar_interval(count)
    exact = exact_poisson_interval(count)
    assert float(byar[0]) == pytest.approx(float(exact[0]), rel=0.005)
    assert float(byar[1]) == pytest.approx(float(exact[1]), rel=0.005)


def test_counts_below_10_use_exact_limits_and_from_10_byar() -> None:
    counts = np.array([0, 9, 10, 11])
    lower, upper = count_interval(counts)
    exact = exact_poisson_interval(counts)
    byar = byar_interval(counts)
    assert lower[:2] == pytest.approx(exact[0][:2])
    assert upper[:2] == pytest.approx(exact[1][:2])
    assert lower[2:] == pytest.approx(byar[0][2:])
    assert upper[2:] == pytest.approx(byar[1][2:])


def test_rate_per_100000_scales_the_count_limits() -> None:
    value, lower, upper = rate_interval([25, 3, 4], [50_000, 1_000, 0])
    assert value[0] == pytest.approx(50.0)
    assert lower[0] == pytest.approx(float(byar_interval(25)[0]) * 2)
    assert upper[1] == pytest.approx(float(exact_poisson_interval(3)[1]) * 100)
    # No population: no rate.
    assert np.isnan(value[2]) and np.isnan(lower[2]) and np.isnan(upper[2])


def test_rate_ratio_by_the_log_method_by_hand() -> None:
    # 20 of 1,000 against 10 of 2,000: ratio 4; se = sqrt(1/20 - 1/1000 + 1/10 - 1/2000).
    ratio, lower, upper = rate_ratio_interval(20, 1_000, 10, 2_000)
    se = math.sqrt(0.05 - 0.001 + 0.1 - 0.0005)
    assert float(ratio) == pytest.approx(4.0)
    assert float(lower) == pytest.approx(4 / math.exp(Z * se))
    assert float(upper) == pytest.approx(4 * math.exp(Z * se))
    assert float(lower) == pytest.approx(1.879, abs=1e-3)


def test_rate_ratio_edge_cases() -> None:
    ratio, lower, upper = rate_ratio_interval([0, 5, 5], [100, 100, 0], [10, 0, 10], [100] * 3)
    # A count of 0 has a ratio of 0 but no log interval.
    assert ratio[0] == 0.0 and np.isnan(lower[0]) and np.isnan(upper[0])
    # No reference count, or no people: no ratio at all.
    assert np.isnan(ratio[1]) and np.isnan(lower[1])
    assert np.isnan(ratio[2]) and np.isnan(upper[2])
