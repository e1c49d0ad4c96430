"""``aisec check [ID | FILE | --all] [--json]``: grade, record, and say what comes next.

Without an ID it grades the current exercise (the one last worked on; see
:mod:`tutor.cli.choose`) and says which one it picked. Exit 0 when every exercise
graded passed, 1 otherwise. ``--json`` prints the grader's result
(:meth:`GradeResult.to_json`, the documented contract) with a ``schema_version``;
with ``--all``, ``{"schema_version", "exercises": [...], "passed", "total",
"done", "done_failing_now"}``. Without ``--json``, ``--all`` prints one row per
exercise as soon as it is graded (a course takes a while) and the counts at the
end: what passes now, and what is done (passed once; a pass stays a pass).
"""

from __future__ import annotations

import argparse
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.cli.choose import choose_exercise, everything_passed
from tutor.cli.context import open_workspace
from tutor.cli.progress_bar import ProgressBar
from tutor.cli.remedies import WORDS
from tutor.cli.render import Result, lines, note, render
from tutor.course.model import Exercise
from tutor.errors import UsageError
from tutor.grader.result import GradeResult
from tutor.grader.runner import warm_graders
from tutor.learner.workspace import Checked, Workspace
from tutor.text.grade import overall_message
from tutor.text.safe import safe_line
from tutor.text.terminal import Style, grade_report

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class NextStep:
    """What the learner can do after a grading."""

    solution_copy: str | None  # where the reference solution was copied, if it was
    following: Exercise | None  # the next exercise not passed yet
    hints_revealed: int
    hints_total: int
    stays_done: bool = False  # failing now, but passed before: a pass stays a pass
    track: str | None = None  # the workspace's track; None: the whole course


@dataclass(frozen=True)
class Graded(Result):
    """One exercise graded: the verdict and what follows."""

    exercise: Exercise
    display: str  # the learner's file, relative to the workspace
    result: GradeResult
    next: NextStep

    @property
    def exit_code(self) -> int:
        return 0 if self.result.passed else 1

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, **result_json(self.result)}

    def to_text(self, style: Style) -> str:
        report = grade_report(self.result, self.exercise.title, self.display, style, WORDS)
        return lines(report, *self._after(style))

    def _after(self, style: Style) -> list[str]:
        return after_grading(self.exercise, self.result.passed, self.next, style)


def after_grading(ex: Exercise, passed: bool, step: NextStep, style: Style,
                  command: str = "check") -> list[str]:
    """What a grading leads to: a hint, or the reference solution and the next exercise
    (``command`` is the one to run on it: check, or watch when watching)."""
    if not passed:
        out = []
        if step.stays_done:
            out.append(f"You passed {ex.id} before, so it stays done; this run grades your "
                       "file as it is now.")
        if step.hints_revealed < step.hints_total:
            elsewhere = " In another terminal," if command == "watch" else ""
            out.append(f"Stuck?{elsewhere} 'aisec hint {ex.id}' reveals hint "
                       f"{step.hints_revealed + 1} of {step.hints_total}.")
        return out
    if step.solution_copy is not None:
        out = [f"The reference solution is now in {step.solution_copy}: compare it with "
               "yours."]
    else:  # the copy was refused (the result's message says why)
        out = [f"'aisec solution {ex.id}' shows the reference solution: compare it with "
               "yours."]
    following = step.following
    if following is None and step.track is not None:
        return [*out, style.green(f"That was the last one of your track '{step.track}': "
                                  "you have finished all its exercises!"),
                "The rest of the course stays open: 'aisec list --all' shows it."]
    if following is None:
        return [*out, style.green("That was the last one: you have finished every "
                                  "exercise!")]
    return [*out, f"Next: {following.title} — 'aisec {command} {following.id}' "
                  f"(exercises/{following.file})"]


@dataclass(frozen=True)
class Row(Result):
    """One line of ``check --all``."""

    exercise: Exercise
    result: GradeResult

    def to_text(self, style: Style) -> str:
        result = self.result
        passed, total = result.counts()
        trouble = f"  ({result.status})" if result.status in ("error", "timeout") else ""
        return lines(f"{style.mark('passed' if result.passed else 'failed')} "
                     f"{self.exercise.id:<22} {passed}/{total} checks{trouble}")


@dataclass(frozen=True)
class AllGraded(Result):
    """Every exercise of the track (or course) graded, and what is done.

    "Done" is passed once: a pass stays a pass, so an exercise passed before whose
    file fails now (after a reset, say) is done but does not pass now. Every count
    of the command line (list, progress, report) counts done.
    """

    results: tuple[GradeResult, ...]
    done: int  # of the exercises graded, how many are done
    done_failing_now: tuple[str, ...] = ()  # ids passed before whose file fails now

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed == len(self.results) else 1

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION,
                "exercises": [result_json(r) for r in self.results],
                "passed": self.passed, "total": len(self.results),
                "done": self.done, "done_failing_now": list(self.done_failing_now)}

    def to_text(self, style: Style) -> str:
        # The rows were shown as each exercise was graded.
        total = len(self.results)
        if not self.done_failing_now:
            return lines(f"\n{self.passed} of {total} exercises pass.")
        names = _and(self.done_failing_now)
        files = "your file fails" if len(self.done_failing_now) == 1 else "your files fail"
        return lines(f"\n{self.passed} of {total} pass now. Done: {self.done} of {total} "
                     f"({names} passed before; {files} now).")


