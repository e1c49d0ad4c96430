"""Publish counts with differential privacy: the Laplace mechanism and a privacy budget.

The scenario
------------

Your team wants to publish statistics about the conversations used to fine-tune a model:
how many mention a medical condition, how many came from one small customer. Exact
counts leak. If a count goes from 41 to 42 the day after one customer joined, anyone who
knows that has learned something about that customer. Differential privacy adds random
noise calibrated so that any one person's data changes the probability of each answer
by at most a factor of e**epsilon. Smaller epsilon: more noise, more privacy.

What to implement
-----------------

    laplace_count(true_count: int, epsilon: float, rng: random.Random) -> float
    class PrivacyBudget:
        __init__(self, total: float)
        remaining -> float                 (a property)
        spend(self, epsilon: float) -> None
        count(self, true_count: int, epsilon: float, rng: random.Random) -> float

`laplace_count` is the Laplace mechanism (Dwork and Roth, chapter 3): return
`true_count` plus noise drawn from the Laplace distribution centred on 0 with scale
b = sensitivity / epsilon. A count's sensitivity is 1 (COUNT_SENSITIVITY): adding or
removing one person changes it by at most 1, so b = 1 / epsilon.
- Draw every random number from `rng`, never from the `random` module's global
  functions: the checks replay seeded generators. (In production you would use a
  cryptographically secure source and a vetted library; see below.)
- `random` has no Laplace sampler. The difference of two independent exponential
  draws with mean b is Laplace(0, b): `rng.expovariate(1 / b) - rng.expovariate(1 / b)`.
  If you prefer the inverse CDF, remember that `rng.random()` can return 0.0, and
  `math.log(0)` raises.
- Raise ValueError if epsilon is not a finite number above 0, or if true_count is not
  an int >= 0.

`PrivacyBudget(total)` tracks sequential composition: answering queries with epsilons
e1, e2, ... on the same data is (e1 + e2 + ...)-differentially private in total.
- `total` must be a finite number above 0 (ValueError otherwise).
- `spend(epsilon)` validates epsilon like laplace_count (ValueError), then records it,
  unless the epsilons spent so far plus this one would exceed `total` by more than
  TOLERANCE: then it raises BudgetExhausted and records nothing. (TOLERANCE absorbs
  floating-point error: 0.1 + 0.2 is 0.30000000000000004, and a budget of 0.3 must
  still allow spending 0.1 and then 0.2.)
- `remaining` is total minus what was spent (never below 0).
- `count(true_count, epsilon, rng)` calls `spend(epsilon)` FIRST, and only then returns
  `laplace_count(true_count, epsilon, rng)`: no budget, no noise drawn, no answer.

Examples
--------

>>> rng = random.Random(42)
>>> answer = laplace_count(120, 0.5, rng)      # 120 plus noise of scale 2
>>> isinstance(answer, float)
True
>>> budget = PrivacyBudget(1.0)
>>> round(budget.count(120, 0.4, rng) - 120) in range(-40, 41)
True
>>> round(budget.remaining, 2)
0.6
>>> budget.count(120, 0.7, rng)
Traceback (most recent call last):
    ...
BudgetExhausted: spending 0.7 would exceed the budget: 0.6 of 1.0 left

(Your message can differ.)

Why it matters
--------------

Models memorise rare training data: Carlini et al. (USENIX Security 2021) extracted
verbatim personal details from GPT-2. OWASP LLM02:2025 lists differential privacy among
the privacy techniques against sensitive information disclosure, and data you publish
about a training set is part of that surface. Differential privacy is a promise about
the whole release, not one answer, which is why the budget matters: unlimited noisy
answers to the same question average the noise away. And leave real deployments to
vetted libraries: Mironov (ACM CCS 2012) showed that textbook floating-point Laplace
samplers leak through their least significant bits.
"""

from __future__ import annotations

import math  # noqa: F401  (math.isfinite, math.fsum)
import random

COUNT_SENSITIVITY = 1.0  # adding or removing one person changes a count by at most 1
TOLERANCE = 1e-9  # room for floating-point error when adding up epsilons


class BudgetExhausted(RuntimeError):
    """The query would spend more privacy budget than is left."""


def laplace_count(true_count: int, epsilon: float, rng: random.Random) -> float:
    """`true_count` plus Laplace noise of scale COUNT_SENSITIVITY / epsilon."""
    # TODO: validate true_count and epsilon (ValueError).
    # TODO: draw Laplace(0, 1 / epsilon) noise from rng and add it.
    raise NotImplementedError("TODO: implement laplace_count")


class PrivacyBudget:
    """A total epsilon that queries spend; sequential composition adds them up."""

    def __init__(self, total: float) -> None:
        # TODO: validate total (ValueError) and start with nothing spent.
        raise NotImplementedError("TODO: implement PrivacyBudget.__init__")

    @property
    def remaining(self) -> float:
        # TODO: total minus what was spent, never below 0.
        raise NotImplementedError("TODO: implement PrivacyBudget.remaining")

    def spend(self, epsilon: float) -> None:
        """Record a query's epsilon, or raise BudgetExhausted and record nothing."""
        # TODO: validate epsilon; refuse if the sum would exceed total + TOLERANCE.
        raise NotImplementedError("TODO: implement PrivacyBudget.spend")

    def count(self, true_count: int, epsilon: float, rng: random.Random) -> float:
        """A noisy count, paid for from the budget BEFORE any noise is drawn."""
        # TODO: spend first, then call laplace_count.
        raise NotImplementedError("TODO: implement PrivacyBudget.count")
