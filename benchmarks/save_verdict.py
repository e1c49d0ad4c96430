"""From a save to the verdict on screen in `aisec watch`, against one cold bare pytest run.

Usage: python benchmarks/save_verdict.py [--runs N] [--exercise ID] [--interval S] [--json]

Starts `aisec watch ID` on a temporary workspace (the reference solution in
place) and reads its output as it comes (PYTHONUNBUFFERED=1, NO_COLOR=1). Then,
alternating A and B:

  A  write the exercise file, the starter and the reference solution in turn so
     that the verdict changes, and time from the write to the verdict line
     ("11 checks: 0 passed, 11 failing." / "All 11 checks passed.") on stdout
  B  `python -m pytest -q -p no:cacheprovider --noconftest tests/checks/test_ID.py` in the course
     (plugin autoloading off: the leanest cold pytest; see common.lean_pytest)
     directory, a fresh process, against the reference solution

It prints the median, minimum and maximum of each and the ratio of medians (goal:
at most 0.3x). `--interval` is handed to `aisec watch` (its polling interval);
without it the command's default is measured, as a learner gets it.
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import signal
import subprocess
import tempfile
import threading
import time
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

GOAL = 0.3
TIMEOUT_S = 120.0  # for one verdict; far longer than any grading should take
# The summary line of a report (tutor/text/grade.py): all passed, or some failing.
PASSED = re.compile(r"^\s*(All \d+ checks passed\.|1 check, passed\.)\s*$")
FAILED = re.compile(r"^\s*(\d+ checks: \d+ passed, \d+ failing\.|1 check, failing\.)\s*$")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--exercise", help="exercise id (default: the first)")
    parser.add_argument("--interval", type=float, help="passed on to 'aisec watch --interval'")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser


class Watch:
    """`aisec watch` running, each line of its output stamped as it arrives."""

    def __init__(self, command: list[str], cwd: Path) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
        self.proc = subprocess.Popen(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, encoding="utf-8", errors="replace")
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()
        self.recent: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put((time.perf_counter(), line.rstrip("\n")))

    def wait_for(self, verdict: re.Pattern[str]) -> float:
        """When the next line matching ``verdict`` arrived (perf_counter seconds)."""
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            try:
                arrived, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                tail = "\n".join(self.recent[-15:])
                raise SystemExit(f"no line matching {verdict.pattern!r} from aisec watch "
                                 f"within {TIMEOUT_S:.0f} s (exit code {self.proc.poll()});"
                                 f" its last lines:\n{tail}") from None
            self.recent = [*self.recent[-30:], line]
            if verdict.match(line):
                return arrived

    def stop(self) -> float | None:
        """Stop it as a learner does (ctrl+c); its peak resident set in MB (None if it had
        already been reaped)."""
        if self.proc.returncode is not None:
            return None
        self.proc.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 30
        while True:
            pid, status, usage = os.wait4(self.proc.pid, os.WNOHANG)
            if pid:
                self.proc.returncode = os.waitstatus_to_exitcode(status)
                return usage.ru_maxrss / 1024
            if time.monotonic() > deadline:
                self.proc.kill()
            time.sleep(0.05)


def measure(runs: int, exercise_id: str | None, interval: float | None) -> tuple[str, Figures]:
    """The exercise of the baseline, and the figures."""
    from tutor.course.layout import default_course_dir
    from tutor.course.loader import load_course

    course = load_course(default_course_dir())
    ex = course.exercise(exercise_id) if exercise_id else course.exercises[0]
    contents = [(course.paths.starter(ex.file).read_bytes(), FAILED),
                (course.paths.solution(ex.id).read_bytes(), PASSED)]
    bare, lean_env = lean_pytest(course.paths.check_file(ex.id).relative_to(course.root))
    command = [*AISEC, "watch", ex.id, *(["--interval", str(interval)] if interval else [])]
    with tempfile.TemporaryDirectory() as tmp:
        ws = new_workspace(Path(tmp), [ex.id])
        target = ws / "exercises" / ex.file
        watch = Watch(command, ws)
        saves = 0

        def save_to_verdict() -> float:
            nonlocal saves
            content, verdict = contents[saves % 2]
            saves += 1
            started = time.perf_counter()
            target.write_bytes(content)
            return watch.wait_for(verdict) - started

        try:
            watch.wait_for(PASSED)  # the grading it starts with
            verdicts, pytest_one = alternate(
                [save_to_verdict,
                 lambda: run(bare, course.root, lean_env, check=True).seconds], runs)
        finally:
            peak = watch.stop()
    memory = [] if peak is None else [
        Memory("watch: largest process (CLI or grading child)", peak)]
    return ex.id, Figures(
        [Row("save -> verdict in watch / pytest of that file", verdicts, pytest_one, GOAL)],
        memory)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.interval is not None and args.interval <= 0:
        raise SystemExit("--interval must be positive")
    exercise_id, figures = measure(args.runs, args.exercise, args.interval)
    if args.json:
        print(figures.to_json())
        return 0
    row = figures.rows[0]
    print(f"{row.what} ({exercise_id}), {args.runs} runs each, "
          "alternating (failing and passing saves)")
    print(describe("save->verdict", row.a, 13))
    print(describe("lean pytest", row.b, 13))
    print(f"  ratio of medians {row.ratio:.2f}x   median pairwise {pairwise(row.a, row.b):.2f}x"
          f"   (goal <= {GOAL:g}x)")
    for memory in figures.memory:
        print(f"  {memory.what}: {memory.mb:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
