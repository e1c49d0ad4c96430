"""How long does `aisec class` take over a room of learners' reports, and in how much memory?

Usage: python benchmarks/class_summary.py [--learners N] [--runs N] [--json]

Makes one real report with `aisec report` in a temporary workspace of the course,
then N learners' reports from it (deterministic pseudo-random statuses, attempts,
hints, times and lab scores, so every code path of the summary is taken), and
times fresh processes in turn:

  A  `aisec class REPORTS/ -o summary.md`   (N reports)
  B  `aisec --help`, the baseline: a CLI start that does nothing

It prints the median, minimum and maximum of each, A's absolute median (issue 15's
goal: about a second for 1,000 learners) and its ratio to B, and the largest
resident set of `aisec class`: memory must not grow with N beyond the cleaned
reports (goal: at most 150 MB for 1,000 learners).
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import statistics
import tempfile
from pathlib import Path
from typing import Any

from common import AISEC, Figures, Memory, Row, alternate, describe, new_workspace, run

SECONDS_GOAL = 1.5  # "about a second" on a quiet 2-core machine
MEMORY_GOAL_MB = 150.0
STATUSES = ("passed", "passed", "failed", "pending")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def _learner(base: dict[str, Any], number: int, rng: random.Random) -> dict[str, Any]:
    report = copy.deepcopy(base)
    report["name"] = f"Learner {number:04d}"
    for entry in report["exercises"]:
        status = rng.choice(STATUSES)
        entry.update(status=status, attempts=rng.randint(0 if status == "pending" else 1, 9),
                     hints_revealed=rng.randint(0, entry.get("hints_total") or 0),
                     time_to_pass_s=rng.randint(60, 3600) if status == "passed" else None)
        if "lab_blocked" in entry:
            total = 16
            got = rng.randint(0, total)
            entry.update(lab_blocked=[got, total], lab_useful=[rng.randint(6, 12), 12],
                         lab_attacks_through=[f"attack-{i}" for i in range(total - got)])
    return report


def write_reports(folder: Path, learners: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp))
        base = json.loads(run([*AISEC, "report", "--format", "json"], ws, capture=True,
                              check=True).output)
    rng = random.Random(15)
    for number in range(learners):
        (folder / f"learner-{number:04d}.json").write_text(
            json.dumps(_learner(base, number, rng)), encoding="utf-8")


def measure(learners: int, runs: int) -> tuple[Figures, float]:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        reports = root / "reports"
        reports.mkdir()
        write_reports(reports, learners)
        summary = root / "summary.md"
        command = [*AISEC, "class", str(reports), "-o", str(summary)]
        peak = run(command, root, check=True).peak_mb
        class_runs, helps = alternate(
            [lambda: run(command, root, check=True).seconds,
             lambda: run([*AISEC, "--help"], root, check=True).seconds], runs)
    figures = Figures([Row(f"class over {learners} reports / --help", class_runs, helps)],
                      [Memory(f"aisec class, {learners} reports", peak, MEMORY_GOAL_MB)])
    return figures, statistics.median(class_runs)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    figures, seconds = measure(args.learners, args.runs)
    if args.json:
        print(figures.to_json())
        return 0
    row, memory = figures.rows[0], figures.memory[0]
    print(f"aisec class over {args.learners} generated reports, {args.runs} runs, alternating "
          "with aisec --help")
    print(describe("class", row.a))
    print(describe("--help", row.b))
    print(f"  class: median {seconds:.2f} s (goal: about a second, <= {SECONDS_GOAL:g} s); "
          f"{row.ratio:.1f}x --help")
    print(f"  peak memory of aisec class: {memory.mb:.0f} MB (goal <= {MEMORY_GOAL_MB:g} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
