"""``aisec hint [ID | FILE]``: reveal the next hint (recorded) and show every hint so far.

Without an ID: the current exercise (the one last worked on, never one already
passed), named on stderr."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tutor.cli.choose import require_exercise
from tutor.cli.context import open_workspace
from tutor.cli.render import Result, lines, note
from tutor.course.model import Exercise
from tutor.text.terminal import Style, wrap


@dataclass(frozen=True)
class Hints(Result):
    exercise: Exercise
    count: int  # hints revealed so far, this one included
    new: bool  # False when every hint was already revealed

    def to_text(self, style: Style) -> str:
        ex = self.exercise
        out = []
        for number, hint in enumerate(ex.hints[:self.count], 1):
            label = f"Hint {number} of {len(ex.hints)}"
            out += [style.bold(label) if number == self.count and self.new else style.dim(label),
                    wrap(hint, "  ")]
        if not self.new:
            out.append(style.dim(f"\nThat was the last hint. Still stuck? 'aisec solution "
                                 f"{ex.id} --force' shows the reference solution (recorded in "
                                 "your progress)."))
        return lines(*out)


def run(args: argparse.Namespace) -> Hints:
    workspace = open_workspace(args)
    chosen = require_exercise(workspace, args.id, "hint")
    ex = chosen.exercise
    announcement = chosen.announce("Hints for")
    if announcement is not None:
        note(announcement)
    revealed = workspace.reveal_hint(ex)
    return Hints(ex, revealed.count, revealed.new)
