"""The shipped course itself: every lesson parses, every solution passes its checks
through the real grader, every starter fails at least one, and the code is lint-clean."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.course import load_course
from tutor.grader.checks import list_checks
from tutor.lessons import load_lesson
from tutor.paths import default_course_dir
from tutor.verify import run_problems, static_problems

COURSE = load_course(default_course_dir())


def test_static_content_is_valid():
    problems, _incomplete = static_problems(COURSE)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_lesson_has_objectives_quiz_and_sources(lesson):
    parsed = load_lesson(COURSE.root / lesson.file, lesson.id)
    assert parsed.objectives and parsed.quizzes and parsed.sources


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_solution_passes_and_starter_fails_through_the_grader(exercise):
    problems = run_problems(COURSE, exercise)
    assert not problems, "\n".join(map(str, problems))


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_every_exercise_has_at_least_five_checks_and_two_hints(exercise):
    checks = list_checks(COURSE.paths.check_file(exercise.id))
    assert len([c for c in checks if not c.optional]) >= 5
    assert 2 <= len(exercise.hints) <= 3


def test_course_code_is_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is part of the test extra: pip install -e '.[test]'"
    result = subprocess.run([ruff, "check", "tutor", "solutions", "tests", "benchmarks"],
                            cwd=COURSE.root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_course_map_is_up_to_date():
    script = COURSE.root / "docs" / "make_course_map.py"
    result = subprocess.run([sys.executable, str(script), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_lesson_is_substantial_and_sourced(lesson):
    parsed = load_lesson(COURSE.root / lesson.file, lesson.id)
    words = len(parsed.markdown.split())
    assert words >= 500, f"{lesson.file}: {words} words of text; a lesson needs at least 500"
    assert len(parsed.sources) >= 2, f"{lesson.file}: cite at least two sources"
    assert 3 <= len(parsed.quizzes) <= 5, f"{lesson.file}: {len(parsed.quizzes)} quizzes"


@pytest.mark.parametrize("lesson", COURSE.lessons, ids=lambda lesson: lesson.id)
def test_lesson_facts_carry_a_last_checked_date(lesson):
    """A course on misinformation says when each lesson was checked against its sources."""
    parsed = load_lesson(COURSE.root / lesson.file, lesson.id)
    assert parsed.last_checked is not None, (
        f"{lesson.file}: add 'last_checked: YYYY-MM-DD' to the front matter once every fact "
        "has been checked against the sources")


@pytest.mark.parametrize("exercise", COURSE.exercises, ids=lambda ex: ex.id)
def test_every_exercise_fits_ten_to_thirty_minutes(exercise):
    """A learner who has read the lesson finishes an exercise in 10 to 30 minutes."""
    assert 10 <= exercise.minutes <= 30, (
        f"course.yaml:{exercise.line}: '{exercise.id}' is estimated at {exercise.minutes} "
        "minutes; scaffold it, split it, or move a part to 'Going further'")


def test_every_starter_fails_and_every_solution_passes_through_check_all(tmp_path):
    """The learner's path end to end: `aisec check --all` on starters, then on solutions."""
    env = {**os.environ, "NO_COLOR": "1"}

    def aisec(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=900)

    assert aisec("init", "w").returncode == 0
    ws = ["--workspace", str(tmp_path / "w")]
    starters = aisec(*ws, "check", "--all", "--json")
    results = json.loads(starters.stdout)
    assert starters.returncode == 1
    assert results["total"] == len(COURSE.exercises) and results["passed"] == 0, [
        r["exercise"] for r in results["exercises"] if r["passed"]]
    for ex in COURSE.exercises:
        shutil.copy(COURSE.paths.solution(ex.id), tmp_path / "w" / "exercises" / ex.file)
    solved = aisec(*ws, "check", "--all", "--json")
    results = json.loads(solved.stdout)
    assert solved.returncode == 0, [r["exercise"] for r in results["exercises"]
                                    if not r["passed"]]
    assert results["passed"] == results["total"] == len(COURSE.exercises)
