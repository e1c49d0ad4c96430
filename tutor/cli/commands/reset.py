"""``aisec reset ID``: restore the starter; the learner's file is backed up first."""

from __future__ import annotations

import argparse
from dataclasses import dataclass

from tutor.cli.context import open_workspace
from tutor.cli.render import Result, lines
from tutor.text.terminal import Style


@dataclass(frozen=True)
class Restored(Result):
    display: str  # the exercise file, relative to the workspace
    backup: str | None  # where the previous version went (None: nothing to keep)
    was_link: bool  # the file was a symbolic link (the backup records its target)

    def to_text(self, style: Style) -> str:
        out = [f"Restored the starter of {self.display}."]
        if self.backup is not None and self.was_link:
            out.append(f"It was a symbolic link; where it pointed is recorded in {self.backup}, "
                       "and the file it pointed to was not touched.")
        elif self.backup is not None:
            out.append(f"Your previous version is saved in {self.backup}.")
        return lines(*out)


def run(args: argparse.Namespace) -> Restored:
    workspace = open_workspace(args)
    ex = workspace.course.exercise(args.id)
    was_link = workspace.exercise_path(ex).is_symlink()
    backup = workspace.reset(ex)
    return Restored(workspace.display(ex),
                    workspace.paths.display(backup) if backup is not None else None, was_link)
