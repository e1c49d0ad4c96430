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
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tutor.course.layout import default_course_dir
from tutor.course.loader import load_course


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False, env=env)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercise", nargs="?", help="exercise id (default: the first)")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    course = load_course(default_course_dir())
    ex = course.exercise(args.exercise) if args.exercise else course.exercises[0]
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(tmp) / "ws"
        subprocess.run([sys.executable, "-m", "tutor", "init", str(ws)], check=True,
                       stdout=subprocess.DEVNULL)
        shutil.copy(course.paths.solution(ex.id), ws / "exercises" / ex.file)
        grader = [sys.executable, "-m", "tutor", "check", ex.id]
        bare = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                str(course.paths.check_file(ex.id).relative_to(course.root))]
        lean = [*bare, "--noconftest"]
        lean_env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
        # warm-up: file caches, pyc files
        timed(grader, ws), timed(bare, course.root), timed(lean, course.root, lean_env)
        a, b, c = [], [], []
        for _ in range(args.runs):
            a.append(timed(grader, ws))
            b.append(timed(bare, course.root))
            c.append(timed(lean, course.root, lean_env))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"exercise {ex.id}, {args.runs} runs each, alternating")
    for name, times in (("aisec check", a), ("bare pytest", b), ("lean pytest", c)):
        print(f"  {name:<12} median {statistics.median(times):.3f} s   "
              f"min {min(times):.3f}   max {max(times):.3f}")
    for name, base in (("bare", b), ("lean", c)):
        ratios = [x / y for x, y in zip(a, base, strict=True)]
        print(f"  aisec/{name} pytest: ratio of medians "
              f"{statistics.median(a) / statistics.median(base):.2f}x, "
              f"median pairwise {statistics.median(ratios):.2f}x")
    print("  target: aisec/bare <= 1.3x")
    print(f"  peak resident memory of any child process: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
