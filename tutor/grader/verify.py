"""`aisec verify-course`: the course author's linter.

It validates the manifest, every lesson and quiz, every hint and check file;
then grades every solution (each must pass) and every starter (each must
import and fail at least one check) through the real grader. Every problem is
reported as ``file:line: what is wrong — how to fix it``; exit 0 only when all
is well.
"""

from __future__ import annotations

import ast
import os
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tutor.course.lessons import load_lesson
from tutor.course.loader import load_course
from tutor.course.model import Course, Exercise
from tutor.errors import ContentError, Problem
from tutor.grader.checks import lint_check_file, list_checks
from tutor.grader.result import GradeResult
from tutor.grader.runner import grade, warm_graders
from tutor.labs.session import lab_settings
from tutor.text.terminal import Style


def _public_names(path: Path) -> tuple[set[str], ast.Module | None]:
    try:
        tree = ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError):
        return set(), None
    names = {node.name for node in tree.body
             if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
             and not node.name.startswith("_")}
    return names, tree


def static_problems(course: Course) -> tuple[list[Problem], set[str]]:
    """Everything that can be checked without running code, and the exercises
    whose files are missing (so they cannot be graded)."""
    problems: list[Problem] = []
    incomplete: set[str] = set()
    for entry in course.lessons:
        try:
            lesson = load_lesson(course.root / entry.file, entry.id)
            if not lesson.quizzes:
                problems.append(Problem(lesson.path, None, "the lesson has no quiz",
                                        "add 3-5 ```quiz blocks (see docs/authoring.md)"))
        except ContentError as exc:
            problems += exc.problems
    for ex in course.exercises:
        starter = course.paths.starter(ex.file)
        solution = course.paths.solution(ex.id)
        check_file = course.paths.check_file(ex.id)
        missing = [p for p in (starter, solution, check_file) if not p.is_file()]
        for path in missing:
            problems.append(Problem(path, None, f"missing file for exercise '{ex.id}'",
                                    "create it (see docs/authoring.md for the layout)"))
        if missing:
            incomplete.add(ex.id)
            continue
        problems += lint_check_file(check_file)
        if ex.lab is not None:
            problems += _corpus_problems(course, ex)
        starter_names, starter_tree = _public_names(starter)
        solution_names, solution_tree = _public_names(solution)
        if starter_tree is not None and not (ast.get_docstring(starter_tree) or "").strip():
            problems.append(Problem(starter, 1, "the starter has no module docstring",
                                    "its docstring is the exercise's instructions"))
        if solution_tree is not None and starter_names - solution_names:
            names = ", ".join(sorted(starter_names - solution_names))
            problems.append(Problem(solution, None, f"the solution lacks {names} from the starter",
                                    "use the same public names in both"))
    return problems, incomplete


def _corpus_problems(course: Course, ex: Exercise) -> list[Problem]:
    """A lab's corpora must parse, with shown and held-out cases (tutor.labs.corpus)."""
    from tutor.labs.corpus import load_corpus

    try:
        load_corpus(course.paths.lab_corpus(ex.id))
    except ContentError as exc:
        return list(exc.problems)
    return []


def _first_failure(result: GradeResult) -> str:
    for check in result.checks:
        if check.outcome != "passed" and not check.optional:
            return f"'{check.title}': {check.message or check.outcome}"
    return result.message or result.status


def run_problems(course: Course, ex: Exercise) -> list[Problem]:
    """Grade the solution (must pass) and the starter (must fail cleanly)."""
    problems: list[Problem] = []
    solution = course.paths.solution(ex.id)
    starter = course.paths.starter(ex.file)
    lab = lab_settings(course.paths, ex)
    try:
        on_solution = grade(course.paths.checks, ex.id, solution, f"solutions/{ex.id}.py",
                            ex.timeout, lab=lab)
        on_starter = grade(course.paths.checks, ex.id, starter, f"exercises/{ex.file}",
                           ex.timeout, lab=lab)
    except ContentError as exc:
        return exc.problems
    if not on_solution.passed:
        problems.append(Problem(solution, None,
                                f"the reference solution does not pass ({on_solution.status}): "
                                + _first_failure(on_solution),
                                "fix the solution or the check"))
    if on_starter.passed:
        problems.append(Problem(starter, None, "the starter already passes every check",
                                "leave the work to the learner (TODOs raising "
                                "NotImplementedError), or strengthen the checks"))
    elif on_starter.status in ("error", "timeout") and on_starter.message:
        problems.append(Problem(starter, None,
                                f"the starter does not fail cleanly ({on_starter.status}): "
                                + on_starter.message,
                                "a starter must import without errors and finish quickly"))
    return problems


def verify_course(root: Path) -> int:
    style = Style()
    try:
        course = load_course(root)
    except ContentError as exc:
        _report(exc.problems, style)
        return 1
    problems, incomplete = static_problems(course)
    runnable = [ex for ex in course.exercises if ex.id not in incomplete]
    print(f"Grading {len(runnable)} solutions and starters...", file=sys.stderr)
    workers = max(2, os.cpu_count() or 2)
    with warm_graders(workers, course.paths.checks, patient=True), \
            ThreadPoolExecutor(max_workers=workers) as pool:
        for found in pool.map(lambda ex: run_problems(course, ex), runnable):
            problems += found
    if problems:
        _report(problems, style)
        return 1
    checks = sum(len(list_checks(course.paths.check_file(ex.id))) for ex in course.exercises)
    print(style.green(f"verify-course: {len(course.lessons)} lessons, "
                      f"{len(course.exercises)} exercises, {checks} hidden checks — all good."))
    return 0


def _report(problems: list[Problem], style: Style) -> None:
    for problem in problems:
        print(str(problem))
    print(style.red(f"\nverify-course: {len(problems)} problem"
                    f"{'s' if len(problems) != 1 else ''} found."))
