"""``aisec solution [ID | FILE] [--force]``: the reference solution, once earned or forced.

Without an ID: the exercise last worked on, even when it has just passed (that is
the solution a learner wants to compare with); named on stderr."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tutor.cli.choose import require_exercise
from tutor.cli.context import open_workspace
from tutor.cli.render import Result
from tutor.errors import UsageError
from tutor.learner.workspace import SolutionLocked
from tutor.text.terminal import Style


@dataclass(frozen=True)
class Solution(Result):
    source: str  # the reference solution, as the file holds it
    saved_in: str  # where the copy is, relative to the workspace
    announcement: str | None = None  # which exercise, when the learner did not name it

    def to_text(self, style: Style) -> str:
        return self.source

    def notes(self, style: Style) -> list[str]:
        if self.announcement is not None:
            return [style.dim(f"\n{self.announcement} Saved in {self.saved_in}.")]
        return [style.dim(f"\n(saved in {self.saved_in})")]


def run(args: argparse.Namespace) -> Solution:
    workspace = open_workspace(args)
    chosen = require_exercise(workspace, args.id, "solution", passed_ok=True)
    ex = chosen.exercise
    try:
        path = workspace.view_solution(ex, force=args.force).path
    except SolutionLocked as locked:
        revealed = workspace.state().exercise(ex.id).hints_revealed
        first = (f"Try 'aisec hint {ex.id}' first; to" if revealed < len(ex.hints)
                 else "You have seen all its hints. To")
        raise UsageError(
            f"{locked} {first} see it anyway, run 'aisec solution {ex.id} --force' (your "
            "progress will show that you did).") from None
    return Solution(path.read_text(encoding="utf-8"), workspace.solution_display(ex),
                    chosen.announce("The reference solution of"))
