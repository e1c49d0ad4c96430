"""What the benchmark scripts share: timing whole processes, alternating A and B,
medians, peak memory, a fresh workspace, and the figures ``all.py`` collects.

Every figure is of a command or of what a learner sees, never of an internal, so
that the scripts keep measuring the same thing while the engine changes under them.
Ratios are of medians measured in the same run: a busy machine slows A and B alike.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AISEC = [sys.executable, "-m", "tutor"]  # the CLI, under the interpreter running the benchmark

@dataclass(frozen=True)
class Run:
    """One finished process."""

    seconds: float  # wall time from start to exit
    peak_mb: float  # largest resident set of the process or of any child it waited for
    returncode: int
    output: str  # stdout and stderr, when captured
    cpu_seconds: float = 0.0  # user + system time of the process and the children it waited for


def run(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None,
        capture: bool = False, check: bool = False) -> Run:
    """Run ``command`` to its end; with ``check``, a failure stops the benchmark."""
    # Output goes to a file, not a pipe: a helper process that outlives the command
    # (a grading server, say) would keep a pipe open and stall the read.
    with tempfile.TemporaryFile() as out:
        sink = out if capture else subprocess.DEVNULL
        started = time.perf_counter()
        proc = subprocess.Popen(list(command), cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                stdout=sink, stderr=subprocess.STDOUT if capture else sink)
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if check and proc.returncode != 0:
        raise SystemExit(f"benchmark command failed (exit {proc.returncode}): "
                         f"{' '.join(command)}\n{output[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, proc.returncode, output,
               usage.ru_utime + usage.ru_stime)


def timed(command: Sequence[str], cwd: Path | None = None,
          env: dict[str, str] | None = None) -> float:
    """Wall seconds of one run of ``command``, whatever its exit code."""
    return run(command, cwd, env).seconds


def alternate(samplers: Sequence[Callable[[], Any]], runs: int,
              warmup: bool = True) -> list[list[Any]]:
    """``runs`` samples of each sampler, taken in turn (A B A B ...) so that drift on a
    noisy machine hits all of them; one untimed round first warms file and pyc caches."""
    if warmup:
        for sample in samplers:
            sample()
    results: list[list[Any]] = [[] for _ in samplers]
    for _ in range(runs):
        for sample, out in zip(samplers, results, strict=True):
            out.append(sample())
    return results


def describe(name: str, times: Sequence[float], width: int = 12) -> str:
    return (f"  {name:<{width}} median {statistics.median(times):.3f} s   "
            f"min {min(times):.3f}   max {max(times):.3f}")


def ratio(a: Sequence[float], b: Sequence[float]) -> float:
    """Ratio of the medians."""
    return statistics.median(a) / statistics.median(b)


def pairwise(a: Sequence[float], b: Sequence[float]) -> float:
    """Median of the run-by-run ratios (each A against the B taken next to it)."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def self_peak_mb() -> float:
    """Largest resident set of this process so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_mb() -> float:
    """Largest resident set of any child process waited for so far."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def new_workspace(where: Path, solutions: Sequence[str] = ()) -> Path:
    """``aisec init`` a workspace in ``where``/ws, with the reference solution of each
    exercise id in ``solutions`` copied over its exercise file."""
    from tutor.course.layout import default_course_dir
    from tutor.course.loader import load_course

    ws = where / "ws"
    run([*AISEC, "init", str(ws)], check=True)
    course = load_course(default_course_dir())
    for exercise_id in solutions:
        ex = course.exercise(exercise_id)
        shutil.copy(course.paths.solution(ex.id), ws / "exercises" / ex.file)
    return ws


@dataclass
class Row:
    """One row of the table: A against its baseline B, and the goal for A/B."""

    what: str
    a: list[float]
    b: list[float]
    goal: float | None = None  # A/B at most; None: shown for information

    @property
    def ratio(self) -> float:
        return ratio(self.a, self.b)


@dataclass
class Memory:
    what: str
    mb: float
    goal: float | None = None  # MB at most


@dataclass
class Figures:
    """What one script measured, as ``--json`` prints it for ``all.py``."""

    rows: list[Row] = field(default_factory=list)
    memory: list[Memory] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Figures:
        data = json.loads(text)
        return cls([Row(**r) for r in data["rows"]], [Memory(**m) for m in data["memory"]])


def lean_pytest(check_file: Path) -> tuple[list[str], dict[str, str]]:
    """The baseline: one cold pytest of one check file, as lean as pytest gets (no
    conftest, no plugin autoloading; the course's own ``-p tutor.grader.plugin``
    from pyproject stays). Installed plugins (a snapshot plugin imports Textual)
    would otherwise make the baseline, and so every ratio, depend on the venv."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--noconftest",
               str(check_file)]
    return command, {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
