"""Hidden checks for `laplace_count` and `PrivacyBudget`.

The statistical checks draw from a seeded random.Random, so the reference solution
always sees the same numbers. A learner's sampler may use the generator differently
(random() and a sign, gauss(), two expovariate() calls), so for it the draws are as
good as fresh: every tolerance below is set so that ANY correct Laplace sampler fails
with probability below 1e-6, by Chernoff bounds (exact upper bounds, not normal
approximations), while the wrong samplers fail by a wide margin.

Facts used: for Laplace noise with scale b, |X| is exponential with mean b, so the mean
of |X| is b, P(|X| > 3b) = e**-3 (about 4.98%), the variance is 2 * b**2, and the
distribution is symmetric around 0.

The numbers (computed once; see each check for what it catches):
- scale: 4,000 draws for each of 3 epsilons, mean |X| within 10% of b. The sum of n
  exponentials is Gamma(n), so P(off by 10%) <= exp(-n (0.1 - ln 1.1)) +
  exp(-n (-0.1 - ln 0.9)) = 7.6e-9 per epsilon, 2.3e-8 for the check. The nearest wrong
  scales are 20% (Gaussian with sigma b) and 29% (Laplace with standard deviation b) off.
- shape: 5,000 draws. The tail share beyond 3b is binomial: P(|share - e**-3| >= 0.018)
  <= 2.0e-7 (Chernoff with relative entropy); the positive share within 0.05 of 1/2:
  2.7e-11; each mean within 6 standard errors: 3.1e-8 (the Laplace moment generating
  function 1 / (1 - b**2 t**2)). Together 2.6e-7. Gaussian noise with the same mean |X|
  puts 1.7% beyond 3b, and passes the tail bound of 3.2% with probability below 1e-12.
20,000 draws per run (the old size) cost 0.25 s of sampling each and bought nothing
these bounds need.
"""

from __future__ import annotations

import math
import random

SCALE_SAMPLES = 4_000  # per epsilon; see the module docstring for the bounds
SHAPE_SAMPLES = 5_000
SCALE_TOLERANCE = 0.10  # relative, on the mean |noise|
TAIL_TOLERANCE = 0.018  # absolute, on the share beyond 3b
SIGN_TOLERANCE = 0.05  # absolute, on the positive share


class _EdgeRandom(random.Random):
    """A Random whose random() returns the extremes: 0.0 and the largest float below 1."""

    def __init__(self) -> None:
        super().__init__(0)
        self._values = [0.0, 1.0 - 2.0**-53, 0.5, 0.0, 0.0, 1.0 - 2.0**-53]
        self._index = 0

    def random(self) -> float:
        value = self._values[self._index % len(self._values)]
        self._index += 1
        return value


def _noise(exercise, epsilon: float, seed: int, samples: int,
           true_count: int = 0) -> list[float]:
    rng = random.Random(seed)
    return [exercise.laplace_count(true_count, epsilon, rng) - true_count
            for _ in range(samples)]


def _raises(exercise_call, expected, description: str, why: str) -> None:
    try:
        got = exercise_call()
    except expected:
        return
    except NotImplementedError:
        raise
    except Exception as exc:
        raise AssertionError(
            f"{description} raised {type(exc).__name__}({exc}), expected {expected.__name__}. "
            f"{why}"
        ) from None
    raise AssertionError(f"{description} returned {got!r}, expected {expected.__name__}. {why}")


def test_noise_scale_is_one_over_epsilon(exercise):
    """Adds noise whose average size is sensitivity / epsilon = 1 / epsilon"""
    for epsilon, seed in ((0.5, 11), (1.0, 12), (2.0, 13)):
        noise = _noise(exercise, epsilon, seed, SCALE_SAMPLES)
        scale = 1 / epsilon
        mean_abs = math.fsum(abs(x) for x in noise) / SCALE_SAMPLES
        assert abs(mean_abs - scale) < SCALE_TOLERANCE * scale, (
            f"laplace_count(0, {epsilon}, random.Random({seed})) over {SCALE_SAMPLES} draws: "
            f"the average |noise| is {mean_abs:.4f}, expected {scale:.4f} (within "
            f"{SCALE_TOLERANCE:.0%}). For a "
            "count, one person changes the result by at most 1 (the sensitivity), so the "
            f"Laplace mechanism uses scale b = 1 / epsilon = {scale}, and the average |noise| "
            "of Laplace(b) is b. Less noise breaks the epsilon promise; more noise wastes "
            "accuracy for nothing."
        )


