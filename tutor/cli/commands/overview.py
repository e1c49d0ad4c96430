"""Bare ``aisec``: the full-screen course on a terminal, a plain overview otherwise.

Off a terminal (a pipe, a script, a screen reader's plain console) it prints the
course listing and what to do next, or the help when there is no workspace yet.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from tutor.cli.commands.list import Listing, listing
from tutor.cli.commands.tui import start_tui
from tutor.cli.context import has_workspace, open_workspace
from tutor.cli.render import Outcome, Result, lines
from tutor.course.model import Exercise
from tutor.learner.paths import DEFAULT_WORKSPACE
from tutor.text.terminal import Style


@dataclass(frozen=True)
class Overview(Result):
    listing: Listing
    current: Exercise | None  # the first exercise not passed yet

    def to_text(self, style: Style) -> str:
        text = self.listing.to_text(style)
        ex = self.current
        if ex is None:
            return text
        return text + lines(f"\nNext up: {ex.title}\n  edit exercises/{ex.file}, then "
                            f"'aisec check {ex.id}' (or 'aisec watch').")


@dataclass(frozen=True)
class NoWorkspace(Result):
    help_text: str  # the parser's help, ending with a newline

    def to_text(self, style: Style) -> str:
        return self.help_text + lines(f"\nNo workspace here yet: run 'aisec init' to create "
                                 f"./{DEFAULT_WORKSPACE}.")


def run(args: argparse.Namespace) -> Outcome:
    if sys.stdin.isatty() and sys.stdout.isatty():
        return start_tui(args)
    if not has_workspace(args):
        from tutor.cli.parser import build_parser

        return NoWorkspace(build_parser().format_help())
    workspace = open_workspace(args)
    state = workspace.state()
    return Overview(listing(workspace.course, workspace),
                    workspace.current_exercise(state))
