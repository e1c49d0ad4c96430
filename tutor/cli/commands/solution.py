"""``aisec solution ID [--force]``: the reference solution, once earned or when forced."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tutor.cli.context import open_workspace
from tutor.cli.render import Result
from tutor.errors import UsageError
from tutor.learner.workspace import SolutionLocked
from tutor.text.terminal import Style


@dataclass(frozen=True)
class Solution(Result):
    source: str  # the reference solution, as the file holds it
    saved_in: str  # where the copy is, relative to the workspace

    def to_text(self, style: Style) -> str:
        return self.source

    def notes(self, style: Style) -> list[str]:
        return [style.dim(f"\n(saved in {self.saved_in})")]


def run(args: argparse.Namespace) -> Solution:
    workspace = open_workspace(args)
    ex = workspace.course.exercise(args.id)
    try:
        path = workspace.view_solution(ex, force=args.force).path
    except SolutionLocked as locked:
        raise UsageError(
            f"{locked} Try 'aisec hint {ex.id}' first; to see it anyway, run 'aisec solution "
            f"{ex.id} --force' (your progress will show that you did).") from None
    return Solution(path.read_text(encoding="utf-8"), workspace.solution_display(ex))
