"""``aisec watch [ID]``: re-grade on every save, in a plain terminal.

Interactive, so it prints as it goes: each grading clears the screen (on a
terminal) and shows the report; with no ID it follows the current exercise to
the next one after a pass. How a save is noticed (polling with a debounce) is
:mod:`tutor.learner.saves`.
"""

from __future__ import annotations

import argparse
import sys

from tutor.cli.context import open_workspace
from tutor.cli.remedies import WORDS
from tutor.course.model import Exercise
from tutor.errors import UsageError
from tutor.learner.saves import SaveDetector, wait_for_save
from tutor.learner.workspace import Checked, Workspace
from tutor.text.terminal import Style, grade_report


def _show(workspace: Workspace, ex: Exercise, checked: Checked, style: Style) -> None:
    result = checked.result
    if sys.stdout.isatty():
        sys.stdout.write("\033[2J\033[H")  # clear the screen so each run stands alone
    print(grade_report(result, ex.title, workspace.display(ex), style, WORDS))
    status = checked.state.exercise(ex.id)
    if not result.passed and status.hints_revealed < len(ex.hints):
        print(f"Stuck? In another terminal: 'aisec hint {ex.id}'.")
    print(style.dim(f"\nWatching {workspace.display(ex)} — save to re-check, ctrl+c to stop."),
          flush=True)


def watch(workspace: Workspace, exercise: Exercise | None, interval: float = 0.3) -> int:
    follow = exercise is None
    ex = exercise or workspace.current_exercise()
    style = Style()
    if ex is None:
        print("Every exercise has passed — nothing to watch. Name one to watch it anyway.")
        return 0
    try:
        while True:
            saves = SaveDetector(workspace.exercise_path(ex))  # a save while grading counts
            checked = workspace.check(ex, asked=False)  # starting to watch is not an attempt
            _show(workspace, ex, checked, style)
            while not (checked.result.passed and follow):
                wait_for_save(saves, interval)
                checked = workspace.check(ex, asked=False)
                _show(workspace, ex, checked, style)
            following = workspace.next_exercise(ex, checked.state)
            if following is None:
                print(style.green("\nEvery exercise has passed. Well done!"))
                return 0
            print(f"\nPassed! The reference solution is in {workspace.solution_display(ex)}.")
            print(style.bold(f"Next: {following.title} ({workspace.display(following)})"))
            print(style.dim("Save that file to start checking it."), flush=True)
            ex = following
            wait_for_save(SaveDetector(workspace.exercise_path(ex)), interval)
    except KeyboardInterrupt:
        print("\nStopped watching. Your progress is saved.")
        return 0


def run(args: argparse.Namespace) -> int:
    workspace = open_workspace(args)
    if args.interval <= 0:
        raise UsageError("--interval must be a positive number of seconds.")
    exercise = workspace.course.exercise(args.id) if args.id else None
    return watch(workspace, exercise, interval=args.interval)
