"""laplace_count against the Laplace distribution itself, and PrivacyBudget against exact sums.

No scipy: the Kolmogorov-Smirnov statistic is computed here by hand against the Laplace
CDF with scale b = sensitivity / epsilon,

    F(x) = exp(x / b) / 2          for x < 0
    F(x) = 1 - exp(-x / b) / 2     for x >= 0

on large samples from seeded generators. The critical value is fixed and generous:
sqrt(n) * D above 2.5 has probability about 2 * exp(-2 * 2.5**2) = 7.5e-6 for a correct
sampler (the asymptotic Kolmogorov tail), and the seeds are fixed, so the test cannot
flake; a sampler with the wrong scale or the wrong shape is far above it (the last test
proves the statistic catches them). Mean and variance are checked too: for Laplace(b)
the mean is 0 and the variance 2 * b**2.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st
from reference import load_solution

solution = load_solution("laplace_count")

DIFFERENCES: dict[str, str] = {}  # none

SAMPLES = 20_000
KS_LIMIT = 2.5  # on sqrt(n) * D; see the module docstring


def laplace_cdf(x: float, scale: float) -> float:
    return 0.5 * math.exp(x / scale) if x < 0 else 1 - 0.5 * math.exp(-x / scale)


def ks_statistic(sample: list[float], cdf: Callable[[float], float]) -> float:
    """sup |empirical CDF - cdf|, evaluated on both sides of every step."""
    ordered = sorted(sample)
    n = len(ordered)
    return max(max(cdf(x) - i / n, (i + 1) / n - cdf(x)) for i, x in enumerate(ordered))


def _noise(epsilon: float, seed: int, true_count: int) -> list[float]:
    rng = random.Random(seed)
    return [solution.laplace_count(true_count, epsilon, rng) - true_count
            for _ in range(SAMPLES)]


def _assert_laplace(noise: list[float], scale: float, label: str) -> None:
    n = len(noise)
    d = ks_statistic(noise, lambda x: laplace_cdf(x, scale))
    assert math.sqrt(n) * d < KS_LIMIT, f"{label}: sqrt(n) * D = {math.sqrt(n) * d:.3f}"
    mean = math.fsum(noise) / n
    assert abs(mean) < 6 * math.sqrt(2) * scale / math.sqrt(n), f"{label}: mean {mean}"
    variance = math.fsum((x - mean) ** 2 for x in noise) / (n - 1)
    # Laplace has kurtosis 6, so the sample variance has standard error sqrt(20 / n) * b**2.
    assert abs(variance - 2 * scale**2) < 6 * math.sqrt(20 / n) * scale**2, (
        f"{label}: variance {variance}, expected {2 * scale**2}"
    )


@settings(max_examples=12)
@given(st.sampled_from([0.05, 0.1, 0.5, 1.0, 2.0, 8.0]), st.integers(0, 2**32),
       st.sampled_from([0, 1, 17, 10**6]))
def test_noise_follows_laplace_with_scale_one_over_epsilon(epsilon: float, seed: int,
                                                           true_count: int) -> None:
    noise = _noise(epsilon, seed, true_count)
    _assert_laplace(noise, solution.COUNT_SENSITIVITY / epsilon,
                    f"laplace_count({true_count}, {epsilon}, Random({seed}))")


def test_the_statistic_catches_wrong_samplers() -> None:
    """The KS test above would fail a sampler with the wrong scale or the wrong shape."""
    rng = random.Random(7)
    scale = 1.0
    wrong = {
        "scale epsilon instead of 1/epsilon (epsilon = 2)": [
            rng.expovariate(2.0) - rng.expovariate(2.0) for _ in range(SAMPLES)],
        "scale 1.2 b": [rng.expovariate(1 / 1.2) - rng.expovariate(1 / 1.2)
                        for _ in range(SAMPLES)],
        "Gaussian with the same variance": [rng.gauss(0, math.sqrt(2)) for _ in range(SAMPLES)],
        "one-sided exponential": [rng.expovariate(1.0) for _ in range(SAMPLES)],
    }
    for label, sample in wrong.items():
        d = ks_statistic(sample, lambda x: laplace_cdf(x, scale))
        assert math.sqrt(SAMPLES) * d > 1.5 * KS_LIMIT, f"{label}: only {math.sqrt(SAMPLES) * d}"


# --------------------------------------------------------------------------- the budget

EPSILONS = st.floats(min_value=1e-6, max_value=3.0, allow_nan=False, allow_infinity=False)


@given(st.floats(min_value=1e-3, max_value=10.0), st.lists(EPSILONS, max_size=25))
def test_budget_matches_exact_sequential_composition(total: float,
                                                     requests: list[float]) -> None:
    """Spending is allowed while the EXACT sum of the epsilons stays within the total.

    Fractions add the floats without rounding. Within TOLERANCE of the total either answer
    is right (that is what TOLERANCE is for); outside it the budget must agree.
    """
    budget = solution.PrivacyBudget(total)
    spent = Fraction(0)
    for epsilon in requests:
        exact = spent + Fraction(epsilon)
        try:
            budget.spend(epsilon)
        except solution.BudgetExhausted:
            assert exact > Fraction(total), f"refused {epsilon} with {spent} of {total} spent"
        else:
            assert exact <= Fraction(total) + Fraction(2 * solution.TOLERANCE), (
                f"allowed {epsilon} with {float(spent)} of {total} spent"
            )
            spent = exact
        assert abs(budget.remaining - max(0.0, float(Fraction(total) - spent))) < 1e-9


@given(st.one_of(st.floats(max_value=0.0), st.just(math.nan), st.just(math.inf),
                 st.just(-math.inf)))
def test_every_invalid_epsilon_is_refused(epsilon: float) -> None:
    rng = random.Random(0)
    state = rng.getstate()
    for call in (lambda: solution.laplace_count(1, epsilon, rng),
                 lambda: solution.PrivacyBudget(epsilon),
                 lambda: solution.PrivacyBudget(1.0).spend(epsilon)):
        try:
            call()
        except ValueError:
            pass
        else:
            raise AssertionError(f"epsilon {epsilon!r} was accepted")
    assert rng.getstate() == state, "randomness was drawn before the arguments were checked"
