"""The checks plugin, both ways in: `-p tutor.grader.plugin` (plain pytest) and as an object.

Under plain pytest each check file gets its reference solution, and the markers
check files use are known even under --strict-markers; the grader hands pytest
its own plugin object, which nothing on the command line or in a file can swap.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tutor.grader.result import NOT_RUN
from tutor.grader.runner import grade

LIVE_CHECK = '''

@pytest.mark.ollama_live
def test_with_a_real_model(exercise):
    """Works with a real local model (optional)"""
    assert False, "this optional check needs a real model"
'''


def plain_pytest(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AISEC"))}
    env["OLLAMA_HOST"] = "127.0.0.1:9"  # nothing listens on the discard port
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tutor.grader.plugin", "--strict-markers",
         "-p", "no:cacheprovider", "-q", *args, "tests/checks"],
        cwd=course, env=env, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL)


def test_plain_pytest_checks_each_reference_solution_with_its_markers_known(course_dir):
    checks = course_dir / "tests" / "checks" / "test_adder.py"
    checks.write_text(checks.read_text() + LIVE_CHECK)
    run = plain_pytest(course_dir)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "7 passed, 1 skipped" in run.stdout


def test_plain_pytest_names_a_broken_solution_by_its_course_path(course_dir):
    (course_dir / "solutions" / "adder.py").write_text("def add(a, b)\n")
    run = plain_pytest(course_dir, "-rE")
    assert run.returncode == 1
    assert "Not run: solutions/adder.py:1: SyntaxError" in run.stdout


def test_a_plugin_object_passed_to_pytest_wins_over_the_command_line_one(course_dir,
                                                                          tmp_path):
    learner = tmp_path / "adder.py"
    learner.write_text("def add(a, b):\n    return a - b\n")
    script = (
        "import sys, pytest\n"
        "from pathlib import Path\n"
        "from tutor.grader.plugin import ChecksPlugin\n"
        "plugin = ChecksPlugin(target=Path(sys.argv[1]), display='adder.py')\n"
        "sys.exit(pytest.main(['-p', 'tutor.grader.plugin', '-p', 'no:cacheprovider', '-q',\n"
        "                      'tests/checks/test_adder.py'], plugins=[plugin]))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "AISEC"))}
    run = subprocess.run([sys.executable, "-c", script, str(learner)], cwd=course_dir, env=env,
                         capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "2 failed, 3 passed" in run.stdout, "the learner's file was graded"


def test_checks_that_never_ran_say_so_in_a_field(course_dir, tmp_path):
    learner = tmp_path / "adder.py"
    learner.write_text("1 / 0\n")
    result = grade(course_dir / "tests" / "checks", "adder", learner, "adder.py", timeout=10)
    assert result.status == "error" and "ZeroDivisionError" in result.message
    assert [(c.ran, c.message) for c in result.checks] == [(False, NOT_RUN)] * 3
    assert all(c["ran"] is False for c in result.to_json()["checks"])

    learner.write_text("def add(a, b):\n    return a + b\n")
    result = grade(course_dir / "tests" / "checks", "adder", learner, "adder.py", timeout=10)
    assert result.passed and all(c.ran for c in result.checks)
