"""What the MCP SDK costs: its import, and the mcp_pinning lab's grading against another lab's.

Usage: python benchmarks/mcp_lab.py [--runs N] [--json]

Times fresh processes in turn:

  import   `python -c "import mcp"`, against `python -c "pass"` (the difference is
           what the grading child, and the lab's MCP server, each pay on start)
  grading  `aisec check mcp_pinning` with the reference solution, against
           `aisec check retrieval_guard` with its own: the same lab machinery and
           gullible model, without an MCP server

It prints medians, their differences and ratios, and the peak memory of the
import (information only: the lab has no speed goal of issue 13's table).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from common import AISEC, Figures, Memory, Row, alternate, describe, new_workspace, run

LABS = ("mcp_pinning", "retrieval_guard")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


def measure(runs: int) -> Figures:
    python = [sys.executable, "-c"]
    imported, bare = alternate([lambda: run([*python, "import mcp"], check=True).seconds,
                                lambda: run([*python, "pass"], check=True).seconds], runs)
    peak, base = run([*python, "import mcp"], check=True), run([*python, "pass"], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp), LABS)
        mcp_lab, other_lab = alternate(
            [lambda lab=lab: run([*AISEC, "check", lab], ws, check=True).seconds
             for lab in LABS], runs)
    return Figures(
        [Row("python -c 'import mcp' / python -c 'pass'", imported, bare),
         Row("aisec check mcp_pinning / aisec check retrieval_guard", mcp_lab, other_lab)],
        [Memory("python after import mcp (MB)", peak.peak_mb),
         Memory("python, bare (MB)", base.peak_mb)])


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    figures = measure(args.runs)
    if args.json:
        print(figures.to_json())
        return 0
    imports, gradings = figures.rows
    print(f"The MCP SDK's cost, {args.runs} runs each, alternating")
    print(describe("import mcp", imports.a, 16))
    print(describe("python, bare", imports.b, 16))
    print(f"  import cost: {statistics.median(imports.a) - statistics.median(imports.b):.3f} s "
          f"(median difference)")
    print(describe("mcp_pinning", gradings.a, 16))
    print(describe("retrieval_guard", gradings.b, 16))
    print(f"  grading: {statistics.median(gradings.a) - statistics.median(gradings.b):.3f} s "
          f"more, ratio of medians {gradings.ratio:.2f}x")
    for memory in figures.memory:
        print(f"  peak memory, {memory.what}: {memory.mb:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
