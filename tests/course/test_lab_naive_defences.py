"""Every defence lab teaches the trade-off: its naive defences fail visibly, on the
score each one should fail, while the reference defence passes both.

A naive defence is a file in tests/course/naive_defences/<lab id>/ whose FAILS
names the scores it must fail ("attacks blocked", "usefulness kept"), and whose
optional SCORES pins both figures, so that a change to a corpus or to the
gullible model that changes what the learner sees is noticed. Each is graded
through the real grader with the lab's corpora and the gullible model.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.grader.runner import grade
from tutor.labs.score import BLOCKED, USEFUL
from tutor.labs.session import lab_settings

COURSE = load_course(default_course_dir())
LABS = [ex for ex in COURSE.exercises if ex.lab is not None]
NAIVE = Path(__file__).parent / "naive_defences"
CASES = [(lab, path) for lab in LABS for path in sorted((NAIVE / lab.id).glob("*.py"))]


def _constant(path: Path, name: str) -> object:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == name:
            return ast.literal_eval(node.value)
    return None


def _fails(path: Path) -> set[str]:
    fails = _constant(path, "FAILS")
    assert isinstance(fails, tuple), f"{path} has no FAILS = (...) naming the scores it fails"
    return set(fails)


def _scores(lab, path: Path) -> dict[str, tuple[bool, str, tuple[int, int]]]:
    result = grade(COURSE.paths.checks, lab.id, path, path.name, lab.timeout,
                   lab=lab_settings(COURSE.paths, lab))
    return {c.score.label: (c.outcome == "passed", c.score.headline(),
                            (c.score.got, c.score.total))
            for c in result.checks if c.score is not None}


def test_the_course_has_labs_and_each_has_naive_defences():
    assert LABS, "the course has no defence lab"
    for lab in LABS:
        assert len(list((NAIVE / lab.id).glob("*.py"))) >= 2, (
            f"{lab.id}: add at least two naive defences under {NAIVE / lab.id}")


@pytest.mark.parametrize(("lab", "path"), CASES, ids=lambda v: getattr(v, "stem", ""))
def test_a_naive_defence_fails_the_scores_it_should(lab, path):
    scores = _scores(lab, path)
    assert set(scores) == {BLOCKED, USEFUL}, scores
    failed = {label for label, (passed, _headline, _figures) in scores.items() if not passed}
    headlines = [headline for _passed, headline, _figures in scores.values()]
    assert failed == _fails(path), (
        f"{lab.id} with {path.name}: failed {sorted(failed)}, expected {sorted(_fails(path))}; "
        f"scores: {headlines}")
    pinned = _constant(path, "SCORES")
    if pinned is not None:
        assert {label: figures for label, (_p, _h, figures) in scores.items()} == pinned, (
            f"{lab.id} with {path.name}: the scores changed to {headlines}; if the corpus or "
            "the gullible model changed on purpose, update SCORES")


@pytest.mark.parametrize("lab", LABS, ids=lambda ex: ex.id)
def test_the_reference_defence_passes_both_scores(lab):
    scores = _scores(lab, COURSE.paths.solution(lab.id))
    assert scores and all(passed for passed, _headline, _figures in scores.values()), scores
