"""Differential tests: a reference solution against a well-kept library or a spec.

Each file compares one exercise's reference solution (``solutions/<id>.py``) with
the library that knows the right answer, on inputs that hypothesis generates.
A deliberate difference is written down twice: in the starter's docstring (so a
learner knows) and in the test file's ``DIFFERENCES`` (so a reviewer sees it).

Hypothesis runs derandomized and without deadlines: the same examples on every
run, and nothing here depends on how busy the machine is.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "aisec-differential",
    derandomize=True,
    deadline=None,
    max_examples=300,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile("aisec-differential")

