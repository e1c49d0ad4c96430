"""How much slower is `aisec list` than `aisec --help`, with its course index cached and not?

Usage: python benchmarks/list_vs_help.py [--runs N] [--json]

In a temporary workspace (the current directory, as a learner runs them), times
fresh processes in turn:

  cold  `aisec list` with the workspace's cache (.aisec/cache) removed first
  warm  `aisec list` again, the cache just written
  help  `aisec --help`, the baseline: a CLI start that does nothing

It prints the median, minimum and maximum of each and each list's ratio of
medians to help (goal: at most 2.5x for the warm list, the one a learner meets:
`aisec init` works the index out; the cold row is for information).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from common import AISEC, Figures, Row, alternate, describe, new_workspace, pairwise, run

GOAL = 2.5
CACHE = Path(".aisec") / "cache"  # in the workspace: what a cold list has to work out again


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def measure(runs: int) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp))
        cache = ws / CACHE
        run([*AISEC, "list"], ws, check=True)
        if not cache.is_dir():
            raise SystemExit(f"aisec list wrote no cache in {CACHE}: the cold row would "
                             "measure nothing different; update CACHE in this script")

        def cold() -> float:
            shutil.rmtree(cache, ignore_errors=True)
            return run([*AISEC, "list"], ws, check=True).seconds

        cold_list, warm_list, help_ = alternate(
            [cold, lambda: run([*AISEC, "list"], ws, check=True).seconds,
             lambda: run([*AISEC, "--help"], ws, check=True).seconds], runs)
    return Figures([Row("list, cache warm / --help", warm_list, help_, GOAL),
                    # Information: `aisec init` works the index out, so a learner meets
                    # this only after an edit to the course (or a removed cache).
                    Row("  ...list, cache removed / --help", cold_list, help_)])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    figures = measure(args.runs)
    if args.json:
        print(figures.to_json())
        return 0
    warm, cold = figures.rows
    print(f"aisec list against aisec --help in a workspace, {args.runs} runs each, alternating")
    print(describe("list, cold", cold.a))
    print(describe("list, warm", warm.a))
    print(describe("--help", warm.b))
    for name, row, goal in (("cold", cold, "information"), ("warm", warm, f"goal <= {GOAL:g}x")):
        print(f"  list {name}/help: ratio of medians {row.ratio:.2f}x   "
              f"median pairwise {pairwise(row.a, row.b):.2f}x   ({goal})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
