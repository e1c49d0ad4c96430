"""``aisec reset [ID | FILE]``: restore the starter; the learner's file is backed up first.

Without an ID: the current exercise (the one last worked on, never one already
passed), named in the output."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tutor.cli.choose import require_exercise
from tutor.cli.context import open_workspace
from tutor.cli.render import Result, lines
from tutor.text.terminal import Style


@dataclass(frozen=True)
class Restored(Result):
    display: str  # the exercise file, relative to the workspace
    backup: str | None  # where the previous version went (None: nothing to keep)
    was_link: bool  # the file was a symbolic link (the backup records its target)
    reason: str = ""  # why this exercise, when the learner did not name it

    def to_text(self, style: Style) -> str:
        why = f" ({self.reason})" if self.reason else ""
        out = [f"Restored the starter of {self.display}{why}."]
        if self.backup is not None and self.was_link:
            out.append(f"It was a symbolic link; where it pointed is recorded in {self.backup}, "
                       "and the file it pointed to was not touched.")
        elif self.backup is not None:
            out.append(f"Your previous version is saved in {self.backup}.")
        return lines(*out)


def run(args: argparse.Namespace) -> Restored:
    workspace = open_workspace(args)
    chosen = require_exercise(workspace, args.id, "reset")
    ex = chosen.exercise
    was_link = workspace.exercise_path(ex).is_symlink()
    backup = workspace.reset(ex)
    return Restored(workspace.display(ex),
                    workspace.paths.display(backup) if backup is not None else None, was_link,
                    chosen.reason)
