"""`aisec check --all` starts the longest gradings first and still reports in course order."""

from __future__ import annotations

from tutor.cli.commands.check import grading_order
from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course


def test_labs_are_graded_first_and_the_rest_in_course_order():
    exercises = list(load_course(default_course_dir()).exercises)
    labs = [ex for ex in exercises if ex.lab is not None]
    assert labs, "the course has labs: the slowest gradings"
    order = grading_order(exercises)
    assert order[:len(labs)] == labs
    assert order[len(labs):] == [ex for ex in exercises if ex.lab is None]
