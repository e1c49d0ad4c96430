"""verify-course catches what a course author can break, with file and line."""

from __future__ import annotations

import shutil
from pathlib import Path


def verify(aisec, course_dir: Path):
    return aisec("--course", course_dir, "verify-course", cwd=course_dir)


def test_a_good_course_is_green(course_dir, aisec):
    result = verify(aisec, course_dir)
    assert result.code == 0, result.out
    assert "all good" in result.out


def test_a_broken_solution_is_caught(course_dir, aisec):
    (course_dir / "solutions/adder.py").write_text("def add(a, b):\n    return a - b\n")
    result = verify(aisec, course_dir)
    assert result.code == 1
    assert "solutions/adder.py: the reference solution does not pass" in result.out
    assert "Adds small numbers" in result.out


def test_a_starter_that_already_passes_is_caught(course_dir, aisec):
    shutil.copy(course_dir / "solutions/greeter.py", course_dir / "exercises/demo/greeter.py")
    result = verify(aisec, course_dir)
    assert result.code == 1
    assert "exercises/demo/greeter.py: the starter already passes every check" in result.out


def test_malformed_yaml_is_caught_with_its_line(course_dir, aisec):
    path = course_dir / "course.yaml"
    path.write_text(path.read_text().replace("title: Add two numbers", "title: [Add two"))
    result = verify(aisec, course_dir)
    assert result.code == 1
    assert "course.yaml:9:" in result.out or "course.yaml:10:" in result.out
    assert "invalid YAML" in result.out


def test_a_malformed_quiz_is_caught_with_its_line(course_dir, aisec):
    path = course_dir / "lessons/01-demo.md"
    path.write_text(path.read_text().replace("answer: 1", "answer: two"))
    result = verify(aisec, course_dir)
    assert result.code == 1
    assert "01-demo.md:30: 'answer' must be the index" in result.out


def test_an_assert_without_message_is_caught(course_dir, aisec):
    path = course_dir / "tests/checks/test_greeter.py"
    path.write_text(path.read_text() + "\n\ndef test_bare(exercise):\n    \"\"\"Bare\"\"\"\n"
                    "    assert exercise.greet('x')\n")
    result = verify(aisec, course_dir)
    assert result.code == 1 and "test_greeter.py:15: assert without a message" in result.out


def test_missing_files_are_named(course_dir, aisec):
    (course_dir / "tests/checks/test_adder.py").unlink()
    result = verify(aisec, course_dir)
    assert result.code == 1
    assert "test_adder.py: missing file for exercise 'adder'" in result.out
