"""How long does grading the whole course take, against one cold pytest run of one check file?

Usage: python benchmarks/check_all.py [--runs N] [--exercise ID] [--json]

Makes a temporary workspace with every reference solution over its exercise
file, then times whole processes, alternating A and B:

  A  `aisec check --all`                    (every exercise of the course, all solved)
  B  `python -m pytest -q -p no:cacheprovider --noconftest tests/checks/test_ID.py` in the
     course directory, against that exercise's reference solution (plugin autoloading
     off: the leanest cold pytest; see common.lean_pytest)
  C  every check file in one lean pytest process (information: what the checks
     themselves cost, run with no isolation and one after another)

The untimed warm-up run is `aisec check --all --json`, and it must report every
exercise of the course passed; every timed run must exit 0 (all passed). It prints
the median, minimum and maximum of each, the ratio of medians (goal: at most 3x)
and the largest resident set of the `check --all` process or any child it waited for.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from common import (
    AISEC,
    Figures,
    Memory,
    Row,
    alternate,
    describe,
    lean_pytest,
    new_workspace,
    pairwise,
    run,
)

GOAL = 3.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exercise", help="the check file of baseline B (default: the first)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def _all_passed(output: str, expected: int) -> None:
    """Fail loudly unless `check --all --json` graded ``expected`` exercises, all passed."""
    try:
        report = json.loads(output)
        passed, total = report["passed"], report["total"]
    except (ValueError, KeyError, TypeError):
        raise SystemExit(f"aisec check --all --json did not print its report:\n"
                         f"{output[-2000:]}") from None
    if not passed == total == expected:
        failing = [e.get("exercise") for e in report.get("exercises", []) if not e.get("passed")]
        raise SystemExit(f"aisec check --all: {passed} of {total} passed, expected all "
                         f"{expected} exercises to pass; failing: {failing}")


def measure(runs: int, exercise_id: str | None) -> tuple[str, Figures]:
    """The exercise of the baseline, and the figures."""
    from tutor.course.layout import default_course_dir
    from tutor.course.loader import load_course

    course = load_course(default_course_dir())
    ex = course.exercise(exercise_id) if exercise_id else course.exercises[0]
    everything = [e.id for e in course.exercises]
    bare, lean_env = lean_pytest(course.paths.check_file(ex.id).relative_to(course.root))
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp), everything)
        # Warm-up and proof in one: every exercise graded, every one passed.
        _all_passed(run([*AISEC, "check", "--all", "--json"], ws, capture=True).output,
                    len(everything))
        run(bare, course.root, lean_env, check=True)
        # What the checks themselves cost: every check file in one lean pytest
        # process against the reference solutions, no isolation and no parallelism.
        every_check, _env = lean_pytest(course.paths.checks.relative_to(course.root))
        check_all, pytest_one, pytest_all = alternate(
            [lambda: run([*AISEC, "check", "--all"], ws, check=True),
             lambda: run(bare, course.root, lean_env, check=True),
             lambda: run(every_check, course.root, lean_env, check=True)], runs, warmup=False)
    a = [r.seconds for r in check_all]
    return ex.id, Figures(
        [Row(f"check --all ({len(everything)} solved) / pytest of one file", a,
             [r.seconds for r in pytest_one], GOAL),
         Row("  ...check --all / every check in one pytest process", a,
             [r.seconds for r in pytest_all])],
        [Memory("check --all: largest process (CLI or grading child)",
                max(r.peak_mb for r in check_all))])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    exercise_id, figures = measure(args.runs, args.exercise)
    if args.json:
        print(figures.to_json())
        return 0
    row = figures.rows[0]
    print(f"{row.what} (test_{exercise_id}.py), {args.runs} runs each, "
          "alternating")
    print(describe("check --all", row.a))
    print(describe("lean pytest", row.b))
    print(f"  ratio of medians {row.ratio:.2f}x   median pairwise {pairwise(row.a, row.b):.2f}x"
          f"   (goal <= {GOAL:g}x)")
    every = figures.rows[1]
    print(describe("every check, one pytest", every.b))
    print(f"  check --all / every check in one pytest process: {every.ratio:.2f}x "
          "(the checks' own run time, without isolation or parallel grading)")
    for memory in figures.memory:
        print(f"  {memory.what}: {memory.mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
