"""How much does the grader cost over running the same checks with bare pytest?

Usage: python benchmarks/grading.py [EXERCISE_ID] [--runs N]

Makes a temporary workspace, puts the reference solution in place, then times
whole processes, alternating A and B so that drift on a noisy machine hits both:

  A  `aisec check ID`                       (CLI start, course load, sandboxed child)
  B  `python -m pytest tests/checks/test_ID.py` in the course directory
  C  the same, as lean as pytest gets: no conftest, no plugin autoloading

It prints the median, minimum and maximum wall time of each, the ratios of
medians A/B (the target: at most 1.3) and A/C (the stricter baseline), and the
largest resident set of any child.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from common import AISEC, alternate, children_peak_mb, describe, new_workspace, pairwise, timed

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercise", nargs="?", help="exercise id (default: the first)")
    parser.add_argument("--runs", type=int, default=10)
    return parser


def main() -> int:
    args = build_parser().parse_args()

    course = load_course(default_course_dir())
    ex = course.exercise(args.exercise) if args.exercise else course.exercises[0]
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp), [ex.id])
        grader = [*AISEC, "check", ex.id]
        bare = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                str(course.paths.check_file(ex.id).relative_to(course.root))]
        lean = [*bare, "--noconftest"]
        lean_env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        a, b, c = alternate([lambda: timed(grader, ws), lambda: timed(bare, course.root),
                             lambda: timed(lean, course.root, lean_env)], args.runs)
    print(f"exercise {ex.id}, {args.runs} runs each, alternating")
    for name, times in (("aisec check", a), ("bare pytest", b), ("lean pytest", c)):
        print(describe(name, times))
    for name, base in (("bare", b), ("lean", c)):
        print(f"  aisec/{name} pytest: ratio of medians "
              f"{statistics.median(a) / statistics.median(base):.2f}x, "
              f"median pairwise {pairwise(a, base):.2f}x")
    print("  target: aisec/bare <= 1.3x")
    print(f"  peak resident memory of any child process: {children_peak_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
