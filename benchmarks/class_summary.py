"""How long does `aisec class` take over a room of learners' reports, and in how much memory?

Usage: python benchmarks/class_summary.py [--learners N] [--runs N] [--json] [--against PYTHON]

Makes one real report with `aisec report` in a temporary workspace of the course,
then N learners' reports from it (deterministic pseudo-random statuses, attempts,
hints, times and lab scores, so every code path of the summary is taken), and
times fresh processes in turn:

  A  `aisec class REPORTS/ -o summary.md`   (N reports)
  B  `aisec --help`, the baseline: a CLI start that does nothing
  C  with --against PYTHON: A under another install (before and after a change, in
     one run), whose summary must be byte for byte the same as A's

It prints the median, minimum and maximum of each, A's absolute median (issue 15's
goal: about a second for 1,000 learners) and its ratio to B, A's median CPU time
(user + system: on a busy machine it moves less than the wall time, so it tells a
change in the work from a change in the machine), and the largest resident set of
`aisec class`: memory must not grow with N beyond the cleaned reports (goal: at
most 150 MB for 1,000 learners).
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

from common import AISEC, Figures, Memory, Row, Run, alternate, describe, new_workspace, run

SECONDS_GOAL = 1.5  # "about a second" on a quiet 2-core machine
MEMORY_GOAL_MB = 150.0
STATUSES = ("passed", "passed", "failed", "pending")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--against", metavar="PYTHON",
                        help="also time aisec class under this interpreter (another install, "
                             "e.g. main's venv), alternating, and check its summary is the same")
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


def measure(learners: int, runs: int,
            against: str | None = None) -> tuple[Figures, dict[str, list[Run]]]:
    """The figures, and the runs of each command by name ("class", "against")."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        reports = root / "reports"
        reports.mkdir()
        write_reports(reports, learners)
        commands = {"class": [*AISEC, "class", str(reports), "-o", str(root / "class.md")]}
        if against:  # the same command under another install (a checkout of main, say)
            commands["against"] = [against, "-m", "tutor", "class", str(reports), "-o",
                                   str(root / "against.md")]
        peaks = {name: run(command, root, check=True).peak_mb
                 for name, command in commands.items()}
        *class_runs, helps = alternate(
            [*(lambda c=c: run(c, root, check=True) for c in commands.values()),
             lambda: run([*AISEC, "--help"], root, check=True).seconds], runs)
        if against and (root / "class.md").read_bytes() != (root / "against.md").read_bytes():
            raise SystemExit(f"{against}: its summary differs from this install's")
    timed = dict(zip(commands, class_runs, strict=True))
    figures = Figures([Row(f"class over {learners} reports / --help",
                           [r.seconds for r in timed["class"]], helps)],
                      [Memory(f"aisec class, {learners} reports", peaks["class"],
                              MEMORY_GOAL_MB)])
    if against:
        figures.rows.append(Row(f"...under {against} / --help",
                                [r.seconds for r in timed["against"]], helps))
        figures.memory.append(Memory(f"...under {against}", peaks["against"]))
    return figures, timed


def _cpu(runs: list[Run]) -> float:
    return statistics.median(r.cpu_seconds for r in runs)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    figures, timed = measure(args.learners, args.runs, args.against)
    if args.json:
        print(figures.to_json())
        return 0
    row, memory = figures.rows[0], figures.memory[0]
    seconds = statistics.median(row.a)
    print(f"aisec class over {args.learners} generated reports, {args.runs} runs, alternating "
          "with aisec --help")
    print(describe("class", row.a))
    print(describe("--help", row.b))
    print(f"  class: median {seconds:.2f} s (goal: about a second, <= {SECONDS_GOAL:g} s); "
          f"{row.ratio:.1f}x --help; CPU time median {_cpu(timed['class']):.2f} s")
    print(f"  peak memory of aisec class: {memory.mb:.0f} MB (goal <= {MEMORY_GOAL_MB:g} MB)")
    if args.against:
        other = figures.rows[1]
        print(f"  the same under {args.against} (same summary): median "
              f"{statistics.median(other.a):.2f} s, {other.ratio:.1f}x --help; CPU time median "
              f"{_cpu(timed['against']):.2f} s; peak memory {figures.memory[1].mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
