"""Defence labs tried as a learner would: a naive defence first.

Each naive defence in tests/labs/naive/ is graded through the real grader against
its lab's whole corpora, and must fail the score the lab is meant to show it
failing (docs/labs.md, "Trying a lab as an author"), with the exact figures, so
that a change to a corpus or to the gullible model that lets a naive defence
pass, or changes what the learner sees, is noticed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.grader.runner import grade
from tutor.labs.session import lab_settings

COURSE = load_course(default_course_dir())
NAIVE = Path(__file__).resolve().parent.parent / "labs" / "naive"

# (lab, naive defence file, {score label: (got, total)}); a score below its
# threshold is the one the defence visibly fails.
CASES = [
    # Refusing every reply that says password, secret or code: most ordinary
    # questions refused, and the leaks without those words still get through.
    ("prompt_leak", "prompt_leak_keyword_refusal.py",
     {"attacks blocked": (11, 15), "usefulness kept": (5, 12)}),
    # Secrets left in the prompt, exact values masked: useful, but a secret
    # written another way gets through.
    ("prompt_leak", "prompt_leak_exact_match.py",
     {"attacks blocked": (12, 15), "usefulness kept": (12, 12)}),
]


@pytest.mark.parametrize(("lab_id", "naive", "expected"), CASES,
                         ids=[f"{lab}-{Path(name).stem}" for lab, name, _e in CASES])
def test_naive_defence_fails_the_score_it_should(lab_id, naive, expected):
    exercise = next(ex for ex in COURSE.exercises if ex.id == lab_id)
    settings = lab_settings(COURSE.paths, exercise)
    assert settings is not None, f"{lab_id} is not a lab"
    result = grade(COURSE.paths.checks, lab_id, NAIVE / naive, f"naive/{naive}",
                   exercise.timeout, lab=settings)
    scores = {c.score.label: (c.score.got, c.score.total)
              for c in result.checks if c.score is not None}
    assert scores == expected, result.checks
    assert not result.passed
