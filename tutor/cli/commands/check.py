"""``aisec check [ID | --all] [--json]``: grade, record, and say what comes next.

Exit 0 when every exercise graded passed, 1 otherwise. ``--json`` prints the
grader's result (:meth:`GradeResult.to_json`, the documented contract) with a
``schema_version``; with ``--all``, ``{"schema_version", "exercises": [...],
"passed", "total"}``. Without ``--json``, ``--all`` prints one row per exercise as
soon as it is graded (a course takes a while) and the count at the end.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from tutor.cli.context import exercise_or_current, open_workspace
from tutor.cli.remedies import WORDS
from tutor.cli.render import Result, lines, show
from tutor.course.model import Exercise
from tutor.errors import UsageError
from tutor.grader.result import GradeResult
from tutor.learner.workspace import Checked, Workspace
from tutor.text.grade import overall_message
from tutor.text.terminal import Style, grade_report

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class NextStep:
    """What the learner can do after a grading."""

    solution_copy: str | None  # where the reference solution was copied, if it was
    following: Exercise | None  # the next exercise not passed yet
    hints_revealed: int
    hints_total: int


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
        ex, step = self.exercise, self.next
        if not self.result.passed:
            if step.hints_revealed >= step.hints_total:
                return []
            return [f"Stuck? 'aisec hint {ex.id}' reveals hint {step.hints_revealed + 1} of "
                    f"{step.hints_total}."]
        if step.solution_copy is not None:
            out = [f"The reference solution is now in {step.solution_copy}: compare it with "
                   "yours."]
        else:  # the copy was refused (the result's message says why)
            out = [f"'aisec solution {ex.id}' shows the reference solution: compare it with "
                   "yours."]
        following = step.following
        if following is None:
            return [*out, style.green("That was the last one: you have finished every "
                                      "exercise!")]
        return [*out, f"Next: {following.title} — 'aisec check {following.id}' "
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
    """Every exercise of the track (or course) graded."""

    results: tuple[GradeResult, ...]

    @property
    def passed(self) -> int:
        return sum(r.passed for r in self.results)

    @property
    def exit_code(self) -> int:
        return 0 if self.passed == len(self.results) else 1

    def to_json(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION,
                "exercises": [result_json(r) for r in self.results],
                "passed": self.passed, "total": len(self.results)}

    def to_text(self, style: Style) -> str:
        # The rows were shown as each exercise was graded.
        return lines(f"\n{self.passed} of {len(self.results)} exercises pass.")


def result_json(result: GradeResult) -> dict[str, Any]:
    """The grader's JSON, its message worded for the command line like the text is."""
    return {**result.to_json(), "message": overall_message(result, WORDS)}


def next_step(workspace: Workspace, ex: Exercise, checked: Checked) -> NextStep:
    solution = workspace.paths.solution(ex.file)
    return NextStep(
        solution_copy=workspace.solution_display(ex) if solution.is_file() else None,
        following=workspace.next_exercise(ex, checked.state) if checked.result.passed else None,
        hints_revealed=checked.state.exercise(ex.id).hints_revealed,
        hints_total=len(ex.hints))


def check_one(workspace: Workspace, ex: Exercise) -> Graded:
    checked = workspace.check(ex)
    return Graded(ex, workspace.display(ex), checked.result, next_step(workspace, ex, checked))


def check_all(workspace: Workspace, show_rows: bool) -> AllGraded:
    results = []
    for ex in workspace.track_exercises:
        result = workspace.check(ex).result
        results.append(result)
        if show_rows:
            show(Row(ex, result))
    return AllGraded(tuple(results))


def run(args: argparse.Namespace) -> Result:
    workspace = open_workspace(args)
    if args.all and args.id:
        raise UsageError("Give an exercise id or --all, not both.")
    if args.all:
        return check_all(workspace, show_rows=not args.json)
    return check_one(workspace, exercise_or_current(workspace, args.id))