def test_noise_has_the_laplace_shape(exercise):
    """Draws two-sided Laplace noise: symmetric, centred on 0, with e**-3 of it beyond 3b"""
    epsilon, seed = 1.0, 2024
    noise = _noise(exercise, epsilon, seed, SHAPE_SAMPLES)
    scale = 1 / epsilon
    tail = sum(abs(x) > 3 * scale for x in noise) / SHAPE_SAMPLES
    assert abs(tail - math.exp(-3)) < TAIL_TOLERANCE, (
        f"laplace_count(0, {epsilon}, random.Random({seed})): {tail:.2%} of {SHAPE_SAMPLES} "
        f"draws are further than 3b = {3 * scale} from the true count, expected about "
        f"{math.exp(-3):.2%} (e**-3). Gaussian noise with the same average size gives about "
        "1.7%. The proof that the mechanism is epsilon-differentially private relies on the "
        "Laplace density exp(-|x| / b) / (2b); another shape needs another proof and "
        "usually another scale."
    )
    positive = sum(x > 0 for x in noise) / SHAPE_SAMPLES
    mean = math.fsum(noise) / SHAPE_SAMPLES
    standard_error = math.sqrt(2) * scale / math.sqrt(SHAPE_SAMPLES)
    assert abs(positive - 0.5) < SIGN_TOLERANCE and abs(mean) < 6 * standard_error, (
        f"laplace_count(0, {epsilon}, random.Random({seed})): {positive:.1%} of the noise is "
        f"positive and its mean is {mean:.4f}, expected about 50% and 0 (within "
        f"{6 * standard_error:.3f}). The noise must be symmetric around the true count, or "
        "every answer is biased in one direction."
    )
    noise = _noise(exercise, 0.25, 99, SHAPE_SAMPLES, true_count=1000)
    mean = math.fsum(noise) / SHAPE_SAMPLES
    standard_error = math.sqrt(2) * 4 / math.sqrt(SHAPE_SAMPLES)
    assert abs(mean) < 6 * standard_error, (
        f"laplace_count(1000, 0.25, random.Random(99)) averages {1000 + mean:.3f} over "
        f"{SHAPE_SAMPLES} draws, expected about 1000 (within {6 * standard_error:.3f}): return "
        "true_count plus the noise."
    )


def test_uses_the_given_rng(exercise):
    """Draws its randomness from the rng argument only, so results are reproducible"""
    random.seed(1)
    first = [exercise.laplace_count(10, 1.0, random.Random(42)) for _ in range(3)]
    random.seed(2)
    second = [exercise.laplace_count(10, 1.0, random.Random(42)) for _ in range(3)]
    assert first == second, (
        f"laplace_count(10, 1.0, random.Random(42)) gave {first!r}, then {second!r} after "
        "the global random module was re-seeded: use the rng you are given (rng.random(), "
        "rng.expovariate(...)), not the random module's global functions, so that tests "
        "and audits can replay exactly what was released."
    )
    rng = random.Random(7)
    values = [exercise.laplace_count(10, 1.0, rng) for _ in range(5)]
    assert len(set(values)) == 5 and all(isinstance(v, float) for v in values), (
        f"Five calls of laplace_count(10, 1.0, rng) with one random.Random(7) gave {values!r}, "
        "expected five different floats: each call draws fresh noise. Repeating the same "
        "noise lets anyone average it away."
    )


def test_survives_extreme_random_values(exercise):
    """Stays finite when the generator returns 0.0 or the largest float below 1"""
    rng = _EdgeRandom()
    got = [exercise.laplace_count(5, 1.0, rng) for _ in range(6)]
    assert all(isinstance(v, float) and math.isfinite(v) for v in got), (
        f"laplace_count(5, 1.0, rng) gave {got!r} for a generator whose random() returns "
        "0.0, 0.9999999999999999 and 0.5: expected finite floats and no exception. "
        "random.random() can return 0.0, and log(0) is undefined: sample with "
        "rng.expovariate(1 / b) (it computes -log(1 - random())), or guard your own "
        "inverse-CDF formula against both ends."
    )


