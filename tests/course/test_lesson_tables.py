"""The tables that say where the course practises each OWASP risk agree with the tags
in course.yaml: lesson 1's column of lessons per LLM Top 10 (2025) id, and lesson 14's
exercises per Agentic Top 10 id. A fact-check found both had drifted from the tags."""

from __future__ import annotations

import re

import pytest

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course
from tutor.course.model import Course

COURSE = load_course(default_course_dir())


def _lesson(course: Course, lesson_id: str) -> str:
    lesson = next(lesson for lesson in course.lessons if lesson.id == lesson_id)
    return (course.root / lesson.file).read_text(encoding="utf-8")


def _rows(text: str, id_pattern: str) -> dict[str, str]:
    """Each table row whose first cell is an id, as id -> its last cell."""
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and re.fullmatch(id_pattern, cells[0]):
            rows[cells[0]] = cells[-1]
    return rows


def lesson_numbers(course: Course) -> dict[str, int]:
    """Lesson id -> the number its file starts with (lessons/05-....md is lesson 5)."""
    return {lesson.id: int(lesson.file.split("/")[-1].split("-")[0])
            for lesson in course.lessons}


def lessons_tagged(course: Course, tag: str) -> set[int]:
    """The lessons whose exercises, or whose own tags, carry ``tag``."""
    numbers = lesson_numbers(course)
    tagged = {numbers[ex.lesson_id] for ex in course.exercises if tag in ex.tags}
    return tagged | {numbers[lesson.id] for lesson in course.lessons if tag in lesson.tags}


def owasp_column_problems(text: str, course: Course) -> list[str]:
    rows = _rows(text, r"LLM\d\d")
    problems = [] if len(rows) == 10 else [f"found {len(rows)} LLM rows, expected 10"]
    for tag, cell in rows.items():
        named = {int(number) for number in re.findall(r"\d+", cell)}
        if named != (tagged := lessons_tagged(course, tag)):
            problems.append(f"{tag}: the column names lessons {sorted(named)}, "
                            f"course.yaml tags lessons {sorted(tagged)}")
    return problems


def agentic_table_problems(text: str, course: Course) -> list[str]:
    rows = _rows(text, r"ASI\d\d")
    problems = [] if len(rows) == 10 else [f"found {len(rows)} ASI rows, expected 10"]
    ids = {ex.id for ex in course.exercises}
    for tag, cell in rows.items():
        named = {word for word in re.findall(r"`([a-z_]+)`", cell) if word in ids}
        tagged = {ex.id for ex in course.exercises if tag in ex.tags}
        if named != tagged:
            problems.append(f"{tag}: the table names {sorted(named)}, "
                            f"course.yaml tags {sorted(tagged)}")
    return problems


def test_lesson_1s_column_names_the_lessons_course_yaml_tags_with_each_risk():
    problems = owasp_column_problems(_lesson(COURSE, "threat-modelling"), COURSE)
    assert not problems, "\n".join(problems)


def test_lesson_14s_table_names_the_exercises_course_yaml_tags_with_each_risk():
    problems = agentic_table_problems(_lesson(COURSE, "agents-and-mcp"), COURSE)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("old, new, words", [
    # The rows as they were before the fact-check.
    ("Lessons 6, 13, 14 |", "Lesson 6 |", "LLM06: the column names lessons [6]"),
    ("Lessons 10, 13 |", "Lesson 10; also 9 |", "LLM07: the column names lessons [9, 10]"),
])
def test_the_owasp_check_catches_a_row_that_left_the_tags(old, new, words):
    text = _lesson(COURSE, "threat-modelling")
    assert text.count(old) == 1
    assert any(words in p for p in owasp_column_problems(text.replace(old, new), COURSE))


def test_the_agentic_check_catches_an_exercise_named_without_its_tag():
    text = _lesson(COURSE, "agents-and-mcp")
    old = "`plan_then_execute` (stops at the first deviation) |"
    assert text.count(old) == 1
    wrong = text.replace(old, old[:-1] + "and the per-turn cap of `tool_gate` |")
    assert any("ASI08: the table names ['plan_then_execute', 'tool_gate']" in p
               for p in agentic_table_problems(wrong, COURSE))
