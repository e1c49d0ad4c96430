"""Reference solution for `laplace_count`: noisy counts with the Laplace mechanism, on a budget."""

from __future__ import annotations

import math
import random

COUNT_SENSITIVITY = 1.0  # adding or removing one person changes a count by at most 1
TOLERANCE = 1e-9  # room for floating-point error when adding up epsilons


class BudgetExhausted(RuntimeError):
    """The query would spend more privacy budget than is left."""


def _check_epsilon(epsilon: float) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)):
        raise TypeError("epsilon must be a number")
    if not math.isfinite(epsilon) or epsilon <= 0:
        raise ValueError("epsilon must be a finite number greater than 0")
    return float(epsilon)


def laplace_count(true_count: int, epsilon: float, rng: random.Random) -> float:
    """`true_count` plus Laplace noise of scale COUNT_SENSITIVITY / epsilon."""
    if isinstance(true_count, bool) or not isinstance(true_count, int) or true_count < 0:
        raise ValueError("true_count must be an int >= 0")
    scale = COUNT_SENSITIVITY / _check_epsilon(epsilon)
    # The difference of two independent exponentials with mean `scale` is Laplace(0, scale).
    # expovariate computes -log(1 - random()), which stays finite even when random() is 0.0.
    noise = rng.expovariate(1 / scale) - rng.expovariate(1 / scale)
    return true_count + noise


class PrivacyBudget:
    """A total epsilon that queries spend; sequential composition adds them up."""

    def __init__(self, total: float) -> None:
        self.total = _check_epsilon(total)
        self._spent: list[float] = []

    @property
    def spent(self) -> float:
        return math.fsum(self._spent)  # exact sum, rounded once

    @property
    def remaining(self) -> float:
        return max(0.0, self.total - self.spent)

    def spend(self, epsilon: float) -> None:
        """Record a query's epsilon, or raise BudgetExhausted and record nothing."""
        epsilon = _check_epsilon(epsilon)
        if math.fsum([*self._spent, epsilon]) > self.total + TOLERANCE:
            raise BudgetExhausted(
                f"spending {epsilon} would exceed the budget: {self.remaining} of {self.total} left"
            )
        self._spent.append(epsilon)

    def count(self, true_count: int, epsilon: float, rng: random.Random) -> float:
        """A noisy count, paid for from the budget BEFORE any noise is drawn."""
        self.spend(epsilon)
        return laplace_count(true_count, epsilon, rng)