def test_rejects_invalid_arguments(exercise):
    """Raises ValueError for epsilon <= 0, NaN or infinity, and for negative counts"""
    rng = random.Random(0)
    why_eps = ("epsilon must be a finite number above 0: epsilon = 0 would need infinite "
               "noise, a negative one means nothing, and infinity means no privacy at all.")
    for epsilon in (0, 0.0, -1.0, float("nan"), float("inf")):
        _raises(lambda epsilon=epsilon: exercise.laplace_count(3, epsilon, rng), ValueError,
                f"laplace_count(3, {epsilon!r}, rng)", why_eps)
    for count in (-1, 2.5):
        _raises(lambda count=count: exercise.laplace_count(count, 1.0, rng), ValueError,
                f"laplace_count({count!r}, 1.0, rng)",
                "A count is an int >= 0; anything else means the caller mixed something up.")
    for total in (0, -0.5, float("nan"), float("inf")):
        _raises(lambda total=total: exercise.PrivacyBudget(total), ValueError,
                f"PrivacyBudget({total!r})", why_eps)


def test_budget_adds_up_epsilons(exercise):
    """Lets queries spend exactly the budget, then refuses more with BudgetExhausted"""
    budget = exercise.PrivacyBudget(1.0)
    for i in range(10):
        try:
            budget.spend(0.1)
        except exercise.BudgetExhausted:
            raise AssertionError(
                f"PrivacyBudget(1.0).spend(0.1) raised BudgetExhausted on spend number {i + 1}, "
                "expected ten spends of 0.1 to fit. 0.1 + 0.1 + ... is not exactly 1.0 in "
                "floating point: allow TOLERANCE (1e-9) of rounding error, or add with "
                "math.fsum."
            ) from None
    assert abs(budget.remaining) < 1e-9, (
        f"After ten spends of 0.1 from PrivacyBudget(1.0), remaining is {budget.remaining!r}, "
        "expected 0 (within 1e-9)."
    )
    _raises(lambda: budget.spend(0.1), exercise.BudgetExhausted,
            "The eleventh PrivacyBudget(1.0).spend(0.1)",
            "By sequential composition, answering queries with epsilons e1, e2, ... costs "
            "e1 + e2 + ... in total; once that reaches the budget, answering more erodes the "
            "guarantee you promised.")

    budget = exercise.PrivacyBudget(0.3)
    try:
        budget.spend(0.1)
        budget.spend(0.2)
    except exercise.BudgetExhausted:
        raise AssertionError(
            "PrivacyBudget(0.3): spend(0.1) then spend(0.2) raised BudgetExhausted, expected "
            "both to fit. In floating point 0.1 + 0.2 is 0.30000000000000004 and 0.3 - 0.1 is "
            "0.19999999999999998; compare with TOLERANCE so exact budgets can be spent."
        ) from None

    budget = exercise.PrivacyBudget(2.0)
    budget.spend(1.5)
    _raises(lambda: budget.spend(0.6), exercise.BudgetExhausted,
            "PrivacyBudget(2.0) after spend(1.5), spend(0.6)", "Only 0.5 is left.")
    assert abs(budget.remaining - 0.5) < 1e-9, (
        f"After a refused spend(0.6), remaining is {budget.remaining!r}, expected 0.5: a "
        "refused query must not use up budget."
    )
    _raises(lambda: budget.spend(-0.4), ValueError, "spend(-0.4)",
            "A negative epsilon would ADD budget back.")
    _raises(lambda: budget.spend(float("nan")), ValueError, "spend(nan)",
            "NaN compares False with everything, so it slips past a 'too big' check.")
    assert abs(budget.remaining - 0.5) < 1e-9, (
        f"After spend(-0.4) and spend(nan) were refused, remaining is {budget.remaining!r}, "
        "expected 0.5: validate epsilon before recording anything."
    )


def test_budgeted_count_pays_before_answering(exercise):
    """count() spends from the budget first, and draws no noise once the budget is gone"""
    budget = exercise.PrivacyBudget(0.5)
    rng = random.Random(5)
    got = budget.count(40, 0.5, rng)
    assert isinstance(got, float) and got != 40, (
        f"PrivacyBudget(0.5).count(40, 0.5, rng) returned {got!r}, expected a noisy float "
        "(40 plus Laplace noise)."
    )
    assert abs(budget.remaining) < 1e-9, (
        f"After count(40, 0.5, rng) on PrivacyBudget(0.5), remaining is {budget.remaining!r}, "
        "expected 0: every answer is paid for."
    )
    state = rng.getstate()
    _raises(lambda: budget.count(40, 0.1, rng), exercise.BudgetExhausted,
            "count(40, 0.1, rng) on an exhausted budget",
            "No budget, no answer: otherwise the same question can be asked again and again "
            "and the noise averaged away.")
    assert rng.getstate() == state, (
        "count() on an exhausted budget drew random numbers before refusing: call spend() "
        "first, and compute nothing you are not allowed to release."
    )
