"""Every row of issue 13's speed table, each against its baseline measured in the same run.

Usage: python benchmarks/all.py [--runs N] [--quick]

Runs the benchmark scripts one after the other, each as its own process with
`--json` (so one's memory figures are not another's), and prints one table: the
row, the median of A and of its baseline B, their ratio, the goal and whether it
is met; then the peak memory figures. Each script also runs alone and prints
more (min, max, pairwise ratios): see its --help.

`--quick` is for a smoke run: 2 runs each, 1 of `check --all` (a full grading of
the course). A script that fails is reported and the others still run; the exit
code is then 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
from pathlib import Path

from common import Figures

HERE = Path(__file__).resolve().parent
# In the order of the table; check_all is by far the slowest.
SCRIPTS = ("check_all", "save_verdict", "list_vs_help", "lesson_open", "tui_startup")
QUICK_RUNS = 2
QUICK_RUNS_CHECK_ALL = 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, help="runs of each A and B (default 5; "
                        f"--quick: {QUICK_RUNS}, and {QUICK_RUNS_CHECK_ALL} of check --all)")
    parser.add_argument("--quick", action="store_true", help="fewer runs: a smoke run")
    return parser


def runs_for(script: str, runs: int | None, quick: bool) -> int:
    if runs is not None:
        return runs
    if quick:
        return QUICK_RUNS_CHECK_ALL if script == "check_all" else QUICK_RUNS
    return 5


def collect(script: str, runs: int) -> Figures | str:
    """The script's figures, or why there are none."""
    print(f"running {script}.py --runs {runs} ...", file=sys.stderr, flush=True)
    done = subprocess.run([sys.executable, str(HERE / f"{script}.py"), "--runs", str(runs),
                           "--json"], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return f"{script}.py failed (exit {done.returncode}): {done.stderr.strip()[-1500:]}"
    try:
        return Figures.from_json(done.stdout.strip().splitlines()[-1])
    except (ValueError, KeyError, TypeError, IndexError):
        return f"{script}.py printed no figures: {done.stdout[-500:]}"


def _met(value: float, goal: float | None) -> str:
    return "-" if goal is None else ("yes" if value <= goal else "NO")


def table(figures: list[Figures]) -> list[str]:
    rows = [row for f in figures for row in f.rows]
    memory = [m for f in figures for m in f.memory]
    width = max([len(r.what) for r in rows] + [len(m.what) for m in memory] + [4])
    out = [f"{'row':<{width}}  {'A median':>9}  {'B median':>9}  {'ratio':>7}  "
           f"{'goal':>7}  met?"]
    for row in rows:
        goal = f"<= {row.goal:g}x" if row.goal is not None else "-"
        out.append(f"{row.what:<{width}}  {statistics.median(row.a):>7.3f} s  "
                   f"{statistics.median(row.b):>7.3f} s  {row.ratio:>6.2f}x  {goal:>7}  "
                   f"{_met(row.ratio, row.goal)}")
    out += ["", f"{'peak memory (resident set)':<{width}}  {'MB':>9}  {'goal':>9}  met?"]
    for m in memory:
        goal = f"<= {m.goal:g}" if m.goal is not None else "-"
        out.append(f"{m.what:<{width}}  {m.mb:>9.0f}  {goal:>9}  {_met(m.mb, m.goal)}")
    return out


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    collected: list[Figures] = []
    failures: list[str] = []
    counts = []
    for script in SCRIPTS:
        runs = runs_for(script, args.runs, args.quick)
        counts.append(f"{script} {runs}")
        result = collect(script, runs)
        if isinstance(result, str):
            failures.append(result)
        else:
            collected.append(result)
    print(f"{os.cpu_count()} CPUs, Python {platform.python_version()}, medians of runs "
          f"alternating A and B ({', '.join(counts)})")
    print("\n".join(table(collected)))
    for failure in failures:
        print(f"\nFAILED: {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