def _and(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True)
class NothingLeft(Result):
    """``check`` without an ID when every exercise has passed."""

    message: str

    def to_text(self, style: Style) -> str:
        return lines(style.green(self.message))

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "exercise": None, "passed": True,
                "message": self.message}


def result_json(result: GradeResult) -> dict[str, Any]:
    """The grader's JSON, its message worded for the command line like the text is."""
    return {**result.to_json(), "message": overall_message(result, WORDS)}


def next_step(workspace: Workspace, ex: Exercise, checked: Checked) -> NextStep:
    solution = workspace.paths.solution(ex.file)
    passed = checked.result.passed
    return NextStep(
        solution_copy=workspace.solution_display(ex) if solution.is_file() else None,
        following=workspace.next_exercise(ex, checked.state) if passed else None,
        hints_revealed=checked.state.exercise(ex.id).hints_revealed,
        hints_total=len(ex.hints),
        stays_done=not passed and checked.state.exercise(ex.id).passed,
        track=workspace.track.id if workspace.track is not None else None)


def check_one(workspace: Workspace, ex: Exercise) -> Graded:
    workspace.work_on(ex)  # even an untouched starter, which is not an attempt
    checked = workspace.check(ex)
    return Graded(ex, workspace.display(ex), checked.result, next_step(workspace, ex, checked))


def grading_order(exercises: list[Exercise]) -> list[Exercise]:
    """Labs first, then course order: the longest gradings start first, so that none is
    left running alone at the end (a lab grades its defence on whole corpora, and
    mcp_pinning starts a server). With 2 workers the course took 0.76x the time."""
    return sorted(exercises, key=lambda ex: ex.lab is None)


def check_all(workspace: Workspace, show_rows: bool,
              exercises: list[Exercise] | None = None) -> AllGraded:
    """Grade every exercise of the track (or ``exercises``), one warm grader per CPU in
    parallel, labs first; record and show the results in course order as they arrive."""
    last = workspace.state().last_exercise
    exercises = workspace.track_exercises if exercises is None else exercises
    workers = max(1, min(os.cpu_count() or 1, len(exercises)))
    bar = ProgressBar(len(exercises), "graded")
    results = []
    stop = threading.Event()
    with warm_graders(workers, workspace.course.paths.checks, patient=True,
                      cache_dir=workspace.paths.cache), \
            ThreadPoolExecutor(max_workers=workers) as pool:
        started = {ex.id: pool.submit(workspace.grade, ex, stop)
                   for ex in grading_order(exercises)}
        gradings = [started[ex.id] for ex in exercises]
        for future in gradings:
            future.add_done_callback(lambda _f: bar.advance(sum(g.done() for g in gradings)))
        try:
            for ex, future in zip(exercises, gradings, strict=True):
                result = workspace.record(future.result()).result
                results.append(result)
                if show_rows:
                    bar.above(render(Row(ex, result), False, Style()))
        finally:  # after ctrl+c: start nothing more, stop what runs
            for future in gradings:
                future.cancel()
            stop.set()
            bar.clear()
    _keep_current(workspace, last)
    state = workspace.state()
    done = [r for r in results if r.passed or state.exercise(r.exercise).passed]
    failing = tuple(r.exercise for r in done if not r.passed)
    return AllGraded(tuple(results), len(done), failing)


def _keep_current(workspace: Workspace, last: str | None) -> None:
    """Grading everything is not working on the last exercise graded: the exercise
    the learner was on stays the current one."""
    ex = workspace.course.find_exercise(last) if last else None
    if ex is not None:
        workspace.work_on(ex)


def _junit_target(path: Path | None) -> Path | None:
    """Where --junit writes, checked before any grading: a folder that exists."""
    if path is not None and not path.parent.is_dir():
        raise UsageError(f"--junit {path}: the folder {path.parent} does not exist. "
                         "Create it first, or give another path.")
    return path


def _write_junit(path: Path, results: list[GradeResult]) -> None:
    from tutor.text.junit import to_junit

    try:
        path.write_bytes(to_junit(results))
    except OSError as exc:
        raise UsageError(f"Could not write the JUnit file {path}: "
                         f"{exc.strerror or exc}.") from None
    note(f"Wrote JUnit XML ({len(results)} exercises) to {safe_line(str(path))}.")


def run(args: argparse.Namespace) -> Result:
    workspace = open_workspace(args)
    if args.all and args.id:
        raise UsageError("Give an exercise id or --all, not both.")
    junit = _junit_target(args.junit)
    if args.all:
        graded = check_all(workspace, show_rows=not args.json)
        if junit is not None:
            _write_junit(junit, list(graded.results))
        return graded
    chosen = choose_exercise(workspace, args.id)
    if chosen is None:
        return NothingLeft(everything_passed(workspace, "check"))
    announcement = chosen.announce("Checking")
    if announcement is not None:
        note(announcement)
    one = check_one(workspace, chosen.exercise)
    if junit is not None:
        _write_junit(junit, [one.result])
    return one
